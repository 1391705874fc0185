// The topic tree's drawing: one row per open level (name, messages, rate, last value, sequence gaps),
// through VirtualRows, so a frame redraws only the rows in view whatever the number of topics.
import type { FeedUpdate } from '../../src/shared/protocol';
import { TopicTree, type TopicNode } from '../../src/shared/topicTree';
import { VirtualRows } from './virtualRows';

// One formatter for every number drawn: toLocaleString would build one per call.
const n = new Intl.NumberFormat('en').format;

export class TopicView {
  readonly tree = new TopicTree();
  private readonly view: VirtualRows;
  private rows: TopicNode[] = [];

  constructor() {
    this.view = new VirtualRows(
      (el, i) => this.fillRow(el, i),
      (el) => {
        el.className = 'node';
        el.innerHTML =
          '<span class="twisty codicon"></span><span class="name"></span><span class="count"></span><span class="rate"></span><span class="gaps"></span><span class="last"></span>';
        el.addEventListener('click', () => {
          const path = el.dataset['path'];
          if (path === undefined) return;
          this.tree.toggle(path);
          this.redraw();
        });
      },
      false,
    );
  }

  attach(el: HTMLElement | null): void {
    this.view.attach(el);
  }

  apply(u: FeedUpdate): void {
    if (!u.topics.length && !u.topicsReset && !u.gaps.length) return;
    this.tree.apply(u.topics, u.topicsReset);
    this.tree.applyGaps(u.gaps, u.topicsReset);
    this.redraw();
  }

  private redraw(): void {
    this.rows = this.tree.visible();
    this.view.setCount(this.rows.length);
  }

  private fillRow(el: HTMLDivElement, i: number): void {
    const node = this.rows[i];
    if (!node) return;
    el.dataset['path'] = node.path;
    const [twisty, name, count, rate, gaps, last] = el.children as unknown as HTMLElement[];
    const twistyClass = `twisty codicon ${node.children.size ? (node.expanded ? 'codicon-chevron-down' : 'codicon-chevron-right') : ''}`;
    if (twisty!.className !== twistyClass) twisty!.className = twistyClass;
    const indent = `${node.depth * 14}px`;
    if (twisty!.style.marginLeft !== indent) twisty!.style.marginLeft = indent;
    setText(name!, node.name || '(empty)');
    setText(count!, n(node.count));
    setText(rate!, node.rate ? `${n(node.rate)}/s` : '');
    setText(
      gaps!,
      node.gaps?.missing
        ? `${n(node.gaps.missing)} missing in ${n(node.gaps.gaps)} gaps`
        : node.gaps?.backwards
          ? `${n(node.gaps.backwards)} out of order`
          : '',
    );
    setText(last!, node.figures ? node.figures.last : '');
  }
}

/** Writes only a text that changed: an unchanged row costs no DOM work. */
function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}
