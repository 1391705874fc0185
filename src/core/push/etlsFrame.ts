// Pushes files with etls-frame, the project's own protocol (docs/etls-frame.md): HELLO, then per file
// BEGIN, DATA..., END, VERIFY in a go-back-N window, and COMMIT only when the digests match.
import { EtlsError } from '../errors';
import { cancelled } from './link';
import { TransferProgress } from './progress';
import {
  beginPayload,
  dataPayload,
  encodeFrame,
  FrameDecoder,
  FrameError,
  FrameType,
  parseCaps,
  FRAME_MAX_PAYLOAD,
  type Frame,
  type ReceiverCaps,
} from './frame';
import {
  verifiedFile,
  type PlannedFile,
  type PushContext,
  type PushPlan,
  type PushReport,
  type PushedFile,
} from './types';

interface Outgoing {
  type: number;
  payload?: Uint8Array;
  /** Payload bytes of the file this frame carries, for progress. */
  bytes?: number;
}

class FrameSession {
  private readonly decoder = new FrameDecoder();
  private inbox: Frame[] = [];
  private wake: (() => void) | undefined;
  private failure: EtlsError | undefined;
  private seq = 0;
  private readonly subs: { dispose(): void }[];
  window = 1;

  constructor(private readonly ctx: PushContext) {
    this.subs = [
      ctx.link.onData((d) => {
        this.inbox.push(...this.decoder.push(d));
        this.wake?.();
      }),
      ctx.link.onClose(() =>
        this.stop(
          new EtlsError(
            'link',
            'The serial link closed during the push',
            'Check that the board is still connected',
          ),
        ),
      ),
      ctx.cancel.onCancellationRequested(() => this.stop(cancelled())),
    ];
  }

  private stop(e: EtlsError): void {
    this.failure ??= e;
    this.wake?.();
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }

  /** Waits up to `ms` for the next frame; undefined on timeout. */
  private next(ms: number): Promise<Frame | undefined> {
    return new Promise((resolve, reject) => {
      const take = (): boolean => {
        if (this.failure) {
          reject(this.failure);
          return true;
        }
        const f = this.inbox.shift();
        if (f) resolve(f);
        return f !== undefined;
      };
      if (take()) return;
      const t = setTimeout(() => {
        this.wake = undefined;
        resolve(undefined);
      }, ms);
      this.wake = () => {
        if (take()) {
          clearTimeout(t);
          this.wake = undefined;
        }
      };
    });
  }

  private wireMs(bytes: number): number {
    return (bytes * 10 * 1000) / this.ctx.baud;
  }

  /**
   * Sends frames with up to `window` unacknowledged (go-back-N). ACKs are cumulative; a NAK or a silence
   * sends everything from the first unacknowledged frame again. Gives up after `timeoutMs` without progress.
   */
  async exchange(items: Outgoing[], progress?: TransferProgress, label = ''): Promise<(Frame | undefined)[]> {
    const seqs = items.map(() => this.seq++ & 0xff);
    const frames = items.map((it, i) => encodeFrame(it.type, seqs[i]!, it.payload));
    const replies: (Frame | undefined)[] = new Array(items.length);
    const giveUpMs = (this.ctx.timeoutMs ?? 5000) + this.wireMs(frames.reduce((n, f) => n + f.length, 0));
    const rto = 250 + 2 * this.wireMs(this.window * (FRAME_MAX_PAYLOAD + 10) + 64);
    let base = 0;
    let sent = 0;
    let lastProgress = this.ctx.clock.now();
    while (base < items.length) {
      while (sent < items.length && sent < base + this.window) await this.write(frames[sent++]!);
      const f = await this.next(rto);
      if (!f || f.type === FrameType.NAK) {
        if (this.ctx.clock.now() - lastProgress > giveUpMs) {
          throw new EtlsError(
            'timeout',
            `The board stopped acknowledging etls-frame messages${label ? ` during ${label}` : ''}`,
            'Check the cable and the baud rate, and that the receiver firmware runs',
          );
        }
        const from = f ? (f.seq - seqs[base]!) & 0xff : 0;
        if (f && from >= sent - base) continue; // a NAK for something not sent yet or already acknowledged
        this.ctx.logger.debug(
          f ? `< NAK, resending from message ${base + from}` : `no reply, resending from ${base}`,
        );
        if (!f) this.decoder.reset();
        base += from;
        sent = base;
        continue;
      }
      const d = (f.seq - seqs[base]!) & 0xff;
      if (d >= sent - base) continue; // a late reply to something already acknowledged
      if (f.type === FrameType.ERR) throw frameError(f, label);
      if (f.type !== FrameType.ACK) continue;
      for (let i = base; i <= base + d; i++) if (items[i]!.bytes) progress?.advance(items[i]!.bytes!, label);
      replies[base + d] = f;
      base += d + 1;
      lastProgress = this.ctx.clock.now();
    }
    return replies;
  }

  private async write(frame: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    try {
      await this.ctx.link.write(frame);
    } catch {
      throw new EtlsError(
        'link',
        'The serial link closed during the push',
        'Check that the board is still connected',
      );
    }
  }
}

function frameError(f: Frame, label: string): EtlsError {
  const code = f.payload[0] ?? 0;
  const detail = f.payload
    .subarray(1)
    .toString('utf8')
    .replace(/[^\x20-\x7e]/g, '');
  const known = FrameError[code];
  const meaning = known?.meaning ?? `the receiver reported error ${code}`;
  return new EtlsError(
    code === 8 ? 'verify-failed' : 'device',
    `${label ? `${label}: ` : ''}${meaning}${detail ? ` (${detail})` : ''}`,
    known?.fix,
  );
}

/** HELLO payload: version 1 and the largest payload this host sends. */
function helloPayload(): Buffer {
  const p = Buffer.alloc(3);
  p[0] = 1;
  p.writeUInt16LE(FRAME_MAX_PAYLOAD, 1);
  return p;
}

async function hello(s: FrameSession, ctx: PushContext | undefined): Promise<ReceiverCaps> {
  const [reply] = await s.exchange([{ type: FrameType.HELLO, payload: helloPayload() }], undefined, 'HELLO');
  const caps = reply && parseCaps(reply.payload);
  if (!caps || caps.version !== 1 || caps.maxPayload < 16) {
    throw new EtlsError(
      'unsupported',
      'The receiver on the board speaks another version of etls-frame',
      'Update the receiver firmware',
    );
  }
  ctx?.logger.info(
    `receiver: etls-frame v${caps.version}, ${caps.storage || 'storage'}, window ${caps.window}, ${caps.maxPayload}-byte messages`,
  );
  return caps;
}

async function pushOne(
  s: FrameSession,
  f: PlannedFile,
  caps: ReceiverCaps,
  progress: TransferProgress,
): Promise<string> {
  if (caps.maxFileSize && f.data.length > caps.maxFileSize) {
    throw new EtlsError(
      'too-large',
      `${f.local} is ${f.data.length} bytes; the receiver takes at most ${caps.maxFileSize}`,
    );
  }
  const digest = Buffer.from(f.sha256, 'hex');
  const chunk = Math.min(caps.maxPayload, FRAME_MAX_PAYLOAD) - 4;
  const items: Outgoing[] = [
    { type: FrameType.BEGIN, payload: beginPayload(f.data.length, digest, f.remote) },
  ];
  for (let off = 0; off < f.data.length; off += chunk) {
    const bytes = f.data.subarray(off, off + chunk);
    items.push({ type: FrameType.DATA, payload: dataPayload(off, bytes), bytes: bytes.length });
  }
  items.push({ type: FrameType.END }, { type: FrameType.VERIFY });
  try {
    const replies = await s.exchange(items, progress, f.remote);
    const v = replies[replies.length - 1]?.payload;
    if (!v || v.length < 36 || v.readUInt32LE(0) !== f.data.length || !v.subarray(4, 36).equals(digest)) {
      throw new EtlsError(
        'verify-failed',
        `${f.remote}: the board's SHA-256 differs from the local file`,
        'Push again',
      );
    }
    await s.exchange([{ type: FrameType.COMMIT }], undefined, `${f.remote} (commit)`);
  } catch (e) {
    if (!(e instanceof EtlsError && ['link', 'cancelled', 'timeout'].includes(e.code))) {
      // Frames after the failed one may be lost or refused: HELLO puts both ends back in step, then ABORT.
      await hello(s, undefined)
        .then(() => s.exchange([{ type: FrameType.ABORT }], undefined, 'ABORT'))
        .catch(() => undefined);
    }
    throw e;
  }
  return 'SHA-256 checked by the receiver, committed by rename';
}

export async function pushEtlsFrame(plan: PushPlan, ctx: PushContext): Promise<PushReport> {
  const started = ctx.clock.now();
  const s = new FrameSession(ctx);
  const progress = new TransferProgress(ctx.progress, ctx.clock, plan.totalBytes, ctx.baud / 10 / 1.1);
  const files: PushedFile[] = [];
  try {
    const caps = await hello(s, ctx);
    s.window = Math.min(Math.max(1, caps.window), 16);
    for (const f of plan.files) {
      ctx.logger.info(`${f.local} → ${f.remote}: ${f.data.length} bytes`);
      const how = await pushOne(s, f, caps, progress);
      files.push(verifiedFile(f, how, ctx.logger));
    }
  } catch (e) {
    if (e instanceof EtlsError && (e.code === 'cancelled' || e.code === 'timeout')) {
      // Stopped mid-file: a HELLO makes the receiver drop its temporary file now, not at the next push.
      let t: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        ctx.link.write(encodeFrame(FrameType.HELLO, 0, helloPayload())),
        new Promise((r) => (t = setTimeout(r, 1000))),
      ]).catch(() => undefined);
      clearTimeout(t);
    }
    throw e;
  } finally {
    s.dispose();
  }
  return { protocol: 'etls-frame', files, elapsedMs: ctx.clock.now() - started };
}
