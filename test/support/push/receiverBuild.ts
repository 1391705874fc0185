// Builds the C reference receiver (firmware/etls-receiver) with gcc into a temp folder, once per process;
// the folder is removed when the process exits.
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
      await promisify(execFile)('make', ['-s', '-C', dir, `OUT=${out}`, 'all'], { timeout: 120000 });
    } catch (e) {
      const err = e as { stderr?: string; message: string };
      throw new Error(
        `building the receiver with gcc failed (apt-get install gcc make): ${err.stderr ?? err.message}`,
      );
    }
    return {
      posix: join(out, 'etls-receiver'),
      simplelink: join(out, 'etls-receiver-simplelink'),
      tests: join(out, 'test-receiver'),
      out,
    };
  })();
  return built;
}
