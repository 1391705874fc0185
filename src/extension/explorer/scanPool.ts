// Runs the reading and decoding of workspace files in a worker thread (extension host), so no file can
// block the editor: each file has a time budget, a stuck worker is terminated and a new one started,
// and a caller's AbortSignal drops its queued files. Host-neutral (Node only), unit-tested in Node.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ScannedFile } from '../../core/check/types';
import type { ReadResult } from '../../core/x509/types';

/** One file to read: `scan` as the explorer does (from disk, or the editor's bytes), `read` as a hover or the viewer. */
export type ScanJob =
  | { kind: 'scan'; path: string; bytes?: Uint8Array }
  | { kind: 'read'; fileName: string; bytes: Uint8Array; passphrase?: string };

export type JobResult = { kind: 'scan'; scanned?: ScannedFile } | { kind: 'read'; result: ReadResult };

/** How a job ended. `timeout` and `failed` mean the worker was stopped on this file and replaced. */
export type Outcome =
  | { status: 'done'; value: JobResult }
  | { status: 'timeout'; budgetMs: number }
  | { status: 'failed'; message: string }
  | { status: 'cancelled' };

/** host -> worker */
export interface BatchMessage {
  batch: number;
  jobs: ScanJob[];
}
/** worker -> host: `ready` once loaded, then one result per job, in order. */
export type WorkerMessage = { ready: true } | ResultMessage;
export interface ResultMessage {
  batch: number;
  index: number;
  result?: JobResult;
  error?: string;
}

export interface ScanPoolOptions {
  /** The worker script; default: scanWorker.js beside this bundle (scanWorker.ts when run from source). */
  script?: string;
  /** Milliseconds one file may take before its worker is terminated; default 5,000. */
  budgetMs?: number;
  /** Files sent to the worker at once: fewer round trips, same per-file budget; default 16. */
  batchSize?: number;
  /** Heap cap of the worker, so a memory bomb ends the worker and not the editor; default 1,024 MB. */
  maxHeapMb?: number;
}

interface Task {
  job: ScanJob;
  signal: AbortSignal | undefined;
  settled: boolean;
  settle(o: Outcome): void;
}

export const DEFAULT_BUDGET_MS = 5_000;
/** A worker that has not loaded after this long is given up on (its load is not a file's time). */
const STARTUP_MS = 30_000;
/** Objects of one file the worker hands back (see scanWorker.ts); a CA bundle holds about 150. */
export const MAX_OBJECTS_PER_FILE = 256;

function defaultScript(): string {
  const js = join(__dirname, 'scanWorker.js');
  return existsSync(js) ? js : join(__dirname, 'scanWorker.ts');
}

export class ScanPool {
  readonly budgetMs: number;
  private readonly script: string;
  private readonly batchSize: number;
  private readonly maxHeapMb: number;
  private worker: Worker | undefined;
  private queue: Task[] = [];
  /** Files sent to the worker and not answered yet, in order: the first is the one being read. */
  private inflight: Array<{ task: Task; batch: number; index: number }> = [];
  private batch = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The worker has loaded: the per-file budget runs from here, not from the spawn. */
  private workerReady = false;
  private disposed = false;
  private pumpQueued = false;
  /** Workers started, and files stopped for time or failure (the tests and the log read them). */
  readonly stats = { spawned: 0, timeouts: 0, failures: 0, cancelled: 0 };

  constructor(options: ScanPoolOptions = {}) {
    this.script = options.script ?? defaultScript();
    this.budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
    this.batchSize = options.batchSize ?? 16;
    this.maxHeapMb = options.maxHeapMb ?? 1024;
  }

  /** Runs one job; never rejects. An aborted signal settles it as `cancelled` at once. */
  run(job: ScanJob, signal?: AbortSignal): Promise<Outcome> {
    if (this.disposed || signal?.aborted) return Promise.resolve({ status: 'cancelled' });
    return new Promise<Outcome>((resolve) => {
      const task: Task = {
        job,
        signal,
        settled: false,
        settle: (o) => {
          if (task.settled) return;
          task.settled = true;
          if (signal) this.unwatch(signal, task);
          if (o.status === 'cancelled') this.stats.cancelled++;
          resolve(o);
        },
      };
      if (signal) this.watch(signal, task);
      this.queue.push(task);
      this.pump();
    });
  }

  /** One abort listener per signal, however many files a scan queues. */
  private readonly watched = new Map<AbortSignal, { tasks: Set<Task>; listener: () => void }>();

  private watch(signal: AbortSignal, task: Task): void {
    let w = this.watched.get(signal);
    if (!w) {
      const entry = { tasks: new Set<Task>(), listener: () => this.abort(entry.tasks) };
      w = entry;
      this.watched.set(signal, w);
      signal.addEventListener('abort', w.listener, { once: true });
    }
    w.tasks.add(task);
  }

  private unwatch(signal: AbortSignal, task: Task): void {
    const w = this.watched.get(signal);
    if (!w) return;
    w.tasks.delete(task);
    if (w.tasks.size) return;
    signal.removeEventListener('abort', w.listener);
    this.watched.delete(signal);
  }

  /** Files waiting or being read. */
  get pending(): number {
    return this.queue.length + this.inflight.length;
  }

  private abort(tasks: Set<Task>): void {
    const reading = this.inflight.some((e) => tasks.has(e.task));
    this.queue = this.queue.filter((t) => !tasks.has(t));
    for (const t of [...tasks]) t.settle({ status: 'cancelled' });
    // The worker may be deep in one of these files: stop it, and give the rest of its batch to the next one.
    if (reading) this.restart();
  }

  private pump(): void {
    if (this.disposed) return;
    this.queue = this.queue.filter((t) => !t.settled);
    // Two batches stay with the worker, so it never waits for the host between them.
    while (this.queue.length && this.inflight.length < 2 * this.batchSize) {
      const worker = this.ensureWorker();
      const tasks = this.queue.splice(0, this.batchSize);
      const batch = ++this.batch;
      const idle = this.inflight.length === 0;
      tasks.forEach((task, index) => this.inflight.push({ task, batch, index }));
      const message: BatchMessage = { batch, jobs: tasks.map((t) => t.job) };
      worker.postMessage(message);
      if (idle) this.arm();
    }
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = this.workerReady
      ? setTimeout(() => this.stuck({ status: 'timeout', budgetMs: this.budgetMs }), this.budgetMs)
      : setTimeout(() => this.stuck({ status: 'failed', message: 'the reader did not start' }), STARTUP_MS);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const resourceLimits = { maxOldGenerationSizeMb: this.maxHeapMb };
    // From source (the unit tests), the worker compiles its TypeScript with the tests' tsx.
    const worker = this.script.endsWith('.ts')
      ? new Worker(`require('tsx/cjs');require(${JSON.stringify(this.script)});`, {
          eval: true,
          resourceLimits,
        })
      : new Worker(this.script, { resourceLimits });
    this.stats.spawned++;
    this.workerReady = false;
    worker.unref();
    worker.on('message', (m: WorkerMessage) => {
      if (worker !== this.worker) return;
      if ('ready' in m) {
        this.workerReady = true;
        if (this.inflight.length) this.arm();
      } else this.received(m);
    });
    worker.on('error', (e) => {
      if (worker === this.worker) this.stuck({ status: 'failed', message: e.message });
    });
    worker.on('exit', (code) => {
      if (worker === this.worker) this.stuck({ status: 'failed', message: `the reader exited (${code})` });
    });
    this.worker = worker;
    return worker;
  }

  private received(m: ResultMessage): void {
    const head = this.inflight[0];
    if (!head || head.batch !== m.batch || head.index !== m.index) return;
    this.inflight.shift();
    head.task.settle(
      m.result ? { status: 'done', value: m.result } : { status: 'failed', message: m.error ?? 'no result' },
    );
    if (this.inflight.length) this.arm();
    else clearTimeout(this.timer);
    this.pump();
  }

  /** The file being read took too long or killed the worker: it ends with that outcome, the rest go on. */
  private stuck(outcome: Outcome): void {
    if (outcome.status === 'timeout') this.stats.timeouts++;
    else this.stats.failures++;
    const head = this.inflight.shift();
    if (!head) {
      // The worker ended while idle: start fresh on the next job.
      this.kill();
      return;
    }
    head.task.settle(outcome);
    this.restart();
  }

  /** Terminates the worker and requeues the files of its batch that have not ended. */
  private restart(): void {
    const rest = this.inflight.map((e) => e.task).filter((t) => !t.settled);
    this.inflight = [];
    this.kill();
    this.queue.unshift(...rest);
    // After the current event: one abort cancels many files, and their listeners run one by one.
    if (!this.pumpQueued) {
      this.pumpQueued = true;
      queueMicrotask(() => {
        this.pumpQueued = false;
        this.pump();
      });
    }
  }

  private kill(): void {
    clearTimeout(this.timer);
    const w = this.worker;
    this.worker = undefined;
    // terminate() stops even a worker stuck in a JavaScript loop.
    if (w) void w.terminate().catch(() => undefined);
  }

  dispose(): void {
    this.disposed = true;
    for (const t of [...this.queue, ...this.inflight.map((e) => e.task)]) t.settle({ status: 'cancelled' });
    this.queue = [];
    this.inflight = [];
    this.kill();
  }
}
