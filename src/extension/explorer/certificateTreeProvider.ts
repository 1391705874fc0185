// The Certificates view (extension host): maps the plain tree of explorerTree.ts to TreeItems and keeps
// the welcome view, the grouping toggle and the status colours in step with the scanner.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { safeMarkdown } from '../common/safeMarkdown';
import { describeObject } from '../../core/x509';
import type { NodeStatus } from '../inspect/certificatePresentation';
import { buildTree, type Grouping, type TreeNode } from './explorerTree';
import type { WorkspaceScanner } from './workspaceScanner';

export const VIEW_ID = 'embeddedTls.certificates';

const statusColour: Record<NodeStatus, string | undefined> = {
  ok: 'testing.iconPassed',
  warning: 'problemsWarningIcon.foreground',
  expiring: 'problemsWarningIcon.foreground',
  notYetValid: 'problemsWarningIcon.foreground',
  expired: 'problemsErrorIcon.foreground',
  error: 'problemsErrorIcon.foreground',
  neutral: undefined,
};

const statusWord: Record<NodeStatus, string> = {
  ok: 'ok',
  warning: 'warning',
  expiring: 'expiring',
  notYetValid: 'not yet valid',
  expired: 'expired',
  error: 'error',
  neutral: '',
};

export class CertificateTreeProvider implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: TreeNode[] = [];
  private built = false;
  private readonly parents = new WeakMap<TreeNode, TreeNode>();
  /** performance.now() when the tree was first built from a complete scan. */
  firstBuiltAt: number | undefined;

  constructor(
    private readonly scanner: WorkspaceScanner,
    private readonly options: { grouping(): Grouping; warningDays(): number },
  ) {
    scanner.onDidChange(() => this.rebuild());
  }

  /** Recomputes the plain tree from the scanner's folders and tells the view. */
  rebuild(): void {
    const folders = this.scanner.folders();
    const multi = folders.length > 1;
    const roots: TreeNode[] = [];
    for (const state of folders) {
      const base = state.folder.uri.fsPath;
      const nodes = buildTree({
        model: state.model,
        findings: state.findings,
        ...(state.project ? { project: state.project.file } : {}),
        grouping: this.options.grouping(),
        now: Date.now(),
        warningDays: this.options.warningDays(),
        relative: (f) =>
          multi ? path.join(state.folder.name, path.relative(base, f)) : path.relative(base, f),
        describe: describeObject,
      });
      if (multi && nodes.length) {
        roots.push({
          id: `folder:${state.folder.uri.toString()}`,
          kind: 'group',
          label: state.folder.name,
          status: 'neutral',
          icon: 'root-folder',
          contextValue: 'etls.folder',
          children: () => nodes,
          expanded: true,
        });
      } else roots.push(...nodes);
    }
    this.roots = roots;
    this.built = true;
    this.firstBuiltAt ??= performance.now();
    void vscode.commands.executeCommand('setContext', 'embeddedTls.explorer.scanned', true);
    void vscode.commands.executeCommand('setContext', 'embeddedTls.explorer.empty', roots.length === 0);
    this.changed.fire(undefined);
  }

  getChildren(element?: TreeNode): TreeNode[] {
    if (!element) return this.built ? this.roots : [];
    const kids = element.children();
    for (const k of kids) this.parents.set(k, element);
    return kids;
  }

  getTreeItem(n: TreeNode): vscode.TreeItem {
    const hasChildren = n.kind === 'group' || n.kind === 'object' ? n.children().length > 0 : false;
    const state = !hasChildren
      ? vscode.TreeItemCollapsibleState.None
      : n.expanded
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(n.label, state);
    item.id = n.id;
    if (n.description !== undefined) item.description = n.description;
    const colour = statusColour[n.status];
    item.iconPath = new vscode.ThemeIcon(n.icon, colour ? new vscode.ThemeColor(colour) : undefined);
    item.contextValue = n.contextValue;
    if (n.file) {
      // No resourceUri: git decorations would recolour the labels and hide the status colours.
      item.command = { command: 'embeddedTls.revealInEditor', title: 'Open', arguments: [n] };
    }
    if (statusWord[n.status])
      item.accessibilityInformation = {
        label: `${n.label}, ${n.description ?? ''}, ${statusWord[n.status]}`,
      };
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, n: TreeNode): vscode.TreeItem {
    if (n.tooltip) item.tooltip = safeMarkdown(n.tooltip());
    return item;
  }

  getParent(n: TreeNode): TreeNode | undefined {
    return this.parents.get(n);
  }
}
