// The FileSystemPort on Node's fs, used by the CLI and by the extension host (which runs on Node).
// The only module that writes files: everything else goes through src/core/files (writeGuarded).
import { constants, createWriteStream, promises as fsp, type WriteStream } from 'node:fs';
import { basename, dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { randomBytes } from 'node:crypto';
import { EtlsError } from '../errors';
import { looksLikePrivateKey } from '../files/guard';
import { describeIoError, readFileBounded, readFileBoundedSync } from './boundedRead';
import { isOurTempName, tempNameFor } from '../files/temp';
import type { FileSystemPort } from '../ports';

export { MAX_USER_FILE_BYTES, readFileBounded, readFileBoundedSync, readStreamBounded } from './boundedRead';

function inside(root: string, path: string): boolean {
  const r = relative(root, path);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

/** The real path of `path`, or of its nearest existing parent joined with the rest. */
async function realPathOf(path: string): Promise<string> {
  const missing: string[] = [];
  let at = resolve(path);
  for (;;) {
    try {
      return join(await fsp.realpath(at), ...missing.reverse());
    } catch (e) {
      const parent = dirname(at);
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || parent === at) throw e;
      missing.push(basename(at));
      at = parent;
    }
  }
}

/** Throws `refused` when links take `path` out of `within`. */
async function checkRealPathInside(path: string, within: string): Promise<void> {
  const root = await realPathOf(within);
  const real = await realPathOf(path);
  if (!inside(root, real))
    throw new EtlsError(
      'refused',
      `${path} leads to ${real} through a symbolic link, outside ${within}; nothing was written`,
      'Write to a path inside the project, or remove the link.',
    );
}

/**
 * The file a write to `path` replaces: `path` itself, or the file a link there points to when it
 * stays inside `within`. Without `within` (a folder the user named, such as a PKI's --out) a link
 * at the target is not followed: it was planted, not expected. A link that dangles is refused.
 */
async function writeTarget(path: string, within: string | undefined): Promise<string> {
  const st = await fsp.lstat(path).catch(() => undefined);
  if (!st?.isSymbolicLink()) {
    if (within) await checkRealPathInside(path, within);
    return path;
  }
  const real = await fsp.realpath(path).catch(() => undefined);
  if (!real)
    throw new EtlsError('refused', `${path} is a symbolic link to nothing; nothing was written through it`);
  if (!within)
    throw new EtlsError(
      'refused',
      `${path} is a symbolic link (to ${real}); nothing was written through it`,
      'Remove the link, or write to the file it points to.',
    );
  if (within) await checkRealPathInside(path, within);
  return real;
}

/** Flushes a folder's entries (the rename) to the device; a file system that cannot do it is left be. */
async function syncFolder(dir: string): Promise<void> {
  const h = await fsp.open(dir, constants.O_RDONLY).catch(() => undefined);
  if (!h) return;
  try {
    await h.sync();
  } catch {
    // EINVAL/EISDIR: some file systems (and Windows) have no folder fsync
  } finally {
    await h.close();
  }
}

const WRITE_FLAGS =
  constants.O_WRONLY |
  constants.O_CREAT |
  constants.O_EXCL |
  ((constants as { O_NOFOLLOW?: number }).O_NOFOLLOW ?? 0);

export const nodeFileSystem: FileSystemPort = {
  readFile: (path) => readFileBounded(path),
  async writeFileAtomic(path, data, options) {
    let tmp: string | undefined;
    try {
      const target = await writeTarget(path, options?.within);
      const mode = options?.mode ?? 0o644;
      tmp = join(dirname(target), tempNameFor(basename(target), randomBytes(6).toString('hex')));
      // Exclusive and no-follow: a file or link planted at the temporary name makes this fail
      // instead of writing through it.
      const handle = await fsp.open(tmp, WRITE_FLAGS, mode);
      try {
        await handle.writeFile(data);
        // The umask may have taken bits off; the mode asked for is the mode meant.
        await handle.chmod(mode);
        if (options?.sync) await handle.sync();
      } finally {
        await handle.close();
      }
      await fsp.rename(tmp, target);
      tmp = undefined;
      if (options?.sync) await syncFolder(dirname(target));
    } catch (e) {
      if (tmp) await fsp.rm(tmp, { force: true }).catch(() => {});
      throw describeIoError(e, path);
    }
  },
  async ensureDir(path, options) {
    try {
      if (options?.within) await checkRealPathInside(path, options.within);
      await fsp.mkdir(path, { recursive: true });
    } catch (e) {
      throw describeIoError(e, path);
    }
  },
  async removeStaleTemps(dir) {
    const names = await fsp.readdir(dir).catch(() => [] as string[]);
    const removed: string[] = [];
    for (const name of names.filter(isOurTempName)) {
      const st = await fsp.lstat(join(dir, name)).catch(() => undefined);
      if (!st?.isFile()) continue;
      await fsp.rm(join(dir, name), { force: true }).catch(() => {});
      removed.push(name);
    }
    return removed;
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

/** Synchronous read with the same error sentences and bounds, for batch CLI work over many small files. */
export function readFileNow(path: string): Uint8Array {
  return readFileBoundedSync(path);
}

/**
 * A log the user named (`etls monitor --log FILE`), opened for appending: never through a symbolic
 * link, never onto a device, a folder or a private key. Appending keeps what the file held.
 */
export async function openAppendLog(path: string): Promise<WriteStream> {
  const st = await fsp.lstat(path).catch(() => undefined);
  if (st?.isSymbolicLink())
    throw new EtlsError('refused', `${path} is a symbolic link; the log is not written through it`);
  if (st && !st.isFile())
    throw new EtlsError('refused', `${path} is not a regular file; the log was not opened`);
  if (st && looksLikePrivateKey(path, st.size > 0 ? readFileBoundedSync(path) : new Uint8Array()))
    throw new EtlsError(
      'refused',
      `${path} holds a private key; the log was not opened`,
      'Name another log file.',
    );
  const flags =
    constants.O_WRONLY |
    constants.O_APPEND |
    constants.O_CREAT |
    ((constants as { O_NOFOLLOW?: number }).O_NOFOLLOW ?? 0);
  const stream = createWriteStream(path, { flags: flags as unknown as string, mode: 0o644 });
  await new Promise<void>((ok, fail) =>
    stream.once('open', () => ok()).once('error', (e) => fail(describeIoError(e, path))),
  );
  return stream;
}
