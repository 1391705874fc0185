// One workspace folder's project file and check (extension host, no UI): load embedded-tls.json,
// relink the scanned files and run the core's rules with the host's git and file modes.
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { checkProject, linkWorkspace } from '../../core/check';
import { nodeFileSystem } from '../../core/node/fileSystem';
import type { LoggerPort } from '../../core/ports';
import { loadProject } from '../../core/project/load';
import { PROJECT_FILE_NAME } from '../../core/project/types';
import type { FolderState, ScannerHost } from './scanState';

/**
 * Reads the folder's embedded-tls.json: the one at its root, else the only one below it (as in a
 * repository whose firmware lives in firmware/). `findBelow` lists the project files under the
 * folder; it is asked only when the root has none. An unusable or ambiguous one is remembered as
 * projectError, not thrown.
 */
export async function loadFolderProject(
  state: FolderState,
  logger: LoggerPort,
  findBelow: () => Promise<string[]> = async () => [],
): Promise<void> {
  const root = path.join(state.folder.uri.fsPath, PROJECT_FILE_NAME);
  delete state.project;
  delete state.projectError;
  const atRoot = (await nodeFileSystem.stat(root))?.isFile;
  const below = atRoot ? [] : await findBelow();
  if (below.length > 1) {
    const names = below.map((b) => path.relative(state.folder.uri.fsPath, b)).sort();
    state.projectError =
      `${state.folder.name} holds ${below.length} project files (${names.join(', ')}), and none at its root. ` +
      'Open each firmware as its own folder of a multi-root workspace, or move one to the root';
    logger.warn(state.projectError);
    return;
  }
  const file = atRoot ? root : below[0];
  if (!file) return;
  try {
    state.project = await loadProject(nodeFileSystem, file);
  } catch (e) {
    state.projectError = e instanceof Error ? e.message : String(e);
    logger.warn(state.projectError);
  }
}

/** Relinks the folder's files and replaces its findings; a failing rule never leaves stale findings. */
export async function checkFolder(state: FolderState, host: ScannerHost): Promise<void> {
  const settings = host.settings();
  state.model = linkWorkspace(state.files.values(), state.project);
  if (!settings.checkEnabled) {
    state.findings = [];
    return;
  }
  let projectText: string | undefined;
  if (state.project) projectText = await readFile(state.project.path, 'utf8').catch(() => undefined);
  const git = host.git();
  try {
    state.findings = await checkProject(
      state.project ? { model: state.model, project: state.project } : { model: state.model },
      {
        expiryDays: settings.expiryDays,
        // The folder is the git root to ask even when there is no project file.
        ...(state.folder.uri.scheme === 'file' ? { root: state.folder.uri.fsPath } : {}),
        ...(git ? { git } : {}),
        ...(projectText !== undefined ? { projectText } : {}),
        stat: async (p) => {
          const st = await stat(p).catch(() => undefined);
          return st ? { mode: st.mode } : undefined;
        },
      },
    );
  } catch (e) {
    host.logger.warn(`The project check stopped: ${e instanceof Error ? e.message : String(e)}`);
    state.findings = [];
  }
}
