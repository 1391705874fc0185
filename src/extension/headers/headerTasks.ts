// The `embeddedTls` task type (extension host): "Generate C headers" and "Check C headers" for each
// embedded-tls.json, running the bundled `etls` CLI so a task, a terminal and CI behave the same.
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { PROJECT_FILE_NAME } from '../../core/project/types';
import { workspaceProjectFiles } from '../common/projectLocator';

export const TASK_TYPE = 'embeddedTls';

/** What tasks.json may say; mirrors contributes.taskDefinitions in package.json. */
export interface EmbeddedTlsTaskDefinition extends vscode.TaskDefinition {
  type: typeof TASK_TYPE;
  command: 'header';
  check?: boolean;
  profile?: string;
  /** The project file, relative to the workspace folder; default: the folder's embedded-tls.json. */
  project?: string;
}

export class HeaderTaskProvider implements vscode.TaskProvider {
  constructor(private readonly extensionPath: string) {}

  async provideTasks(): Promise<vscode.Task[]> {
    if (!vscode.workspace.isTrusted) return [];
    const tasks: vscode.Task[] = [];
    for (const p of (await workspaceProjectFiles()).map((f) => vscode.Uri.file(f))) {
      const folder = vscode.workspace.getWorkspaceFolder(p);
      if (!folder) continue;
      const project = vscode.workspace.asRelativePath(p, false);
      for (const check of [false, true]) {
        const definition: EmbeddedTlsTaskDefinition = { type: TASK_TYPE, command: 'header', check, project };
        tasks.push(this.build(definition, folder));
      }
    }
    return tasks;
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const d = task.definition as EmbeddedTlsTaskDefinition;
    if (d.command !== 'header') return undefined;
    const folder = typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
    return folder ? this.build(d, folder, task.name) : undefined;
  }

  private build(d: EmbeddedTlsTaskDefinition, folder: vscode.WorkspaceFolder, name?: string): vscode.Task {
    const args = [join(this.extensionPath, 'dist', 'cli.js'), 'header'];
    if (d.check) args.push('--check');
    if (d.project) args.push('--project', d.project);
    if (d.profile) args.push('--profile', d.profile);
    // Run in the workspace folder: the CLI prints paths relative to it, which the problem matcher resolves.
    const cwd = folder.uri.fsPath;
    const label =
      name ??
      `${d.check ? 'Check' : 'Generate'} C headers${d.profile ? ` (${d.profile})` : ''}${d.project && d.project !== PROJECT_FILE_NAME ? ` in ${dirname(d.project)}` : ''}`;
    // VS Code's own binary runs the CLI as plain Node, so no separate Node install is needed.
    const execution = new vscode.ProcessExecution(process.execPath, args, {
      cwd,
      env: { ELECTRON_RUN_AS_NODE: '1' },
    });
    const task = new vscode.Task(d, folder, label, 'Embedded TLS', execution, '$embeddedTls');
    if (!d.check) task.group = vscode.TaskGroup.Build;
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Silent, clear: true };
    return task;
  }
}
