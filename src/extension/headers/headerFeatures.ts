// Wires the C header features into the extension host: CodeLens, the task type, regenerate-on-save.
import * as vscode from 'vscode';
import type { Services } from '../common/services';
import { HEADER_SELECTOR, HeaderCodeLensProvider } from './headerCodeLens';
import { registerRegenerateOnSave } from './regenerateOnSave';
import { HeaderTaskProvider, TASK_TYPE } from './headerTasks';

export function registerHeaderFeatures(s: Services): void {
  const lenses = new HeaderCodeLensProvider();
  // A checkout or a script writing a thousand files refreshes the lenses once, after the burst.
  let soon: ReturnType<typeof setTimeout> | undefined;
  const refreshSoon = () => {
    clearTimeout(soon);
    soon = setTimeout(() => lenses.refresh(), 250);
  };
  // Lenses compare sources on disk, so any change to a certificate or key may flip them.
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.{pem,crt,cer,der,key,h,hpp,c}');
  s.context.subscriptions.push(
    lenses,
    vscode.languages.registerCodeLensProvider(HEADER_SELECTOR, lenses),
    vscode.tasks.registerTaskProvider(TASK_TYPE, new HeaderTaskProvider(s.context.extensionPath)),
    watcher,
    watcher.onDidChange(refreshSoon),
    watcher.onDidCreate(refreshSoon),
    watcher.onDidDelete(refreshSoon),
    { dispose: () => clearTimeout(soon) },
  );
  registerRegenerateOnSave(s, () => lenses.refresh());
}
