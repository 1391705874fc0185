// `etls explain`: what an error code or a board's log line means, what causes it in an MQTT/TLS setup, the fix.
import { readFileSync } from 'node:fs';
import { EtlsError } from '../../core/errors';
import { explain, explainTargets, type ExplainResult } from '../../core/explain';
import type { CliCommand, CliIo } from '../command';

const usage = `etls explain CODE|LINE... [--target T] [--json]

Explains error codes as boards print them (-0x2700, 0x8008, -457, rc=-2, 62) and whole log lines:
  E (5123) esp-tls-mbedtls: mbedtls_ssl_handshake returned -0x2700
  [E][ssl_client.cpp:37] _handle_error(): [start_ssl_client():273]: (-9984) X509 - ...
  failed, rc=-2 try again in 5 seconds
  WiFiClientSecure SSL error: Error = 'Expired certificate'
  wolfSSL error = -188
  OpenSSL Error[0]: error:0A000418:SSL routines::tlsv1 alert unknown ca
Quote each line. With no argument, or with -, reads lines from standard input.
A number means different things in different libraries: the line's tag decides, else --target
(${explainTargets.join(', ')}), else all candidates are listed, most likely first.
LIBRARY:CODE names the library, e.g. mbedtls:-0x7780, bearssl:296, alert:48.

  --target T   the board or library the line came from
  --json       an array of {input, library, code, name, meaning, causes, fix, diagnose, versions}
Exit 0 when every input is recognised, 1 when one is not.`;

interface ExplainArgs {
  inputs: string[];
  target?: string;
  json: boolean;
  help: boolean;
}

/** Negative numbers are codes here, not options, so this command parses its own arguments. */
function parse(args: string[]): ExplainArgs {
  const out: ExplainArgs = { inputs: [], json: false, help: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      out.inputs.push(...args.slice(i + 1));
      break;
    }
    if (a === '--json') out.json = true;
    else if (a === '--help' || a === '-h') out.help = true;
    else if (a === '--target' || a.startsWith('--target=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
      if (!v) throw new EtlsError('invalid-argument', '--target needs a value');
      out.target = v;
    } else if (/^--[a-z]/.test(a)) throw new EtlsError('invalid-argument', `unknown option ${a}`);
    else out.inputs.push(a);
  }
  if (out.target && !explainTargets.includes(out.target.toLowerCase()))
    throw new EtlsError(
      'invalid-argument',
      `--target ${out.target}: not a known target`,
      `Use one of ${explainTargets.join(', ')}.`,
    );
  return out;
}

function readStdin(): string[] {
  try {
    return readFileSync(0, 'utf8').split(/\r?\n/);
  } catch {
    throw new EtlsError('io', 'standard input cannot be read', 'Pass the code or the line as an argument.');
  }
}

function printText(r: ExplainResult, io: CliIo): void {
  io.out(`${r.input}\n`);
  const libs = new Set(r.explanations.map((x) => x.library));
  if (r.explanations.length > 1)
    io.out(
      `  ${r.explanations.length} candidates, most likely first${libs.size > 1 ? ' (--target or the whole log line decides)' : ' (versions differ)'}:\n`,
    );
  for (const x of r.explanations) {
    io.out(`  ${x.library} ${x.code} ${x.name}${x.versions ? `  [${x.versions}]` : ''}\n`);
    io.out(`    ${x.meaning}\n`);
    if (x.note) io.out(`    ${x.note}\n`);
    if (x.kind !== 'other') for (const c of x.causes) io.out(`    - ${c}\n`);
    io.out(`    Fix: ${x.fix}\n`);
    for (const d of x.diagnose) io.out(`    Tell which: ${d}\n`);
  }
}

export const explainCommand: CliCommand = {
  name: 'explain',
  summary: 'what a board error code or log line means, its likely causes and the fix',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const p = parse(args);
    if (p.help) {
      io.out(usage + '\n');
      return 0;
    }
    const dash = p.inputs.length === 1 && p.inputs[0] === '-';
    // With nothing to read on a terminal, waiting for typed input would look like a hang.
    if (p.inputs.length === 0 && process.stdin.isTTY)
      throw new EtlsError(
        'invalid-argument',
        'nothing to explain',
        'Give a code or a log line, e.g. -0x2700.',
      );
    const fromStdin = p.inputs.length === 0 || dash;
    const inputs = (fromStdin ? readStdin() : p.inputs).map((s) => s.trim()).filter(Boolean);
    if (!inputs.length)
      throw new EtlsError(
        'invalid-argument',
        'nothing to explain',
        'Give a code or a log line, e.g. -0x2700.',
      );
    const results = inputs.map((i) => explain(i, p.target));
    const missing = results.filter((r) => !r.explanations.length);
    if (p.json) {
      const rows = results.flatMap((r) =>
        r.explanations.map((x) => ({
          input: r.input,
          library: x.library,
          code: x.code,
          name: x.name,
          meaning: x.meaning,
          causes: x.causes,
          fix: x.fix,
          diagnose: x.diagnose,
          versions: x.versions,
          ...(x.note ? { note: x.note } : {}),
        })),
      );
      io.out(JSON.stringify(rows, null, 2) + '\n');
    } else {
      for (const r of results) if (r.explanations.length) printText(r, io);
    }
    for (const r of missing)
      io.err(
        `etls explain: not recognised: ${r.input}\n  Give the code as the board printed it (e.g. -0x2700, -457, rc=-2) with --target, or the whole log line.\n`,
      );
    return missing.length ? 1 : 0;
  },
};
