// The project check's findings in the Problems panel (extension host), refreshed whenever the scanner
// re-checks; and the Quick Fixes that go with them.
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import type { Severity } from '../../core/check/types';
import { EtlsError } from '../../core/errors';
import { nodeFileSystem } from '../../core/node/fileSystem';
import type { WorkspaceScanner } from './workspaceScanner';
import { applyFix, type FixResult, type FixUi } from './fixActions';
import { DIAGNOSTIC_SOURCE, diagnosticsByFile, findingFor, type PlainDiagnostic } from './findingDiagnostics';
import type { FindingFix } from '../../core/check/types';

const severity: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

function toDiagnostic(d: PlainDiagnostic): vscode.Diagnostic {
  const diag = new vscode.Diagnostic(
    new vscode.Range(d.range.start.line, d.range.start.column, d.range.end.line, d.range.end.column),
    d.message,
    severity[d.severity],
  );
  diag.source = DIAGNOSTIC_SOURCE;
  diag.code = d.code;
  return diag;
}

function sameDiagnostics(a: readonly PlainDiagnostic[], b: readonly PlainDiagnostic[]): boolean {
  return (
    a.length === b.length &&
    a.every((d, i) => {
      const e = b[i]!;
      return (
        d.code === e.code &&
        d.message === e.message &&
        d.severity === e.severity &&
        JSON.stringify(d.range) === JSON.stringify(e.range)
      );
    })
  );
}

export const APPLY_FIX_COMMAND = 'embeddedTls.applyFix';

export class CheckDiagnostics implements vscode.Disposable, vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];
  private readonly collection = vscode.languages.createDiagnosticCollection('embeddedTls');
  private byFile = new Map<string, PlainDiagnostic[]>();
  /** performance.now() when the diagnostics of the first complete scan were published. */
  firstPublishedAt: number | undefined;

  constructor(private readonly scanner: WorkspaceScanner) {
    scanner.onDidChange(() => this.publish());
  }

  /**
   * Sends Problems only what changed since the last publish: after a burst of a thousand new files the
   * renderer gets the new files' diagnostics, not a clear and a resend of every file.
   */
  publish(): void {
    const findings = this.scanner.folders().flatMap((s) => s.findings);
    const before = this.byFile;
    this.byFile = diagnosticsByFile(findings);
    const entries: Array<[vscode.Uri, vscode.Diagnostic[] | undefined]> = [];
    for (const [file, list] of this.byFile) {
      const old = before.get(file);
      if (old && sameDiagnostics(old, list)) continue;
      entries.push([vscode.Uri.file(file), list.map(toDiagnostic)]);
    }
    for (const file of before.keys())
      if (!this.byFile.has(file)) entries.push([vscode.Uri.file(file), undefined]);
    if (entries.length) this.collection.set(entries);
    this.firstPublishedAt ??= performance.now();
  }

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (d.source !== DIAGNOSTIC_SOURCE) continue;
      const code = typeof d.code === 'object' ? String(d.code.value) : String(d.code);
      const finding = findingFor(this.byFile, document.uri.fsPath, code, d.range.start.line);
      if (!finding?.fix) continue;
      const action = new vscode.CodeAction(finding.fix.title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [d];
      action.isPreferred = finding.fix.kind === 'add-to-gitignore' || finding.fix.kind === 'convert-to-der';
      action.command = { command: APPLY_FIX_COMMAND, title: finding.fix.title, arguments: [finding.fix] };
      actions.push(action);
    }
    return actions;
  }

  dispose(): void {
    this.collection.dispose();
  }
}

const vscodeFixUi: FixUi = {
  askPassphrase: (file) =>
    Promise.resolve(
      vscode.window.showInputBox({
        title: 'Remove the pass phrase',
        prompt: `Pass phrase of ${vscode.workspace.asRelativePath(file)}`,
        password: true,
        ignoreFocusOut: true,
      }),
    ),
  confirmOverwrite: async (file) =>
    (await vscode.window.showWarningMessage(
      `${vscode.workspace.asRelativePath(file)} exists. Replace it?`,
      { modal: true },
      'Replace',
    )) === 'Replace',
  runCommand: async (id, arg) => {
    if (!(await vscode.commands.getCommands(true)).includes(id)) return false;
    await vscode.commands.executeCommand(id, typeof arg === 'string' ? vscode.Uri.file(arg) : arg);
    return true;
  },
  git: (cwd, args) =>
    new Promise((resolve, reject) => {
      if (!vscode.workspace.isTrusted) {
        reject(
          new EtlsError(
            'unsupported',
            'git is not run in an untrusted workspace',
            'Trust the workspace first.',
          ),
        );
        return;
      }
      execFile('git', args, { cwd, timeout: 15_000 }, (err) =>
        err
          ? reject(
              new EtlsError(
                'io',
                `git ${args[0] ?? ''} failed in ${cwd}`,
                'Run it in a terminal to see why.',
              ),
            )
          : resolve(),
      );
    }),
};

/** The `embeddedTls.applyFix` command: runs the fix, tells the user, re-reads what changed. */
export async function runFix(
  scanner: WorkspaceScanner,
  fix: FindingFix,
  ui: FixUi = vscodeFixUi,
): Promise<FixResult | undefined> {
  try {
    const result = await applyFix(fix, nodeFileSystem, ui);
    await scanner.refresh(result.changed.map((f) => vscode.Uri.file(f)));
    void vscode.window.showInformationMessage(result.message);
    return result;
  } catch (e) {
    const message = e instanceof EtlsError ? e.describe() : 'The fix could not be applied';
    void vscode.window.showErrorMessage(`Embedded TLS: ${message}`);
    return undefined;
  }
}
