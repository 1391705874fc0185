// The panel's message history: the newest messages, bounded by count and by payload bytes. Evicting the
// oldest to make room is the history doing its job, not a loss; a message the history refuses (its
// payload alone over the byte budget) is counted as dropped by the caller.

export interface StoredMessage {
  id: number;
  /** Milliseconds since the epoch, when it arrived (or was sent). */
  at: number;
  direction: 'in' | 'out';
  topic: string;
  payload: Uint8Array;
  qos: 0 | 1 | 2;
  retain: boolean;
}

export interface HistoryLimits {
  /** The most messages kept. */
  maxMessages: number;
  /** The most payload and topic bytes kept, in all. */
  maxBytes: number;
}

/** Rough bytes one stored message holds: its payload, its topic and the object around them. */
export const messageCost = (m: Pick<StoredMessage, 'payload' | 'topic'>) =>
  m.payload.byteLength + m.topic.length * 2 + 96;

/** A ring of messages in arrival order; ids grow by one per message added, even across clears. */
export class MessageHistory {
  private ring: StoredMessage[] = [];
  private head = 0;
  private bytes = 0;
  /** Messages pushed out by newer ones since the last clear. */
  evicted = 0;

  constructor(private limits: HistoryLimits) {}

  get size(): number {
    return this.ring.length - this.head;
  }

  get storedBytes(): number {
    return this.bytes;
  }

  setLimits(limits: HistoryLimits): void {
    this.limits = limits;
    this.trim();
  }

  /** Keeps the message unless it alone is over the byte budget; then returns false. */
  add(m: StoredMessage): boolean {
    const cost = messageCost(m);
    if (cost > this.limits.maxBytes) return false;
    this.ring.push(m);
    this.bytes += cost;
    this.trim();
    return true;
  }

  private trim(): void {
    while (this.size > 0 && (this.size > this.limits.maxMessages || this.bytes > this.limits.maxBytes)) {
      this.bytes -= messageCost(this.ring[this.head]!);
      this.ring[this.head++] = undefined as unknown as StoredMessage;
      this.evicted++;
    }
    // Compact now and then, so the array does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.ring.length) {
      this.ring = this.ring.slice(this.head);
      this.head = 0;
    }
  }

  clear(): void {
    this.ring = [];
    this.head = 0;
    this.bytes = 0;
    this.evicted = 0;
  }

  /** The message with this id, while it is still kept. Ids are consecutive, so this is a lookup. */
  get(id: number): StoredMessage | undefined {
    if (this.size === 0) return undefined;
    const first = this.ring[this.head]!.id;
    const i = this.head + (id - first);
    const m = i >= this.head && i < this.ring.length ? this.ring[i] : undefined;
    // Ids are consecutive only within the history; a search covers any gap.
    return m?.id === id ? m : this.ring.slice(this.head).find((x) => x.id === id);
  }

  /** The newest `n` messages, oldest first. */
  last(n: number): StoredMessage[] {
    return this.ring.slice(Math.max(this.head, this.ring.length - n));
  }

  /** Every kept message, oldest first. */
  *all(): Iterable<StoredMessage> {
    for (let i = this.head; i < this.ring.length; i++) yield this.ring[i]!;
  }
}
