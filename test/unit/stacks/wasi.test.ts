// The WASI surface the engines get: the board's clock, Node's entropy, a quiet debug log, no exits.
import { strict as assert } from 'node:assert';
import { compileEngine } from '../../../src/core/stacks/engine';
import { createWasi, EngineTrap } from '../../../src/core/stacks/wasi';

type Fn = (...a: unknown[]) => number;

describe('stacks/wasi', () => {
  async function wasi(o: Parameters<typeof createWasi>[1] = {}) {
    const w = createWasi(await compileEngine('mbedtls-2.28'), o);
    const memory = new WebAssembly.Memory({ initial: 1 });
    w.bind(memory);
    return { f: (name: string) => w.imports[name] as Fn, view: new DataView(memory.buffer), memory };
  }

  it('the realtime clock is the board clock plus elapsed time; monotonic is separate', async () => {
    const { f, view } = await wasi({ boardTimeMs: Date.UTC(1970, 0, 1) });
    assert.equal(f('clock_time_get')(0, 0n, 16), 0);
    const ns = view.getBigUint64(16, true);
    assert.ok(ns >= 0n && ns < 60_000_000_000n, `board time near 1970, got ${ns}`);
    const now = await wasi();
    now.f('clock_time_get')(0, 0n, 16);
    const ms = Number(now.view.getBigUint64(16, true) / 1_000_000n);
    assert.ok(Math.abs(ms - Date.now()) < 5000);
  });

  it('random_get fills the buffer from Node crypto', async () => {
    const { f, memory } = await wasi();
    assert.equal(f('random_get')(100, 64), 0);
    const bytes = new Uint8Array(memory.buffer, 100, 64);
    assert.ok(bytes.some((b) => b !== 0));
  });

  it('fd_write goes to the debug log only, line by line; proc_exit throws a trap the host catches', async () => {
    const lines: string[] = [];
    const { f, view, memory } = await wasi({ debugLog: (l) => lines.push(l) });
    new Uint8Array(memory.buffer).set(Buffer.from('hello\nwor'), 200);
    view.setUint32(0, 200, true);
    view.setUint32(4, 9, true);
    assert.equal(f('fd_write')(2, 0, 1, 32), 0);
    assert.equal(view.getUint32(32, true), 9);
    assert.deepEqual(lines, ['hello']);
    assert.equal(f('fd_write')(5, 0, 1, 32), 8, 'EBADF for anything but stdout/stderr');
    assert.throws(() => f('proc_exit')(3), EngineTrap);
  });

  it('imports it does not implement answer ENOSYS', async () => {
    const { f } = await wasi();
    assert.equal(f('fd_seek')(), 52);
  });
});
