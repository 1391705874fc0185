// A small test-only host for wasm/dist/bearssl-0.6.wasm: the engine ABI of wasm/ABI.md over a real
// TCP socket, with the board's clock and Node's entropy behind the two WASI imports it needs.
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import type { EngineExports } from '../../src/core/stacks/engine';
import { createWasi } from '../../src/core/stacks/wasi';
import { REPO } from './realParts';

export const BEARSSL_WASM = join(REPO, 'wasm', 'dist', 'bearssl-0.6.wasm');
export const ETLS_E = {
  UNKNOWN_KEY: -0x100001,
  BAD_VALUE: -0x100002,
  STATE: -0x100003,
  NOMEM: -0x100004,
  CLOSED: -0x100005,
  BUFFER: -0x100006,
} as const;

/** The part of the WebAssembly JS API used here; the project's TypeScript libs leave its types out. */
interface WasmApi {
  Module: {
    new (bytes: Uint8Array): object;
    exports(m: object): { name: string }[];
    imports(m: object): { module: string; name: string }[];
  };
  Instance: new (m: object, imports: Record<string, Record<string, unknown>>) => { exports: object };
}
export const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: WebAssembly.Module | undefined;

/** One engine instance (one connection), with helpers to pass bytes and strings in and out. */
export class BearSslEngine {
  readonly x: EngineExports;

  /** Runs under the host's own WASI layer (src/core/stacks/wasi.ts), as the probe does. */
  constructor(boardTime: Date = new Date()) {
    compiled ??= new WebAssembly.Module(readFileSync(BEARSSL_WASM));
    const wasi = createWasi(compiled, { boardTimeMs: boardTime.getTime() });
    const instance = new wasmApi.Instance(compiled, { wasi_snapshot_preview1: wasi.imports });
    this.x = instance.exports as unknown as EngineExports;
    wasi.bind(this.x.memory);
    this.x._initialize();
  }

  /** Copies bytes (or a NUL-terminated string) into engine memory, calls f, frees. */
  withBytes<T>(data: Uint8Array | string, f: (p: number, n: number) => T): T {
    const bytes = typeof data === 'string' ? Buffer.from(`${data}\0`) : data;
    const p = this.x.etls_alloc(Math.max(1, bytes.length));
    if (!p) throw new Error('etls_alloc failed');
    new Uint8Array(this.x.memory.buffer, p, bytes.length).set(bytes);
    try {
      return f(p, typeof data === 'string' ? bytes.length - 1 : bytes.length);
    } finally {
      this.x.etls_free(p);
    }
  }

  setOption(key: string, value: string): number {
    return this.withBytes(key, (k) => this.withBytes(value, (v) => this.x.etls_set_option(k, v)));
  }

  /** A string export that follows the ABI's "returns the full length" convention. */
  text(f: (buf: number, len: number) => number): string {
    const len = f(0, 0);
    const p = this.x.etls_alloc(len + 1);
    try {
      f(p, len);
      return Buffer.from(new Uint8Array(this.x.memory.buffer, p, len)).toString('utf8');
    } finally {
      this.x.etls_free(p);
    }
  }

  info(): {
    library: string;
    version: string;
    tlsVersion?: string;
    cipherSuite?: string;
    validity?: string;
    peerAlert?: number;
    config: Record<string, unknown>;
  } {
    return JSON.parse(this.text((b, l) => this.x.etls_info(b, l))) as ReturnType<BearSslEngine['info']>;
  }

  /**
   * Takes every byte the engine wants to send, in one go: etls_pending_out counts all of it (the
   * shared host drains once per call, so an engine that held records back would stall it).
   */
  takeOut(): Buffer {
    const n = this.x.etls_pending_out();
    if (n <= 0) return Buffer.alloc(0);
    const p = this.x.etls_alloc(n);
    try {
      const got = this.x.etls_take_out(p, n);
      return Buffer.from(new Uint8Array(this.x.memory.buffer, p, got));
    } finally {
      this.x.etls_free(p);
    }
  }
}

export interface BoardTls {
  engine: BearSslEngine;
  ca?: Buffer[];
  cert?: Buffer[];
  key?: Buffer;
  options?: Record<string, string>;
  servername?: string;
}

export type HandshakeResult =
  | { ok: true; conn: BoardConnection }
  | { ok: false; code: number; error: number; text: string; engine: BearSslEngine };

/** A TLS session through the engine over one socket. */
export class BoardConnection {
  private input = Buffer.alloc(0);
  private ended = false;
  private wake: (() => void) | undefined;

  constructor(
    readonly engine: BearSslEngine,
    readonly socket: Socket,
  ) {
    socket.on('data', (d: Buffer) => {
      this.input = Buffer.concat([this.input, d]);
      this.wake?.();
    });
    const end = () => {
      this.ended = true;
      this.wake?.();
    };
    socket.on('end', end);
    socket.on('close', end);
    socket.on('error', end);
  }

  private flush(): void {
    const out = this.engine.takeOut();
    if (out.length && !this.socket.destroyed) this.socket.write(out);
  }

  /** Feeds what the socket gave; waits for more when there is nothing. False once the peer closed. */
  private async feed(): Promise<boolean> {
    if (!this.input.length) {
      if (this.ended) return false;
      // A broker that stays silent this long means the handshake stalled: report it, do not hang.
      await new Promise<void>((r) => {
        const t = setTimeout(() => ((this.ended = true), r()), 15_000);
        this.wake = () => (clearTimeout(t), r());
      });
      this.wake = undefined;
      if (!this.input.length) return !this.ended;
    }
    const n = this.engine.withBytes(this.input, (p, len) => this.engine.x.etls_feed(p, len));
    if (n > 0) this.input = this.input.subarray(n);
    else if (n !== ETLS_E.BUFFER) return n >= 0;
    return true;
  }

  async handshake(): Promise<number> {
    for (;;) {
      const rc = this.engine.x.etls_handshake();
      this.flush();
      if (rc <= 0) return rc;
      if (!(await this.feed())) {
        const again = this.engine.x.etls_handshake();
        this.flush();
        return again === 1 ? ETLS_E.CLOSED : again;
      }
    }
  }

  write(data: Uint8Array): void {
    let off = 0;
    while (off < data.length) {
      const n = this.engine.withBytes(data.subarray(off), (p, len) => this.engine.x.etls_write(p, len));
      this.flush();
      if (n < 0 && n !== ETLS_E.BUFFER) throw new Error(`etls_write: ${n}`);
      if (n > 0) off += n;
    }
  }

  /** Reads at least `min` cleartext bytes. */
  async read(min: number): Promise<Buffer> {
    const got: Buffer[] = [];
    let total = 0;
    while (total < min) {
      const p = this.engine.x.etls_alloc(4096);
      const n = this.engine.x.etls_read(p, 4096);
      if (n > 0) got.push(Buffer.from(new Uint8Array(this.engine.x.memory.buffer, p, n)));
      this.engine.x.etls_free(p);
      this.flush();
      if (n > 0) total += n;
      else if (n < 0) throw new Error(`etls_read: ${n}`);
      else if (!(await this.feed())) throw new Error('the broker closed the connection');
    }
    return Buffer.concat(got);
  }

  close(): void {
    this.engine.x.etls_close();
    this.flush();
    this.socket.end();
  }
}

/** Configures the engine, connects to 127.0.0.1:port and runs the handshake. */
export async function boardHandshake(port: number, tls: BoardTls): Promise<HandshakeResult> {
  const e = tls.engine;
  for (const [k, v] of Object.entries(tls.options ?? {})) {
    const rc = e.setOption(k, v);
    if (rc !== 0) throw new Error(`etls_set_option(${k}=${v}): ${rc}`);
  }
  for (const der of tls.ca ?? []) {
    const rc = e.withBytes(der, (p, n) => e.x.etls_add_ca_der(p, n));
    if (rc !== 0) throw new Error(`etls_add_ca_der: ${rc}`);
  }
  for (const der of tls.cert ?? []) {
    const rc = e.withBytes(der, (p, n) => e.x.etls_add_own_cert_der(p, n));
    if (rc !== 0) throw new Error(`etls_add_own_cert_der: ${rc}`);
  }
  if (tls.key) {
    const rc = e.withBytes(tls.key, (p, n) => e.x.etls_set_own_key_der(p, n));
    if (rc !== 0) throw new Error(`etls_set_own_key_der: ${rc}`);
  }
  const started = e.withBytes(tls.servername ?? 'localhost', (p) => e.x.etls_start(p));
  if (started !== 0) throw new Error(`etls_start: ${started}`);
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const conn = new BoardConnection(e, socket);
  const rc = await conn.handshake();
  if (rc === 0) return { ok: true, conn };
  socket.destroy();
  return {
    ok: false,
    code: rc,
    error: e.x.etls_last_error(),
    text: e.text((b, l) => e.x.etls_last_error_text(b, l)),
    engine: e,
  };
}

/** MQTT 3.1.1 CONNECT with a client id and clean session, keep-alive 30 s. */
export function mqttConnect(clientId: string): Buffer {
  const id = Buffer.from(clientId);
  const body = Buffer.concat([
    Buffer.from([0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 0x02, 0, 30, id.length >> 8, id.length & 0xff]),
    id,
  ]);
  return Buffer.concat([Buffer.from([0x10, body.length]), body]);
}
