// CodeLens above each array or macro of a generated header (extension host): where it came from,
// whether that source still matches, and a click to regenerate.
import { dirname, resolve } from 'node:path';
import * as vscode from 'vscode';
import { readManifest, sourceState, sourceStateTitle } from '../../core/headers';
import { nodeFileSystem } from '../../core/node/fileSystem';
import { DEFAULT_MAX_BYTES } from '../../core/x509';

export const HEADER_SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file', language: 'c' },
  { scheme: 'file', language: 'cpp' },
  { scheme: 'file', pattern: '**/*.{h,hpp,c,cpp,ino}' },
];

export class HeaderCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  /** Asks VS Code to recompute the lenses, e.g. after a source changed on disk. */
  refresh(): void {
    this.changed.fire();
  }

  async provideCodeLenses(
    document: vscode.TextDocument,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeLens[]> {
    const manifest = readManifest(document.getText());
    if (!manifest || document.uri.scheme !== 'file') return [];
    const lenses: vscode.CodeLens[] = [];
    for (const entry of manifest.entries) {
      if (token.isCancellationRequested) return [];
      const range = new vscode.Range(entry.line, 0, entry.line, 0);
      // Hashing runs on the editor's thread: a source bigger than any certificate is not compared.
      const size =
        (await nodeFileSystem.stat(resolve(dirname(document.uri.fsPath), entry.source)))?.size ?? 0;
      if (size > DEFAULT_MAX_BYTES) {
        lenses.push(
          new vscode.CodeLens(range, {
            title: `${entry.source}: not compared (larger than ${DEFAULT_MAX_BYTES / 1048576} MiB)`,
            command: '',
          }),
        );
        continue;
      }
      const state = await sourceState(nodeFileSystem, document.uri.fsPath, entry);
      // Regenerating follows the command the header records: only in a trusted workspace.
      const trusted = vscode.workspace.isTrusted;
      lenses.push(
        new vscode.CodeLens(range, {
          title: sourceStateTitle(entry.source, state),
          tooltip: !trusted
            ? 'Trust this workspace to regenerate headers from here (Restricted Mode).'
            : state === 'up-to-date'
              ? `${entry.symbol} matches ${entry.source} (SHA-256 ${entry.sha256.slice(0, 16)}…). Click to regenerate anyway.`
              : `${entry.symbol} was generated from a different ${entry.source}. Click to regenerate the header.`,
          command: trusted ? 'embeddedTls.regenerateHeader' : 'workbench.trust.manage',
          arguments: trusted ? [document.uri] : [],
        }),
      );
      if (state !== 'missing') {
        const source = vscode.Uri.file(resolve(dirname(document.uri.fsPath), entry.source));
        lenses.push(
          new vscode.CodeLens(range, { title: 'Open source', command: 'vscode.open', arguments: [source] }),
        );
      }
    }
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
