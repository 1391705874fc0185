// `etls probe --stack mbedtls-*` (the board's own TLS library in WebAssembly) against real mosquitto
// listeners: certificates from `etls pki init`, and the probe matrix's misconfigurations per stack.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { etls, requireBuiltCli, requireTool } from '../../support/realParts';
import { freePort, startMosquitto, type RunningBroker } from './support/broker';
import { startProbeBrokers, type ProbeBrokers } from './support/probeBrokers';
import { etlsAsync } from './support/cli';
import type { TestPki } from './support/pki';

interface BoardProbeJson {
  ok: boolean;
  stage: string;
  code: string;
  message: string;
  fix: string;
  stack?: { id: string; library: string; version: string; config: Record<string, unknown> };
  libraryError?: {
    library: string;
    code: string;
    name?: string;
    text: string;
    verifyFlags?: string[];
    line: string;
  };
  details: { tls?: { protocol: string; cipher: string }; roundTrip?: string };
}

const mbedtlsStacks = ['mbedtls-2.28', 'mbedtls-3.6'] as const;

async function probeJson(port: number, args: string[]): Promise<BoardProbeJson & { status: number | null }> {
  const r = await etlsAsync([
    'probe',
    '--host',
    'localhost',
    '--port',
    String(port),
    '--json',
    '--timeout',
    '8',
    ...args,
  ]);
  assert.equal(r.stderr, '', `no stderr expected, got: ${r.stderr}`);
  assert.doesNotMatch(r.stdout, /\n\s+at .*\(/, 'no stack trace');
  return { ...(JSON.parse(r.stdout) as BoardProbeJson), status: r.status };
}

describe('etls probe --stack mbedtls: the board library against real mosquitto (etls pki init)', function () {
  this.timeout(180_000);
  let dir: string;
  let big: string;
  const brokers: Record<string, RunningBroker> = {};

  before(async () => {
    requireTool('mosquitto', 'apt-get install mosquitto');
    requireBuiltCli();
    dir = mkdtempSync(join(tmpdir(), 'etls-board-pki-'));
    big = join(dir, 'big');
    const init = (out: string, extra: string[]) => {
      const r = etls(['pki', 'init', '--broker-host', 'localhost', '--out', out, ...extra]);
      assert.equal(r.status, 0, r.stderr);
    };
    init(join(dir, 'pki'), []);
    // RSA-4096 with an intermediate, and the root sent too: a chain over 4 KB in one record.
    init(big, ['--key-type', 'rsa4096', '--intermediate']);
    writeFileSync(
      join(big, 'fat-chain.pem'),
      readFileSync(join(big, 'broker-chain.pem'), 'utf8') + readFileSync(join(big, 'ca.pem'), 'utf8'),
    );
    // Another CA, as a user who downloaded the wrong root would have.
    init(join(dir, 'other'), []);
    const p = (f: string) => join(dir, 'pki', f);
    const listener = (cert: string, key: string, ca: string, extra = '') =>
      `certfile ${cert}\nkeyfile ${key}\ncafile ${ca}\nrequire_certificate true\nuse_identity_as_username true\n${extra}`;
    brokers['pki'] = await startMosquitto(
      dir,
      'pki',
      listener(p('broker.pem'), p('broker.key'), p('ca.pem')),
    );
    brokers['tls13'] = await startMosquitto(
      dir,
      'tls13',
      listener(p('broker.pem'), p('broker.key'), p('ca.pem'), 'tls_version tlsv1.3'),
    );
    brokers['fat'] = await startMosquitto(
      dir,
      'fat',
      listener(join(big, 'fat-chain.pem'), join(big, 'broker.key'), join(big, 'ca-bundle.pem')),
    );
  });

  after(async () => {
    for (const b of Object.values(brokers)) await b.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const device = (root = join(dir, 'pki')) => [
    '--ca',
    join(root, 'ca.pem'),
    '--cert',
    join(root, 'device-01.pem'),
    '--key',
    join(root, 'device-01.key'),
  ];

  it('--target esp32 runs mbedTLS (the ESP-IDF 5 library) and succeeds, round trip included', async () => {
    const r = await probeJson(brokers['pki']!.port, [...device(), '--target', 'esp32']);
    assert.equal(r.code, 'ok', r.message);
    assert.equal(r.status, 0);
    assert.equal(r.stack?.library, 'mbedtls');
    assert.equal(r.stack?.id, 'mbedtls-3.6');
    assert.equal(r.details.roundTrip, 'ok');
  });

  for (const stack of mbedtlsStacks)
    it(`--stack ${stack} succeeds and reports the library's own version and configuration`, async () => {
      const r = await probeJson(brokers['pki']!.port, [...device(), '--stack', stack]);
      assert.equal(r.code, 'ok', r.message);
      assert.equal(r.stack?.version, stack === 'mbedtls-2.28' ? '2.28.3' : '3.6.6');
      assert.equal(r.stack?.config['in-content-len'], 16384);
      assert.equal(r.details.tls?.protocol, stack === 'mbedtls-2.28' ? 'TLSv1.2' : 'TLSv1.3');
    });

  it('a CA file from another CA: server-cert-untrusted, as the board prints it (-0x2700, NOT_TRUSTED)', async () => {
    const args = ['--ca', join(dir, 'other', 'ca.pem'), ...device().slice(2), '--target', 'esp32'];
    const r = await probeJson(brokers['pki']!.port, args);
    assert.equal(r.code, 'server-cert-untrusted');
    assert.equal(r.libraryError?.code, '-0x2700');
    assert.equal(r.libraryError?.name, 'MBEDTLS_ERR_X509_CERT_VERIFY_FAILED');
    assert.deepEqual(r.libraryError?.verifyFlags, ['MBEDTLS_X509_BADCERT_NOT_TRUSTED']);
    // The human output leads with the board's own line, then the explanation.
    const human = await etlsAsync([
      'probe',
      '--host',
      'localhost',
      '--port',
      String(brokers['pki']!.port),
      ...args,
    ]);
    assert.equal(human.status, 1);
    assert.match(
      human.stdout,
      /^stack: mbedtls 3\.6\.6.*\nmbedtls_ssl_handshake returned -0x2700 \(MBEDTLS_ERR_X509_CERT_VERIFY_FAILED\)/,
    );
    assert.match(human.stdout, /FAILED \[server-cert-untrusted\]/);
  });

  it('--board-time 1970: server-cert-not-yet-valid with the FUTURE flag, on both versions', async () => {
    for (const extra of [
      ['--target', 'esp32'],
      ['--stack', 'mbedtls-2.28'],
    ]) {
      const r = await probeJson(brokers['pki']!.port, [
        ...device(),
        ...extra,
        '--board-time',
        '1970-01-01T00:00:00Z',
      ]);
      assert.equal(r.code, 'server-cert-not-yet-valid', extra.join(' '));
      assert.equal(r.libraryError?.code, '-0x2700');
      assert.ok(r.libraryError?.verifyFlags?.includes('MBEDTLS_X509_BADCERT_FUTURE'));
      assert.equal(r.stack?.config['board-time'], '1970-01-01T00:00:00.000Z');
      assert.match(r.message, /board's clock says 1970-01-01T00:00:00\.000Z/);
      assert.match(r.fix, /SNTP/);
    }
  });

  for (const stack of mbedtlsStacks)
    it(`${stack} with in-content-len=4096 against a 4 KB+ chain: -0x7200, explained as a record too large`, async () => {
      const args = [...device(big), '--stack', stack];
      const r = await probeJson(brokers['fat']!.port, [...args, '--stack-option', 'in-content-len=4096']);
      assert.equal(r.code, 'tls-record-too-large');
      assert.equal(r.libraryError?.code, '-0x7200');
      assert.equal(r.libraryError?.name, 'MBEDTLS_ERR_SSL_INVALID_RECORD');
      assert.equal(r.stack?.config['in-content-len'], 4096);
      assert.match(r.fix, /CONFIG_MBEDTLS_SSL_IN_CONTENT_LEN/);
      // The same broker with the default 16 KB buffer is fine: the buffer, not the broker, is the problem.
      assert.equal((await probeJson(brokers['fat']!.port, args)).code, 'ok');
    });

  it('a TLS 1.3-only broker against mbedTLS 2.28 (ESP-IDF 4.4): a protocol version failure; 3.6 connects', async () => {
    const r = await probeJson(brokers['tls13']!.port, [...device(), '--stack', 'mbedtls-2.28']);
    assert.equal(r.code, 'handshake-failure');
    assert.match(r.message, /protocol_version|TLS version/);
    assert.ok(r.libraryError, 'the library error is reported');
    assert.equal(
      (await probeJson(brokers['tls13']!.port, [...device(), '--stack', 'mbedtls-3.6'])).code,
      'ok',
    );
  });

  it('unknown stacks, options and values exit 2 and list the valid ones', async () => {
    const port = String(brokers['pki']!.port);
    const base = ['probe', '--host', 'localhost', '--port', port, ...device()];
    const a = await etlsAsync([...base, '--stack', 'wolfssl']);
    assert.equal(a.status, 2);
    assert.match(a.stderr, /mbedtls-2\.28, mbedtls-3\.6, bearssl, node/);
    const b = await etlsAsync([...base, '--stack', 'mbedtls-3.6', '--stack-option', 'in-buffer=4096']);
    assert.equal(b.status, 2);
    assert.match(b.stderr, /no option "in-buffer"; options: in-content-len, out-content-len/);
    const c = await etlsAsync([...base, '--stack', 'mbedtls-2.28', '--stack-option', 'tls-max=1.3']);
    assert.equal(c.status, 2);
    assert.match(c.stderr, /does not accept tls-max=1\.3; valid: 1\.0, 1\.1, 1\.2/);
    const d = await etlsAsync([...base, '--target', 'esp32', '--board-time', 'yesterday']);
    assert.equal(d.status, 2);
    assert.match(d.stderr, /--board-time needs an ISO date/);
  });
});

describe('the probe matrix, run by each mbedTLS stack', function () {
  this.timeout(240_000);
  let pki: TestPki;
  let lab: ProbeBrokers | undefined;
  const brokers: Record<string, RunningBroker> = {};

  before(async () => {
    lab = await startProbeBrokers();
    pki = lab.pki;
    Object.assign(brokers, lab.brokers);
  });

  after(async () => {
    await lab?.stop();
  });

  const ca = () => ['--ca', pki.file('ca.pem')];
  const device = () => ['--cert', pki.file('device.pem'), '--key', pki.file('device.key')];
  const silentPort = () => lab!.silentPort();

  const cases: [string, () => Promise<number> | number, () => string[], string][] = [
    ['ok: mutual TLS and a round trip', () => brokers['mtls']!.port, () => [...ca(), ...device()], 'ok'],
    ['connection-refused', () => freePort(), ca, 'connection-refused'],
    ['timeout: TCP accepted, no TLS answer', silentPort, () => [...ca(), '--timeout', '2'], 'timeout'],
    ['not-tls: the plain MQTT listener', () => brokers['plain']!.port, ca, 'not-tls'],
    [
      'server-cert-untrusted: the stale root',
      () => brokers['mtls']!.port,
      () => ['--ca', pki.file('otherca.pem'), ...device()],
      'server-cert-untrusted',
    ],
    ['server-cert-hostname-mismatch', () => brokers['wrongname']!.port, ca, 'server-cert-hostname-mismatch'],
    ['server-cert-expired', () => brokers['expired']!.port, ca, 'server-cert-expired'],
    ['server-cert-not-yet-valid', () => brokers['future']!.port, ca, 'server-cert-not-yet-valid'],
    ['client-cert-required', () => brokers['mtls']!.port, ca, 'client-cert-required'],
    [
      'client-cert-rejected: a device certificate from another CA',
      () => brokers['mtls']!.port,
      () => [...ca(), '--cert', pki.file('device-foreign.pem'), '--key', pki.file('device-foreign.key')],
      'client-cert-rejected',
    ],
    ['mqtt-not-authorized', () => brokers['passwords']!.port, ca, 'mqtt-not-authorized'],
    [
      'mqtt-identifier-rejected',
      () => brokers['namedids']!.port,
      () => [...ca(), '--client-id', ''],
      'mqtt-identifier-rejected',
    ],
  ];

  // The chain the library saw names the roots and names in the explanation, as with Node's TLS.
  const wording: Record<string, RegExp> = {
    'server-cert-untrusted':
      /issued by "Test Amazon Root CA 1", but your CA file \(otherca\.pem\) holds "Test VeriSign Class 3 Public Primary CA - G5"/,
    'server-cert-hostname-mismatch': /"broker\.example\.com", not for "localhost"/,
  };

  for (const stack of mbedtlsStacks)
    for (const [title, port, args, code] of cases)
      it(`${stack}: ${title}`, async () => {
        const r = await probeJson(await port(), [...args(), '--stack', stack]);
        assert.equal(r.code, code, `${r.message} ${JSON.stringify(r.libraryError ?? {})}`);
        assert.equal(r.stack?.library ?? 'mbedtls', 'mbedtls');
        const words = wording[code];
        if (words) assert.match(`${r.message} ${r.fix}`, words);
      });
});
