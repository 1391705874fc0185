// One board TLS engine instance (wasm/ABI.md): typed calls over the C exports. Any trap, abort or
// out-of-memory inside the wasm becomes a StackInternalError; the instance is dead after it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stacks, type EngineId } from './ids';
import { createWasi, type WasiOptions } from './wasi';

const ETLS_E_UNKNOWN_KEY = -0x100001;
const ETLS_E_NOMEM = -0x100004;
export const ETLS_E_CLOSED = -0x100005;
const ETLS_E_BUFFER = -0x100006;

/** The engine failed in a way that is not a TLS outcome: a trap, an abort, no memory, a missing file. */
export class StackInternalError extends Error {
  readonly code = 'stack-internal-error';
}

/** What etls_info reports: the library, its version and the configuration in effect. */
export interface EngineInfo {
  library: string;
  version: string;
  tlsVersion?: string;
  cipherSuite?: string;
  alpn?: string;
  peerAlert?: number;
  /** BearSSL after error 54 (one number for both): which way the certificate's dates failed. */
  validity?: 'not-yet-valid' | 'expired';
  config: Record<string, string | number | boolean>;
}

/** The engine exports of wasm/ABI.md. */
export interface EngineExports {
  memory: WebAssembly.Memory;
  _initialize(): void;
  etls_alloc(n: number): number;
  etls_free(p: number): void;
  etls_set_option(k: number, v: number): number;
  etls_options(buf: number, len: number): number;
  etls_add_ca_der(p: number, n: number): number;
  etls_add_own_cert_der(p: number, n: number): number;
  etls_set_own_key_der(p: number, n: number): number;
  etls_start(name: number): number;
  etls_feed(p: number, n: number): number;
  etls_pending_out(): number;
  etls_take_out(p: number, n: number): number;
  etls_handshake(): number;
  etls_write(p: number, n: number): number;
  etls_read(p: number, n: number): number;
  etls_last_error(): number;
  etls_verify_flags(): number;
  etls_last_error_text(buf: number, len: number): number;
  etls_info(buf: number, len: number): number;
  etls_close(): void;
  /** Optional (ABI.md): the certificate seen at a chain depth. */
  etls_peer_cert?(depth: number, buf: number, len: number): number;
}

/** Where the shipped .wasm files are: beside the bundle (dist/wasm) or in the source tree (wasm/dist). */
export function wasmDirectory(): string {
  const candidates = [
    process.env['ETLS_WASM_DIR'],
    join(__dirname, 'wasm'),
    join(__dirname, '..', 'wasm'),
    join(__dirname, '..', '..', '..', 'wasm', 'dist'),
  ].filter((d): d is string => !!d);
  return (
    candidates.find((d) => existsSync(join(d, 'mbedtls-2.28.wasm'))) ?? candidates[candidates.length - 1]!
  );
}

// Compiled once per file and kept: the extension host reuses them across probes.
const compiled = new Map<string, Promise<WebAssembly.Module>>();

export function compileEngine(id: EngineId): Promise<WebAssembly.Module> {
  const file = join(wasmDirectory(), stacks[id].wasmFile!);
  let m = compiled.get(file);
  if (!m) {
    m = (async () => {
      if (!existsSync(file)) throw new StackInternalError(`${file} is missing from this installation.`);
      return WebAssembly.compile(readFileSync(file));
    })();
    compiled.set(file, m);
    m.catch(() => compiled.delete(file));
  }
  return m;
}

export type OptionResult = 'ok' | 'unknown-key' | 'bad-value';

export class TlsEngine {
  private dead = false;
  private readBuf = 0;
  private static readonly IO = 16 * 1024 + 512;

  private constructor(
    readonly id: EngineId,
    private readonly x: EngineExports,
  ) {}

  static async create(id: EngineId, o: WasiOptions = {}): Promise<TlsEngine> {
    try {
      const module = await compileEngine(id);
      const wasi = createWasi(module, o);
      const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: wasi.imports });
      const x = instance.exports as unknown as EngineExports;
      wasi.bind(x.memory);
      x._initialize();
      const e = new TlsEngine(id, x);
      e.readBuf = e.guard(() => x.etls_alloc(TlsEngine.IO));
      if (!e.readBuf) throw new StackInternalError('the engine has no memory for its buffers');
      return e;
    } catch (err) {
      throw internal(err);
    }
  }

  private guard<T>(f: () => T): T {
    if (this.dead) throw new StackInternalError('the engine stopped after an earlier internal error');
    try {
      const r = f();
      if (r === ETLS_E_NOMEM) throw new StackInternalError('the engine ran out of memory');
      return r;
    } catch (err) {
      this.dead = true;
      throw internal(err);
    }
  }

  /** Copies bytes into engine memory, calls f(ptr, len), frees. */
  private withBytes<T>(bytes: Uint8Array, f: (p: number, n: number) => T): T {
    return this.guard(() => {
      const p = this.x.etls_alloc(bytes.length + 1);
      if (!p) throw new StackInternalError('the engine ran out of memory');
      try {
        const mem = new Uint8Array(this.x.memory.buffer, p, bytes.length + 1);
        mem.set(bytes);
        mem[bytes.length] = 0;
        return f(p, bytes.length);
      } finally {
        this.x.etls_free(p);
      }
    });
  }

  private withString<T>(s: string, f: (p: number) => T): T {
    return this.withBytes(Buffer.from(s, 'utf8'), (p) => f(p));
  }

  private text(call: (buf: number, len: number) => number): string {
    const need = this.guard(() => call(0, 0));
    const p = this.guard(() => this.x.etls_alloc(need + 1));
    try {
      this.guard(() => call(p, need));
      return Buffer.from(new Uint8Array(this.x.memory.buffer, p, need)).toString('utf8');
    } finally {
      this.x.etls_free(p);
    }
  }

  setOption(key: string, value: string): OptionResult {
    const r = this.withString(key, (k) => this.withString(value, (v) => this.x.etls_set_option(k, v)));
    return r === 0 ? 'ok' : r === ETLS_E_UNKNOWN_KEY ? 'unknown-key' : 'bad-value';
  }

  /** What each option accepts: a list of values or a sentence. */
  options(): Record<string, string | string[]> {
    return JSON.parse(this.text((b, n) => this.x.etls_options(b, n))) as Record<string, string | string[]>;
  }

  addCa(der: Uint8Array): number {
    return this.withBytes(der, (p, n) => this.x.etls_add_ca_der(p, n));
  }
  addOwnCert(der: Uint8Array): number {
    return this.withBytes(der, (p, n) => this.x.etls_add_own_cert_der(p, n));
  }
  setOwnKey(der: Uint8Array): number {
    return this.withBytes(der, (p, n) => this.x.etls_set_own_key_der(p, n));
  }
  start(servername: string): number {
    return this.withString(servername, (p) => this.x.etls_start(p));
  }

  /** Gives the engine network bytes; returns how many it took (it may take fewer). */
  feed(bytes: Uint8Array): number {
    const r = this.withBytes(bytes, (p, n) => this.x.etls_feed(p, n));
    return r === ETLS_E_BUFFER ? 0 : r;
  }

  /** The bytes the engine wants sent, taken out of it. */
  takeOut(): Buffer {
    return this.guard(() => {
      const n = this.x.etls_pending_out();
      if (n <= 0) return Buffer.alloc(0);
      const p = this.x.etls_alloc(n);
      try {
        const got = this.x.etls_take_out(p, n);
        return Buffer.from(new Uint8Array(this.x.memory.buffer, p, got));
      } finally {
        this.x.etls_free(p);
      }
    });
  }

  /** 0 done, 1 wants input, < 0 a library error. */
  handshake(): number {
    return this.guard(() => this.x.etls_handshake());
  }

  /** Bytes consumed (0: try again after more input), or < 0 a library error. */
  write(bytes: Uint8Array): number {
    return this.withBytes(bytes, (p, n) => this.x.etls_write(p, n));
  }

  /** Cleartext, or null for nothing yet, or a negative code (ETLS_E_CLOSED or a library error). */
  read(): Buffer | null | number {
    return this.guard(() => {
      const r = this.x.etls_read(this.readBuf, TlsEngine.IO);
      if (r > 0) return Buffer.from(new Uint8Array(this.x.memory.buffer, this.readBuf, r));
      return r === 0 ? null : r;
    });
  }

  lastError(): number {
    return this.guard(() => this.x.etls_last_error());
  }
  verifyFlags(): number {
    return this.guard(() => this.x.etls_verify_flags() >>> 0);
  }
  lastErrorText(): string {
    return this.text((b, n) => this.x.etls_last_error_text(b, n));
  }
  info(): EngineInfo {
    return JSON.parse(this.text((b, n) => this.x.etls_info(b, n))) as EngineInfo;
  }

  /** The chain as the library saw it while verifying, leaf first; empty when the engine cannot say. */
  peerChain(): Buffer[] {
    const get = this.x.etls_peer_cert;
    if (!get) return [];
    const out: Buffer[] = [];
    for (let depth = 0; depth < 8; depth++) {
      const n = this.guard(() => get(depth, 0, 0));
      if (n <= 0) break;
      const p = this.guard(() => this.x.etls_alloc(n));
      try {
        this.guard(() => get(depth, p, n));
        out.push(Buffer.from(new Uint8Array(this.x.memory.buffer, p, n)));
      } finally {
        this.x.etls_free(p);
      }
    }
    return out;
  }

  /** Queues close_notify; the caller sends takeOut() before closing the socket. */
  close(): void {
    if (this.dead) return;
    try {
      this.guard(() => this.x.etls_close());
    } catch {
      // Closing a broken engine: nothing more to say than the error already reported.
    }
  }

  get alive(): boolean {
    return !this.dead;
  }
}

function internal(err: unknown): StackInternalError {
  if (err instanceof StackInternalError) return err;
  const what =
    err instanceof WebAssembly.RuntimeError
      ? `the engine trapped (${err.message})`
      : err instanceof RangeError
        ? `the engine ran out of memory (${err.message})`
        : `the engine failed (${err instanceof Error ? err.message : String(err)})`;
  return new StackInternalError(what);
}
