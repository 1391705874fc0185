// Builds the C reference receiver (firmware/etls-receiver) with gcc into a temp folder, once per process,
// plain and with AddressSanitizer + UndefinedBehaviorSanitizer; the folder is removed when the process exits.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

export interface ReceiverBuild {
  posix: string;
  simplelink: string;
  /** The receiver core's own C unit tests. */
  tests: string;
  /** The POSIX storage backend's C tests (planted links). */
  storageTests: string;
  /** The same tests and the POSIX receiver built with -fsanitize=address,undefined (a report aborts). */
  sanitized: { tests: string; storageTests: string; posix: string };
  out: string;
}

let built: Promise<ReceiverBuild> | undefined;

export function buildReceiver(): Promise<ReceiverBuild> {
  built ??= (async () => {
    const out = mkdtempSync(join(tmpdir(), 'etls-rx-build-'));
    // Shared by every suite in this process, so it goes when the process does.
    process.once('exit', () => rmSync(out, { recursive: true, force: true }));
    const dir = resolve(__dirname, '../../../firmware/etls-receiver');
    try {
      await promisify(execFile)('make', ['-s', '-C', dir, `OUT=${out}`, 'all', 'sanitize'], {
        timeout: 120000,
      });
    } catch (e) {
      const err = e as { stderr?: string; message: string };
      throw new Error(
        `building the receiver with gcc failed (apt-get install gcc make; the sanitizers need libasan and libubsan): ${err.stderr ?? err.message}`,
      );
    }
    return {
      posix: join(out, 'etls-receiver'),
      simplelink: join(out, 'etls-receiver-simplelink'),
      tests: join(out, 'test-receiver'),
      storageTests: join(out, 'test-storage-posix'),
      sanitized: {
        tests: join(out, 'test-receiver-san'),
        storageTests: join(out, 'test-storage-posix-san'),
        posix: join(out, 'etls-receiver-san'),
      },
      out,
    };
  })();
  return built;
}
