// The Certificates view's commands (extension host): copy fingerprint, reveal,
// import, documentation; and the argument bridge that hands tree nodes to other commands as Uris.
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Range } from '../../core/check/types';
import { nodeFileSystem } from '../../core/node/fileSystem';
import { ensureOutputDir, writeGuarded } from '../../core/files/guard';
import type { TreeNode } from './explorerTree';
import type { WorkspaceScanner } from './workspaceScanner';
import { workspaceFolderFor } from '../common/projectLocator';

/** Commands that take the tree node itself; every other command gets the node's file as a Uri. */
const NODE_COMMANDS = new Set([
  'embeddedTls.copyFingerprint',
  'embeddedTls.revealInEditor',
  'embeddedTls.revealInExplorer',
]);

function isTreeNode(a: unknown): a is TreeNode {
  return (
    typeof a === 'object' &&
    a !== null &&
    typeof (a as TreeNode).contextValue === 'string' &&
    (a as TreeNode).contextValue.startsWith('etls.')
  );
}

/** Called by the command table for every command: a tree node becomes the Uri of its file. */
export function explorerArgs(commandId: string, args: unknown[]): unknown[] {
  if (NODE_COMMANDS.has(commandId)) return args;
  return args.map((a) => (isTreeNode(a) && a.file ? vscode.Uri.file(a.file) : a));
}

/** `AB:CD:...`, as `openssl x509 -fingerprint -sha256` prints it. */
export function opensslFingerprint(hex: string): string {
  return (
    hex
      .replace(/[^0-9a-f]/gi, '')
      .toUpperCase()
      .match(/../g) ?? []
  ).join(':');
}

const BINARY_EXTENSIONS = new Set(['.der', '.cer', '.p12', '.pfx']);

function toVsRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.column, r.end.line, r.end.column);
}

export async function copyFingerprint(node?: TreeNode): Promise<string | undefined> {
  if (!node?.fingerprint) {
    void vscode.window.showWarningMessage(
      'Select a certificate in the Certificates view to copy its fingerprint.',
    );
    return undefined;
  }
  const text = opensslFingerprint(node.fingerprint);
  await vscode.env.clipboard.writeText(text);
  void vscode.window.setStatusBarMessage(`SHA-256 fingerprint of ${node.label} copied`, 3000);
  return text;
}

export async function revealInEditor(node?: TreeNode): Promise<void> {
  if (!node?.file) return;
  const uri = vscode.Uri.file(node.file);
  // Binary files open in the certificate viewer (their default editor); text files at the object.
  if (
    BINARY_EXTENSIONS.has(path.extname(node.file).toLowerCase()) &&
    node.range?.start.line === 0 &&
    node.range.end.line === 0
  ) {
    await vscode.commands.executeCommand('vscode.open', uri);
    return;
  }
  try {
    const doc = await vscode.workspace.openTextDocument(uri);
    const range = node.range ? toVsRange(node.range) : undefined;
    await vscode.window.showTextDocument(
      doc,
      range ? { selection: new vscode.Range(range.start, range.start), preview: true } : { preview: true },
    );
  } catch {
    // VS Code refuses binary files as text: show them in the viewer instead.
    await vscode.commands.executeCommand('vscode.open', uri);
  }
}

export async function revealInExplorer(node?: TreeNode): Promise<void> {
  if (node?.file) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(node.file));
}

/** Copies chosen certificate and key files into `certs/` of a workspace folder (asked for when there are several). */
export async function importCertificates(
  scanner: WorkspaceScanner,
  files?: vscode.Uri[],
): Promise<vscode.Uri[]> {
  const folder = await workspaceFolderFor({ ask: 'Import the certificates into which folder?' });
  if (!folder) {
    void vscode.window.showWarningMessage(
      'Open a folder first: certificates are imported into its certs/ folder.',
    );
    return [];
  }
  const picked = files?.length
    ? files
    : await vscode.window.showOpenDialog({
        canSelectMany: true,
        openLabel: 'Import',
        title: 'Import certificates, keys, CSRs or PKCS#12 bundles',
        filters: {
          'Certificates and keys': ['pem', 'crt', 'cer', 'der', 'key', 'p12', 'pfx', 'csr'],
          'All files': ['*'],
        },
      });
  if (!picked?.length) return [];
  const dest = path.join(folder.uri.fsPath, 'certs');
  await ensureOutputDir(nodeFileSystem, dest, folder.uri.fsPath);
  const written: vscode.Uri[] = [];
  for (const src of picked) {
    const target = path.join(dest, path.basename(src.fsPath));
    const exists = (await stat(target).catch(() => undefined)) !== undefined;
    if (exists) {
      const answer = await vscode.window.showWarningMessage(
        `${path.basename(target)} already exists in certs/. Replace it?`,
        { modal: true },
        'Replace',
      );
      if (answer !== 'Replace') continue;
    }
    const bytes = await readFile(src.fsPath);
    // Private keys stay private in their new place too.
    const isKey = /\.(key|p12|pfx)$/i.test(target) || bytes.includes('PRIVATE KEY-----');
    await writeGuarded(nodeFileSystem, target, bytes, {
      within: folder.uri.fsPath,
      replace: exists ? 'anything' : 'nothing',
      secret: isKey,
    });
    written.push(vscode.Uri.file(target));
  }
  await scanner.rescanAll();
  void vscode.window.showInformationMessage(`Imported ${written.length} file(s) into certs/.`);
  return written;
}

export async function openDocumentation(extensionUri: vscode.Uri): Promise<void> {
  // The packaged extension ships README.md, which holds this page's section; a checkout has the page itself.
  const page = vscode.Uri.joinPath(extensionUri, 'docs', 'explorer.md');
  const target = existsSync(page.fsPath) ? page : vscode.Uri.joinPath(extensionUri, 'README.md');
  await vscode.commands.executeCommand('markdown.showPreview', target);
}
