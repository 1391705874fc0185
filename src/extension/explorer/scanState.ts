// What the workspace scanner keeps per folder and what it asks of its host. Its own file, so the scanner
// (workspaceScanner.ts) and the project check (folderCheck.ts) share the shapes without importing each other.
import type * as vscode from 'vscode';
import type { DiscoveryOptions, Finding, GitPort, ScannedFile, WorkspaceModel } from '../../core/check';
import type { LoggerPort } from '../../core/ports';
import type { LoadedProject } from '../../core/project/types';

/** What one workspace folder holds, as last scanned and checked. */
export interface FolderState {
  folder: vscode.WorkspaceFolder;
  files: Map<string, ScannedFile>;
  project?: LoadedProject;
  /** Why the project file could not be used, if it could not. */
  projectError?: string;
  model: WorkspaceModel;
  findings: Finding[];
}

export interface ScannerSettings {
  discovery: DiscoveryOptions;
  expiryDays: number;
  checkEnabled: boolean;
}

export interface ScannerHost {
  logger: LoggerPort;
  settings(): ScannerSettings;
  /** Git answers for the key rules; undefined in untrusted workspaces, where running git is not safe. */
  git(): GitPort | undefined;
}
