// `etls push --protocol folder --to DIR LOCAL:REMOTE...`: onto a drive the board reads, verified; no port.
import { resolve } from 'node:path';
import { EtlsError } from '../../core/errors';
import { nodeFileSystem } from '../../core/node/fileSystem';
import { formatBytes, pushToFolder, type PushSource } from '../../core/push';
import { hasFlag, optionValue, type CliIo, type ParsedArgs } from '../command';

const FOLDER_NAMES = ['8.3', 'long'] as const;

/** `etls push --protocol folder --to DIR LOCAL:REMOTE...`: no port, no line rate. */
export async function pushFolder(
  p: ParsedArgs,
  io: CliIo,
  pairs: { local: string; remote: string }[],
): Promise<number> {
  const to = optionValue(p, 'to');
  if (!to)
    throw new EtlsError(
      'invalid-argument',
      '--to DIR is required with --protocol folder',
      'Name the mounted drive, e.g. --to /media/SDCARD',
    );
  const names = optionValue(p, 'names');
  if (names !== undefined && !(FOLDER_NAMES as readonly string[]).includes(names))
    throw new EtlsError('invalid-argument', '--names is 8.3 or long');
  if (pairs.length === 0)
    throw new EtlsError(
      'invalid-argument',
      'name at least one LOCAL:REMOTE pair',
      'e.g. certs/ca.pem:CA.PEM',
    );
  const json = hasFlag(p, 'json');
  const sources: PushSource[] = [];
  for (const pair of pairs)
    sources.push({ ...pair, data: await nodeFileSystem.readFile(resolve(io.cwd, pair.local)) });
  try {
    const report = await pushToFolder(sources, {
      fs: nodeFileSystem,
      to: resolve(io.cwd, to),
      ...(names ? { names: names as (typeof FOLDER_NAMES)[number] } : {}),
      force: hasFlag(p, 'force'),
      logger: {
        info: (m) => !json && io.err(`${m}\n`),
        warn: (m) => !json && io.err(`warning: ${m}\n`),
        debug: () => {},
      },
    });
    if (json) io.out(JSON.stringify({ ok: true, ...report }, null, 2) + '\n');
    else {
      for (const f of report.files)
        io.out(`ok  ${f.local} → ${f.remote}  ${formatBytes(f.bytes)}  (${f.verifiedBy})\n`);
      io.out(`pushed ${report.files.length} file(s) to ${to}\n`);
    }
    return 0;
  } catch (e) {
    const err = e instanceof EtlsError ? e : new EtlsError('io', 'The push failed unexpectedly');
    if (json)
      io.out(
        JSON.stringify({ ok: false, code: err.code, message: err.message, fix: err.fix ?? null }) + '\n',
      );
    io.err(`etls push: ${err.describe()}\n`);
    return err.code === 'invalid-argument' ? 2 : 1;
  }
}
