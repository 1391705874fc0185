// `etls inspect` on C sources: hostile ones end quickly with a clear exit (hang guards, not speed
// tests), and the real-world samples agree with openssl on every certificate and key they hold.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CLI,
  etls,
  REPO,
  requireBuiltCli,
  requireTool,
  run,
  runBytes,
  scratchDir,
} from '../../support/realParts';

type Entry = Record<string, unknown>;
const SAMPLES = join(REPO, 'test', 'fixtures', 'x509', 'c-sources');
/** Generous next to the ~1 s these take; the quadratic scanner took 45 s to 15+ minutes on them. */
const HANG_GUARD_MS = 10_000;

function inspect(file: string): { status: number | null; entries: Entry[] } {
  const r = etls(['inspect', '--json', file]);
  assert.equal(r.stderr, '', r.stderr);
  return { status: r.status, entries: JSON.parse(r.stdout) as Entry[] };
}

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

/** The bytes between the braces of `#define NAME {` ... `}` in a source, as DER. */
function macroBytes(src: string, name: string): Buffer {
  const at = src.indexOf(`#define ${name} {`);
  const body = src.slice(src.indexOf('{', at) + 1, src.indexOf('}', at));
  return Buffer.from(body.match(/0x[0-9a-fA-F]{2}/g)!.map((h) => parseInt(h, 16)));
}

describe('etls inspect on C sources', function () {
  this.timeout(180_000);
  const dir = scratchDir('csources');

  before(() => {
    requireTool('openssl');
    requireBuiltCli();
  });
  after(() => dir.remove());

  for (const [name, content, message] of [
    ['braces.c', '{0x30,'.repeat(Math.ceil((1 << 20) / 6)) + '}', 'no certificate or key found'],
    ['raw.cpp', 'R"('.repeat(Math.ceil((4 << 20) / 3)), 'no certificate or key found'],
  ] as const)
    it(`ends quickly on ${(content.length / (1 << 20)).toFixed(0)} MB of ${content.slice(0, 6)}..., exit 1 with a sentence`, () => {
      const file = join(dir.path, name);
      writeFileSync(file, content);
      const t0 = Date.now();
      const r = spawnSync(process.execPath, [CLI, 'inspect', file], {
        encoding: 'utf8',
        timeout: HANG_GUARD_MS,
      });
      const ms = Date.now() - t0;
      assert.equal(r.signal, null, `killed after ${ms} ms: the scan hangs`);
      assert.equal(r.status, 1);
      assert.match(r.stdout, new RegExp(message));
      assert.equal(r.stderr, '');
    });

  it('reads all DER macros of mbedTLS 2.x certs.c exactly as openssl does', () => {
    const file = join(SAMPLES, 'mbedtls-2-certs.c');
    const src = run('cat', [file]);
    const { status, entries } = inspect(file);
    assert.equal(status, 0);
    const byName = new Map(entries.map((e) => [(e['location'] as Entry)['symbol'], e]));
    // openssl reads the DER certificate macro and the DER key macro as they are in the file.
    const certDer = macroBytes(src, 'TEST_CA_CRT_EC_DER');
    const fp = run('openssl', ['x509', '-inform', 'DER', '-noout', '-fingerprint', '-sha256'], {
      input: certDer,
    });
    assert.equal(
      byName.get('TEST_CA_CRT_EC_DER')?.['sha256Fingerprint'],
      fp.replace(/^.*=/, '').trim().replace(/:/g, '').toLowerCase(),
    );
    const keyDer = macroBytes(src, 'TEST_CA_KEY_EC_DER');
    const pub = runBytes('openssl', ['pkey', '-inform', 'DER', '-pubout', '-outform', 'DER'], {
      input: keyDer,
    });
    assert.equal(byName.get('TEST_CA_KEY_EC_DER')?.['publicKeySha256'], sha256(pub));
    assert.equal(
      byName.get('TEST_CA_CRT_EC_PEM')?.['sha256Fingerprint'],
      byName.get('TEST_CA_CRT_EC_DER')?.['sha256Fingerprint'],
    );
  });

  it('names BearSSL trust anchors with the subject and key openssl finds in the arrays', () => {
    const file = join(SAMPLES, 'nina-fw-BearSSLTrustAnchors.h');
    const { status, entries } = inspect(file);
    assert.equal(status, 0);
    assert.deepEqual(
      entries.map((e) => [e['kind'], e['subjectCN'], e['keyAlgorithm'], e['keyBits']]),
      [
        ['trustAnchor', 'Amazon Root CA 1', 'RSA', 2048],
        ['trustAnchor', 'Baltimore CyberTrust Root', 'RSA', 2048],
      ],
    );
    // openssl: the real Baltimore root (the PEM in the Azure sample) has the key the anchor's arrays make.
    const azure = run('cat', [join(SAMPLES, 'azure-certs.c')]);
    const lines = azure.split('\n');
    const from = lines.findIndex((l) => l.includes('BEGIN CERTIFICATE'));
    const to = lines.findIndex((l, i) => i > from && l.includes('END CERTIFICATE'));
    const pem = lines
      .slice(from, to + 1)
      .map((l) => l.replace(/^"|\\r\\n"$/g, ''))
      .join('\n');
    const spki = runBytes('openssl', ['pkey', '-pubin', '-outform', 'DER'], {
      input: run('openssl', ['x509', '-noout', '-pubkey'], { input: pem + '\n' }),
    });
    assert.equal(entries[1]!['publicKeySha256'], sha256(spki));
    const subject = run('openssl', ['x509', '-noout', '-subject', '-nameopt', 'RFC2253'], {
      input: pem + '\n',
    });
    assert.equal(entries[1]!['subject'], subject.replace(/^subject=/, '').trim());
  });

  it('says what a PEM built around a build-time macro is, and exits 1', () => {
    const r = etls(['inspect', join(SAMPLES, 'esp-idf-mqtt-app_main.c')]);
    assert.equal(r.status, 1);
    assert.match(
      r.stdout,
      /built from the macro CONFIG_EXAMPLE_BROKER_CERTIFICATE_OVERRIDE, which this file does not define/,
    );
    assert.doesNotMatch(r.stdout, /cut short|no END line/);
  });
});
