// `etls`: the command-line host of the core, for firmware builds and CI. Runs on Node.
import { EtlsError } from '../core/errors';
import type { CliIo } from './command';
import { commands } from './commands';

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
    io.out(`${process.env['ETLS_VERSION'] ?? 'dev'}\n`);
    return 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.err(`etls: unknown command "${name}". Run \`etls help\` for the list.\n`);
    return 2;
  }
  const command = await entry.load();
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof EtlsError) {
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

if (require.main === module) {
  const io: CliIo = {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
  };
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = 70;
    },
  );
}
