// The FileSystemPort on Node's fs, used by the CLI and by the extension host (which runs on Node).
import { promises as fsp, constants, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { EtlsError } from '../errors';
import type { FileSystemPort } from '../ports';

function describeIoError(e: unknown, path: string): EtlsError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new EtlsError('not-found', `${path}: no such file`);
  if (code === 'EACCES' || code === 'EPERM')
    return new EtlsError('io', `${path}: permission denied`, 'Check the file owner and mode (ls -l).');
  if (code === 'EISDIR') return new EtlsError('io', `${path} is a folder, not a file`);
  return new EtlsError('io', `${path}: cannot be accessed (${code ?? 'I/O error'})`);
}

export const nodeFileSystem: FileSystemPort = {
  async readFile(path) {
    try {
      return new Uint8Array(await fsp.readFile(path));
    } catch (e) {
      throw describeIoError(e, path);
    }
  },
  async writeFileAtomic(path, data, options) {
    const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await fsp.writeFile(tmp, data, { mode: options?.mode ?? 0o644, flag: 'wx' });
      if (options?.mode !== undefined) await fsp.chmod(tmp, options.mode);
      await fsp.rename(tmp, path);
    } catch (e) {
      await fsp.rm(tmp, { force: true }).catch(() => {});
      throw describeIoError(e, path);
    }
  },
  async ensureDir(path) {
    try {
      await fsp.mkdir(path, { recursive: true });
    } catch (e) {
      throw describeIoError(e, path);
    }
  },
  async stat(path) {
    try {
      const s = await fsp.stat(path);
      return { size: s.size, mtimeMs: s.mtimeMs, isFile: s.isFile(), mode: s.mode & 0o777 };
    } catch {
      return undefined;
    }
  },
};

/** True when the path exists and the current user may read it. */
export async function isReadable(path: string): Promise<boolean> {
  try {
    await fsp.access(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** Synchronous read with the same error sentences, for batch CLI work over many small files. */
export function readFileNow(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw describeIoError(e, path);
  }
}
