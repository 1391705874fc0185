// The FileSystemPort on Node's fs, used by the CLI and by the extension host (which runs on Node).
// The only module that writes files: everything else goes through src/core/files (writeGuarded).
import {
  closeSync,
  constants,
  createWriteStream,
  fstatSync,
  openSync,
  promises as fsp,
  readSync,
  type Stats,
  type WriteStream,
} from 'node:fs';
import { basename, dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { randomBytes } from 'node:crypto';
import { EtlsError } from '../errors';
import { looksLikePrivateKey } from '../files/guard';
import { isOurTempName, tempNameFor } from '../files/temp';
import type { FileSystemPort } from '../ports';

function describeIoError(e: unknown, path: string): EtlsError {
  if (e instanceof EtlsError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new EtlsError('not-found', `${path}: no such file`);
  if (code === 'EACCES' || code === 'EPERM')
    return new EtlsError('io', `${path}: permission denied`, 'Check the file owner and mode (ls -l).');
  if (code === 'EISDIR') return new EtlsError('io', `${path} is a folder, not a file`);
  if (code === 'ELOOP')
    return new EtlsError('refused', `${path} is a symbolic link; nothing was written through it`);
  return new EtlsError('io', `${path}: cannot be accessed (${code ?? 'I/O error'})`);
}

/**
 * The most a user's file may hold before it is refused unread: a certificate or key file is a few KB,
 * a CA bundle a few hundred KB, a C source with arrays a few MB. Equal to the reader's DEFAULT_MAX_BYTES.
 */
export const MAX_USER_FILE_BYTES = 16 * 1024 * 1024;

/** O_NONBLOCK: opening a FIFO for reading must not wait for a writer (0 where it does not exist). */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

function megabytes(n: number): string {
  return `${(n / 1048576).toFixed(1)} MB`;
}

/** `size` from a stat is exact; a count of bytes read past `max` is only "more than". */
function tooLarge(path: string, size: number, max: number, exact = true): EtlsError {
  return new EtlsError(
    'too-large',
    `${path} is ${exact ? megabytes(size) : `more than ${megabytes(max)}`}; certificate and key files are a few KB (a CA bundle a few hundred KB), so it was not read`,
    'Check that this is the right file.',
  );
}

/** Refuses what is not a regular file, from the opened descriptor's stat (no race with a rename). */
function checkRegular(path: string, st: Stats, max: number): void {
  if (st.isDirectory()) throw new EtlsError('io', `${path} is a folder, not a file`);
  if (!st.isFile()) {
    const what = st.isCharacterDevice()
      ? 'a character device'
      : st.isBlockDevice()
        ? 'a block device'
        : st.isFIFO()
          ? 'a named pipe (FIFO)'
          : st.isSocket()
            ? 'a socket'
            : 'not a regular file';
    throw new EtlsError(
      'unsupported',
      `${path} is ${what}, not a file; only regular files are read`,
      'Name the certificate or key file itself (to read a pipe, use - and redirect it to standard input).',
    );
  }
  if (st.size > max) throw tooLarge(path, st.size, max);
}

/**
 * Reads a user's file, bounded: the opened descriptor is stat'ed first, so devices (/dev/zero),
 * FIFOs and files over `max` are refused before a byte is read, and at most max+1 bytes are ever
 * read (a file that grows while read is refused too). Every read of a user's file goes through here.
 */
export function readFileBoundedSync(path: string, max = MAX_USER_FILE_BYTES): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (e) {
    throw describeIoError(e, path);
  }
  try {
    let st: Stats;
    let buf: Buffer;
    let n = 0;
    try {
      st = fstatSync(fd);
      checkRegular(path, st, max);
      buf = Buffer.alloc(Math.min(st.size, max) + 1);
      for (let r = 1; r > 0 && n < buf.length; n += r) r = readSync(fd, buf, n, buf.length - n, null);
    } catch (e) {
      throw e instanceof EtlsError ? e : describeIoError(e, path);
    }
    if (n > max) throw tooLarge(path, n, max, false);
    return new Uint8Array(buf.buffer, buf.byteOffset, n);
  } finally {
    closeSync(fd);
  }
}

/** readFileBoundedSync without blocking the event loop. */
export async function readFileBounded(path: string, max = MAX_USER_FILE_BYTES): Promise<Uint8Array> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(path, OPEN_FLAGS);
  } catch (e) {
    throw describeIoError(e, path);
  }
  try {
    let n = 0;
    let buf: Buffer;
    try {
      const st = await handle.stat();
      checkRegular(path, st, max);
      buf = Buffer.alloc(Math.min(st.size, max) + 1);
      for (let r = 1; r > 0 && n < buf.length; n += r)
        r = (await handle.read(buf, n, buf.length - n, null)).bytesRead;
    } catch (e) {
      throw e instanceof EtlsError ? e : describeIoError(e, path);
    }
    if (n > max) throw tooLarge(path, n, max, false);
    return new Uint8Array(buf.buffer, buf.byteOffset, n);
  } finally {
    await handle.close();
  }
}

/** Reads a stream (standard input) up to `max` bytes; more is refused, not buffered. */
export async function readStreamBounded(
  stream: AsyncIterable<Buffer | string>,
  what: string,
  max = MAX_USER_FILE_BYTES,
): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of stream) {
    const b = typeof c === 'string' ? Buffer.from(c) : c;
    n += b.length;
    if (n > max) throw tooLarge(what, n, max, false);
    chunks.push(b);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

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
      } finally {
        await handle.close();
      }
      await fsp.rename(tmp, target);
      tmp = undefined;
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
