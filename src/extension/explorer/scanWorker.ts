// The worker thread that reads and decodes workspace files for the extension host (see scanPool.ts).
// It answers each batch file by file, in order, so the host knows which file a stuck worker was on.
import { basename } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { scanFile } from '../../core/check/scan';
import { readObjects } from '../../core/x509';
import type { ReadResult } from '../../core/x509/types';
import {
  MAX_OBJECTS_PER_FILE,
  type BatchMessage,
  type JobResult,
  type ResultMessage,
  type ScanJob,
  type WorkerMessage,
} from './scanPool';
import { scanPath } from './scanFiles';

/**
 * Linking, checking and drawing run on the editor's thread, at about a millisecond per object: a file
 * of ten thousand PEM blocks would block it for seconds. The first MAX_OBJECTS_PER_FILE are kept.
 */
function capped<T extends ReadResult>(name: string, r: T): T {
  if (r.objects.length <= MAX_OBJECTS_PER_FILE) return r;
  return {
    ...r,
    objects: r.objects.slice(0, MAX_OBJECTS_PER_FILE),
    problems: [
      ...r.problems,
      {
        index: MAX_OBJECTS_PER_FILE,
        code: 'too-large',
        message: `${name} holds ${r.objects.length} certificates and keys; only the first ${MAX_OBJECTS_PER_FILE} are shown and checked`,
        fix: 'Split the bundle, or run etls inspect on it to see every object.',
      },
    ],
  };
}

function runJob(job: ScanJob): JobResult {
  if (job.kind === 'read') {
    const result = readObjects(job.bytes, {
      fileName: job.fileName,
      ...(job.passphrase !== undefined ? { passphrase: job.passphrase } : {}),
    });
    return { kind: 'read', result: capped(basename(job.fileName), result) };
  }
  const scanned = job.bytes ? scanFile(job.path, job.bytes, { reader: readObjects }) : scanPath(job.path);
  return scanned ? { kind: 'scan', scanned: capped(basename(job.path), scanned) } : { kind: 'scan' };
}

parentPort?.on('message', (m: BatchMessage) => {
  m.jobs.forEach((job, index) => {
    let reply: ResultMessage;
    try {
      reply = { batch: m.batch, index, result: runJob(job) };
    } catch (e) {
      // The core turns bad input into problems; this is a defect, said in one line without a stack.
      reply = { batch: m.batch, index, error: e instanceof Error ? e.message : String(e) };
    }
    parentPort!.postMessage(reply);
  });
});

parentPort?.postMessage({ ready: true } satisfies WorkerMessage);
