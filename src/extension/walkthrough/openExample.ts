// "Open Example Project" (the first step of the Get Started walkthrough), in the extension host: shows
// the open project's embedded-tls.json, else opens the repository's example, else asks for a folder.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { nodeFileSystem } from '../../core/node/fileSystem';
import { locateProjectFile } from '../common/projectLocator';
import type { Services } from '../common/services';

/** Where `npm start` prepares the example; present when the extension runs from a checkout. */
export function examplePath(extensionPath: string): string {
  return join(extensionPath, 'examples', 'esp32-mqtt-tls');
}

export async function openExampleProject(s: Services): Promise<void> {
  const project = await locateProjectFile();
  if (project) {
    await vscode.window.showTextDocument(vscode.Uri.file(project), { preview: false });
    return;
  }
  const example = examplePath(s.context.extensionPath);
  if (await nodeFileSystem.stat(join(example, 'embedded-tls.json'))) {
    await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(example));
    return;
  }
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: 'Open Firmware Project',
    title: 'Open a firmware project (the folder with embedded-tls.json or your certificates)',
  });
  if (picked?.[0]) await vscode.commands.executeCommand('vscode.openFolder', picked[0]);
}
