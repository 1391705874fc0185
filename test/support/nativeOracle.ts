// The board libraries built natively (scripts/native-oracles.mjs), run as their own clients against a
// broker: mbedTLS's ssl_client2 and BearSSL's brssl. What they print is parsed into the library's
// error code and name from the explain catalog, so the wasm engines can be held to the same answer.
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { displayCode, entriesFor } from '../../src/core/explain/catalog';
import { REPO, requireTool } from './realParts';

export type OracleStack = 'mbedtls-2.28' | 'mbedtls-3.6' | 'bearssl';

export interface OracleOptions {
  stack: OracleStack;
  host: string;
  port: number;
  ca: string;
  cert?: string;
  key?: string;
  /** The name to verify the broker against and to send as SNI (default: host). */
  servername?: string;
  /** false: no SNI. BearSSL only: ssl_client2 ties SNI to the verification name. */
  sni?: boolean;
  /** The board's clock, ISO 8601 (libfaketime). */
  boardTime?: string;
  /** Record plaintext sizes: a build per pair for mbedTLS (compile-time), -buf for BearSSL. */
  inContentLen?: number;
  outContentLen?: number;
  tlsMin?: '1.0' | '1.1' | '1.2' | '1.3';
  tlsMax?: '1.0' | '1.1' | '1.2' | '1.3';
  /** Bytes sent after the handshake (brssl reads them from stdin), e.g. an MQTT CONNECT. */
  send?: Buffer;
  timeoutMs?: number;
}

export interface OracleResult {
  /** The handshake completed. */
  ok: boolean;
  library: 'mbedtls' | 'bearssl';
  /** As the board prints it: "-0x2700", 62. */
  code?: string | number;
  name?: string;
  /** mbedTLS verify flags by name, from ssl_client2's verify callback lines. */
  verifyFlags?: string[];
  /** What the client printed (stdout and stderr). */
  output: string;
  /** Wall time of the client process. */
  ms: number;
  /** brssl: what the broker sent back as application data (stdout bytes). */
  received?: Buffer;
}

/** Builds (once, cached) the client for a library and buffer pair; returns its path. */
export function oracleBinary(stack: OracleStack, inLen = 16384, outLen = 16384): string {
  requireTool('gcc', 'apt-get install gcc make');
  requireTool('make');
  const out = execFileSync(
    process.execPath,
    [
      join(REPO, 'scripts/native-oracles.mjs'),
      '--json',
      stack,
      '--in',
      String(inLen),
      '--out',
      String(outLen),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 15 * 60_000 },
  );
  const bin = (JSON.parse(out) as Record<string, string>)[stack];
  if (!bin) throw new Error(`native-oracles.mjs built no ${stack}`);
  return bin;
}

// x509_crt.c's X509_CRT_ERROR_INFO table (identical in 2.28 and 3.6): the text
// mbedtls_x509_crt_verify_info prints for each flag.
const verifyTexts: [RegExp, string][] = [
  [/validity has expired/, 'MBEDTLS_X509_BADCERT_EXPIRED'],
  [/has been revoked/, 'MBEDTLS_X509_BADCERT_REVOKED'],
  [/Common Name \(CN\) does not match/, 'MBEDTLS_X509_BADCERT_CN_MISMATCH'],
  [/certificate is not correctly signed by the trusted CA/, 'MBEDTLS_X509_BADCERT_NOT_TRUSTED'],
  [/CRL is not correctly signed/, 'MBEDTLS_X509_BADCRL_NOT_TRUSTED'],
  [/CRL is expired/, 'MBEDTLS_X509_BADCRL_EXPIRED'],
  [/Certificate was missing/, 'MBEDTLS_X509_BADCERT_MISSING'],
  [/verification was skipped/, 'MBEDTLS_X509_BADCERT_SKIP_VERIFY'],
  [/Other reason/, 'MBEDTLS_X509_BADCERT_OTHER'],
  [/certificate validity starts in the future/, 'MBEDTLS_X509_BADCERT_FUTURE'],
  [/CRL is from the future/, 'MBEDTLS_X509_BADCRL_FUTURE'],
  [/Usage does not match the keyUsage/, 'MBEDTLS_X509_BADCERT_KEY_USAGE'],
  [/Usage does not match the extendedKeyUsage/, 'MBEDTLS_X509_BADCERT_EXT_KEY_USAGE'],
  [/Usage does not match the nsCertType/, 'MBEDTLS_X509_BADCERT_NS_CERT_TYPE'],
  [/certificate is signed with an unacceptable hash/, 'MBEDTLS_X509_BADCERT_BAD_MD'],
  [/certificate is signed with an unacceptable PK alg/, 'MBEDTLS_X509_BADCERT_BAD_PK'],
  [/certificate is signed with an unacceptable key/, 'MBEDTLS_X509_BADCERT_BAD_KEY'],
];

const name = (library: 'mbedtls' | 'bearssl', code: number) => entriesFor(library, code)[0]?.name;

/** ssl_client2's output: " failed\n  ! mbedtls_ssl_handshake returned -0x2700" and "  ! <flag text>" lines. */
export function parseSslClient2(output: string): Omit<OracleResult, 'output' | 'ms' | 'library'> {
  // A TLS 1.3 broker's alert about the client certificate comes after the client's Finished, on the
  // first read. A close after ssl_client2's HTTP request (which is no MQTT) is not the library's answer.
  const m =
    /mbedtls_ssl_handshake returned -0x([0-9a-f]+)/i.exec(output) ??
    /mbedtls_ssl_read returned -0x(?!7880\b|7280\b|50\b)([0-9a-f]+)/i.exec(output);
  const flags = [
    ...new Set(
      output
        .split('\n')
        .filter((l) => l.startsWith('  ! '))
        .flatMap((l) => verifyTexts.filter(([re]) => re.test(l)).map(([, n]) => n)),
    ),
  ];
  if (!m) return { ok: /\[ Protocol is TLS/.test(output) };
  const code = -parseInt(m[1]!, 16);
  return {
    ok: false,
    code: displayCode({ library: 'mbedtls', code }),
    ...(name('mbedtls', code) ? { name: name('mbedtls', code) } : {}),
    ...(flags.length ? { verifyFlags: flags } : {}),
  };
}

/** brssl's output: "ERROR: SSL error 62 (BR_ERR_X509_NOT_TRUSTED)" or "... 296 (received alert 40)". */
export function parseBrssl(output: string): Omit<OracleResult, 'output' | 'ms' | 'library'> {
  const m = /ERROR: SSL error (\d+)/.exec(output);
  // brssl reports a socket error itself, or "socket closed..." when the broker closed before its
  // alert was read; the engine on a board fails with BR_ERR_IO (31) on such a premature close.
  const premature =
    /ERROR: (read|write|recv|send)\(\)/.test(output) ||
    (/socket closed/.test(output) && !/Handshake completed/.test(output));
  if (!m && premature) return { ok: false, code: 31, name: 'BR_ERR_IO' };
  if (!m) return { ok: /Handshake completed/.test(output) };
  const code = Number(m[1]);
  // 256 + alert: an alert received from the broker; 512 + alert: one sent (bearssl_ssl.h).
  const base = code >= 512 ? 512 : code >= 256 ? 256 : code;
  const own = /ERROR: SSL error \d+ \((BR_ERR_\w+)\)/.exec(output)?.[1] ?? name('bearssl', base);
  return { ok: false, code, ...(own ? { name: own } : {}) };
}

const faketimeStamp = (iso: string) =>
  new Date(iso)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '');

/** Runs the library's own client once against host:port. */
export async function runNativeOracle(o: OracleOptions): Promise<OracleResult> {
  const mbed = o.stack !== 'bearssl';
  const bin = mbed ? oracleBinary(o.stack, o.inContentLen, o.outContentLen) : oracleBinary('bearssl');
  const servername = o.servername ?? o.host;
  const args = mbed
    ? [
        `server_addr=${o.host}`,
        `server_port=${o.port}`,
        `server_name=${servername}`,
        `ca_file=${o.ca}`,
        ...(o.cert && o.key
          ? [`crt_file=${o.cert}`, `key_file=${o.key}`]
          : ['crt_file=none', 'key_file=none']),
        'auth_mode=required',
        'debug_level=1',
        ...(o.tlsMin ? [`min_version=${mbedVersion(o.tlsMin)}`] : []),
        ...(o.tlsMax ? [`max_version=${mbedVersion(o.tlsMax)}`] : []),
      ]
    : [
        'client',
        `${o.host}:${o.port}`,
        '-CA',
        o.ca,
        ...(o.cert && o.key ? ['-cert', o.cert, '-key', o.key] : []),
        ...(o.sni === false ? ['-nosni'] : ['-sni', servername]),
        // BR_SSL_BUFSIZE_INPUT is 16384 + 325 for a 16384-byte record: the same margin for smaller ones.
        ...(o.inContentLen ? ['-mono', '-buf', String(o.inContentLen + 325)] : []),
        ...(o.tlsMin ? ['-vmin', `tls${o.tlsMin.replace('.', '')}`] : []),
        ...(o.tlsMax ? ['-vmax', `tls${o.tlsMax.replace('.', '')}`] : []),
      ];
  const [cmd, argv] = o.boardTime
    ? (requireTool('faketime', 'apt-get install faketime'),
      ['faketime', [faketimeStamp(o.boardTime), bin, ...args]])
    : [bin, args];
  const started = process.hrtime.bigint();
  const { output, stdout } = await spawnCollect(
    cmd as string,
    argv as string[],
    o.send,
    o.timeoutMs ?? 20_000,
  );
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const parsed = mbed ? parseSslClient2(output) : parseBrssl(output);
  return {
    ...parsed,
    library: mbed ? 'mbedtls' : 'bearssl',
    output,
    ms,
    ...(mbed ? {} : { received: stdout }),
  };
}

function mbedVersion(v: string): string {
  return v === '1.0' ? 'tls1' : v === '1.1' ? 'tls1_1' : v === '1.2' ? 'tls12' : 'tls13';
}

function spawnCollect(
  cmd: string,
  args: string[],
  send: Buffer | undefined,
  timeoutMs: number,
  closeInput = false,
): Promise<{ output: string; stdout: Buffer }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC' } });
    const out: Buffer[] = [];
    let output = '';
    // brssl sends its stdin as application data and closes the session when stdin ends, so stdin
    // stays open until the handshake is over (and, with `send`, until the broker answered a little).
    let ended = false;
    const endInput = (afterMs: number) => {
      if (ended) return;
      ended = true;
      setTimeout(() => child.stdin.end(), afterMs);
    };
    const watch = () => {
      if (/Handshake completed|ERROR:/.test(output)) {
        if (send && /Handshake completed/.test(output) && !ended) child.stdin.write(send);
        endInput(send ? 1000 : 0);
      }
    };
    child.stdout.on('data', (d: Buffer) => {
      out.push(d);
      output += d.toString('latin1');
      watch();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
      watch();
    });
    child.stdin.on('error', () => undefined);
    if (closeInput) endInput(0);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ output, stdout: Buffer.concat(out) });
    });
  });
}
