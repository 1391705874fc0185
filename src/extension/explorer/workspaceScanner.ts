// Keeps the certificate model of each workspace folder current (extension host): one full scan at start,
// then a FileSystemWatcher re-reads only the file that changed, relinks and re-checks. Every file is
// read and decoded in a worker thread (scanPool.ts) with a time budget, so no file can block the editor;
// the view and Problems fill in while the first scan runs.
// Over 300 lines: one class whose state (folder states, timers, the scan in progress) all its methods
// share; reading files is in folderFiles.ts, loading the project and checking in folderCheck.ts.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { includeGlob, isDiscoverable, linkWorkspace, type ScannedFile } from '../../core/check';
import { PROJECT_FILE_NAME } from '../../core/project/types';
import { DEFAULT_MAX_BYTES } from '../../core/x509';
import { checkFolder, loadFolderProject } from './folderCheck';
import { CANCELLED, discoverFolder, fromOutcome, scanOne } from './folderFiles';
import type { FolderState, ScannerHost } from './scanState';
import { tooLarge } from './scanFiles';
import { ScanPool } from './scanPool';
import { scanSignature as signature } from './scanSignature';

const READ_CONCURRENCY = 32;
const RECHECK_DELAY_MS = 150;
/**
 * During a burst of file events (a checkout, a script writing a thousand files) the relink and check
 * wait for the files still being read, but never longer than this after the first change.
 */
const BURST_MAX_WAIT_MS = 3000;
/** Between two checks of a folder the host stays free for this many times the last check's duration. */
const CHECK_GAP_FACTOR = 2;
const MAX_CHECK_GAP_MS = 2000;
/** While the first scan runs, the view and Problems are brought up to date this often. */
const PROGRESS_MS = 300;

export class WorkspaceScanner implements vscode.Disposable {
  private readonly states = new Map<string, FolderState>();
  private readonly disposables: vscode.Disposable[] = [];
  private watchers: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  private pending = new Map<string, ReturnType<typeof setTimeout>>();
  /** Per folder: single-file reads in progress, when the oldest unchecked change came, the last check. */
  private readonly inflight = new Map<string, number>();
  private readonly firstChangeAt = new Map<string, number>();
  private readonly lastCheck = new Map<string, { end: number; ms: number }>();
  /** The check in progress per folder, and the folders that changed while it ran. */
  private readonly runs = new Map<string, Promise<void>>();
  private readonly again = new Map<string, FolderState>();
  /** Fires after every rescan or re-check, once the model and findings are current. */
  readonly onDidChange = this.changed.event;
  /** performance.now() at the end of the first full scan and check (bench/explorer reads it). */
  firstScanDoneAt: number | undefined;
  /** How often every folder was scanned, and how many single files were re-read after that. */
  readonly stats = { fullScans: 0, fileScans: 0 };
  /** Reads and decodes files off the main thread; hovers and the viewer use it too. */
  readonly pool: ScanPool;
  /** The full scan in progress: a new one (Refresh, settings, folders) cancels it. */
  private scanning: AbortController | undefined;
  private latestScan: Promise<void> | undefined;
  /** Per open document, the scan of its text in progress: the next keystroke supersedes it. */
  private readonly docScans = new Map<string, AbortController>();
  private readonly progressTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly host: ScannerHost,
    pool?: ScanPool,
  ) {
    this.pool = pool ?? new ScanPool();
    this.disposables.push(this.changed, { dispose: () => this.pool.dispose() });
  }

  folders(): FolderState[] {
    return [...this.states.values()];
  }

  /** Resolves once a full scan and check are done: the first, or the one that superseded it. */
  async ready(): Promise<void> {
    if (!this.latestScan) void this.rescanAll();
    let scan: Promise<void> | undefined;
    do {
      scan = this.latestScan;
      await scan;
    } while (scan !== this.latestScan);
  }

  /** Scans every workspace folder from scratch (start, settings change, Refresh); cancels the scan before. */
  async rescanAll(): Promise<void> {
    this.scanning?.abort();
    const scanning = new AbortController();
    this.scanning = scanning;
    const { signal } = scanning;
    const run = (async () => {
      const folders = vscode.workspace.workspaceFolders ?? [];
      for (const key of [...this.states.keys()])
        if (!folders.some((f) => f.uri.toString() === key)) this.states.delete(key);
      this.stats.fullScans++;
      await Promise.all(folders.map((f) => this.scanFolder(f, signal)));
      if (signal.aborted) return;
      this.firstScanDoneAt ??= performance.now();
      this.changed.fire();
    })();
    this.latestScan = run;
    return run;
  }

  /** Starts watching: re-reads single files on change, reloads the project file, rescans on settings. */
  watch(): void {
    const settings = this.host.settings();
    const watcher = vscode.workspace.createFileSystemWatcher(includeGlob(settings.discovery));
    const projectWatcher = vscode.workspace.createFileSystemWatcher(`**/${PROJECT_FILE_NAME}`);
    this.watchers.push(
      watcher,
      projectWatcher,
      watcher.onDidCreate((u) => this.fileChanged(u)),
      watcher.onDidChange((u) => this.fileChanged(u)),
      watcher.onDidDelete((u) => this.fileDeleted(u)),
      projectWatcher.onDidCreate((u) => this.projectChanged(u)),
      projectWatcher.onDidChange((u) => this.projectChanged(u)),
      projectWatcher.onDidDelete((u) => this.projectChanged(u)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.rescanAll()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.documentChangedSoon(e.document);
      }),
      // Closed without saving: the disk is the truth again.
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.isDirty) void this.fileChanged(d.uri);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('embeddedTls.explorer')) {
          // The include glob of the watcher changed too: start over.
          for (const d of this.watchers.splice(0)) d.dispose();
          this.watch();
          void this.rescanAll();
        } else if (e.affectsConfiguration('embeddedTls.check')) {
          for (const s of this.states.values()) this.scheduleCheck(s);
        }
      }),
    );
  }

  /** Re-reads these files now and re-checks their folders (after a Quick Fix wrote them). */
  async refresh(uris: vscode.Uri[]): Promise<void> {
    const touched = new Set<FolderState>();
    for (const uri of uris) {
      const state = this.stateOf(uri);
      if (!state) continue;
      touched.add(state);
      if (!isDiscoverable(path.relative(state.folder.uri.fsPath, uri.fsPath), this.host.settings().discovery))
        continue;
      const scanned = await scanOne(this.pool, this.host.logger, uri);
      if (scanned === CANCELLED) continue;
      if (scanned) state.files.set(uri.fsPath, scanned);
      else state.files.delete(uri.fsPath);
    }
    // Even an unrelated file (.gitignore) can change the findings: re-check every folder touched, or all.
    for (const state of touched.size ? touched : new Set(this.states.values())) await this.recheck(state);
  }

  private stateOf(uri: vscode.Uri): FolderState | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder ? this.states.get(folder.uri.toString()) : undefined;
  }

  private async fileChanged(uri: vscode.Uri): Promise<void> {
    const state = this.stateOf(uri);
    if (!state) return;
    const rel = path.relative(state.folder.uri.fsPath, uri.fsPath);
    if (!isDiscoverable(rel, this.host.settings().discovery)) return;
    // An open editor with unsaved edits is what the user sees: keep its text, not the disk's.
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && d.isDirty);
    if (open) return this.documentChanged(open);
    this.stats.fileScans++;
    const key = state.folder.uri.toString();
    this.inflight.set(key, (this.inflight.get(key) ?? 0) + 1);
    let scanned: ScannedFile | undefined | typeof CANCELLED;
    try {
      scanned = await scanOne(this.pool, this.host.logger, uri);
    } finally {
      this.inflight.set(key, (this.inflight.get(key) ?? 1) - 1);
    }
    if (scanned !== CANCELLED) this.replace(state, uri.fsPath, scanned);
  }

  /** Live diagnostics while typing: the editor's text is scanned instead of the file on disk. */
  private async documentChanged(doc: vscode.TextDocument): Promise<void> {
    if (doc.uri.scheme !== 'file') return;
    const state = this.stateOf(doc.uri);
    if (!state) return;
    if (
      !isDiscoverable(path.relative(state.folder.uri.fsPath, doc.uri.fsPath), this.host.settings().discovery)
    )
      return;
    this.stats.fileScans++;
    const key = doc.uri.toString();
    this.docScans.get(key)?.abort();
    const scan = new AbortController();
    this.docScans.set(key, scan);
    const file = doc.uri.fsPath;
    const bytes = new TextEncoder().encode(doc.getText());
    const scanned =
      bytes.length > DEFAULT_MAX_BYTES
        ? tooLarge(file, bytes.length)
        : await this.pool
            .run({ kind: 'scan', path: file, bytes }, scan.signal)
            .then((o) => fromOutcome(this.pool, this.host.logger, file, bytes.length, o));
    if (this.docScans.get(key) === scan) this.docScans.delete(key);
    if (scanned !== CANCELLED) this.replace(state, file, scanned);
  }

  /** Stores a file's new scan and re-checks only when what was found in it changed. */
  private replace(state: FolderState, file: string, scanned: ScannedFile | undefined): void {
    const before = state.files.get(file);
    if (scanned) state.files.set(file, scanned);
    else state.files.delete(file);
    // Typing in a C file that embeds nothing must not re-check a thousand certificates per keystroke.
    if (before && scanned && signature(before) === signature(scanned)) return;
    this.scheduleCheck(state);
  }

  private fileDeleted(uri: vscode.Uri): void {
    const state = this.stateOf(uri);
    if (!state) return;
    // A deleted folder arrives as one event: drop everything under it.
    const prefix = uri.fsPath + path.sep;
    for (const p of [...state.files.keys()])
      if (p === uri.fsPath || p.startsWith(prefix)) state.files.delete(p);
    this.scheduleCheck(state);
  }

  private async projectChanged(uri: vscode.Uri): Promise<void> {
    const state = this.stateOf(uri);
    if (!state) return;
    await this.loadProjectInto(state);
    this.scheduleCheck(state);
  }

  private readonly typing = new Map<string, ReturnType<typeof setTimeout>>();

  /** Waits for a pause in typing before scanning the document. */
  private documentChangedSoon(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.typing.get(key));
    this.typing.set(
      key,
      setTimeout(() => {
        this.typing.delete(key);
        void this.documentChanged(doc);
      }, RECHECK_DELAY_MS),
    );
  }

  /**
   * Coalesces bursts (a `git checkout`, a PKI run writing ten files) into one relink and check: the
   * check waits for a pause, for the files of the burst still being read (up to BURST_MAX_WAIT_MS), and
   * leaves the host free between two checks for twice as long as the last one took.
   */
  private scheduleCheck(state: FolderState): void {
    const key = state.folder.uri.toString();
    if (!this.firstChangeAt.has(key)) this.firstChangeAt.set(key, performance.now());
    clearTimeout(this.pending.get(key));
    const arm = (ms: number): void => {
      this.pending.set(
        key,
        setTimeout(() => {
          const now = performance.now();
          const waited = now - (this.firstChangeAt.get(key) ?? now);
          const last = this.lastCheck.get(key);
          const free = last ? last.end + Math.min(last.ms * CHECK_GAP_FACTOR, MAX_CHECK_GAP_MS) - now : 0;
          if ((this.inflight.get(key) ?? 0) > 0 && waited < BURST_MAX_WAIT_MS) arm(RECHECK_DELAY_MS);
          else if (free > 0) arm(free);
          else {
            this.pending.delete(key);
            this.firstChangeAt.delete(key);
            void this.recheck(state);
          }
        }, ms),
      );
    };
    arm(RECHECK_DELAY_MS);
  }

  /**
   * Checks the folder now, or once more right after the check in progress, so a check that started
   * before a change can never be the last word. Resolves when the findings are current.
   */
  private recheck(state: FolderState): Promise<void> {
    const key = state.folder.uri.toString();
    const running = this.runs.get(key);
    if (running) {
      this.again.set(key, state);
      return running;
    }
    const run = (async () => {
      let next: FolderState | undefined = state;
      try {
        while (next) {
          this.again.delete(key);
          await this.check(next);
          next = this.again.get(key);
        }
      } finally {
        this.runs.delete(key);
      }
      this.changed.fire();
    })();
    this.runs.set(key, run);
    return run;
  }

  /**
   * Scans one folder. A folder seen for the first time shows its files as they are read; a rescan
   * keeps the last complete state on show until it is done. Stops quietly when a newer scan starts.
   */
  private async scanFolder(folder: vscode.WorkspaceFolder, signal: AbortSignal): Promise<void> {
    const key = folder.uri.toString();
    const uris = await discoverFolder(folder, this.host.settings().discovery);
    if (signal.aborted) return;
    const files = new Map<string, ScannedFile>();
    const state: FolderState = { folder, files, model: linkWorkspace([]), findings: [] };
    await this.loadProjectInto(state);
    if (signal.aborted) return;
    const live = !this.states.has(key);
    if (live) this.states.set(key, state);
    // Local files go to the worker as fast as it takes them; remote ones are fetched a few at a time.
    const lanes = folder.uri.scheme === 'file' ? uris.length : READ_CONCURRENCY;
    let next = 0;
    const lane = async () => {
      while (next < uris.length && !signal.aborted) {
        const uri = uris[next++]!;
        const scanned = await scanOne(this.pool, this.host.logger, uri, signal);
        if (scanned === CANCELLED || signal.aborted) return;
        if (scanned) files.set(uri.fsPath, scanned);
        if (live) this.progress(state);
      }
    };
    await Promise.all(Array.from({ length: Math.min(lanes, uris.length) }, lane));
    clearTimeout(this.progressTimers.get(key));
    this.progressTimers.delete(key);
    if (signal.aborted) return;
    await this.recheck(state);
    if (signal.aborted) return;
    this.states.set(key, state);
    this.host.logger.debug(
      `Scanned ${folder.name}: ${files.size} files, ${state.model.objects.length} objects, ${state.findings.length} findings`,
    );
  }

  /** During a first scan: relink and check what has been read so far, at most every PROGRESS_MS. */
  private progress(state: FolderState): void {
    const key = state.folder.uri.toString();
    if (this.progressTimers.has(key)) return;
    this.progressTimers.set(
      key,
      setTimeout(() => {
        this.progressTimers.delete(key);
        if (this.states.get(key) === state) void this.recheck(state);
      }, PROGRESS_MS),
    );
  }

  private loadProjectInto(state: FolderState): Promise<void> {
    return loadFolderProject(state, this.host.logger, async () =>
      (
        await vscode.workspace.findFiles(
          new vscode.RelativePattern(state.folder, `*/**/${PROJECT_FILE_NAME}`),
          '**/{node_modules,.git,build,.pio}/**',
          10,
        )
      ).map((u) => u.fsPath),
    );
  }

  private async check(state: FolderState): Promise<void> {
    const started = performance.now();
    await checkFolder(state, this.host);
    const end = performance.now();
    this.lastCheck.set(state.folder.uri.toString(), { end, ms: end - started });
  }

  dispose(): void {
    this.scanning?.abort();
    for (const t of [...this.pending.values(), ...this.typing.values(), ...this.progressTimers.values()])
      clearTimeout(t);
    for (const d of [...this.watchers, ...this.disposables]) d.dispose();
  }
}
