// Which embedded-tls.json, and which workspace folder, a command works with. A project file may sit
// below the folder that is open (firmware/embedded-tls.json in a monorepo), and a multi-root workspace
// has several folders: the choice follows what the user pointed at, then the file being edited, and
// asks only when it is still open.
import { basename, dirname, relative } from 'node:path';
import * as vscode from 'vscode';
import { nodeFileSystem } from '../../core/node/fileSystem';
import { findProjectFile, loadProject, resolveProjectPath } from '../../core/project/load';
import { PROJECT_FILE_NAME, type LoadedProject } from '../../core/project/types';

export interface LocateOptions {
  /** A file or folder the user pointed at (a tree node, an editor, a CodeLens argument). */
  hint?: vscode.Uri;
  /** The question a picker asks when several remain; without it the first is taken, silently. */
  ask?: string;
}

/** The project files of the workspace, nearest the roots first. */
export async function workspaceProjectFiles(): Promise<string[]> {
  const found = await vscode.workspace.findFiles(
    `**/${PROJECT_FILE_NAME}`,
    '**/{node_modules,.git,build,.pio}/**',
    50,
  );
  return found
    .filter((u) => u.scheme === 'file')
    .map((u) => u.fsPath)
    .sort((a, b) => a.split(/[\\/]/).length - b.split(/[\\/]/).length || a.localeCompare(b));
}

/** The project file nearest a file or folder, when it lies inside the workspace. */
async function projectNear(uri: vscode.Uri | undefined): Promise<string | undefined> {
  if (uri?.scheme !== 'file') return undefined;
  if (basename(uri.fsPath) === PROJECT_FILE_NAME) return uri.fsPath;
  const stat = await nodeFileSystem.stat(uri.fsPath);
  const path = await findProjectFile(
    nodeFileSystem,
    stat?.isFile === false ? uri.fsPath : dirname(uri.fsPath),
  );
  return path && vscode.workspace.getWorkspaceFolder(vscode.Uri.file(path)) ? path : undefined;
}

/** The project file nearest the hint, else nearest the active editor's file; no workspace-wide search. */
export async function projectNearUser(hint?: vscode.Uri): Promise<string | undefined> {
  return (await projectNear(hint)) ?? (await projectNear(vscode.window.activeTextEditor?.document.uri));
}

/**
 * The embedded-tls.json to use: the one nearest the hint, else nearest the active editor's file,
 * else the only one in the workspace; with several, a picker when `ask` is given.
 */
export async function locateProjectFile(o: LocateOptions = {}): Promise<string | undefined> {
  const near = await projectNearUser(o.hint);
  if (near) return near;
  const all = await workspaceProjectFiles();
  if (all.length <= 1 || !o.ask) return all[0];
  const pick = await vscode.window.showQuickPick(
    all.map((path) => ({ label: vscode.workspace.asRelativePath(path, true), path })),
    { placeHolder: o.ask, ignoreFocusOut: true },
  );
  return pick?.path;
}

/** The project file, loaded; undefined when there is none or it cannot be used (the explorer says why). */
export async function locateProject(o: LocateOptions = {}): Promise<LoadedProject | undefined> {
  const path = await locateProjectFile(o);
  return path ? loadProject(nodeFileSystem, path).catch(() => undefined) : undefined;
}

/**
 * The workspace folder for new files: the hint's, the active editor's, the one holding the only
 * project file, or (several remaining) the one the user picks when `ask` is given.
 */
export async function workspaceFolderFor(o: LocateOptions = {}): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  if (folders.length <= 1) return folders[0];
  for (const uri of [o.hint, vscode.window.activeTextEditor?.document.uri]) {
    const folder = uri && vscode.workspace.getWorkspaceFolder(uri);
    if (folder && folder.uri.scheme === 'file') return folder;
  }
  const withProject = new Set(
    (await workspaceProjectFiles()).map((p) => vscode.workspace.getWorkspaceFolder(vscode.Uri.file(p))),
  );
  if (withProject.size === 1) return [...withProject][0];
  if (!o.ask) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: o.ask, ignoreFocusOut: true });
}

/** A path as the user reads it: relative to `base` when it lies below it, else absolute. */
export function shownPath(base: string, abs: string): string {
  const rel = relative(base, abs);
  return rel === '' || rel.startsWith('..') || /^([a-zA-Z]:|[\\/])/.test(rel) ? abs : rel;
}

/** A project-relative path made relative to `base` (or absolute when it lies outside). */
export function fromProject(project: LoadedProject, base: string, p: string | undefined): string {
  return p ? shownPath(base, resolveProjectPath(project, p)) : '';
}
