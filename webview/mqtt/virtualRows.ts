// A scrolling list of fixed-height rows that keeps DOM elements only for the rows in view (and a few
// around them), so drawing costs the same for 20 rows or 20,000. Used by the message list and the
// topic tree; the caller says how many rows there are and how to fill one element for row i.

export const ROW_HEIGHT = 20;
const OVERSCAN = 4;

export class VirtualRows {
  private el: HTMLElement | undefined;
  private spacer: HTMLDivElement | undefined;
  private pool: HTMLDivElement[] = [];
  private count = 0;
  /** Keeps the newest row in view until the user scrolls up. */
  follow: boolean;
  private scheduled = false;

  constructor(
    private readonly fill: (el: HTMLDivElement, index: number) => void,
    private readonly make: (el: HTMLDivElement) => void,
    follow: boolean,
  ) {
    this.follow = follow;
  }

  /** Binds to the container lit drew; a new container (the panel was drawn again) starts fresh. */
  attach(el: HTMLElement | null): void {
    if (!el || el === this.el) return;
    this.el = el;
    el.replaceChildren();
    this.pool = [];
    this.spacer = document.createElement('div');
    this.spacer.className = 'spacer';
    el.append(this.spacer);
    el.addEventListener('scroll', () => {
      if (!this.el) return;
      this.follow = this.el.scrollTop + this.el.clientHeight >= this.el.scrollHeight - ROW_HEIGHT;
      this.schedule();
    });
    this.render();
  }

  /** The number of rows changed; `removedAtTop` rows left the top (the view stays on the same rows). */
  setCount(count: number, removedAtTop = 0): void {
    this.count = count;
    if (this.el && !this.follow && removedAtTop) this.el.scrollTop -= removedAtTop * ROW_HEIGHT;
    this.render();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.render();
    });
  }

  /** Fills the elements of the rows in view; nothing else is touched. */
  render(): void {
    const el = this.el;
    if (!el || !this.spacer) return;
    this.spacer.style.height = `${this.count * ROW_HEIGHT}px`;
    const height = el.clientHeight || 320;
    if (this.follow) el.scrollTop = this.count * ROW_HEIGHT;
    const top = Math.max(0, Math.min(el.scrollTop, this.count * ROW_HEIGHT - height));
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.count, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    const needed = Math.max(0, last - first);
    while (this.pool.length < needed) {
      const row = document.createElement('div');
      this.make(row);
      el.append(row);
      this.pool.push(row);
    }
    this.pool.forEach((row, k) => {
      const i = first + k;
      if (k >= needed) {
        row.style.display = 'none';
        return;
      }
      row.style.display = '';
      row.style.transform = `translateY(${i * ROW_HEIGHT}px)`;
      this.fill(row, i);
    });
  }
}
