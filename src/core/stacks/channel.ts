// Runs a board TLS engine over a Node socket: ciphertext is pumped between the socket and the wasm
// memory BIO, cleartext is a Node Duplex that mqtt.js reads and writes like any TLS socket.
// Over 300 lines: one state machine (handshake, records in flight, close and error order) whose
// parts share the engine, the socket and the record tracker; split, each part would need them all.
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { ETLS_E_CLOSED, StackInternalError, type TlsEngine } from './engine';
import { stacks } from './ids';
import { alertAsNodeCode, describeLibraryError, type LibraryError } from './libraryError';

/**
 * Follows the TLS record headers of what the broker sends (5 bytes: type, version, length), so a
 * failure can say whether the peer spoke TLS at all and how large its largest record was.
 */
export class RecordScanner {
  firstByte: number | undefined;
  largest = 0;
  private header: number[] = [];
  private skip = 0;

  scan(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - i);
        this.skip -= n;
        i += n;
        continue;
      }
      this.firstByte ??= chunk[i];
      this.header.push(chunk[i++]!);
      if (this.header.length === 5) {
        this.skip = (this.header[3]! << 8) | this.header[4]!;
        this.largest = Math.max(this.largest, this.skip);
        this.header = [];
      }
    }
  }

  /** The first byte was a TLS handshake or alert record. */
  get spokeTls(): boolean {
    return this.firstByte === 0x16 || this.firstByte === 0x15;
  }
}

/** The engine refused the connection: the library's own error, as the board would see it. */
export class EngineFailure extends Error {
  constructor(
    /** The code as the library returns it (mbedTLS negative; BearSSL as its positive number). */
    readonly libraryCode: number,
    readonly verifyFlags: number,
    readonly text: string,
    /** The TLS alert number the peer sent, when the failure is a received alert. */
    readonly peerAlert: number | undefined,
    readonly bytesFromServer: number,
    readonly records?: RecordScanner,
    /** BearSSL's 54 is both "expired" and "not yet valid"; the engine says which. */
    readonly validity?: 'not-yet-valid' | 'expired',
  ) {
    super(text);
  }
}

/** The socket closed (or failed) before the handshake was over. */
export class ChannelClosed extends Error {
  constructor(
    readonly code: string,
    readonly bytesFromServer: number,
    readonly records?: RecordScanner,
  ) {
    super(`the connection closed during the TLS handshake (${code})`);
  }
}

/** The cleartext side of a board TLS connection. */
export class BoardTlsStream extends Duplex {
  private ended = false;

  constructor(
    private readonly engine: TlsEngine,
    private readonly raw: Socket,
    /** Bytes that arrived with the handshake's last flight but that the engine could not take yet. */
    leftover: Buffer = Buffer.alloc(0),
  ) {
    super();
    raw.on('data', (chunk: Buffer) => this.onCipher(chunk));
    raw.on('end', () => this.finishRead());
    raw.on('close', () => this.finishRead());
    raw.on('error', (e) => this.destroy(e));
    // Records that arrived with the handshake's last flight are already inside the engine.
    setImmediate(() => {
      if (this.destroyed) return;
      if (leftover.length) this.onCipher(leftover);
      else this.drain();
    });
  }

  private flush(): void {
    const out = this.engine.takeOut();
    if (out.length && !this.raw.destroyed) this.raw.write(out);
  }

  private onCipher(chunk: Buffer): void {
    try {
      let rest = chunk;
      while (rest.length) {
        const took = this.engine.feed(rest);
        rest = rest.subarray(took);
        this.drain();
        if (took === 0 && rest.length) break;
      }
    } catch (e) {
      this.destroy(e as Error);
    }
  }

  private drain(): void {
    try {
      this.drainOnce();
    } catch (e) {
      this.destroy(e as Error);
    }
  }

  private drainOnce(): void {
    for (;;) {
      const r = this.engine.read();
      this.flush();
      if (r === null) return;
      if (typeof r === 'number') {
        if (r === ETLS_E_CLOSED) return this.finishRead();
        return void this.destroy(afterHandshake(this.engine, libraryError(this.engine, this.raw), 'read'));
      }
      this.push(r);
    }
  }

  private finishRead(): void {
    if (this.ended) return;
    this.ended = true;
    this.push(null);
  }

  override _read(): void {
    // Data is pushed as the socket delivers it.
  }

  private outgoing: Buffer[] = [];

  /**
   * mqtt.js writes a packet field by field; a board's MQTT client hands its TLS one buffer per packet,
   * so the fields of one tick go out as one TLS record. They wait for one turn of the event loop's
   * poll first: a broker that refuses the client after the TLS 1.3 handshake sends its alert and
   * closes, and a write to the closed socket brings a reset that makes Linux drop the unread alert.
   * A board reads that alert from its buffer; so does this host, before it writes.
   */
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    if (this.outgoing.push(chunk) === 1) setImmediate(() => setImmediate(() => this.sendOutgoing()));
    cb();
  }

  private sendOutgoing(): void {
    let rest = Buffer.concat(this.outgoing);
    this.outgoing = [];
    try {
      while (rest.length && !this.destroyed) {
        const n = this.engine.write(rest);
        this.flush();
        if (n < 0)
          return void this.destroy(afterHandshake(this.engine, libraryError(this.engine, this.raw), 'write'));
        if (n === 0)
          return void this.destroy(new StackInternalError('the engine did not take the data to send'));
        rest = rest.subarray(n);
      }
    } catch (e) {
      this.destroy(e as Error);
    }
  }

  override _final(cb: (e?: Error | null) => void): void {
    this.sendOutgoing();
    try {
      this.engine.close();
      this.flush();
    } catch {
      // A broken engine has nothing left to send.
    }
    this.raw.end();
    cb();
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    this.raw.destroy();
    cb(err);
  }
}

/**
 * A failure once the connection is up (TLS 1.3 brokers refuse a client certificate only after the
 * client's Finished): the error mqtt.js sees carries the alert as Node's TLS would name it, and the
 * library's own error.
 */
export interface StreamFailure extends Error {
  code?: string;
  libraryError?: LibraryError;
}

function afterHandshake(engine: TlsEngine, f: EngineFailure, during: 'read' | 'write'): StreamFailure {
  const d = stacks[engine.id];
  const library = d.library === 'bearssl' ? 'bearssl' : 'mbedtls';
  const e: StreamFailure = new Error(f.peerAlert !== undefined ? `SSL alert number ${f.peerAlert}` : f.text);
  e.code = f.peerAlert !== undefined ? (alertAsNodeCode[f.peerAlert] ?? 'ERR_SSL_ALERT') : undefined;
  e.libraryError = describeLibraryError(library, d.family, f.libraryCode, f.text, f.verifyFlags, during);
  return e;
}

function libraryError(engine: TlsEngine, raw: Socket, records?: RecordScanner): EngineFailure {
  const info = safeInfo(engine);
  return new EngineFailure(
    engine.lastError(),
    engine.verifyFlags(),
    engine.lastErrorText(),
    info?.peerAlert,
    raw.bytesRead,
    records,
    info?.validity,
  );
}

function safeInfo(engine: TlsEngine) {
  try {
    return engine.info();
  } catch {
    return undefined;
  }
}

/**
 * Runs the handshake over `raw` until done, a library error, the socket closing, or `ms` elapsing.
 * Resolves with the cleartext stream; rejects with EngineFailure, ChannelClosed or StackInternalError.
 */
export function handshakeOver(engine: TlsEngine, raw: Socket, ms: number): Promise<BoardTlsStream> {
  return new Promise<BoardTlsStream>((resolve, reject) => {
    let settled = false;
    const records = new RecordScanner();
    const timer = setTimeout(() => finish(new ChannelClosed('timeout', raw.bytesRead, records)), ms);
    const finish = (err: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      raw.off('data', onData);
      raw.off('close', onClose);
      raw.off('error', onError);
      if (err) {
        // The failure is reported below; a reset that follows it must not become an unhandled error.
        raw.on('error', () => {});
        // Send what the engine queued (its fatal alert) before the socket goes, as the board does.
        try {
          const out = engine.takeOut();
          if (out.length && !raw.destroyed) raw.end(out);
        } catch {
          // The engine is broken; the error below says so.
        }
        setTimeout(() => raw.destroy(), 50).unref();
        return reject(err);
      }
      resolve(new BoardTlsStream(engine, raw, Buffer.concat(pending)));
    };
    const step = () => {
      const r = engine.handshake();
      const out = engine.takeOut();
      if (out.length) raw.write(out);
      if (r === 0) return finish(null);
      if (r < 0) return finish(libraryError(engine, raw, records));
    };
    let pending: Buffer[] = [];
    const onData = (chunk: Buffer) => {
      try {
        records.scan(chunk);
        pending.push(chunk);
        let rest = Buffer.concat(pending);
        pending = [];
        while (!settled) {
          const took = engine.feed(rest);
          rest = rest.subarray(took);
          // What the engine could not take yet waits; if the handshake ends now, the stream gets it.
          pending = rest.length ? [rest] : [];
          step();
          if (!rest.length || took === 0) break;
        }
      } catch (e) {
        finish(e as Error);
      }
    };
    const onClose = () => finish(new ChannelClosed('ECONNRESET', raw.bytesRead, records));
    const onError = (e: NodeJS.ErrnoException) =>
      finish(new ChannelClosed(e.code ?? 'ECONNRESET', raw.bytesRead, records));
    raw.on('data', onData);
    raw.on('close', onClose);
    raw.on('error', onError);
    try {
      step();
    } catch (e) {
      finish(e as Error);
    }
  });
}
