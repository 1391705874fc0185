// Reads replies from a ByteLinkPort: buffers what arrives and waits, with a timeout, for a match.
import { EtlsError } from '../errors';
import type { ByteLinkPort, CancellationPort } from '../ports';

/** Finds something in the received bytes; returns what it found and how many bytes it used. */
export type Matcher<T> = (buf: Buffer) => { value: T; consumed: number } | undefined;

interface Waiter {
  match: Matcher<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class LinkReader {
  private buf = Buffer.alloc(0);
  private waiter: Waiter | undefined;
  private closed: EtlsError | undefined;
  private readonly subs: { dispose(): void }[];

  constructor(
    readonly link: ByteLinkPort,
    private readonly cancel: CancellationPort,
  ) {
    this.subs = [
      link.onData((d) => this.received(d)),
      link.onClose((e) => this.fail(linkClosed(e))),
      cancel.onCancellationRequested(() => this.fail(cancelled())),
    ];
  }

  /** Bytes received and not yet consumed. */
  get pending(): Buffer {
    return this.buf;
  }

  /** Drops everything received so far (stale echoes, boot messages). */
  discard(): void {
    this.buf = Buffer.alloc(0);
  }

  async write(data: string | Uint8Array): Promise<void> {
    this.throwIfDone();
    try {
      await this.link.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
    } catch (e) {
      throw linkClosed(e instanceof Error ? e : undefined);
    }
  }

  /** Waits until `match` finds what it wants, or rejects with a timeout naming `what`. */
  waitFor<T>(match: Matcher<T>, timeoutMs: number, what: string): Promise<T> {
    this.throwIfDone();
    if (this.waiter) throw new Error('LinkReader: one wait at a time');
    const now = match(this.buf);
    if (now) {
      this.buf = this.buf.subarray(now.consumed);
      return Promise.resolve(now.value);
    }
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(
          new EtlsError(
            'timeout',
            `The board did not answer within ${(timeoutMs / 1000).toFixed(1)} s while waiting for ${what}`,
            'Check the cable, the port, the baud rate and that the board runs the expected firmware',
          ),
        );
      }, timeoutMs);
      this.waiter = {
        match: match as Matcher<unknown>,
        resolve: resolve as (v: unknown) => void,
        reject,
        timer,
      };
    });
  }

  /** Waits for one line ending CR or LF; empty lines are skipped. */
  readLine(timeoutMs: number, what: string): Promise<string> {
    return this.waitFor(
      (b) => {
        let start = 0;
        while (start < b.length && (b[start] === 13 || b[start] === 10)) start++;
        for (let i = start; i < b.length; i++) {
          if (b[i] === 13 || b[i] === 10)
            return { value: b.subarray(start, i).toString('latin1'), consumed: i + 1 };
        }
        return undefined;
      },
      timeoutMs,
      what,
    );
  }

  /** Stops listening; pending waits reject. */
  dispose(): void {
    this.fail(new EtlsError('cancelled', 'The push stopped'));
    for (const s of this.subs) s.dispose();
  }

  private received(d: Uint8Array): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : Buffer.from(d);
    const w = this.waiter;
    if (!w) return;
    const found = w.match(this.buf);
    if (!found) return;
    this.buf = this.buf.subarray(found.consumed);
    this.waiter = undefined;
    clearTimeout(w.timer);
    w.resolve(found.value);
  }

  private fail(e: EtlsError): void {
    this.closed ??= e;
    const w = this.waiter;
    if (!w) return;
    this.waiter = undefined;
    clearTimeout(w.timer);
    w.reject(e);
  }

  private throwIfDone(): void {
    if (this.cancel.isCancellationRequested) throw cancelled();
    if (this.closed) throw this.closed;
  }
}

export function cancelled(): EtlsError {
  return new EtlsError('cancelled', 'The push was cancelled', 'Run it again when ready');
}

function linkClosed(e?: Error): EtlsError {
  return new EtlsError(
    'link',
    `The serial link closed during the push${e ? ` (${e.message.replace(/\s+/g, ' ').slice(0, 80)})` : ''}`,
    'Check that the board is still plugged in and that no other program (a terminal, a flasher) holds the port',
  );
}

/** Resolves after `ms`, or rejects at once on cancellation. */
export function sleep(ms: number, cancel: CancellationPort): Promise<void> {
  return new Promise((resolve, reject) => {
    if (cancel.isCancellationRequested) return reject(cancelled());
    const sub = cancel.onCancellationRequested(() => {
      clearTimeout(t);
      reject(cancelled());
    });
    const t = setTimeout(() => {
      sub.dispose();
      resolve();
    }, ms);
  });
}
