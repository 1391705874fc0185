// The optional sequence check: when publishers number their JSON payloads (e.g. {"seq": 41, ...}), a jump
// in a topic's numbers means messages were lost between the publisher and the client, usually in the
// broker's queue. Reports, per topic, the gaps and how many messages they add up to.
import type { TopicGaps } from '../../../shared/protocol';

export type { TopicGaps };

interface Track {
  next: number;
  gaps: number;
  missing: number;
  backwards: number;
}

/** Reads the number with a cheap scan rather than JSON.parse, so the check costs little per message. */
export function sequenceNumber(payload: Uint8Array, field: string): number | undefined {
  // Payloads that are not small JSON objects are skipped: the field must sit in the first 4 KiB.
  const text = new TextDecoder().decode(payload.subarray(0, 4096));
  const key = `"${field}"`;
  let i = text.indexOf(key);
  while (i >= 0) {
    let j = i + key.length;
    while (text[j] === ' ' || text[j] === '\t' || text[j] === '\n' || text[j] === '\r') j++;
    if (text[j] === ':') {
      const m = /^\s*(-?\d{1,15})(?![\d.eE])/.exec(text.slice(j + 1, j + 40));
      return m ? Number(m[1]) : undefined;
    }
    i = text.indexOf(key, j);
  }
  return undefined;
}

export class SequenceCheck {
  private tracks = new Map<string, Track>();
  private dirty = new Set<string>();

  constructor(
    readonly field: string,
    private readonly maxTopics = 10_000,
  ) {}

  add(topic: string, payload: Uint8Array): void {
    const n = sequenceNumber(payload, this.field);
    if (n === undefined) return;
    const t = this.tracks.get(topic);
    if (!t) {
      if (this.tracks.size < this.maxTopics)
        this.tracks.set(topic, { next: n + 1, gaps: 0, missing: 0, backwards: 0 });
      return;
    }
    if (n > t.next) {
      t.gaps++;
      t.missing += n - t.next;
      this.dirty.add(topic);
    } else if (n < t.next) {
      t.backwards++;
      this.dirty.add(topic);
    }
    t.next = n + 1;
  }

  /** Topics whose gaps changed since the last call. */
  takeChanges(): TopicGaps[] {
    const out = [...this.dirty].map((topic) => this.report(topic, this.tracks.get(topic)!));
    this.dirty.clear();
    return out;
  }

  /** Every topic with at least one gap or step back. */
  all(): TopicGaps[] {
    return [...this.tracks]
      .filter(([, t]) => t.gaps || t.backwards)
      .map(([topic, t]) => this.report(topic, t));
  }

  /** Messages missing over all topics. */
  get missing(): number {
    let n = 0;
    for (const t of this.tracks.values()) n += t.missing;
    return n;
  }

  private report(topic: string, t: Track): TopicGaps {
    return { topic, gaps: t.gaps, missing: t.missing, backwards: t.backwards, last: t.next - 1 };
  }
}
