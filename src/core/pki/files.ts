// Writing the PKI's files safely: refuse to replace anything unless asked, keys 0600, keys git-ignored.
import { basename, dirname, join } from 'node:path';
import { EtlsError } from '../errors';
import { ensureOutputDir, removeStaleTemps, writeGuarded } from '../files/guard';
import { TEMP_IGNORE_PATTERN } from '../files/temp';
import type { FileSystemPort } from '../ports';

export interface OutputFile {
  path: string;
  data: Uint8Array | string;
  /** Private keys: mode 0600 and listed in .gitignore. */
  secret: boolean;
  /** What it is, for the summary a user reads. */
  role: string;
}

/** Mode for private keys: readable and writable by the owner only. */
export const KEY_MODE = 0o600;
export const PUBLIC_MODE = 0o644;

/** Throws `exists` naming the files in the way, before anything is generated or written. */
export async function refuseToOverwrite(
  fs: FileSystemPort,
  paths: string[],
  force: boolean | undefined,
  fix = 'Pass --force to replace them (new keys and certificates: devices holding the old ones must be updated), or choose another folder.',
): Promise<void> {
  if (force) return;
  const existing: string[] = [];
  const found = await Promise.all(paths.map(async (p) => ((await fs.stat(p)) ? p : undefined)));
  for (const p of found) if (p) existing.push(p);
  if (existing.length === 0) return;
  const shown =
    existing
      .slice(0, 4)
      .map((p) => basename(p))
      .join(', ') + (existing.length > 4 ? `, and ${existing.length - 4} more` : '');
  throw new EtlsError(
    'exists',
    `${existing.length === 1 ? 'a file already exists' : `${existing.length} files already exist`} in ${dirname(existing[0]!)}: ${shown}. Nothing was changed`,
    fix,
  );
}

/**
 * Writes every file through a temporary file and a rename; keys get 0600 from the moment they
 * exist. Nothing already there is replaced unless `force` (the user said so): call
 * {@link refuseToOverwrite} first to name every file in the way at once. Temporary files a killed
 * run left behind (our own name pattern only) are removed first.
 */
export async function writeOutputs(fs: FileSystemPort, files: OutputFile[], force = false): Promise<void> {
  const dirs = new Set(files.map((f) => dirname(f.path)));
  for (const d of dirs) {
    await ensureOutputDir(fs, d);
    await removeStaleTemps(fs, d);
  }
  // Several at a time: each atomic write is three file-system calls on the thread pool and a PKI is
  // ~50 files; a bounded number keeps a PKI of thousands of devices under the open-file limit.
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const f = files[next++]!;
      await writeGuarded(fs, f.path, f.data, {
        replace: force ? 'anything' : 'nothing',
        secret: f.secret,
        mode: f.secret ? KEY_MODE : PUBLIC_MODE,
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, files.length) }, worker));
}

/**
 * Adds the key files' names, and the pattern of our temporary files (a write killed half way
 * leaves a whole key in one), to DIR/.gitignore (created when missing); lines already there stay.
 * Call it before writing the keys. Returns the key names it added.
 */
export async function ignoreSecrets(fs: FileSystemPort, dir: string, files: OutputFile[]): Promise<string[]> {
  const names = files.filter((f) => f.secret && dirname(f.path) === dir).map((f) => basename(f.path));
  if (names.length === 0) return [];
  const path = join(dir, '.gitignore');
  const existing = (await fs.stat(path)) ? new TextDecoder().decode(await fs.readFile(path)) : '';
  const have = new Set(existing.split(/\r?\n/).map((l) => l.trim()));
  const missing = names.filter((n) => !have.has(n) && !have.has(`/${n}`));
  const lines = [...missing, ...(have.has(TEMP_IGNORE_PATTERN) ? [] : [TEMP_IGNORE_PATTERN])];
  if (lines.length === 0) return [];
  const header = existing ? '' : '# Private keys of the development PKI: never commit them.\n';
  const sep = existing && !existing.endsWith('\n') ? '\n' : '';
  await ensureOutputDir(fs, dir);
  await writeGuarded(fs, path, existing + sep + header + lines.join('\n') + '\n', {
    replace: 'anything-but-keys',
    mode: PUBLIC_MODE,
  });
  return missing;
}
