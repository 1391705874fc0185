// Hovers over PEM blocks in any file and over certificates or keys embedded in C/C++ sources (extension host).
// The document is decoded in the scan worker (explorer/scanPool.ts): a hostile file costs a hover, not the editor.
import * as vscode from 'vscode';
import { safeMarkdown } from '../common/safeMarkdown';
import { DEFAULT_MAX_BYTES, describeObject } from '../../core/x509';
import type { ReadResult } from '../../core/x509/types';
import type { ScanPool } from './scanPool';
import { hoverAt, mayHoldObjects } from './hoverContent';

/** Parses a document once per version, however often the mouse moves over it. */
export class CertificateHoverProvider implements vscode.HoverProvider {
  private readonly cache = new Map<string, { version: number; result: Promise<ReadResult | undefined> }>();

  constructor(private readonly pool: ScanPool) {}

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
  ): Promise<vscode.Hover | undefined> {
    const result = await this.read(document);
    if (!result) return undefined;
    const relative = vscode.workspace.asRelativePath(document.uri, false);
    const hit = hoverAt(result, position.line, position.character, relative, describeObject, Date.now());
    if (!hit) return undefined;
    const range = new vscode.Range(hit.range.line, hit.range.column, hit.range.endLine, hit.range.endColumn);
    return new vscode.Hover(safeMarkdown(hit.markdown), range);
  }

  private read(document: vscode.TextDocument): Promise<ReadResult | undefined> {
    const key = document.uri.toString();
    const cached = this.cache.get(key);
    if (cached?.version === document.version) return cached.result;
    const result = this.decode(document);
    // A handful of open documents is the normal case; forget the oldest instead of growing without bound.
    if (this.cache.size > 32) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, { version: document.version, result });
    return result;
  }

  private async decode(document: vscode.TextDocument): Promise<ReadResult | undefined> {
    const text = document.getText();
    if (text.length > DEFAULT_MAX_BYTES || !mayHoldObjects(text)) return undefined;
    const bytes = new TextEncoder().encode(text);
    const outcome = await this.pool.run({ kind: 'read', fileName: document.fileName, bytes });
    // Too slow, failed or cancelled: a hover is never worth an error message.
    return outcome.status === 'done' && outcome.value.kind === 'read' ? outcome.value.result : undefined;
  }

  forget(uri: vscode.Uri): void {
    this.cache.delete(uri.toString());
  }
}

export function registerHoverProvider(
  context: vscode.ExtensionContext,
  pool: ScanPool,
): CertificateHoverProvider {
  const provider = new CertificateHoverProvider(pool);
  context.subscriptions.push(
    vscode.languages.registerHoverProvider([{ scheme: 'file' }, { scheme: 'untitled' }], provider),
    vscode.workspace.onDidCloseTextDocument((d) => provider.forget(d.uri)),
  );
  return provider;
}
