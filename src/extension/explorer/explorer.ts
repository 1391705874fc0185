// Wires the certificate explorer (extension host): scanner, Certificates view, Problems panel, Quick
// Fixes, hovers and the binary certificate viewer; one instance per activation, reached through explorerFor.
import * as vscode from 'vscode';
import { defaultExclude, defaultInclude, type FindingFix, type GitPort } from '../../core/check';
import { nodeGitPort } from '../../core/check/nodePorts';
import type { Services } from '../common/services';
import { registerCertificateViewer, type CertificateViewerProvider } from '../inspect/certificateViewer';
import { APPLY_FIX_COMMAND, CheckDiagnostics, runFix } from './diagnosticsProvider';
import type { FixResult } from './fixActions';
import { registerHoverProvider } from './hoverProvider';
import { CertificateTreeProvider, VIEW_ID } from './certificateTreeProvider';
import {
  copyFingerprint,
  importCertificates,
  openDocumentation,
  revealInEditor,
  revealInExplorer,
} from './explorerCommands';
import type { Grouping, TreeNode } from './explorerTree';
import type { ScannerSettings } from './scanState';
import { WorkspaceScanner } from './workspaceScanner';

function settings(): ScannerSettings & { grouping: Grouping } {
  const c = vscode.workspace.getConfiguration('embeddedTls');
  const include = c.get<string[]>('explorer.include', defaultInclude);
  const exclude = c.get<string[]>('explorer.exclude', defaultExclude);
  return {
    discovery: {
      include: Array.isArray(include) && include.length ? include : defaultInclude,
      exclude: Array.isArray(exclude) ? exclude : defaultExclude,
      maxFiles: c.get<number>('explorer.maxFiles', 5000),
    },
    expiryDays: c.get<number>('check.expiryWarningDays', 30),
    checkEnabled: c.get<boolean>('check.enabled', true),
    grouping: c.get<Grouping>('explorer.groupBy', 'role') === 'profile' ? 'profile' : 'role',
  };
}

/** What the integration tests and bench/explorer read through the extension's exported API. */
export interface ExplorerApi {
  /** Resolves when the first full scan, check, tree and diagnostics are complete. */
  ready(): Promise<void>;
  /** The view's children, exactly as the TreeDataProvider gives them. */
  getChildren(node?: TreeNode): TreeNode[];
  /** Milliseconds from activation to the first complete tree and diagnostics. */
  firstCompleteMs(): number | undefined;
  applyFix(fix: FindingFix): Promise<FixResult | undefined>;
  rescan(): Promise<void>;
  /** Shows a node in the Certificates view, expanded (for screenshots and "reveal" links). */
  reveal(node: TreeNode, expand?: boolean): Promise<void>;
  /** The error count on the activity-bar badge and the view's message, as shown. */
  status(): { errors: number; message?: string };
  /** Whether the certificate viewer has shown this file's decoded details. */
  viewerRendered(uri: vscode.Uri): boolean;
  /** Full scans so far, and single files re-read by the watcher since. */
  stats(): { fullScans: number; fileScans: number };
  /** Every file of the last scan: how many objects it gave and its problems' codes (the hostile-workspace tests). */
  scannedFiles(): Array<{ file: string; objects: number; problems: string[] }>;
  /** The findings as in the Problems panel, per file. */
  findings(): Array<{ file: string; code: string; message: string }>;
  /** The scan worker: workers started, files stopped for time or failure, files still waiting. */
  workerStats(): { spawned: number; timeouts: number; failures: number; cancelled: number; pending: number };
}

export class Explorer implements ExplorerApi {
  readonly scanner: WorkspaceScanner;
  readonly tree: CertificateTreeProvider;
  readonly diagnostics: CheckDiagnostics;
  private readonly activatedAt = performance.now();
  private readonly view: vscode.TreeView<TreeNode>;
  private readonly viewer: CertificateViewerProvider;
  private grouping: Grouping = 'role';

  constructor(private readonly s: Services) {
    const { context } = s;
    this.scanner = new WorkspaceScanner({
      logger: s.logger,
      settings,
      // git reads repository config that can run programs (core.fsmonitor): only in trusted workspaces.
      git: (): GitPort | undefined => (vscode.workspace.isTrusted ? nodeGitPort : undefined),
    });
    this.diagnostics = new CheckDiagnostics(this.scanner);
    this.tree = new CertificateTreeProvider(this.scanner, {
      grouping: () => this.grouping,
      warningDays: () => settings().expiryDays,
    });
    const view = vscode.window.createTreeView(VIEW_ID, {
      treeDataProvider: this.tree,
      showCollapseAll: true,
    });
    this.view = view;
    this.scanner.onDidChange(() => this.summarise());
    context.subscriptions.push(
      this.scanner,
      this.diagnostics,
      view,
      vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, this.diagnostics, {
        providedCodeActionKinds: CheckDiagnostics.providedCodeActionKinds,
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('embeddedTls.explorer.groupBy'))
          void this.setGrouping(settings().grouping);
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.scanner.rescanAll()),
    );
    registerHoverProvider(context, this.scanner.pool);
    this.viewer = registerCertificateViewer(context, this.scanner.pool);
    this.grouping = context.workspaceState.get<Grouping>(GROUPING_KEY) ?? settings().grouping;
    this.syncGrouping();
    this.scanner.watch();
    void this.scanner.rescanAll();
  }

  /** The activity-bar badge counts errors; the view's message says when the project file is unusable. */
  private summarise(): void {
    const folders = this.scanner.folders();
    const errors = folders.reduce((n, f) => n + f.findings.filter((x) => x.severity === 'error').length, 0);
    this.view.badge = errors
      ? {
          value: errors,
          tooltip: `${errors} certificate or key error${errors === 1 ? '' : 's'} in the Problems panel`,
        }
      : undefined;
    const broken = folders.map((f) => f.projectError).filter((e): e is string => !!e);
    this.view.message = broken.length ? `embedded-tls.json is not used: ${broken.join('; ')}` : undefined;
  }

  /** The title-bar toggle: remembered for this workspace without writing its settings file. */
  async setGrouping(grouping: Grouping): Promise<void> {
    this.grouping = grouping;
    await this.s.context.workspaceState.update(GROUPING_KEY, grouping);
    this.syncGrouping();
  }

  private syncGrouping(): void {
    void vscode.commands.executeCommand('setContext', 'embeddedTls.explorer.grouping', this.grouping);
    this.tree.rebuild();
  }

  async ready(): Promise<void> {
    await this.scanner.ready();
  }

  getChildren(node?: TreeNode): TreeNode[] {
    return this.tree.getChildren(node);
  }

  firstCompleteMs(): number | undefined {
    const t = Math.max(this.tree.firstBuiltAt ?? NaN, this.diagnostics.firstPublishedAt ?? NaN);
    return Number.isNaN(t) ? undefined : t - this.activatedAt;
  }

  applyFix(fix: FindingFix): Promise<FixResult | undefined> {
    return runFix(this.scanner, fix);
  }

  /** Add to .gitignore, from the tree's context menu or for the active editor's file. */
  private async addToGitignore(uri: vscode.Uri | undefined): Promise<FixResult | undefined> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target || target.scheme !== 'file') return undefined;
    const folder = vscode.workspace.getWorkspaceFolder(target);
    if (!folder) return undefined;
    const rel = vscode.workspace.asRelativePath(target, false).split('\\').join('/');
    const gitignore = vscode.Uri.joinPath(folder.uri, '.gitignore').fsPath;
    return this.applyFix({
      kind: 'add-to-gitignore',
      title: 'Add to .gitignore',
      args: { gitignore, pattern: `/${rel}` },
    });
  }

  rescan(): Promise<void> {
    return this.scanner.rescanAll();
  }

  async reveal(node: TreeNode, expand = true): Promise<void> {
    await this.view.reveal(node, { expand, focus: false, select: true });
  }

  status(): { errors: number; message?: string } {
    return {
      errors: this.view.badge?.value ?? 0,
      ...(this.view.message ? { message: this.view.message } : {}),
    };
  }

  viewerRendered(uri: vscode.Uri): boolean {
    return this.viewer.rendered.has(uri.toString());
  }

  stats(): { fullScans: number; fileScans: number } {
    return { ...this.scanner.stats };
  }

  scannedFiles(): Array<{ file: string; objects: number; problems: string[] }> {
    return this.scanner.folders().flatMap((f) =>
      [...f.files.values()].map((s) => ({
        file: s.path,
        objects: s.objects.length,
        problems: s.problems.map((p) => p.code),
      })),
    );
  }

  findings(): Array<{ file: string; code: string; message: string }> {
    return this.scanner
      .folders()
      .flatMap((f) => f.findings.map((x) => ({ file: x.file, code: x.code, message: x.message })));
  }

  workerStats(): { spawned: number; timeouts: number; failures: number; cancelled: number; pending: number } {
    return { ...this.scanner.pool.stats, pending: this.scanner.pool.pending };
  }

  /** The command table's entries for the explorer (wired in commands.ts). */
  commands(): Record<string, (...args: never[]) => unknown> {
    return {
      'embeddedTls.refreshCertificates': () => this.rescan(),
      'embeddedTls.groupCertificatesByRole': () => this.setGrouping('role'),
      'embeddedTls.groupCertificatesByProfile': () => this.setGrouping('profile'),
      'embeddedTls.copyFingerprint': (n?: TreeNode) => copyFingerprint(n),
      'embeddedTls.revealInEditor': (n?: TreeNode) => revealInEditor(n),
      'embeddedTls.revealInExplorer': (n?: TreeNode) => revealInExplorer(n),
      'embeddedTls.importCertificates': (files?: vscode.Uri[]) =>
        importCertificates(this.scanner, Array.isArray(files) ? files : undefined),
      'embeddedTls.openDocumentation': () => openDocumentation(this.s.context.extensionUri),
      [APPLY_FIX_COMMAND]: (fix: FindingFix) => this.applyFix(fix),
      'embeddedTls.addToGitignore': (uri?: vscode.Uri) => this.addToGitignore(uri),
    };
  }
}

const GROUPING_KEY = 'embeddedTls.explorer.grouping';
const instances = new WeakMap<Services, Explorer>();

/** The explorer of this activation, created on first use. */
export function explorerFor(s: Services): Explorer {
  let e = instances.get(s);
  if (!e) {
    e = new Explorer(s);
    instances.set(s, e);
  }
  return e;
}
