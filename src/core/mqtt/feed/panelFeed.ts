// What the MQTT panel's view is sent, at most once a display frame and only once the view has drawn
// the last update (one credit): new rows (only as many as the view can hold; older ones in the same
// frame would be pushed out before they were seen), the counters, and the topics and sequence gaps
// that changed. Each message costs a few counter and map updates here, whatever the view is doing;
// the work that grows with what is shown (previews, the message to the view) happens once per frame.
// Pure: no vscode, no timers; the host calls `take` on its frame timer.
import type { FeedCounts, FeedRow, FeedUpdate } from '../../../shared/protocol';
import { MessageHistory, type HistoryLimits, type StoredMessage } from './history';
import { previewOf } from './preview';
import { SequenceCheck } from './sequenceCheck';
import { TopicStats } from './topicStats';

// The update's shapes are the panel protocol's (src/shared/protocol.ts): the view reads them as sent.
export type { FeedCounts, FeedRow, FeedUpdate };

export interface FeedOptions {
  /** Shortest time between two updates. */
  frameMs: number;
  /** The most rows the view's list holds. */
  viewRows: number;
  history: HistoryLimits;
  /** The most messages stored per second; more are counted (and dropped). */
  maxStoredPerSecond: number;
  /** Without an acknowledgement for this long, the view is taken to have lost the update. */
  ackTimeoutMs: number;
  previewChars: number;
}

export const defaultFeedOptions: FeedOptions = {
  frameMs: 150,
  viewRows: 1000,
  history: { maxMessages: 10_000, maxBytes: 32 * 1024 * 1024 },
  maxStoredPerSecond: 100_000,
  ackTimeoutMs: 3000,
  previewChars: 100,
};

export interface IncomingMessage {
  topic: string;
  payload: Uint8Array;
  qos: 0 | 1 | 2;
  retain: boolean;
  at: number;
}

export class PanelFeed {
  readonly history: MessageHistory;
  private topics: TopicStats;
  private sequence: SequenceCheck | undefined;
  private opts: FeedOptions;
  private lastId = 0;
  private seq = 0;
  private epoch = 0;
  private received = 0;
  private sent = 0;
  private dropped = 0;
  private rate = 0;
  private rateWindow = 0;
  private rateStart: number;
  private storedThisSecond = 0;
  private paused = false;
  /** Rows not yet sent, newest last, at most viewRows of them. */
  private pending: StoredMessage[] = [];
  private needReset = true;
  private needTopicsReset = true;
  private changed = true;
  private awaitingAck: number | undefined;
  private lastSentAt = -Infinity;

  constructor(now: number, options: Partial<FeedOptions> = {}) {
    this.opts = { ...defaultFeedOptions, ...options };
    this.history = new MessageHistory(this.opts.history);
    this.topics = new TopicStats(now);
    this.rateStart = now;
  }

  get options(): Readonly<FeedOptions> {
    return this.opts;
  }

  setHistoryLimits(limits: HistoryLimits): void {
    this.opts = { ...this.opts, history: limits };
    this.history.setLimits(limits);
    this.changed = true;
  }

  add(direction: 'in' | 'out', m: IncomingMessage): void {
    this.changed = true;
    if (direction === 'in') {
      this.received++;
      this.rateWindow++;
      this.topics.add(m.topic, m.payload, m.at);
      this.sequence?.add(m.topic, m.payload);
    } else this.sent++;
    if (this.storedThisSecond >= this.opts.maxStoredPerSecond) {
      this.dropped++;
      return;
    }
    const stored: StoredMessage = { id: this.lastId + 1, direction, ...m };
    if (!this.history.add(stored)) {
      this.dropped++;
      return;
    }
    this.lastId++;
    this.storedThisSecond++;
    if (this.paused) return;
    this.pending.push(stored);
    // More rows than the view holds: the older ones would scroll out of it unseen.
    if (this.pending.length > this.opts.viewRows * 2) {
      this.pending = this.pending.slice(-this.opts.viewRows);
      this.needReset = true;
    }
  }

  /** Empties the history and the view's list (the totals go on); the next update says so at once. */
  clear(): void {
    this.history.clear();
    this.pending = [];
    this.epoch++;
    this.needReset = true;
    this.changed = true;
  }

  /** Starts the counters again, e.g. on a new connection. */
  resetCounters(now: number): void {
    this.received = this.sent = this.dropped = this.rate = this.rateWindow = 0;
    this.rateStart = now;
    this.topics.clear();
    this.needTopicsReset = true;
    if (this.sequence) this.sequence = new SequenceCheck(this.sequence.field);
    this.changed = true;
  }

  /** Stops adding rows to the view (counting goes on); resuming shows the newest rows. */
  setPaused(paused: boolean): void {
    if (paused === this.paused) return;
    this.paused = paused;
    this.pending = [];
    if (!paused) this.needReset = true;
    this.changed = true;
  }

  /** Turns the sequence check on for this JSON field, or off with ''. */
  setSequenceField(field: string): void {
    this.sequence = field ? new SequenceCheck(field) : undefined;
    this.needTopicsReset = true;
    this.changed = true;
  }

  /** The view was (re)loaded: it has nothing, so the next update brings everything it shows. */
  resync(): void {
    this.needReset = true;
    this.needTopicsReset = true;
    this.awaitingAck = undefined;
    this.changed = true;
  }

  /** The view drew update `seq`: it may have the next one. */
  ack(seq: number): void {
    if (seq === this.awaitingAck) this.awaitingAck = undefined;
  }

  /** Closes the rate windows; call it every frame. */
  tick(now: number): void {
    this.topics.tick(now);
    if (now - this.rateStart >= 1000) {
      const rate = Math.round(this.rateWindow / ((now - this.rateStart) / 1000));
      if (rate !== this.rate) this.changed = true;
      this.rate = rate;
      this.rateWindow = 0;
      this.rateStart = now;
      this.storedThisSecond = 0;
    }
  }

  /**
   * The next update, or undefined when there is nothing new, the last one is not drawn yet, or the
   * frame interval has not passed. `urgent` (Clear, Pause) skips the interval and the credit: the user
   * is waiting for it, and the view drops stale rows by their epoch.
   */
  take(now: number, urgent = false): FeedUpdate | undefined {
    if (!this.changed) return undefined;
    if (!urgent) {
      if (now - this.lastSentAt < this.opts.frameMs) return undefined;
      if (this.awaitingAck !== undefined && now - this.lastSentAt < this.opts.ackTimeoutMs) return undefined;
    }
    // More new rows than the list holds: sending only the newest would leave a hole in the list.
    const reset = this.needReset || this.pending.length > this.opts.viewRows;
    const source = reset ? (this.paused ? [] : this.history.last(this.opts.viewRows)) : this.pending;
    const rows = source.slice(-this.opts.viewRows).map((m) => this.row(m));
    const topicsReset = this.needTopicsReset;
    const update: FeedUpdate = {
      seq: ++this.seq,
      epoch: this.epoch,
      reset,
      rows,
      counts: this.counts(),
      topics: topicsReset
        ? this.topics.all(this.opts.previewChars)
        : this.topics.takeChanges(this.opts.previewChars),
      topicsReset,
      gaps: topicsReset ? (this.sequence?.all() ?? []) : (this.sequence?.takeChanges() ?? []),
      sequenceField: this.sequence?.field ?? '',
    };
    if (topicsReset) this.topics.takeChanges(0);
    this.pending = [];
    this.needReset = false;
    this.needTopicsReset = false;
    this.changed = false;
    this.awaitingAck = update.seq;
    this.lastSentAt = now;
    return update;
  }

  counts(): FeedCounts {
    return {
      received: this.received,
      sent: this.sent,
      ratePerSecond: this.rate,
      stored: this.history.size,
      storedBytes: this.history.storedBytes,
      evicted: this.history.evicted,
      dropped: this.dropped,
      missing: this.sequence?.missing ?? 0,
      topics: this.topics.size,
      paused: this.paused,
    };
  }

  private row(m: StoredMessage): FeedRow {
    return {
      id: m.id,
      at: m.at,
      direction: m.direction,
      topic: m.topic,
      preview: previewOf(m.payload, this.opts.previewChars),
      size: m.payload.byteLength,
      qos: m.qos,
      retain: m.retain,
    };
  }
}
