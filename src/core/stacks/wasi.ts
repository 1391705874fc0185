// The few WASI functions a TLS engine needs (wasm/ABI.md), implemented here rather than with
// node:wasi: the clock is the board's clock, entropy is Node's, and nothing touches files.
import { randomFillSync } from 'node:crypto';

const ENOSYS = 52;
const EBADF = 8;
const CLOCK_REALTIME = 0;

/** An engine called proc_exit or otherwise left the path the ABI allows. */
export class EngineTrap extends Error {}

export interface WasiOptions {
  /** The board's clock at the start of the connection, in ms since the epoch; default: now. */
  boardTimeMs?: number;
  /** Where the engine's stdout/stderr go; never shown unless the user asks. */
  debugLog?: (line: string) => void;
}

export interface Wasi {
  imports: WebAssembly.ModuleImports;
  /** Must be called with the instance's memory before the first export runs. */
  bind(memory: WebAssembly.Memory): void;
}

export function createWasi(module: WebAssembly.Module, o: WasiOptions = {}): Wasi {
  let memory: WebAssembly.Memory | undefined;
  const view = () => new DataView(memory!.buffer);
  const startNs = process.hrtime.bigint();
  const boardNs = BigInt(Math.round(o.boardTimeMs ?? Date.now())) * 1_000_000n;
  let pending = '';

  const implemented: Record<string, (...a: never[]) => number> = {
    clock_time_get: (id: number, _precision: bigint, out: number) => {
      const elapsed = process.hrtime.bigint() - startNs;
      view().setBigUint64(out, id === CLOCK_REALTIME ? boardNs + elapsed : elapsed, true);
      return 0;
    },
    clock_res_get: (_id: number, out: number) => {
      view().setBigUint64(out, 1_000_000n, true);
      return 0;
    },
    random_get: (ptr: number, len: number) => {
      randomFillSync(new Uint8Array(memory!.buffer, ptr, len));
      return 0;
    },
    fd_write: (fd: number, iovs: number, n: number, written: number) => {
      if (fd !== 1 && fd !== 2) return EBADF;
      const v = view();
      let total = 0;
      for (let i = 0; i < n; i++) {
        const ptr = v.getUint32(iovs + i * 8, true);
        const len = v.getUint32(iovs + i * 8 + 4, true);
        pending += Buffer.from(memory!.buffer, ptr, len).toString('utf8');
        total += len;
      }
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const l of lines) o.debugLog?.(l);
      v.setUint32(written, total, true);
      return 0;
    },
    environ_sizes_get: (count: number, size: number) => {
      view().setUint32(count, 0, true);
      view().setUint32(size, 0, true);
      return 0;
    },
    args_sizes_get: (count: number, size: number) => {
      view().setUint32(count, 0, true);
      view().setUint32(size, 0, true);
      return 0;
    },
    environ_get: () => 0,
    args_get: () => 0,
    proc_exit: (code: number) => {
      throw new EngineTrap(`the engine exited (${code})`);
    },
  };
  const wasi: WebAssembly.ModuleImports = { ...implemented };
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.module !== 'wasi_snapshot_preview1' || imp.kind !== 'function') continue;
    wasi[imp.name] = implemented[imp.name] ?? (() => ENOSYS);
  }
  return {
    imports: wasi,
    bind(m) {
      memory = m;
    },
  };
}
