// Regenerate-on-save (`embeddedTls.headers.regenerateOnSave`, off by default, never in untrusted
// workspaces): a saved or replaced certificate or key regenerates the project headers that use it.
import * as vscode from 'vscode';
import { EtlsError } from '../../core/errors';
import { projectHeaderSpecs, specsUsingInput } from '../../core/headers';
import { nodeFileSystem } from '../../core/node/fileSystem';
import { loadProject } from '../../core/project/load';
import { workspaceProjectFiles } from '../common/projectLocator';
import type { Services } from '../common/services';
import { writeAndReport } from './headerWrite';

/** When `embeddedTls.headers.regenerateOnSave` is on: a saved or replaced input regenerates its project headers. */
export function registerRegenerateOnSave(s: Services, onRegenerated: () => void): void {
  const enabled = () =>
    vscode.workspace.isTrusted &&
    vscode.workspace.getConfiguration('embeddedTls').get<boolean>('headers.regenerateOnSave', false);
  let pending: NodeJS.Timeout | undefined;
  const changed = new Set<string>();
  const flush = async () => {
    const paths = [...changed];
    changed.clear();
    const projects = await workspaceProjectFiles();
    for (const p of projects) {
      try {
        const specs = projectHeaderSpecs(await loadProject(nodeFileSystem, p));
        const affected = new Set(paths.flatMap((path) => specsUsingInput(specs, path)));
        if (affected.size) {
          await writeAndReport(s, [...affected], true);
          onRegenerated();
        }
      } catch (e) {
        const message = e instanceof EtlsError ? e.describe() : String(e);
        s.logger.warn(`regenerate on save: ${message}`);
        void vscode.window.showWarningMessage(`Embedded TLS: could not regenerate headers: ${message}`);
      }
    }
  };
  const queue = (uri: vscode.Uri) => {
    if (!enabled() || uri.scheme !== 'file') return;
    changed.add(uri.fsPath);
    // Tools like openssl write several files in a row: regenerate once they are done.
    if (pending) clearTimeout(pending);
    pending = setTimeout(() => void flush(), 300);
  };
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.{pem,crt,cer,der,key}');
  s.context.subscriptions.push(
    vscode.workspace.onDidSaveTextDocument((d) => queue(d.uri)),
    watcher,
    watcher.onDidChange(queue),
    watcher.onDidCreate(queue),
    { dispose: () => pending && clearTimeout(pending) },
  );
}
