// The message list: the newest rows the host sent (at most `capacity`), filtered by topic, drawn
// through VirtualRows. New rows are appended and old ones dropped from the front; the list is never
// rebuilt except when the filter changes or the host resets it.
import { topicMatches, type FeedRow } from '../../src/shared/protocol';
import { ROW_HEIGHT, VirtualRows } from './virtualRows';
import { time } from './widgets';

export { ROW_HEIGHT };

export function matchesFilter(filter: string, topic: string): boolean {
  if (!filter) return true;
  return /[+#]/.test(filter) ? topicMatches(filter, topic) : topic.includes(filter);
}

export class MessageList {
  private rows: FeedRow[] = [];
  private shown: FeedRow[] = [];
  private filter = '';
  selected: number | undefined;
  private readonly view: VirtualRows;

  constructor(
    private readonly capacity: number,
    private readonly onSelect: (row: FeedRow) => void,
  ) {
    this.view = new VirtualRows(
      (el, i) => this.fillRow(el, i),
      (el) => {
        el.className = 'entry';
        el.innerHTML =
          '<span class="time"></span><span class="codicon"></span><span class="topic"></span><span class="payload"></span><span class="badge"></span>';
        el.addEventListener('click', () => {
          const row = this.shown.find((r) => String(r.id) === el.dataset['id']);
          if (!row) return;
          this.selected = row.id;
          this.view.render();
          this.onSelect(row);
        });
      },
      true,
    );
  }

  /** Rows the list shows (after the filter). */
  get length(): number {
    return this.shown.length;
  }

  get newest(): FeedRow | undefined {
    return this.rows.at(-1);
  }

  attach(el: HTMLElement | null): void {
    this.view.attach(el);
  }

  setFilter(filter: string): void {
    if (filter === this.filter) return;
    this.filter = filter;
    this.shown = this.rows.filter((r) => matchesFilter(filter, r.topic));
    this.view.setCount(this.shown.length);
  }

  clear(): void {
    this.rows = [];
    this.shown = [];
    this.selected = undefined;
    this.view.setCount(0);
  }

  /** Adds the newest rows (or replaces all with `reset`); drops the oldest beyond the capacity. */
  append(rows: FeedRow[], reset: boolean): void {
    if (reset) {
      this.rows = rows.slice(-this.capacity);
      this.shown = this.rows.filter((r) => matchesFilter(this.filter, r.topic));
      this.view.setCount(this.shown.length);
      return;
    }
    if (!rows.length) return;
    for (const r of rows) {
      this.rows.push(r);
      if (matchesFilter(this.filter, r.topic)) this.shown.push(r);
    }
    let removed = 0;
    if (this.rows.length > this.capacity) {
      this.rows.splice(0, this.rows.length - this.capacity);
      const oldest = this.rows[0]!.id;
      while (removed < this.shown.length && this.shown[removed]!.id < oldest) removed++;
      if (removed) this.shown.splice(0, removed);
    }
    this.view.setCount(this.shown.length, removed);
  }

  private fillRow(el: HTMLDivElement, i: number): void {
    const r = this.shown[i];
    if (!r) return;
    if (el.dataset['id'] === String(r.id) && el.classList.contains('selected') === (r.id === this.selected))
      return;
    el.dataset['id'] = String(r.id);
    el.dataset['topic'] = r.topic;
    el.classList.toggle('selected', r.id === this.selected);
    const [t, icon, topic, payload, badge] = el.children as unknown as HTMLElement[];
    t!.textContent = time(r.at);
    icon!.className = `codicon codicon-${r.direction === 'in' ? 'arrow-down' : 'arrow-up'}`;
    topic!.textContent = r.topic;
    payload!.textContent = r.preview;
    badge!.textContent = r.retain ? 'retained' : '';
  }
}
