// `etls`: the command-line host of the core, for firmware builds and CI. Runs on Node.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isEtlsError } from '../core/errors';
import type { CliCommand, CliIo } from './command';
import { commands } from './commands';

/** Set by the build (esbuild `define`) from package.json; absent when run from the sources. */
declare const ETLS_PACKAGE_VERSION: string | undefined;

/** The package version: built in, else read from the package.json beside the sources (tests, tsx). */
export function packageVersion(): string {
  if (typeof ETLS_PACKAGE_VERSION === 'string') return ETLS_PACKAGE_VERSION;
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'dev';
  } catch {
    return 'dev';
  }
}

/** `--help` or `-h` before any `--`: every command answers it with its usage. */
function asksForHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    const which = name === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
    if (which) io.out((await which.load()).usage + '\n');
    else {
      io.out('etls: certificates, keys and headers for MQTT over TLS on small boards\n\nCommands:\n');
      for (const c of commands) io.out(`  ${c.name.padEnd(10)} ${c.summary}\n`);
      io.out('\nRun `etls help COMMAND` for its options.\n');
    }
    return 0;
  }
  if (name === '--version' || name === 'version') {
    io.out(`${packageVersion()}\n`);
    return 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.err(`etls: unknown command "${name}". Run \`etls help\` for the list.\n`);
    return 2;
  }
  let command: CliCommand;
  try {
    command = await entry.load();
  } catch (e) {
    io.err(`etls ${name}: cannot start: ${describeLoadFailure(e)}\n`);
    return 70;
  }
  if (asksForHelp(rest)) {
    io.out(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (isEtlsError(e)) {
      io.err(`etls ${name}: ${e.describe()}\n`);
      if (e.code === 'invalid-argument') io.err(`\n${command.usage}\n`);
      return 2;
    }
    // A bug, not bad input: say so in one line; the stack only with ETLS_DEBUG.
    io.err(`etls ${name}: internal error: ${(e as Error)?.message ?? String(e)}\n`);
    if (io.env['ETLS_DEBUG']) io.err(`${(e as Error)?.stack}\n`);
    return 70;
  }
}

/** Why a command's module did not load: usually a native module built for another machine. */
function describeLoadFailure(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (/No native build was found|\.node\b|invalid ELF header|NODE_MODULE_VERSION/.test(message))
    return `its native serial-port module does not load on ${process.platform}-${process.arch} with Node ${process.versions.node}. Reinstall etls on this machine (npm ci), or use the build made for it`;
  return message.split('\n')[0] ?? message;
}

/**
 * Output piped into `head` closes early: end quietly (EPIPE is the reader's choice, not a failure
 * to explain), instead of Node's unhandled 'error' event and its stack trace.
 */
function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw e;
  });
}

/** Runs `etls` as a process: argv after the script name, exit status through process.exitCode. */
export function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  endQuietlyOnClosedPipe(process.stdout);
  endQuietlyOnClosedPipe(process.stderr);
  const io: CliIo = {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
  };
  return runCli(argv, io).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`etls: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 70;
    },
  );
}

// `node dist/cliMain.js` and `tsx src/cli/main.ts` run the CLI too; dist/cli.js (bin.ts) calls main().
if (require.main === module) void main();
