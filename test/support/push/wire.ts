// One direction of a simulated serial wire: delivers bytes no faster than the baud rate allows
// (10 bits per byte) and injects faults at given byte positions.
export interface WireFaults {
  /** Byte positions (0-based, counted over everything sent this way) that never arrive. */
  drop?: number[];
  /** Byte positions that arrive with bits flipped. */
  corrupt?: number[];
  /** Stops the wire for `ms` when byte `at` is due. */
  stall?: { at: number; ms: number };
  /** Calls `onDisconnect` when byte `at` is due; nothing more arrives. */
  disconnectAt?: number;
  /** What a corrupted byte is XORed with; default 0x5a. */
  corruptMask?: number;
}

export class ThrottledWire {
  private queue: number[] = [];
  /** When the byte at the head of the queue finishes arriving, in ms (performance.now()). */
  private headDue = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private position = 0;
  private dead = false;
  private readonly msPerByte: number;

  constructor(
    baud: number,
    private readonly deliver: (data: Buffer) => void,
    private readonly faults: WireFaults = {},
    private readonly onDisconnect: () => void = () => {},
  ) {
    this.msPerByte = (10 * 1000) / baud;
  }

  /** Bytes handed to the wire so far (including dropped ones). */
  get sent(): number {
    return this.position + this.queue.length;
  }

  push(data: Uint8Array): void {
    if (this.dead) return;
    if (this.queue.length === 0) this.headDue = Math.max(performance.now(), this.headDue) + this.msPerByte;
    for (const b of data) this.queue.push(b);
    this.schedule();
  }

  stop(): void {
    this.dead = true;
    if (this.timer) clearTimeout(this.timer);
    this.queue = [];
  }

  private schedule(): void {
    if (this.timer || this.dead || this.queue.length === 0) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.tick();
      },
      Math.max(0, this.headDue - performance.now()),
    );
  }

  private tick(): void {
    const now = performance.now();
    const out: number[] = [];
    const f = this.faults;
    while (this.queue.length && this.headDue <= now && !this.dead) {
      const pos = this.position;
      if (f.stall && f.stall.at === pos && f.stall.ms > 0) {
        this.headDue += f.stall.ms;
        f.stall = { ...f.stall, ms: 0 };
        break;
      }
      if (f.disconnectAt === pos) {
        this.dead = true;
        if (out.length) this.deliver(Buffer.from(out));
        this.queue = [];
        this.onDisconnect();
        return;
      }
      const b = this.queue.shift()!;
      this.position++;
      this.headDue += this.msPerByte;
      if (f.drop?.includes(pos)) continue;
      out.push(f.corrupt?.includes(pos) ? b ^ (f.corruptMask ?? 0x5a) : b);
    }
    if (this.queue.length === 0) this.headDue = Math.max(this.headDue - this.msPerByte, now);
    if (out.length) this.deliver(Buffer.from(out));
    this.schedule();
  }
}
