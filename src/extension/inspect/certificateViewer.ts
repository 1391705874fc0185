// The read-only custom editor for binary certificates and bundles (.der .cer .p12 .pfx, and .crt on request):
// decoded details instead of garbage text. Runs in the extension host; the webview gets HTML only. The
// file is decoded in the scan worker (explorer/scanPool.ts), with its size cap and time budget.
import { randomBytes } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_MAX_BYTES, describeObject } from '../../core/x509';
import type { ReadResult } from '../../core/x509/types';
import { renderViewerHtml, type ViewerInput } from './certificateViewerHtml';
import type { ScanPool } from '../explorer/scanPool';
import { DIAGNOSTIC_SOURCE } from '../explorer/findingDiagnostics';

export const VIEWER_VIEW_TYPE = 'embeddedTls.certificateViewer';
/** The same viewer offered through "Reopen Editor With…" for files that are usually text (.crt, .pem). */
export const VIEWER_OPTION_VIEW_TYPE = 'embeddedTls.certificateViewer.option';

class CertificateDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {}
}

/** The check's findings on this file: what the Problems panel shows for it. */
function fileFindings(uri: vscode.Uri): NonNullable<ViewerInput['findings']> {
  const severity = (d: vscode.Diagnostic) =>
    d.severity === vscode.DiagnosticSeverity.Error
      ? ('error' as const)
      : d.severity === vscode.DiagnosticSeverity.Warning
        ? ('warning' as const)
        : ('info' as const);
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === DIAGNOSTIC_SOURCE)
    .map((d) => ({
      severity: severity(d),
      message: d.message,
      ...(typeof d.code === 'string'
        ? { code: d.code }
        : typeof d.code === 'object'
          ? { code: String(d.code.value) }
          : {}),
    }));
}

function needsPassword(result: ReadResult): boolean {
  return result.problems.some((p) => p.code === 'encrypted' || p.code === 'wrong-passphrase');
}

export class CertificateViewerProvider implements vscode.CustomReadonlyEditorProvider<CertificateDocument> {
  /** Files whose decoded details the viewer has shown (the integration tests wait on it). */
  readonly rendered = new Set<string>();

  constructor(private readonly pool: ScanPool) {}

  /** The decoded file, or why it could not be decoded (too slow, or the reader failed). */
  private async decode(
    bytes: Uint8Array,
    fileName: string,
    passphrase?: string,
  ): Promise<{ result: ReadResult; notice?: string }> {
    const o = await this.pool.run({
      kind: 'read',
      fileName,
      bytes,
      ...(passphrase !== undefined ? { passphrase } : {}),
    });
    if (o.status === 'done' && o.value.kind === 'read') return { result: o.value.result };
    const empty: ReadResult = { objects: [], problems: [] };
    if (o.status === 'timeout')
      return {
        result: empty,
        notice: `${fileName} was not read: decoding it took longer than ${o.budgetMs / 1000} s, so it was stopped. Run etls inspect on it to see why.`,
      };
    return { result: empty, notice: `${fileName} could not be decoded.` };
  }

  openCustomDocument(uri: vscode.Uri): CertificateDocument {
    return new CertificateDocument(uri);
  }

  async resolveCustomEditor(document: CertificateDocument, panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = { enableScripts: false, enableCommandUris: false, localResourceRoots: [] };
    const fileName = path.basename(document.uri.path);
    // The tab may be closed (or replaced) while the file is read or a password is asked for.
    let closed = false;
    let last: { result: ReadResult; notice?: string } | undefined;
    // The check may finish after the file is shown: draw its findings when they arrive.
    const watching = vscode.languages.onDidChangeDiagnostics((e) => {
      if (last && e.uris.some((u) => u.toString() === document.uri.toString()))
        render(last.result, last.notice);
    });
    const closing = panel.onDidDispose(() => {
      closed = true;
      closing.dispose();
      watching.dispose();
    });
    const render = (result: ReadResult, notice?: string) => {
      if (closed) return;
      last = { result, ...(notice !== undefined ? { notice } : {}) };
      const nonce = randomBytes(16).toString('base64');
      panel.webview.html = renderViewerHtml({
        fileName,
        result,
        describe: describeObject,
        now: Date.now(),
        nonce,
        notice,
        findings: fileFindings(document.uri),
      });
      this.rendered.add(document.uri.toString());
    };
    let bytes: Uint8Array;
    try {
      const size = (await vscode.workspace.fs.stat(document.uri)).size;
      if (size > DEFAULT_MAX_BYTES) {
        render(
          { objects: [], problems: [] },
          `${fileName} is ${Math.round(size / 1048576)} MiB, more than a certificate or bundle holds; it was not read.`,
        );
        return;
      }
      bytes = await vscode.workspace.fs.readFile(document.uri);
    } catch {
      render(
        { objects: [], problems: [] },
        `${fileName} could not be read. Check that it exists and that you may read it.`,
      );
      return;
    }
    let decoded = await this.decode(bytes, fileName);
    let result = decoded.result;
    render(result, decoded.notice);
    // PKCS#12 bundles are usually password-protected: ask, and ask again after a wrong one.
    for (let attempt = 0; !closed && needsPassword(result) && attempt < 3; attempt++) {
      const passphrase = await vscode.window.showInputBox({
        title: `Open ${fileName}`,
        prompt: attempt === 0 ? `Password for ${fileName}` : `Wrong password for ${fileName}. Try again`,
        password: true,
        ignoreFocusOut: true,
      });
      if (passphrase === undefined) {
        render(result, `${fileName} is password-protected. Close and reopen it to enter the password.`);
        return;
      }
      decoded = await this.decode(bytes, fileName, passphrase);
      result = decoded.result;
      render(result, decoded.notice);
    }
  }
}

/** DER starts with a SEQUENCE tag and a length (`30 82 ...`); PEM text never does. */
export function looksLikeDer(head: Uint8Array): boolean {
  return head[0] === 0x30 && head.length > 1 && (head[1]! < 0x80 || (head[1]! >= 0x81 && head[1]! <= 0x84));
}

const TEXT_BY_DEFAULT = /\.(crt|pem|key|csr)$/i;

/** The first four bytes of a file, without reading the rest (it may be huge, or a device). */
async function head(file: string): Promise<Uint8Array | undefined> {
  try {
    // Opening a FIFO for reading waits for a writer: look before opening.
    if (!(await stat(file)).isFile()) return undefined;
    const h = await open(file, 'r');
    try {
      const buf = new Uint8Array(4);
      const { bytesRead } = await h.read(buf, 0, 4, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await h.close();
    }
  } catch {
    return undefined;
  }
}

/** A .crt (or .pem, .key, .csr) that holds DER would open as garbage text: reopen it in the viewer instead. */
async function redirectBinary(tab: vscode.Tab): Promise<void> {
  const input = tab.input;
  if (
    !(input instanceof vscode.TabInputText) ||
    input.uri.scheme !== 'file' ||
    !TEXT_BY_DEFAULT.test(input.uri.path)
  )
    return;
  const bytes = await head(input.uri.fsPath);
  if (!bytes || !looksLikeDer(bytes)) return;
  await vscode.commands.executeCommand(
    'vscode.openWith',
    input.uri,
    VIEWER_OPTION_VIEW_TYPE,
    tab.group.viewColumn,
  );
  await vscode.window.tabGroups.close(tab, true);
}

export function registerCertificateViewer(
  context: vscode.ExtensionContext,
  pool: ScanPool,
): CertificateViewerProvider {
  const provider = new CertificateViewerProvider(pool);
  context.subscriptions.push(
    vscode.window.tabGroups.onDidChangeTabs((e) => {
      for (const tab of e.opened) void redirectBinary(tab).catch(() => undefined);
    }),
  );
  for (const viewType of [VIEWER_VIEW_TYPE, VIEWER_OPTION_VIEW_TYPE]) {
    context.subscriptions.push(
      vscode.window.registerCustomEditorProvider(viewType, provider, {
        supportsMultipleEditorsPerDocument: true,
      }),
    );
  }
  return provider;
}
