// "Embedded TLS: Inspect Certificate…": decodes the active file, or one the user picks, into a
// read-only view beside the editor. Runs in the extension host; the webview gets HTML only.
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { describeObject, readObjects, type ReadResult } from '../../core/x509';
import type { Services } from '../common/services';
import { renderViewerHtml } from './certificateViewerHtml';

/** What the command returns: the decoded summary lines, for callers and tests. */
export interface InspectResult {
  file: string;
  summary: string[];
  problems: string[];
}

const panels = new Map<string, vscode.WebviewPanel>();

function activeFile(): vscode.Uri | undefined {
  const editorUri = vscode.window.activeTextEditor?.document.uri;
  if (editorUri && editorUri.scheme === 'file') return editorUri;
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) return input.uri;
  return undefined;
}

async function pickFile(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: 'Inspect',
    filters: {
      'Certificates and keys': ['pem', 'crt', 'cer', 'der', 'key', 'p12', 'pfx', 'csr', 'pub'],
      'C/C++ sources': ['c', 'h', 'cpp', 'hpp', 'ino'],
      'All files': ['*'],
    },
  });
  return picked?.[0];
}

function isLocked(r: ReadResult): boolean {
  return r.objects.some(
    (f) =>
      (f.object.kind === 'privateKey' && f.object.encrypted && !f.object.publicKey) ||
      (f.object.kind === 'pkcs12' && f.object.encrypted && f.object.contents.length === 0),
  );
}

/** Reads the file; asks for the pass phrase when something in it is locked (never logged or kept). */
async function decode(bytes: Uint8Array, name: string): Promise<ReadResult> {
  const first = readObjects(bytes, { fileName: name });
  if (!isLocked(first)) return first;
  for (;;) {
    const passphrase = await vscode.window.showInputBox({
      title: `Pass phrase for ${name}`,
      prompt: 'This file is encrypted. Enter its pass phrase to see what it holds, or press Escape to skip.',
      password: true,
      ignoreFocusOut: true,
    });
    if (passphrase === undefined) return first;
    const again = readObjects(bytes, { fileName: name, passphrase });
    if (!again.problems.some((p) => p.code === 'wrong-passphrase')) return again;
    void vscode.window.showWarningMessage(`The pass phrase does not open ${name}.`);
  }
}

export async function inspectCertificate(s: Services, uri?: vscode.Uri): Promise<InspectResult | undefined> {
  const target = uri ?? activeFile() ?? (await pickFile());
  if (!target) return undefined;
  const name = basename(target.fsPath);
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(target);
  } catch {
    void vscode.window.showErrorMessage(`Embedded TLS: ${name} cannot be read.`);
    return undefined;
  }
  const result = await decode(bytes, name);
  s.logger.info(
    `Inspected ${vscode.workspace.asRelativePath(target)}: ${result.objects.length} object(s), ${result.problems.length} problem(s)`,
  );

  const key = target.toString();
  let panel = panels.get(key);
  if (panel) panel.reveal(vscode.ViewColumn.Beside, true);
  else {
    panel = vscode.window.createWebviewPanel(
      'embeddedTls.inspect',
      `Inspect ${name}`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {
        enableScripts: false,
        localResourceRoots: [],
      },
    );
    panels.set(key, panel);
    panel.onDidDispose(() => panels.delete(key), undefined, s.context.subscriptions);
  }
  panel.webview.html = renderViewerHtml({
    fileName: vscode.workspace.asRelativePath(target),
    result,
    describe: describeObject,
    now: Date.now(),
    nonce: randomBytes(16).toString('base64'),
  });
  return {
    file: target.fsPath,
    summary: result.objects.map((f) => describeObject(f.object)),
    problems: result.problems.map((p) => p.message),
  };
}
