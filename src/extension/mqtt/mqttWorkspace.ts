// What the MQTT panel knows of the workspace (extension host): the project whose device profiles it
// offers, and the folder its form's relative paths are relative to.
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import { nodeFileSystem } from '../../core/node/fileSystem';
import { loadProject } from '../../core/project/load';
import type { LoadedProject } from '../../core/project/types';
import type { Candidates, ConnectionForm } from '../../shared/protocol';
import { fromProject, locateProjectFile, projectNearUser, shownPath } from '../common/projectLocator';
import { candidateRoles } from './mqttFiles';
import { formFromDeviceProfile } from './mqttProfiles';

export class PanelWorkspace {
  /** The embedded-tls.json whose device profiles the panel offers, once one is known. */
  private projectPath: string | undefined;

  /** Follows the project the user came from (a CodeLens, a file, the editor); keeps the last one otherwise. */
  async follow(hint: { project?: string; file?: vscode.Uri }): Promise<void> {
    const near = hint.project ?? (await projectNearUser(hint.file));
    if (near) this.projectPath = near;
  }

  async project(): Promise<LoadedProject | undefined> {
    this.projectPath ??= await locateProjectFile();
    return this.projectPath
      ? loadProject(nodeFileSystem, this.projectPath).catch(() => undefined)
      : undefined;
  }

  /** The form for a device profile of the project, its paths made relative to the panel's folder; undefined when there is no such profile. */
  async profileForm(name: string, base: ConnectionForm): Promise<ConnectionForm | undefined> {
    const project = await this.project();
    const p = project?.file.profiles[name];
    if (!project || !p) return undefined;
    const dir = this.baseDir();
    return formFromDeviceProfile(name, p, base, (x) => fromProject(project, dir, x));
  }

  /** The workspace folder of the project (or the first folder): the form's relative paths start there. */
  baseDir(): string {
    const folder =
      (this.projectPath && vscode.workspace.getWorkspaceFolder(vscode.Uri.file(this.projectPath))) ||
      vscode.workspace.workspaceFolders?.[0];
    return folder?.uri.fsPath ?? process.cwd();
  }

  resolvePath(p: string): string | undefined {
    return p ? (isAbsolute(p) ? p : join(this.baseDir(), p)) : undefined;
  }

  displayPath(abs: string): string {
    return shownPath(this.baseDir(), abs);
  }

  /** The files each file field suggests: CA certificates, device certificates, private keys. */
  async candidates(): Promise<Candidates> {
    const found = await vscode.workspace.findFiles(
      '**/*.{pem,crt,cer,der,key}',
      '**/{node_modules,.git}/**',
      300,
    );
    const out: Candidates = { ca: [], cert: [], key: [] };
    const roles = await Promise.all(found.map((u) => candidateRoles(u.fsPath)));
    found.forEach((u, i) => {
      for (const role of roles[i]!) out[role].push(this.displayPath(u.fsPath));
    });
    for (const list of Object.values(out)) list.sort();
    return out;
  }
}
