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
  /** Rows that ever left the top: row i sits in pool slot (base + i) % size, so a row keeps its element. */
  private base = 0;
  /** Kept from the resize and scroll events: reading them from the DOM would force a layout per update. */
  private height = 320;
  private scrollTop = 0;
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
    this.height = el.clientHeight || 320;
    new ResizeObserver(() => {
      this.height = el.clientHeight || this.height;
      this.schedule();
    }).observe(el);
    el.addEventListener('scroll', () => {
      this.scrollTop = el.scrollTop;
      this.follow = this.scrollTop + this.height >= this.count * ROW_HEIGHT - ROW_HEIGHT;
      this.schedule();
    });
    this.render();
  }

  /** The number of rows changed; `removedAtTop` rows left the top (the view stays on the same rows). */
  setCount(count: number, removedAtTop = 0): void {
    this.count = count;
    this.base += removedAtTop;
    if (!this.follow && removedAtTop)
      this.scrollTop = Math.max(0, this.scrollTop - removedAtTop * ROW_HEIGHT);
    this.render(!this.follow && removedAtTop > 0);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.render();
    });
  }

  /** Places and fills the elements of the rows in view; rows still in view keep theirs untouched. */
  render(moveScroll = false): void {
    const el = this.el;
    if (!el || !this.spacer) return;
    const total = this.count * ROW_HEIGHT;
    this.spacer.style.height = `${total}px`;
    if (this.follow) {
      this.scrollTop = Math.max(0, total - this.height);
      el.scrollTop = this.scrollTop;
    } else if (moveScroll) el.scrollTop = this.scrollTop;
    const top = Math.max(0, Math.min(this.scrollTop, total - this.height));
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.count, Math.ceil((top + this.height) / ROW_HEIGHT) + OVERSCAN);
    const needed = Math.max(0, last - first);
    if (this.pool.length < needed) {
      while (this.pool.length < needed + OVERSCAN) {
        const row = document.createElement('div');
        this.make(row);
        el.append(row);
        this.pool.push(row);
      }
      // A new pool size moves rows to other slots: they are filled again.
      for (const row of this.pool) delete row.dataset['id'];
    }
    const size = this.pool.length;
    const used = new Uint8Array(size);
    for (let i = first; i < last; i++) {
      const slot = (this.base + i) % size;
      const row = this.pool[slot]!;
      used[slot] = 1;
      const y = `translateY(${i * ROW_HEIGHT}px)`;
      if (row.style.transform !== y) row.style.transform = y;
      if (row.style.display) row.style.display = '';
      this.fill(row, i);
    }
    for (let k = 0; k < size; k++)
      if (!used[k] && this.pool[k]!.style.display !== 'none') {
        this.pool[k]!.style.display = 'none';
        delete this.pool[k]!.dataset['id'];
      }
  }
}
