// Writing generated headers from VS Code: each written file is logged, a header that holds a private key
// is pointed out, and open editors of regenerated headers are brought up to date.
import * as vscode from 'vscode';
import { generateHeader, readTextIfExists, writeHeader, type HeaderSpec } from '../../core/headers';
import { nodeFileSystem } from '../../core/node/fileSystem';
import type { Services } from '../common/services';

/** Writes each header (unchanged ones are left alone) and returns the files, for showOnDisk. */
export async function writeAndReport(
  s: Services,
  specs: HeaderSpec[],
  quiet = false,
  force = false,
): Promise<vscode.Uri[]> {
  const written: vscode.Uri[] = [];
  for (const spec of specs) {
    const header = await generateHeader(nodeFileSystem, spec);
    const results = await writeHeader(nodeFileSystem, header, { force });
    for (const r of results) {
      s.logger.info(`${r.state === 'written' ? 'wrote' : 'unchanged'} ${r.path}`);
      written.push(vscode.Uri.file(r.path));
    }
    if (header.holdsPrivateKey && !quiet)
      void vscode.window.showWarningMessage(
        `${vscode.workspace.asRelativePath(spec.output)} holds a private key. Keep it out of version control (add it to .gitignore).`,
      );
  }
  return written;
}

/**
 * Makes the editors of regenerated headers show the new text. VS Code reloads a clean document when
 * its file watcher reports the change, which can lag on a busy machine or a network file system;
 * the active editor is then reloaded from disk explicitly, so its CodeLens turns current at once.
 */
export async function showOnDisk(written: vscode.Uri[], waitMs = 1500): Promise<void> {
  const behind = async () => {
    const out: vscode.TextDocument[] = [];
    for (const uri of written) {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (doc && !doc.isDirty && doc.getText() !== (await readTextIfExists(nodeFileSystem, uri.fsPath)))
        out.push(doc);
    }
    return out;
  };
  if ((await behind()).length === 0) return;
  await new Promise<void>((done) => {
    const timer = setTimeout(finish, waitMs);
    const sub = vscode.workspace.onDidChangeTextDocument(async () => {
      if ((await behind()).length === 0) finish();
    });
    function finish() {
      clearTimeout(timer);
      sub.dispose();
      done();
    }
  });
  const active = vscode.window.activeTextEditor?.document;
  if (active && (await behind()).includes(active))
    await vscode.commands.executeCommand('workbench.action.files.revert');
}
