// Reads and scans a folder's certificate files for the first scan. Host-neutral (Node only), shared by
// the workspace scanner and bench/explorerView so the benchmark times the extension's own loop.
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { scanFile } from '../../core/check/scan';
import { unreadable } from '../../core/check/workspace';
import type { ScannedFile } from '../../core/check/types';
import { DEFAULT_MAX_BYTES, readObjects } from '../../core/x509';

/** Files read between two yields to the event loop, so the host stays responsive during a scan. */
const CHUNK = 64;

/**
 * Reads local files synchronously, a chunk at a time: a thousand small certificate files take tens of
 * milliseconds this way against hundreds with one promise round trip per file. Files that vanish or
 * cannot be read are left out; files over the reader's limit are reported, not read.
 */
export async function scanLocalFiles(paths: readonly string[]): Promise<Map<string, ScannedFile>> {
  const files = new Map<string, ScannedFile>();
  for (let i = 0; i < paths.length; i++) {
    const p = paths[i]!;
    const scanned = scanPath(p);
    if (scanned) files.set(p, scanned);
    if (i % CHUNK === CHUNK - 1) await new Promise((r) => setImmediate(r));
  }
  return files;
}

/**
 * One local file, read and scanned; undefined when it is gone, unreadable or not a regular file (a
 * FIFO named `ca.pem` would block the read forever). Files over the reader's limit are reported, not read.
 */
export function scanPath(p: string, maxBytes = DEFAULT_MAX_BYTES): ScannedFile | undefined {
  try {
    const st = statSync(p);
    if (!st.isFile()) return undefined;
    return st.size > maxBytes ? tooLarge(p, st.size) : scanFile(p, readFileSync(p), { reader: readObjects });
  } catch {
    // Gone since discovery, or unreadable: the watcher brings it back when it changes.
    return undefined;
  }
}

export function tooLarge(path: string, size: number): ScannedFile {
  return unreadable(path, size, {
    code: 'too-large',
    message: `${basename(path)} is ${Math.round(size / 1048576)} MiB, more than a certificate or key file holds; it was not read`,
    fix: 'Exclude it with the setting embeddedTls.explorer.exclude.',
  });
}

/** What the view and Problems show for a file whose reading was stopped: it took too long, or failed. */
export function notRead(
  path: string,
  size: number,
  why: 'timeout' | 'failed',
  budgetMs: number,
): ScannedFile {
  return unreadable(path, size, {
    code: why === 'timeout' ? 'timeout' : 'io',
    message:
      why === 'timeout'
        ? `${basename(path)} was not read: reading it took longer than ${budgetMs / 1000} s, so it was stopped`
        : `${basename(path)} was not read: the reader stopped on it (out of memory or an internal error)`,
    fix: `Run \`etls inspect ${basename(path)}\` to see what it holds, or exclude it with the setting embeddedTls.explorer.exclude.`,
  });
}
