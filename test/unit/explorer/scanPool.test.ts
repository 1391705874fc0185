// The scan worker pool: per-file time budget, terminate and respawn, cancellation, and the real worker on
// a hostile workspace. Timings here are hang guards (generous bounds), not speed measurements.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanFile } from '../../../src/core/check/scan';
import { readObjects } from '../../../src/core/x509';
import { type Outcome, ScanPool, MAX_OBJECTS_PER_FILE } from '../../../src/extension/explorer/scanPool';
import { type Fixture, makeFixture } from '../../support/workspaceFixture';
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore -- a plain .mjs generator shared with the integration tier
import { hostileFiles, makeHostileWorkspace } from '../../integration/fixtures/makeHostileWorkspace.mjs';

const DOUBLE = join(__dirname, 'scanWorkerDouble.ts');
const scan = (pool: ScanPool, path: string, signal?: AbortSignal) => pool.run({ kind: 'scan', path }, signal);
/** The double answers with its threadId as the size: which worker read the file. */
const threadOf = (o: Outcome) =>
  o.status === 'done' && o.value.kind === 'scan' ? o.value.scanned?.size : -1;

describe('scan worker pool', function () {
  this.timeout(120_000);
  const pools: ScanPool[] = [];
  const pool = (o: ConstructorParameters<typeof ScanPool>[0]) => {
    const p = new ScanPool({ script: DOUBLE, ...o });
    pools.push(p);
    return p;
  };
  afterEach(() => {
    for (const p of pools.splice(0)) p.dispose();
  });

  it('answers every file, in order, across batches, with one worker', async () => {
    const p = pool({ batchSize: 3 });
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => scan(p, `ok:${i}`)));
    assert.deepEqual(
      outcomes.map((o) => o.status === 'done' && o.value.kind === 'scan' && o.value.scanned?.path),
      Array.from({ length: 10 }, (_, i) => `ok:${i}`),
    );
    assert.equal(p.stats.spawned, 1);
    assert.equal(p.pending, 0);
  });

  it('stops a file that takes longer than the budget, replaces the worker and reads the rest of its batch', async () => {
    const p = pool({ budgetMs: 300, batchSize: 4 });
    const [a, b, c, d] = await Promise.all(['ok:1', 'spin:2', 'ok:3', 'ok:4'].map((f) => scan(p, f)));
    assert.equal(a!.status, 'done');
    assert.deepEqual(b, { status: 'timeout', budgetMs: 300 });
    assert.equal(c!.status, 'done');
    assert.equal(d!.status, 'done');
    assert.notEqual(threadOf(a!), threadOf(c!), 'a new worker read the files after the stuck one');
    assert.equal(p.stats.spawned, 2);
    assert.equal(p.stats.timeouts, 1);
  });

  it('turns a worker that exits, throws or runs out of memory into a failed file, and goes on', async () => {
    const p = pool({ maxHeapMb: 32, budgetMs: 20_000 });
    const outcomes = await Promise.all(
      ['exit:1', 'ok:2', 'throw:3', 'ok:4', 'oom:5', 'ok:6'].map((f) => scan(p, f)),
    );
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['failed', 'done', 'failed', 'done', 'failed', 'done'],
    );
    assert.match((outcomes[2] as { message: string }).message, /refused throw:3/);
    assert.equal(p.stats.spawned, 3, 'exit and out-of-memory end the worker; a thrown error does not');
  });

  it('cancels queued files at once, and stops the worker in the middle of a cancelled file', async () => {
    const p = pool({ budgetMs: 60_000, batchSize: 1 });
    const ctl = new AbortController();
    const started = Date.now();
    const stuck = scan(p, 'spin:1', ctl.signal);
    const queued = scan(p, 'ok:2', ctl.signal);
    setTimeout(() => ctl.abort(), 200);
    assert.deepEqual(await stuck, { status: 'cancelled' });
    assert.deepEqual(await queued, { status: 'cancelled' });
    assert.ok(Date.now() - started < 30_000, 'cancelled long before the budget');
    assert.equal((await scan(p, 'ok:3')).status, 'done', 'the next scan is read by a new worker');
    assert.equal(p.stats.spawned, 2);
    assert.deepEqual(await scan(p, 'ok:4', AbortSignal.abort()), { status: 'cancelled' });
  });

  it('lets a new scan supersede the old one: nothing of the old one is read after it is cancelled', async () => {
    const p = pool({ batchSize: 4 });
    const old = new AbortController();
    const endedAt: Array<[string, number]> = [];
    const track = (f: string, s?: AbortSignal) =>
      scan(p, f, s).then(
        (o) => (endedAt.push([o.status === 'done' ? f : `${o.status} ${f}`, Date.now()]), o),
      );
    const first = Array.from({ length: 40 }, (_, i) => track(`slow:20:old${i}`, old.signal));
    await new Promise((r) => setTimeout(r, 150));
    old.abort();
    const abortedAt = Date.now();
    const second = await Promise.all(Array.from({ length: 5 }, (_, i) => track(`ok:new${i}`)));
    const firstOutcomes = await Promise.all(first);
    assert.ok(second.every((o) => o.status === 'done'));
    assert.ok(
      firstOutcomes.some((o) => o.status === 'cancelled'),
      'most of the old scan was dropped',
    );
    const lateOld = endedAt.filter(([f, t]) => f.startsWith('slow') && t > abortedAt);
    assert.deepEqual(lateOld, [], 'no old file was read after the cancellation');
  });

  it('settles every job with the right outcome under random budgets, batches, failures and cancellations', async () => {
    let seed = 0x5eed;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let round = 0; round < 3; round++) {
      const p = pool({ budgetMs: 250, batchSize: 1 + Math.floor(rand() * 8) });
      const jobs = Array.from({ length: 60 }, (_, i) => {
        const r = rand();
        const kind = r < 0.05 ? 'spin' : r < 0.1 ? 'exit' : r < 0.15 ? 'throw' : r < 0.3 ? 'slow:5' : 'ok';
        const ctl = rand() < 0.2 ? new AbortController() : undefined;
        if (ctl) setTimeout(() => ctl.abort(), Math.floor(rand() * 400));
        return {
          path: `${kind}:${round}.${i}`,
          kind,
          ctl,
          outcome: scan(p, `${kind}:${round}.${i}`, ctl?.signal),
        };
      });
      const guard = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('a job never settled')), 90_000).unref(),
      );
      const outcomes = await Promise.race([Promise.all(jobs.map((j) => j.outcome)), guard]);
      jobs.forEach((j, i) => {
        const o = outcomes[i]!;
        if (o.status === 'cancelled') {
          assert.ok(j.ctl?.signal.aborted, `${j.path} was cancelled without being asked`);
          return;
        }
        const expected =
          j.kind === 'spin' ? 'timeout' : j.kind === 'exit' || j.kind === 'throw' ? 'failed' : 'done';
        assert.equal(o.status, expected, j.path);
        if (o.status === 'done') assert.equal(o.value.kind === 'scan' && o.value.scanned?.path, j.path);
      });
      assert.equal(p.pending, 0);
    }
  });

  describe('with the real worker', () => {
    let fx: Fixture;
    let hostile: string;
    before(async () => {
      fx = await makeFixture();
      hostile = mkdtempSync(join(tmpdir(), 'etls-hostile-'));
      makeHostileWorkspace(hostile);
    });
    after(() => {
      fx.remove();
      rmSync(hostile, { recursive: true, force: true });
    });

    it('reads files exactly as the core does in-process', async () => {
      const p = new ScanPool({ budgetMs: 30_000 });
      pools.push(p);
      for (const rel of ['certs/ca.pem', 'certs/device-01.key', 'main/certs.c']) {
        const file = join(fx.dir, rel);
        const o = await scan(p, file);
        assert.ok(o.status === 'done' && o.value.kind === 'scan' && o.value.scanned, rel);
        const here = scanFile(file, readFileSync(file), { reader: readObjects });
        // Structured cloning turns Buffers into Uint8Arrays; the data is the same.
        assert.deepEqual(JSON.parse(JSON.stringify(o.value.scanned)), JSON.parse(JSON.stringify(here)));
      }
    });

    it('ends every hostile file as objects, a problem or a finding-to-be, within its budget', async () => {
      const budgetMs = 3_000;
      const p = new ScanPool({ budgetMs });
      pools.push(p);
      const files = [...Object.keys(hostileFiles), 'certs/ca.pem'];
      for (const rel of files) {
        const started = Date.now();
        const o = await scan(p, join(hostile, rel));
        const took = Date.now() - started;
        // The budget runs from the worker's start, so a fresh worker may add its load time.
        assert.ok(took < budgetMs + 15_000, `${rel} took ${took} ms`);
        if (o.status === 'timeout') continue;
        assert.equal(o.status, 'done', `${rel}: ${JSON.stringify(o)}`);
        const scanned = o.value.kind === 'scan' ? o.value.scanned : undefined;
        assert.ok(scanned, `${rel} was read`);
        if (rel.endsWith('.pem') || rel.endsWith('.der') || rel.endsWith('.p12'))
          assert.ok(scanned.objects.length + scanned.problems.length > 0, `${rel} ended as nothing`);
        if (rel === 'certs/many-blocks.pem') {
          assert.equal(scanned.objects.length, MAX_OBJECTS_PER_FILE);
          assert.match(
            scanned.problems.at(-1)?.message ?? '',
            /holds 10000 certificates and keys; only the first 256/,
          );
        }
        if (rel === 'certs/too-big.pem') assert.equal(scanned.problems[0]?.code, 'too-large');
      }
      // The 2^31-iteration bundle is refused quickly or stopped by the budget; the next file is read.
      const after = await scan(p, join(hostile, 'certs/ca.pem'));
      assert.equal(
        after.status === 'done' && after.value.kind === 'scan' && after.value.scanned?.objects.length,
        1,
      );
    });
  });
});
