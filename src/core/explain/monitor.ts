// The board monitor's annotator: the board's bytes pass through unchanged, and after each complete line that
// names a known error, a marked explanation follows. Used by `etls monitor` and the VS Code board terminal.
import { explain, isSuccess, type Explanation } from './explain';

/** What the host writes, in order: the board's own bytes, or an annotation (text). */
export type MonitorChunk =
  { kind: 'board'; bytes: Uint8Array } | { kind: 'note'; text: string; explanation?: Explanation };

/** The mark every annotation line starts with, so it stands apart from the board's output (and can be grepped). */
export const MONITOR_MARK = '  ⮡ etls:';

const MAX_LINE = 4096;

const ansi = /\x1b\[[0-9;?]*[A-Za-z]/g;

export class LineAnnotator {
  private pending: number[] = [];
  private lastKey = '';
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  constructor(
    private readonly target?: string,
    private readonly mark = MONITOR_MARK,
  ) {}

  /** The board sent bytes: returns them unchanged, each completed line followed by its explanation. */
  feed(data: Uint8Array): MonitorChunk[] {
    const out: MonitorChunk[] = [];
    let from = 0;
    for (let i = 0; i < data.length; i++) {
      const b = data[i]!;
      if (b === 0x0a) {
        out.push({ kind: 'board', bytes: data.subarray(from, i + 1) });
        from = i + 1;
        const note = this.lineDone();
        if (note) out.push(note);
      } else if (b !== 0x0d) {
        // A board that never ends its line (binary noise after a reset) does not grow the buffer forever.
        if (this.pending.length < MAX_LINE) this.pending.push(b);
      }
    }
    if (from < data.length) out.push({ kind: 'board', bytes: data.subarray(from) });
    return out;
  }

  /** The port closed or the board reset: a half line is not a line; forget it. */
  reset(): void {
    this.pending = [];
  }

  /** End of input: the last line may have had no newline. The note starts on a line of its own. */
  end(): MonitorChunk[] {
    if (!this.pending.length) return [];
    const note = this.lineDone();
    return note ? [{ ...note, text: '\n' + note.text }] : [];
  }

  private lineDone(): Extract<MonitorChunk, { kind: 'note' }> | undefined {
    const line = this.decoder.decode(Uint8Array.from(this.pending)).replace(ansi, '').trim();
    this.pending = [];
    if (line.length < 2 || line.startsWith(this.mark.trim())) return undefined;
    const r = explain(line, this.target);
    // A number alone on a line is usually a counter or a value, not an error report, unless it looks like one.
    if (r.via === 'bare code' && !/^-0x[0-9a-f]+$|^-\d{3,}$/i.test(line)) return undefined;
    const best = r.explanations[0];
    if (!best || isSuccess(best)) return undefined;
    const key = `${best.library}:${best.code}:${best.name}`;
    const repeat = key === this.lastKey;
    this.lastKey = key;
    const others = r.explanations.slice(1, 3).map((x) => `${x.library} ${x.name}`);
    const lines = [`${this.mark} ${best.library} ${best.code} ${best.name}: ${best.meaning}`];
    if (!repeat) {
      if (best.note) lines.push(`${this.mark}   ${best.note}`);
      if (best.kind !== 'other') lines.push(`${this.mark}   likely: ${best.causes[0]}`);
      lines.push(`${this.mark}   fix: ${best.fix}`);
      if (best.diagnose[0]) lines.push(`${this.mark}   tell which: ${best.diagnose[0]}`);
      if (others.length) lines.push(`${this.mark}   or, in another library: ${others.join('; ')}`);
    }
    return { kind: 'note', text: lines.join('\n') + '\n', explanation: best };
  }
}
