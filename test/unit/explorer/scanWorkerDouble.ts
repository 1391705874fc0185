// A stand-in for scanWorker.ts that speaks the same protocol and misbehaves on request, so the pool's
// budget, respawn and cancellation are tested without depending on how slow the core is on some input.
// The path of a job says what to do: `ok:*` answers, `spin:*` never returns, `exit:*` ends the thread,
// `throw:*` reports an error, `oom:*` allocates until the heap limit ends the worker, `slow:MS:*` busy-waits.
import { threadId, parentPort } from 'node:worker_threads';
import type { BatchMessage, ResultMessage } from '../../../src/extension/explorer/scanPool';

function answer(path: string): ResultMessage['result'] {
  const [what, arg] = path.split(':');
  if (what === 'spin') for (;;);
  if (what === 'exit') process.exit(3);
  if (what === 'throw') throw new Error(`refused ${path}`);
  if (what === 'oom') {
    const hog: number[][] = [];
    for (;;) hog.push(new Array<number>(1_000_000).fill(threadId));
  }
  if (what === 'slow') {
    const end = Date.now() + Number(arg);
    while (Date.now() < end);
  }
  return {
    kind: 'scan',
    scanned: { path, size: threadId, encoding: 'unknown', endsWithNul: false, objects: [], problems: [] },
  };
}

parentPort!.on('message', (m: BatchMessage) => {
  m.jobs.forEach((job, index) => {
    const path = job.kind === 'scan' ? job.path : job.fileName;
    let reply: ResultMessage;
    try {
      reply = { batch: m.batch, index, result: answer(path) };
    } catch (e) {
      reply = { batch: m.batch, index, error: (e as Error).message };
    }
    parentPort!.postMessage(reply);
  });
});
parentPort!.postMessage({ ready: true });
