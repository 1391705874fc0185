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
  /**
   * Faults placed by content rather than position: `offset` bytes after the n-th (default first)
   * time `after` went by. Content-based places do not move when a certificate is a byte longer.
   */
  after?: {
    text: string;
    nth?: number;
    offset: number;
    action: 'drop' | 'corrupt' | 'disconnect';
    mask?: number;
  }[];
}

export class ThrottledWire {
  private queue: number[] = [];
  /** When the byte at the head of the queue finishes arriving, in ms (performance.now()). */
  private headDue = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private position = 0;
  private dead = false;
  private recent = '';
  private seenAt = new Map<number, number>();
  private counts = new Map<number, number>();
  private armed = new Map<number, { action: 'drop' | 'corrupt' | 'disconnect'; mask?: number }>();
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

  /** Arms the content-placed faults whose marker has just gone by. */
  private watch(pos: number): void {
    (this.faults.after ?? []).forEach((t, i) => {
      if (!this.recent.endsWith(t.text) || this.seenAt.get(i) === pos) return;
      this.seenAt.set(i, pos);
      const count = (this.counts.get(i) ?? 0) + 1;
      this.counts.set(i, count);
      if (count === (t.nth ?? 1))
        this.armed.set(pos + t.offset, { action: t.action, ...(t.mask ? { mask: t.mask } : {}) });
    });
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
      this.watch(pos);
      const placed = this.armed.get(pos);
      if (f.disconnectAt === pos || placed?.action === 'disconnect') {
        this.dead = true;
        if (out.length) this.deliver(Buffer.from(out));
        this.queue = [];
        this.onDisconnect();
        return;
      }
      const b = this.queue.shift()!;
      this.position++;
      this.headDue += this.msPerByte;
      if (f.drop?.includes(pos) || placed?.action === 'drop') continue;
      if (placed?.action === 'corrupt') out.push(b ^ (placed.mask ?? 0x5a));
      else out.push(f.corrupt?.includes(pos) ? b ^ (f.corruptMask ?? 0x5a) : b);
      this.recent = (this.recent + String.fromCharCode(b)).slice(-64);
    }
    if (this.queue.length === 0) this.headDue = Math.max(this.headDue - this.msPerByte, now);
    if (out.length) this.deliver(Buffer.from(out));
    this.schedule();
  }
}
