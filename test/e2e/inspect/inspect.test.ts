// `etls inspect` against certificates and keys made by the real openssl, with openssl as the oracle.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { etls, requireBuiltCli, requireTool, run, runBytes, scratchDir } from '../../support/realParts';

type Entry = Record<string, unknown>;

function inspectJson(
  files: string[],
  cwd: string,
  env?: NodeJS.ProcessEnv,
): { status: number | null; entries: Entry[] } {
  const r = etls(['inspect', '--json', ...files], { cwd, env });
  assert.equal(r.stderr, '', r.stderr);
  return { status: r.status, entries: JSON.parse(r.stdout) as Entry[] };
}

function sslDate(s: string): string {
  return new Date(s.replace(/^\w+=/, '').trim()).toISOString();
}

/** What openssl says about a certificate, in the shape of our JSON. */
function oracle(pem: string, cwd: string) {
  const field = (...args: string[]) =>
    run('openssl', ['x509', '-in', pem, '-noout', ...args], { cwd }).trim();
  const pub = runBytes('openssl', ['pkey', '-pubin', '-outform', 'DER'], { input: field('-pubkey') + '\n' });
  const text = field('-text');
  const bits = /Public-Key: \((\d+) bit\)/.exec(text)?.[1];
  return {
    subject: field('-subject', '-nameopt', 'RFC2253,-esc_msb').replace(/^subject=/, ''),
    issuer: field('-issuer', '-nameopt', 'RFC2253,-esc_msb').replace(/^issuer=/, ''),
    serialNumber: field('-serial')
      .replace(/^serial=/, '')
      .toLowerCase(),
    sha256Fingerprint: field('-fingerprint', '-sha256').replace(/^.*=/, '').replace(/:/g, '').toLowerCase(),
    notBefore: sslDate(field('-startdate')),
    notAfter: sslDate(field('-enddate')),
    publicKeySha256: createHash('sha256').update(pub).digest('hex'),
    keyBits: bits ? Number(bits) : undefined,
  };
}

describe('etls inspect against openssl', function () {
  this.timeout(120_000);
  const dir = scratchDir('inspect');
  const cwd = dir.path;
  const ssl = (...args: string[]) => run('openssl', args, { cwd });

  before(() => {
    requireTool('openssl');
    requireBuiltCli();
    ssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:3072',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '3650',
      '-subj',
      '/C=DE/ST=Bayern/L=München/O=Werkstatt GmbH/OU=Firmware+OU=QA/CN=Werkstatt Root/emailAddress=pki@example.com',
      '-multivalue-rdn',
      '-utf8',
    );
    ssl('ecparam', '-name', 'secp384r1', '-genkey', '-noout', '-out', 'broker.key');
    ssl(
      'req',
      '-new',
      '-key',
      'broker.key',
      '-subj',
      '/O=Werkstatt GmbH/CN=broker.local',
      '-out',
      'broker.csr',
    );
    writeFileSync(
      join(cwd, 'broker.ext'),
      'subjectAltName=DNS:broker.local,DNS:localhost,IP:127.0.0.1,IP:fd00::1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n',
    );
    ssl(
      'x509',
      '-req',
      '-in',
      'broker.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '825',
      '-extfile',
      'broker.ext',
      '-out',
      'broker.pem',
    );
    ssl('genpkey', '-algorithm', 'ed25519', '-out', 'ed.key');
    ssl('req', '-x509', '-key', 'ed.key', '-subj', '/CN=ed-device', '-days', '30', '-out', 'ed.pem');
    ssl('x509', '-in', 'broker.pem', '-outform', 'DER', '-out', 'broker.der');
    ssl(
      'pkcs12',
      '-export',
      '-inkey',
      'broker.key',
      '-in',
      'broker.pem',
      '-certfile',
      'ca.pem',
      '-passout',
      'pass:s3cret',
      '-out',
      'broker.p12',
    );
    ssl('pkey', '-in', 'ca.key', '-traditional', '-out', 'ca-pkcs1.key');
    ssl('pkcs8', '-topk8', '-in', 'ca.key', '-passout', 'pass:s3cret', '-out', 'ca-enc.key');
  });
  after(() => dir.remove());

  for (const file of ['ca.pem', 'broker.pem', 'ed.pem', 'broker.der']) {
    it(`agrees with openssl on ${file}`, () => {
      const { status, entries } = inspectJson([file], cwd);
      assert.equal(status, 0);
      assert.equal(entries.length, 1);
      const e = entries[0]!;
      const o = oracle(file, cwd);
      assert.equal(e['file'], file);
      assert.equal(e['index'], 0);
      assert.equal(e['kind'], 'certificate');
      assert.equal(e['encoding'], file.endsWith('.der') ? 'DER' : 'PEM');
      for (const k of [
        'subject',
        'issuer',
        'serialNumber',
        'sha256Fingerprint',
        'notBefore',
        'notAfter',
        'publicKeySha256',
      ] as const)
        assert.equal(e[k], o[k], `${file} ${k}`);
      if (o.keyBits !== undefined) assert.equal(e['keyBits'], o.keyBits);
    });
  }

  it('decodes structured names, SANs and key details like openssl -text shows them', () => {
    const [ca] = inspectJson(['ca.pem'], cwd).entries;
    assert.equal(ca!['subjectCN'], 'Werkstatt Root');
    assert.equal(ca!['keyAlgorithm'], 'RSA');
    assert.equal(ca!['isCA'], true);
    assert.equal(ca!['selfSigned'], true);
    assert.match(String(ca!['subject']), /OU=Firmware\+OU=QA|OU=QA\+OU=Firmware/);
    const [broker] = inspectJson(['broker.pem'], cwd).entries;
    assert.equal(broker!['keyAlgorithm'], 'EC');
    assert.equal(broker!['curve'], 'P-384');
    assert.equal(broker!['keyBits'], 384);
    assert.equal(broker!['isCA'], false);
    assert.equal(broker!['selfSigned'], false);
    assert.deepEqual(broker!['subjectAltNames'], [
      'DNS:broker.local',
      'DNS:localhost',
      'IP:127.0.0.1',
      'IP:fd00::1',
    ]);
    assert.deepEqual(broker!['extendedKeyUsage'], ['serverAuth']);
    const sanText = run('openssl', ['x509', '-in', 'broker.pem', '-noout', '-ext', 'subjectAltName'], {
      cwd,
    });
    assert.match(
      sanText,
      /DNS:broker\.local, DNS:localhost, IP Address:127\.0\.0\.1, IP Address:FD00:0:0:0:0:0:0:1/,
    );
  });

  it('matches keys to certificates exactly as `openssl pkey -pubout` does', () => {
    const { entries } = inspectJson(['ca.key', 'ca-pkcs1.key', 'broker.key'], cwd);
    const sha = (key: string) =>
      createHash('sha256')
        .update(runBytes('openssl', ['pkey', '-in', key, '-pubout', '-outform', 'DER'], { cwd }))
        .digest('hex');
    assert.deepEqual(
      entries.map((e) => [e['keyFormat'], e['publicKeySha256']]),
      [
        ['PKCS#8', sha('ca.key')],
        ['PKCS#1', sha('ca.key')],
        ['SEC1', sha('broker.key')],
      ],
    );
    assert.equal(entries[0]!['publicKeySha256'], oracle('ca.pem', cwd).publicKeySha256);
  });

  it('opens encrypted keys and PKCS#12 with a pass phrase from the environment, and says when it is wrong', () => {
    const locked = inspectJson(['ca-enc.key'], cwd);
    assert.equal(locked.status, 0);
    assert.equal(locked.entries[0]!['encrypted'], true);
    assert.equal(locked.entries[0]!['publicKeySha256'], null);
    const open = inspectJson(['--passphrase-env', 'PW', 'ca-enc.key', 'broker.p12'], cwd, { PW: 's3cret' });
    assert.equal(open.status, 0);
    assert.equal(open.entries[0]!['publicKeySha256'], oracle('ca.pem', cwd).publicKeySha256);
    const p12 = open.entries[1]!;
    assert.equal(p12['kind'], 'pkcs12');
    const contents = p12['contents'] as Entry[];
    assert.deepEqual(contents.map((c) => c['kind']).sort(), ['certificate', 'certificate', 'privateKey']);
    assert.ok(contents.some((c) => c['sha256Fingerprint'] === oracle('broker.pem', cwd).sha256Fingerprint));
    const wrong = inspectJson(['--passphrase-env', 'PW', 'broker.p12'], cwd, { PW: 'nope' });
    assert.equal(wrong.status, 1);
    assert.deepEqual(Object.keys(wrong.entries[0]!).slice(0, 2), ['file', 'index']);
    assert.match(String(wrong.entries[0]!['error']), /the password does not open this PKCS#12 file/);
  });

  it('exits 1 and names the byte counts for a truncated DER file, next to a good one', () => {
    const der = runBytes('openssl', ['x509', '-in', 'broker.pem', '-outform', 'DER'], { cwd });
    writeFileSync(join(cwd, 'cut.der'), der.subarray(0, 400));
    const { status, entries } = inspectJson(['broker.pem', 'cut.der', 'missing.pem'], cwd);
    assert.equal(status, 1);
    assert.equal(entries[0]!['kind'], 'certificate');
    assert.match(
      String(entries[1]!['error']),
      new RegExp(`^DER certificate truncated: 400 of ${der.length} bytes`),
    );
    assert.equal(entries[2]!['file'], 'missing.pem');
    assert.match(String(entries[2]!['error']), /no such file/);
  });

  it('prints a readable summary without --json', () => {
    const r = etls(['inspect', 'broker.pem', 'ca-enc.key'], { cwd });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /certificate CN=broker\.local, issued by Werkstatt Root, expires \d{4}-\d\d-\d\d/);
    assert.match(r.stdout, /SANs: +DNS:broker\.local, DNS:localhost, IP:127\.0\.0\.1, IP:fd00::1/);
    assert.match(r.stdout, /encrypted with a pass phrase; give the pass phrase/);
    assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at /);
  });
});

describe('etls inspect on the system CA bundle', function () {
  this.timeout(300_000);
  const BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

  before(() => {
    requireTool('openssl');
    requireBuiltCli();
    try {
      run('test', ['-s', BUNDLE]);
    } catch {
      throw new Error(`${BUNDLE} is missing: install Debian's ca-certificates`);
    }
  });

  it('reads every root in the bundle and agrees with openssl on each fingerprint and subject', () => {
    const r = etls(['inspect', '--json', BUNDLE]);
    assert.equal(r.status, 0, r.stderr);
    const entries = JSON.parse(r.stdout) as Entry[];
    const pems =
      run('cat', [BUNDLE]).match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    assert.ok(pems.length > 100, `expected a real bundle, found ${pems.length} certificates`);
    assert.equal(entries.length, pems.length);
    {
      pems.forEach((pem, i) => {
        // One openssl call per root: subject, fingerprint, end date and public key together.
        const out = run(
          'openssl',
          [
            'x509',
            '-noout',
            '-subject',
            '-nameopt',
            'RFC2253,-esc_msb',
            '-fingerprint',
            '-sha256',
            '-enddate',
            '-pubkey',
          ],
          { input: pem },
        );
        const line = (re: RegExp) => re.exec(out)?.[1]?.trim() ?? '';
        const pubPem = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/.exec(out)?.[0] ?? '';
        const pub = Buffer.from(pubPem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
        const e = entries[i]!;
        assert.equal(
          e['sha256Fingerprint'],
          line(/Fingerprint=(.+)/)
            .replace(/:/g, '')
            .toLowerCase(),
          `root ${i}`,
        );
        assert.equal(e['subject'], line(/^subject=(.+)$/m), `root ${i} subject`);
        assert.equal(e['notAfter'], sslDate(line(/notAfter=(.+)/)), `root ${i} notAfter`);
        assert.equal(e['publicKeySha256'], createHash('sha256').update(pub).digest('hex'), `root ${i} key`);
        assert.equal(e['kind'], 'certificate');
      });
    }
  });
});
