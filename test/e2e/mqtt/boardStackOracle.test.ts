// The board's own TLS library, built natively with gcc (the oracle), against real Mosquitto
// misconfigurations: what mbedTLS 2.28, 3.6 and BearSSL 0.6 say in each case. Then the wasm probe
// (`etls probe --stack X --json`) must report the same library error code, case by case.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { createSecureContext, createServer, type Server } from 'node:tls';
import { OpenSslPki } from '../../support/openssl';
import {
  runNativeOracle,
  type OracleOptions,
  type OracleResult,
  type OracleStack,
} from '../../support/nativeOracle';
import { requireBuiltCli, requireTool } from '../../support/realParts';
import { startMosquitto, type RunningBroker } from './support/broker';
import { etlsAsync, type CliRun } from './support/cli';
import { createTestPki, type TestPki } from './support/pki';

/** The built CLI, or $ETLS_PROBE_CLI (another build's dist/cli.js) to compare that build's engines. */
function probeCli(args: string[]): Promise<CliRun> {
  const other = process.env['ETLS_PROBE_CLI'];
  if (!other) return etlsAsync(args);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [other, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

interface Case {
  title: string;
  broker: string;
  stacks: OracleStack[];
  ca?: string;
  device?: boolean;
  servername?: string;
  sni?: boolean;
  boardTime?: string;
  inContentLen?: number;
  /**
   * What the library itself says, per stack: true for a completed handshake, else the code (or the
   * codes, where the library's answer depends on whether the broker's alert or its close comes first).
   */
  expect: Partial<Record<OracleStack, true | string | number | (string | number)[]>>;
  /** mbedTLS verify flags the oracle must name. */
  flags?: string[];
}

const all: OracleStack[] = ['mbedtls-2.28', 'mbedtls-3.6', 'bearssl'];

const cases: Case[] = [
  {
    title: 'mutual TLS that works',
    broker: 'mtls',
    stacks: all,
    device: true,
    expect: { 'mbedtls-2.28': true, 'mbedtls-3.6': true, bearssl: true },
  },
  {
    title: 'a CA file from another CA',
    broker: 'mtls',
    stacks: all,
    ca: 'otherca.pem',
    device: true,
    expect: { 'mbedtls-2.28': '-0x2700', 'mbedtls-3.6': '-0x2700', bearssl: 62 },
    flags: ['MBEDTLS_X509_BADCERT_NOT_TRUSTED'],
  },
  {
    title: 'an expired broker certificate',
    broker: 'expired',
    stacks: all,
    expect: { 'mbedtls-2.28': '-0x2700', 'mbedtls-3.6': '-0x2700', bearssl: 54 },
    flags: ['MBEDTLS_X509_BADCERT_EXPIRED'],
  },
  {
    title: 'a broker certificate for another host name',
    broker: 'wrongname',
    stacks: all,
    expect: { 'mbedtls-2.28': '-0x2700', 'mbedtls-3.6': '-0x2700', bearssl: 56 },
    flags: ['MBEDTLS_X509_BADCERT_CN_MISMATCH'],
  },
  {
    title: 'a broker that requires a client certificate, none sent',
    broker: 'mtls',
    stacks: all,
    // The broker's handshake_failure alert (40): mbedTLS's FATAL_ALERT_MESSAGE, BearSSL's 256 + 40;
    // a TLS 1.2 client still writing its flight when the broker closes gets NET_CONN_RESET instead.
    expect: {
      'mbedtls-2.28': ['-0x7780', '-0x0050'],
      'mbedtls-3.6': ['-0x7780', '-0x0050'],
      bearssl: [296, 31],
    },
  },
  {
    title: 'the board clock at 1970',
    broker: 'open',
    stacks: all,
    boardTime: '1970-01-01T00:00:00Z',
    expect: { 'mbedtls-2.28': '-0x2700', 'mbedtls-3.6': '-0x2700', bearssl: 54 },
    flags: ['MBEDTLS_X509_BADCERT_FUTURE'],
  },
  {
    title: 'a chain over 4 KB against a 4 KB record buffer',
    broker: 'bigchain',
    stacks: all,
    inContentLen: 4096,
    // mbedTLS 2.28.3 refuses to fetch a record larger than its buffer (BAD_INPUT_DATA, "requesting
    // more data than fits"). BearSSL with a small buffer asks for max_fragment_length.
    expect: { 'mbedtls-2.28': '-0x7100', 'mbedtls-3.6': '-0x7100', bearssl: true },
  },
  {
    title: 'the same chain with the default 16 KB buffer',
    broker: 'bigchain',
    stacks: all,
    expect: { 'mbedtls-2.28': true, 'mbedtls-3.6': true, bearssl: true },
  },
  {
    title: 'a TLS 1.3-only broker',
    broker: 'tls13',
    stacks: all,
    // Protocol_version alert (70) for the TLS 1.2 stacks; mbedTLS 3.6's default build has TLS 1.3.
    expect: { 'mbedtls-2.28': '-0x7780', 'mbedtls-3.6': true, bearssl: 326 },
  },
  {
    title: 'a broker that picks its certificate by SNI, no SNI sent',
    broker: 'sni',
    // ssl_client2 sends SNI whenever it verifies a name, so only brssl can leave SNI out.
    stacks: ['bearssl'],
    sni: false,
    expect: { bearssl: 296 },
  },
  {
    title: 'the same broker with SNI',
    broker: 'sni',
    stacks: all,
    expect: { 'mbedtls-2.28': true, 'mbedtls-3.6': true, bearssl: true },
  },
];

describe('board TLS libraries, native oracle vs the wasm probe, against real mosquitto', function () {
  this.timeout(20 * 60_000);
  let pki: TestPki;
  const brokers: Record<string, RunningBroker> = {};
  let sniFront: Server | undefined;
  let sniPort = 0;
  const sniSockets: Socket[] = [];
  const oracle = new Map<string, OracleResult>();

  const tls = (cert: string, extra = '') =>
    `certfile ${pki.file(`${cert}.pem`)}\nkeyfile ${pki.file(`${cert}.key`)}\ncafile ${pki.file('ca.pem')}\n${extra}`;
  const port = (broker: string) => (broker === 'sni' ? sniPort : brokers[broker]!.port);

  before(async () => {
    requireTool('mosquitto', 'apt-get install mosquitto');
    requireTool('openssl');
    requireTool('faketime', 'apt-get install faketime');
    pki = createTestPki();
    // A leaf whose DER passes 4 KB: 300 subject alternative names, as some cloud brokers carry.
    const names = Array.from({ length: 300 }, (_, i) => `DNS:broker-${i}.region.example.com`).join(',');
    const caKey = pki.file('ca.key');
    new OpenSslPki(pki.dir).issue(
      'server-big',
      '/CN=localhost',
      { cert: pki.file('ca.pem'), key: caKey },
      {
        ext: ['basicConstraints=CA:FALSE', `subjectAltName=DNS:localhost,IP:127.0.0.1,${names}`],
        days: 825,
      },
    );
    const defs: [string, string][] = [
      ['mtls', tls('server', 'require_certificate true')],
      ['open', tls('server')],
      ['wrongname', tls('server-wrongname')],
      ['expired', tls('server-expired')],
      ['bigchain', tls('server-big')],
      ['tls13', tls('server', 'tls_version tlsv1.3')],
      ['plain', ''],
    ];
    for (const [name, listener] of defs) brokers[name] = await startMosquitto(pki.dir, name, listener);
    // A TLS front that has a certificate only for a client that names "localhost" in SNI (as
    // brokers behind SNI-routing load balancers do), in front of the plain mosquitto listener:
    // without SNI there is no certificate to offer and OpenSSL answers handshake_failure.
    const ctx = (c: string) => ({
      cert: readFileSync(pki.file(`${c}.pem`)),
      key: readFileSync(pki.file(`${c}.key`)),
    });
    const right = createSecureContext(ctx('server'));
    sniFront = createServer(
      { SNICallback: (n, cb) => cb(null, n === 'localhost' ? right : undefined) },
      (s) => {
        const back = connect(brokers['plain']!.port, '127.0.0.1');
        sniSockets.push(s, back);
        s.pipe(back).pipe(s);
        s.on('error', () => back.destroy());
        back.on('error', () => s.destroy());
      },
    );
    await new Promise<void>((r) => sniFront!.listen(0, '127.0.0.1', r));
    const a = sniFront.address();
    sniPort = typeof a === 'object' && a ? a.port : 0;
  });

  after(async () => {
    for (const b of Object.values(brokers)) await b.stop();
    for (const s of sniSockets) s.destroy();
    await new Promise<void>((r) => (sniFront ? sniFront.close(() => r()) : r()));
    pki?.remove();
  });

  const optionsOf = (c: Case, stack: OracleStack): OracleOptions => ({
    stack,
    host: 'localhost',
    port: port(c.broker),
    ca: pki.file(c.ca ?? 'ca.pem'),
    ...(c.device ? { cert: pki.file('device.pem'), key: pki.file('device.key') } : {}),
    ...(c.sni === false ? { sni: false } : {}),
    ...(c.boardTime ? { boardTime: c.boardTime } : {}),
    ...(c.inContentLen ? { inContentLen: c.inContentLen } : {}),
  });

  for (const c of cases) {
    for (const stack of c.stacks) {
      const key = `${c.title} / ${stack}`;
      it(`oracle: ${key}`, async () => {
        const r = await runNativeOracle(optionsOf(c, stack));
        oracle.set(key, r);
        const want = c.expect[stack];
        const said = `the oracle printed:\n${r.output.slice(-1500)}`;
        if (want === true) assert.equal(r.ok, true, said);
        else {
          assert.equal(r.ok, false, said);
          assert.ok(
            Array.isArray(want) ? want.includes(r.code!) : r.code === want,
            `${String(r.code)}; ${said}`,
          );
          assert.ok(r.name, `the catalog names ${String(r.code)}`);
        }
        if (c.flags && stack !== 'bearssl')
          for (const f of c.flags) assert.ok(r.verifyFlags?.includes(f), `${f}; ${said}`);
      });

      it(`wasm agrees: ${key}`, async () => {
        requireBuiltCli();
        const native = oracle.get(key) ?? (await runNativeOracle(optionsOf(c, stack)));
        const args = [
          'probe',
          '--host',
          'localhost',
          '--port',
          String(port(c.broker)),
          '--json',
          '--timeout',
          '10',
          '--stack',
          stack,
          '--ca',
          pki.file(c.ca ?? 'ca.pem'),
          ...(c.device ? ['--cert', pki.file('device.pem'), '--key', pki.file('device.key')] : []),
          ...(c.boardTime ? ['--board-time', c.boardTime] : []),
          ...(c.inContentLen ? ['--stack-option', `in-content-len=${c.inContentLen}`] : []),
          ...(c.sni === false ? ['--stack-option', 'sni=off'] : []),
        ];
        const r = await probeCli(args);
        let json: { ok?: boolean; stage?: string; libraryError?: { code?: string | number } };
        try {
          json = JSON.parse(r.stdout) as typeof json;
        } catch {
          assert.fail(`etls ${args.join(' ')} gave no JSON (exit ${String(r.status)}): ${r.stderr}`);
        }
        if (native.ok) {
          // The handshake passed natively: the wasm probe must get past TLS too.
          assert.notEqual(json.stage, 'tls', `wasm failed at TLS where ${stack} passed: ${r.stdout}`);
          assert.equal(json.libraryError, undefined, r.stdout);
        } else {
          // Where the library's answer depends on which of the broker's alert and close arrives
          // first, the case lists the codes of both orders: native and wasm may each see either.
          const race = c.expect[stack];
          const got = json.libraryError?.code;
          if (
            Array.isArray(race) &&
            got !== undefined &&
            race.includes(native.code ?? '') &&
            race.includes(got)
          )
            return;
          assert.equal(got, native.code, `wasm vs native ${stack}: ${r.stdout}`);
        }
      });
    }
  }
});
