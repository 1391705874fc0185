// Applies the host's feed updates to the message list, the topic tree and the counters, without
// drawing the rest of the panel, then acknowledges each update so the host may send the next.
// Clear and Pause act here at once; rows of an update made before the Clear are ignored by epoch.
import {
  FEED_VIEW_ROWS,
  type FeedCounts,
  type FeedRow,
  type FeedUpdate,
  type WebviewToHost,
} from '../../src/shared/protocol';
import { MessageList } from './messageList';
import { TopicView } from './topicView';

// One formatter for every number drawn: toLocaleString would build one per call.
const n = new Intl.NumberFormat('en').format;
const publishTime = (row: FeedRow | undefined) => {
  const m = row && /"t":(\d{10,16})/.exec(row.preview);
  return m ? Number(m[1]) : undefined;
};

export class FeedView {
  readonly list: MessageList;
  readonly topics = new TopicView();
  counts: FeedCounts | undefined;
  sequenceField = '';
  paused = false;
  probe = false;
  private epoch = 0;
  /** After a Clear here: rows from updates of an older epoch are stale. */
  private clearedBefore: number | undefined;
  private countsEl: HTMLElement | null = null;
  private dropsEl: HTMLElement | null = null;

  constructor(
    private readonly post: (m: WebviewToHost) => void,
    onSelect: (row: FeedRow) => void,
    private readonly onPausedChange: () => void,
  ) {
    this.list = new MessageList(FEED_VIEW_ROWS, onSelect);
  }

  /** Binds to the containers the panel's template drew. */
  attach(): void {
    this.list.attach(document.getElementById('log'));
    this.topics.attach(document.getElementById('topics'));
    this.countsEl = document.getElementById('feedCounts');
    this.dropsEl = document.getElementById('feedDrops');
    this.renderCounts();
  }

  apply(u: FeedUpdate): void {
    if (this.clearedBefore !== undefined && u.epoch >= this.clearedBefore) this.clearedBefore = undefined;
    const stale = this.clearedBefore !== undefined;
    this.epoch = u.epoch;
    // A reset (a reloaded view, or Resume) carries the host's word on pausing.
    if (u.reset && u.counts.paused !== this.paused) {
      this.paused = u.counts.paused;
      this.onPausedChange();
    }
    const oldestNew = stale || (this.paused && !u.reset) ? undefined : u.rows[0];
    if (!stale && (!this.paused || u.reset)) this.list.append(u.rows, u.reset);
    this.topics.apply(u);
    this.counts = u.counts;
    this.sequenceField = u.sequenceField;
    this.renderCounts();
    this.report(u.seq, oldestNew);
  }

  /** Empties the list now; the host's confirmation follows with the next epoch. */
  clearNow(): void {
    this.list.clear();
    this.clearedBefore = this.epoch + 1;
    this.renderCounts();
    this.report(undefined, undefined);
  }

  private report(seq: number | undefined, oldestNew: FeedRow | undefined): void {
    this.post({
      type: 'rendered',
      logCount: this.list.length,
      topics: this.topics.tree.size,
      received: this.counts?.received ?? 0,
      ...(seq !== undefined ? { seq } : {}),
      ...(this.probe
        ? {
            probe: {
              drawnAt: Date.now(),
              newestT: publishTime(this.list.newest),
              oldestNewT: publishTime(oldestNew),
            },
          }
        : {}),
    });
  }

  private renderCounts(): void {
    const c = this.counts;
    if (this.countsEl) {
      this.countsEl.textContent = c
        ? `Received ${n(c.received)} (${n(c.ratePerSecond)}/s)${c.sent ? `, sent ${n(c.sent)}` : ''} · showing the last ${n(this.list.length)} of ${n(c.received + c.sent)}` +
          `${this.paused ? ' · paused, still counting' : ''} · history ${n(c.stored)} (${(c.storedBytes / 1048576).toFixed(1)} MB${c.evicted ? `, ${n(c.evicted)} older let go` : ''}) · ${n(c.topics)} topics`
        : '';
    }
    if (this.dropsEl) {
      const parts: string[] = [];
      if (c?.dropped)
        parts.push(
          `This client dropped ${n(c.dropped)} messages it could not hold (counted, not kept): raise embeddedTls.mqtt.historyMemoryMB or subscribe to fewer topics.`,
        );
      if (this.sequenceField && c)
        parts.push(
          c.missing
            ? `Sequence check on "${this.sequenceField}": ${n(c.missing)} messages missing before they reached this client (often the broker's queue); per topic in the tree.`
            : `Sequence check on "${this.sequenceField}": no gaps.`,
        );
      this.dropsEl.textContent = parts.join(' ');
      this.dropsEl.hidden = !parts.length;
    }
  }
}
