// `etls probe`: connect to a broker over TLS and MQTT, stage by stage, and explain any failure.
import { resolve } from 'node:path';
import { EtlsError } from '../../core/errors';
import { isTargetId, targetIds, type TargetId } from '../../core/targets/ids';
import type { ConnectionSettings, ProbeResult } from '../../core/mqtt/types';
import { isStackId, stackForTarget, stackIds, targetStackOptions } from '../../core/stacks/ids';
import { checkStackOptions, parseStackOptions } from '../../core/stacks/options';
import { hasFlag, optionValue, parseArgs, secretFromEnv, type CliCommand } from '../command';

const usage = `etls probe --host H --port P [--ca F] [--cert F] [--key F] [--passphrase-env VAR]
           [--servername S] [--alpn X] [--mqtt-version 3|5] [--client-id ID] [--username U]
           [--password-env VAR] [--target T] [--min-tls V] [--max-tls V] [--timeout SECONDS]
           [--no-round-trip] [--insecure] [--json]
           [--stack mbedtls-2.28|mbedtls-3.6|bearssl|node] [--board-time ISO] [--stack-option KEY=VALUE]...

Connects DNS -> TCP -> TLS -> MQTT, then publishes and receives one message on a private topic.
On failure prints one stable code, what happened and the fix. Exit status 0 only when the code is "ok".
  --target T        offer only the cipher suites and TLS versions of board T (${targetIds.join(', ')})
  --alpn X          ALPN protocol (comma-separated for several); AWS IoT on port 443: x-amzn-mqtt-ca
  --stack S         run TLS with the board's own library compiled to WebAssembly (mbedtls-2.28,
                    mbedtls-3.6, bearssl) or Node's OpenSSL (node); default: the --target's library,
                    else node
  --board-time ISO  the clock the board believes (board stacks), e.g. 1970-01-01T00:00:00Z; default now
  --stack-option K=V  a board stack configuration value, e.g. in-content-len=4096 (repeatable)
  --insecure        do not verify the broker's certificate (diagnosis only)
  --json            print { ok, stage, code, message, fix, details } (+ stack, libraryError with a
                    board stack)`;

const tlsVersions = ['TLSv1.2', 'TLSv1.3'] as const;

function tlsVersion(v: string | undefined, option: string) {
  if (v === undefined) return undefined;
  const found = tlsVersions.find((t) => t.toLowerCase() === v.toLowerCase() || t.slice(4) === v);
  if (!found) throw new EtlsError('invalid-argument', `--${option} must be 1.2 or 1.3`);
  return found;
}

export const probeCommand: CliCommand = {
  name: 'probe',
  summary: 'test an MQTT-over-TLS connection and explain why it fails',
  usage,
  async run(args, io) {
    const p = parseArgs(args, {
      flags: ['json', 'insecure', 'no-round-trip'],
      options: [
        'host',
        'port',
        'ca',
        'cert',
        'key',
        'passphrase-env',
        'servername',
        'alpn',
        'mqtt-version',
        'client-id',
        'username',
        'password-env',
        'target',
        'min-tls',
        'max-tls',
        'timeout',
        'stack',
        'board-time',
        'stack-option',
      ],
    });
    const host = optionValue(p, 'host');
    if (!host) throw new EtlsError('invalid-argument', '--host is required');
    const port = Number(optionValue(p, 'port') ?? '8883');
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new EtlsError('invalid-argument', '--port must be 1-65535');
    const version = optionValue(p, 'mqtt-version') ?? '3';
    if (!['3', '3.1.1', '5'].includes(version))
      throw new EtlsError('invalid-argument', '--mqtt-version must be 3 (3.1.1) or 5');
    const target = optionValue(p, 'target');
    if (target !== undefined && !isTargetId(target))
      throw new EtlsError('invalid-argument', `--target must be one of ${targetIds.join(', ')}`);
    const timeout = Number(optionValue(p, 'timeout') ?? '10');
    if (!(timeout > 0)) throw new EtlsError('invalid-argument', '--timeout must be a number of seconds');
    const stackGiven = optionValue(p, 'stack');
    if (stackGiven !== undefined && !isStackId(stackGiven))
      throw new EtlsError(
        'invalid-argument',
        `--stack must be one of ${stackIds.join(', ')}, not "${stackGiven}"`,
      );
    const stack = stackGiven ?? stackForTarget(target as TargetId | undefined);
    const boardTimeGiven = optionValue(p, 'board-time');
    const boardTimeMs = boardTimeGiven === undefined ? undefined : Date.parse(boardTimeGiven);
    if (boardTimeMs !== undefined && Number.isNaN(boardTimeMs))
      throw new EtlsError(
        'invalid-argument',
        `--board-time needs an ISO date and time, e.g. 1970-01-01T00:00:00Z, not "${boardTimeGiven}"`,
      );
    if (boardTimeMs !== undefined && stack === 'node')
      throw new EtlsError('invalid-argument', '--board-time needs a board stack (--stack mbedtls-3.6, ...)');
    const givenOptions = parseStackOptions(p.options.get('stack-option') ?? []);
    if (typeof givenOptions === 'string') throw new EtlsError('invalid-argument', givenOptions);
    // The target's firmware configuration (buffers, versions, suites, curves), then what was given.
    const stackOptions = { ...targetStackOptions(target as TargetId | undefined, stack), ...givenOptions };
    const optionProblem = await checkStackOptions(stack, stackOptions);
    if (optionProblem) throw new EtlsError('invalid-argument', optionProblem);
    const settings: ConnectionSettings = {
      host,
      port,
      mqttVersion: version === '5' ? 5 : 3,
      clientId: optionValue(p, 'client-id') ?? `etls-probe-${process.pid}`,
      username: optionValue(p, 'username'),
      password: secretFromEnv(io, p, 'password-env'),
      cleanSession: true,
      keepalive: 30,
      servername: optionValue(p, 'servername'),
      alpn: optionValue(p, 'alpn')?.split(',').filter(Boolean),
      minVersion: tlsVersion(optionValue(p, 'min-tls'), 'min-tls'),
      maxVersion: tlsVersion(optionValue(p, 'max-tls'), 'max-tls'),
      target: target as TargetId | undefined,
      rejectUnauthorized: !hasFlag(p, 'insecure'),
      timeoutMs: timeout * 1000,
      ...(stack !== 'node' ? { stack, boardTimeMs, stackOptions } : {}),
    };
    const passphrase = secretFromEnv(io, p, 'passphrase-env');
    const path = (o: string) => {
      const v = optionValue(p, o);
      return v === undefined ? undefined : resolve(io.cwd, v);
    };
    // Loaded here, not at the top, so `etls` starts without mqtt.js for every other command.
    const [{ probe }, { loadTlsMaterial }, { nodeFileSystem }] = await Promise.all([
      import('../../core/mqtt/probe'),
      import('../../core/mqtt/material'),
      import('../../core/node/fileSystem'),
    ]);
    let result: ProbeResult;
    try {
      const material = await loadTlsMaterial(
        nodeFileSystem,
        { ca: path('ca'), cert: path('cert'), key: path('key') },
        passphrase,
      );
      result = await probe(settings, material, { roundTrip: !hasFlag(p, 'no-round-trip') });
    } catch (e) {
      if (!(e instanceof EtlsError)) throw e;
      result = {
        ok: false,
        stage: 'setup',
        code: 'local-files-invalid',
        message: `${e.message}.`,
        fix: e.fix ?? 'Check the file paths.',
        details: { host, port, timings: {} },
      };
    }
    if (hasFlag(p, 'json')) io.out(JSON.stringify(result, null, 2) + '\n');
    else io.out(render(result));
    return result.ok ? 0 : 1;
  },
};

function render(r: ProbeResult): string {
  const lines: string[] = [];
  if (r.stack)
    lines.push(`stack: ${r.stack.library} ${r.stack.version} (as the board runs it, in WebAssembly)`);
  // The board's own line first, as its serial log would show it.
  if (r.libraryError)
    lines.push(
      `${r.libraryError.line}${r.libraryError.name ? ` (${r.libraryError.name})` : ''}: ${r.libraryError.text}${r.libraryError.verifyFlags?.length ? `\n  verify flags: ${r.libraryError.verifyFlags.join(', ')}` : ''}`,
    );
  lines.push(`${r.ok ? 'ok' : 'FAILED'} [${r.code}] at ${r.stage}: ${r.message}`);
  if (!r.ok) lines.push(`fix: ${r.fix}`);
  const t = r.details.tls;
  if (t) {
    lines.push(
      `tls: ${t.protocol}, ${t.cipher}${t.alpn ? `, ALPN ${t.alpn}` : ''}${t.verifiedBy ? `, verified by ${t.verifiedBy}` : ''}`,
    );
    for (const c of t.chain) lines.push(`  ${c.commonName} (expires ${c.validTo})`);
  }
  for (const f of r.details.findings ?? []) lines.push(`  ${f}`);
  return lines.join('\n') + '\n';
}
