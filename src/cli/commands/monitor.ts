// `etls monitor`: a serial monitor that passes the board's output through unchanged and explains the TLS and
// MQTT errors it prints, line by line. Reopens the port after a reset or USB re-enumeration; Ctrl-C ends it.
import type { WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { EtlsError } from '../../core/errors';
import { explainTargets } from '../../core/explain';
import { LineAnnotator, type MonitorChunk } from '../../core/explain/monitor';
import { openAppendLog } from '../../core/node/fileSystem';
import { openSerialLink } from '../../core/node/serialLink';
import type { ByteLinkPort } from '../../core/ports';
import { optionValue, parseArgs, type CliCommand, type CliIo } from '../command';

const usage = `etls monitor --port P [--baud N] [--target T] [--log FILE]

Shows what the board prints, unchanged, and after each line that names a TLS or MQTT error
(mbedtls_ssl_handshake returned -0x2700, rc=-2, -457, ...) a few lines marked "⮡ etls:" that say
what it means, the likely cause, the fix and the etls run that tells which cause it is.
The port is reopened when the board resets or its USB port comes back; Ctrl-C ends the monitor.

  --port P     the serial port (see \`etls ports\`); - reads a saved log from standard input
  --baud N     the baud rate (default 115200)
  --target T   the board or library, for numbers that differ between libraries (${explainTargets.join(', ')})
  --log FILE   also append everything shown (board output and explanations) to FILE`;

const REOPEN_MS = 300;

function writer(io: CliIo, log: WriteStream | undefined) {
  return (chunks: MonitorChunk[]) => {
    for (const c of chunks) {
      if (c.kind === 'board') {
        process.stdout.write(c.bytes);
        log?.write(c.bytes);
      } else {
        io.out(c.text);
        log?.write(c.text);
      }
    }
  };
}

async function monitorStdin(annotator: LineAnnotator, write: (c: MonitorChunk[]) => void): Promise<number> {
  for await (const chunk of process.stdin as AsyncIterable<Buffer>)
    write(annotator.feed(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
  write(annotator.end());
  return 0;
}

export const monitorCommand: CliCommand = {
  name: 'monitor',
  summary: "a serial monitor that explains the board's TLS and MQTT errors as they pass",
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    if (args.includes('--help') || args.includes('-h')) {
      io.out(usage + '\n');
      return 0;
    }
    const p = parseArgs(args, { options: ['port', 'baud', 'target', 'log'], flags: [] });
    const port = optionValue(p, 'port') ?? p.positional[0];
    if (!port)
      throw new EtlsError('invalid-argument', '--port is required', 'Run `etls ports` to see the ports.');
    const baudText = optionValue(p, 'baud') ?? '115200';
    const baud = Number(baudText);
    if (!Number.isInteger(baud) || baud < 50 || baud > 12_000_000)
      throw new EtlsError('invalid-argument', `--baud ${baudText}: not a baud rate`, 'e.g. --baud 115200');
    const target = optionValue(p, 'target');
    if (target && !explainTargets.includes(target.toLowerCase()))
      throw new EtlsError(
        'invalid-argument',
        `--target ${target}: not a known target`,
        `Use one of ${explainTargets.join(', ')}.`,
      );
    const logPath = optionValue(p, 'log');
    const log = logPath ? await openAppendLog(resolve(io.cwd, logPath)) : undefined;
    const annotator = new LineAnnotator(target);
    const write = writer(io, log);
    const closeLog = () => new Promise<void>((r) => (log ? log.end(() => r()) : r()));

    if (port === '-') {
      const code = await monitorStdin(annotator, write);
      await closeLog();
      return code;
    }

    // The first open fails loudly (wrong name, permissions); later ones wait for the board to come back.
    let link: ByteLinkPort | undefined = await openSerialLink(port, baud);
    io.err(`etls monitor: ${port} at ${baud} baud; Ctrl-C ends\n`);
    let stopped = false;
    let wake: (() => void) | undefined;
    const stop = () => {
      stopped = true;
      wake?.();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      while (!stopped) {
        const current: ByteLinkPort = link!;
        const gone = new Promise<void>((r) => {
          wake = r;
          current.onClose(() => r());
        });
        const sub = current.onData((d) => write(annotator.feed(d)));
        await gone;
        sub.dispose();
        await current.close();
        link = undefined;
        if (stopped) break;
        write(annotator.end());
        annotator.reset();
        io.err(`etls monitor: ${port} closed (reset or unplugged); waiting for it to come back…\n`);
        while (!stopped && !link) {
          await new Promise<void>((r) => {
            wake = r;
            setTimeout(r, REOPEN_MS);
          });
          if (stopped) break;
          link = await openSerialLink(port, baud).catch(() => undefined);
        }
        if (link) io.err(`etls monitor: ${port} reopened\n`);
      }
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (link) await link.close();
      write(annotator.end());
      await closeLog();
    }
    return 0;
  },
};
