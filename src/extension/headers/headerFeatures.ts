// Wires the C header features into the extension host: CodeLens, the task type, regenerate-on-save.
import * as vscode from 'vscode';
import type { Services } from '../common/services';
import { HEADER_SELECTOR, HeaderCodeLensProvider } from './headerCodeLens';
import { registerRegenerateOnSave } from './regenerateOnSave';
import { HeaderTaskProvider, TASK_TYPE } from './headerTasks';

export function registerHeaderFeatures(s: Services): void {
  const lenses = new HeaderCodeLensProvider();
  // Lenses compare sources on disk, so any change to a certificate or key may flip them.
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.{pem,crt,cer,der,key,h,hpp,c}');
  s.context.subscriptions.push(
    lenses,
    vscode.languages.registerCodeLensProvider(HEADER_SELECTOR, lenses),
    vscode.tasks.registerTaskProvider(TASK_TYPE, new HeaderTaskProvider(s.context.extensionPath)),
    watcher,
    watcher.onDidChange(() => lenses.refresh()),
    watcher.onDidCreate(() => lenses.refresh()),
    watcher.onDidDelete(() => lenses.refresh()),
  );
  registerRegenerateOnSave(s, () => lenses.refresh());
}
