// The MQTT panel's topic tree, like MQTT Explorer's: topics split at '/', each level with the messages
// and rate of everything under it, each topic with its last value. Fed with only the topics that
// changed in a frame; a branch's totals move by the change, so an update costs the changed topics times
// their depth. Browser-safe (the webview draws it; unit tests run it in Node).
import type { TopicFigures, TopicGaps } from './protocol';

export interface TopicNode {
  /** This level's name ('' for an empty level, as in "a//b"). */
  name: string;
  /** The full topic up to this level. */
  path: string;
  depth: number;
  children: Map<string, TopicNode>;
  parent: TopicNode | undefined;
  /** Set on levels that are topics themselves. */
  figures: TopicFigures | undefined;
  gaps: TopicGaps | undefined;
  /** Messages and rate of this topic and everything under it. */
  count: number;
  rate: number;
  expanded: boolean;
}

function node(name: string, path: string, depth: number, parent: TopicNode | undefined): TopicNode {
  return {
    name,
    path,
    depth,
    children: new Map(),
    parent,
    figures: undefined,
    gaps: undefined,
    count: 0,
    rate: 0,
    expanded: depth < 1,
  };
}

export class TopicTree {
  readonly root = node('', '', -1, undefined);
  private topics = new Map<string, TopicNode>();
  private flat: TopicNode[] | undefined;
  /** Paths the user collapsed or expanded, kept across a reset. */
  private toggled = new Map<string, boolean>();

  /** Distinct topics in the tree. */
  get size(): number {
    return this.topics.size;
  }

  /** Topics that changed (or, with `reset`, every topic: the tree is built again). */
  apply(changes: TopicFigures[], reset: boolean): void {
    if (reset) this.clear();
    for (const f of changes) {
      const leaf = this.topics.get(f.topic) ?? this.insert(f.topic);
      const dCount = f.count - (leaf.figures?.count ?? 0);
      const dRate = f.rate - (leaf.figures?.rate ?? 0);
      leaf.figures = f;
      for (let n: TopicNode | undefined = leaf; n; n = n.parent) {
        n.count += dCount;
        n.rate += dRate;
      }
    }
  }

  applyGaps(gaps: TopicGaps[], reset: boolean): void {
    if (reset) for (const n of this.topics.values()) n.gaps = undefined;
    for (const g of gaps) {
      const n = this.topics.get(g.topic);
      if (n) n.gaps = g;
    }
  }

  clear(): void {
    this.root.children.clear();
    this.root.count = this.root.rate = 0;
    this.topics.clear();
    this.flat = undefined;
  }

  /** Opens or closes a level. */
  toggle(path: string): void {
    const n = this.find(path);
    if (!n) return;
    n.expanded = !n.expanded;
    this.toggled.set(path, n.expanded);
    this.flat = undefined;
  }

  find(path: string): TopicNode | undefined {
    let n: TopicNode | undefined = this.root;
    for (const part of path.split('/')) n = n?.children.get(part);
    return n;
  }

  /** The levels to draw, in order: each open level's children, sorted by name. */
  visible(): TopicNode[] {
    if (this.flat) return this.flat;
    const out: TopicNode[] = [];
    const walk = (n: TopicNode) => {
      const kids = [...n.children.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const k of kids) {
        out.push(k);
        if (k.expanded) walk(k);
      }
    };
    walk(this.root);
    this.flat = out;
    return out;
  }

  private insert(topic: string): TopicNode {
    let n = this.root;
    const parts = topic.split('/');
    parts.forEach((part, i) => {
      let next = n.children.get(part);
      if (!next) {
        const path = parts.slice(0, i + 1).join('/');
        next = node(part, path, i, n);
        next.expanded = this.toggled.get(path) ?? next.expanded;
        n.children.set(part, next);
        this.flat = undefined;
      }
      n = next;
    });
    this.topics.set(topic, n);
    return n;
  }
}
