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
    try {
      const size = statSync(p).size;
      files.set(
        p,
        size > DEFAULT_MAX_BYTES ? tooLarge(p, size) : scanFile(p, readFileSync(p), { reader: readObjects }),
      );
    } catch {
      // Gone since discovery, or unreadable: the watcher brings it back when it changes.
    }
    if (i % CHUNK === CHUNK - 1) await new Promise((r) => setImmediate(r));
  }
  return files;
}

function tooLarge(path: string, size: number): ScannedFile {
  return unreadable(path, size, {
    code: 'too-large',
    message: `${basename(path)} is ${Math.round(size / 1048576)} MiB, more than a certificate or key file holds; it was not read`,
    fix: 'Exclude it with the setting embeddedTls.explorer.exclude.',
  });
}
