// Hovers over PEM blocks in any file and over certificates or keys embedded in C/C++ sources (extension host).
import * as vscode from 'vscode';
import { safeMarkdown } from '../safeMarkdown';
import { describeObject, readObjects } from '../../core/x509';
import type { ReadResult } from '../../core/x509/types';
import { hoverAt, mayHoldObjects } from './hoverContent';

/** Parses a document once per version, however often the mouse moves over it. */
export class CertificateHoverProvider implements vscode.HoverProvider {
  private readonly cache = new Map<string, { version: number; result: ReadResult | undefined }>();

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const result = this.read(document);
    if (!result) return undefined;
    const relative = vscode.workspace.asRelativePath(document.uri, false);
    const hit = hoverAt(result, position.line, position.character, relative, describeObject, Date.now());
    if (!hit) return undefined;
    const range = new vscode.Range(hit.range.line, hit.range.column, hit.range.endLine, hit.range.endColumn);
    return new vscode.Hover(safeMarkdown(hit.markdown), range);
  }

  private read(document: vscode.TextDocument): ReadResult | undefined {
    const key = document.uri.toString();
    const cached = this.cache.get(key);
    if (cached?.version === document.version) return cached.result;
    const text = document.getText();
    let result: ReadResult | undefined;
    try {
      result = mayHoldObjects(text)
        ? readObjects(new TextEncoder().encode(text), { fileName: document.fileName })
        : undefined;
    } catch {
      result = undefined; // a hover is never worth an error message
    }
    // A handful of open documents is the normal case; forget the oldest instead of growing without bound.
    if (this.cache.size > 32) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, { version: document.version, result });
    return result;
  }

  forget(uri: vscode.Uri): void {
    this.cache.delete(uri.toString());
  }
}

export function registerHoverProvider(context: vscode.ExtensionContext): CertificateHoverProvider {
  const provider = new CertificateHoverProvider();
  context.subscriptions.push(
    vscode.languages.registerHoverProvider([{ scheme: 'file' }, { scheme: 'untitled' }], provider),
    vscode.workspace.onDidCloseTextDocument((d) => provider.forget(d.uri)),
  );
  return provider;
}
