// Reading a user's file, bounded: devices, FIFOs and files over the cap are refused before a byte is
// read. Every read of a user's file, in the core and both hosts, goes through here.
import { closeSync, constants, fstatSync, openSync, promises as fsp, readSync, type Stats } from 'node:fs';
import { EtlsError } from '../errors';

/** Node's I/O errors as sentences that name the path. */
export function describeIoError(e: unknown, path: string): EtlsError {
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
