// Per-topic figures for the panel's topic tree, like MQTT Explorer's: how many messages, the rate, and
// the last value. A message costs one map lookup; the preview text is made only for topics that
// changed, once per display frame, so the tree's cost follows the number of topics, not the rate.
import type { TopicFigures } from '../../../shared/protocol';
import { previewOf } from './preview';

export type { TopicFigures };

interface TopicEntry {
  count: number;
  window: number;
  rate: number;
  lastPayload: Uint8Array;
  lastAt: number;
}

export class TopicStats {
  private topics = new Map<string, TopicEntry>();
  private dirty = new Set<string>();
  private windowStart: number;

  constructor(
    now: number,
    /** The most distinct topics tracked; later ones are counted in `untracked`. */
    private readonly maxTopics = 10_000,
  ) {
    this.windowStart = now;
  }

  /** Messages on topics beyond maxTopics. */
  untracked = 0;

  get size(): number {
    return this.topics.size;
  }

  add(topic: string, payload: Uint8Array, at: number): void {
    let e = this.topics.get(topic);
    if (!e) {
      if (this.topics.size >= this.maxTopics) {
        this.untracked++;
        return;
      }
      e = { count: 0, window: 0, rate: 0, lastPayload: payload, lastAt: at };
      this.topics.set(topic, e);
    }
    e.count++;
    e.window++;
    e.lastPayload = payload;
    e.lastAt = at;
    this.dirty.add(topic);
  }

  /** Closes the rate window once a second has passed: each topic's rate becomes its count in it. */
  tick(now: number): void {
    if (now - this.windowStart < 1000) return;
    const seconds = (now - this.windowStart) / 1000;
    this.windowStart = now;
    for (const [topic, e] of this.topics) {
      if (e.window === 0 && e.rate === 0) continue;
      const rate = Math.round(e.window / seconds);
      if (rate !== e.rate) this.dirty.add(topic);
      e.rate = rate;
      e.window = 0;
    }
  }

  /** The figures of every topic that changed since the last call. */
  takeChanges(previewChars = 80): TopicFigures[] {
    const out: TopicFigures[] = [];
    for (const topic of this.dirty) {
      const e = this.topics.get(topic);
      if (e) out.push(this.figures(topic, e, previewChars));
    }
    this.dirty.clear();
    return out;
  }

  /** Every topic's figures, sorted by topic. */
  all(previewChars = 80): TopicFigures[] {
    return [...this.topics]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([topic, e]) => this.figures(topic, e, previewChars));
  }

  clear(): void {
    this.topics.clear();
    this.dirty.clear();
    this.untracked = 0;
  }

  private figures(topic: string, e: TopicEntry, chars: number): TopicFigures {
    return { topic, count: e.count, rate: e.rate, last: previewOf(e.lastPayload, chars), lastAt: e.lastAt };
  }
}
