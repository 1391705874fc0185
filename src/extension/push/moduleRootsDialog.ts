// The module-roots part of the push dialog: say that a push replaces the module's roots (and offer to keep
// them), and record what a verified push left on the module in the profile, for the check.
import * as vscode from 'vscode';
import { nodeFileSystem } from '../../core/node/fileSystem';
import { saveProject } from '../../core/project/load';
import type { LoadedProject } from '../../core/project/types';
import type { PushProtocol, PushReport } from '../../core/push';
import type { Services } from '../common/services';

/**
 * Replacing a module's roots drops Arduino's defaults: say so before writing, and offer to keep them.
 * Undefined when the user backs out.
 */
export async function askMerge(protocol: PushProtocol, count: number): Promise<boolean | undefined> {
  const module = protocol === 'wifinina-roots' ? 'WiFiNINA' : 'WiFi101';
  const replace = 'Replace';
  const merge = 'Keep Current Roots';
  const pick = await vscode.window.showWarningMessage(
    `Pushing replaces every root certificate on the ${module} module, Arduino's defaults included, with the ${count} file(s) chosen: sketches can then reach only servers whose chain ends in one of them.`,
    {
      modal: true,
      detail:
        protocol === 'wifinina-roots'
          ? "Keep Current Roots reads the module first; the WiFiNINA FirmwareUpdater sketch cannot read, so it stops before writing. To keep Arduino's defaults there, add nina-fw's data/roots.pem to the files."
          : 'Keep Current Roots reads the module first and adds the chosen roots (duplicates dropped).',
    },
    replace,
    merge,
  );
  return pick === undefined ? undefined : pick === merge;
}

/** After a verified module push: the roots the module holds now, in the profile, for the check. */
export async function recordModuleRoots(
  s: Services,
  project: LoadedProject | undefined,
  profileName: string,
  report: PushReport,
): Promise<void> {
  const p = project?.file.profiles[profileName];
  if (!project || !p || !report.moduleRoots) return;
  p.push = { ...(p.push ?? { protocol: report.protocol }), moduleRoots: report.moduleRoots };
  try {
    await saveProject(nodeFileSystem, project);
  } catch (e) {
    s.logger.warn(
      `push: the project file could not record the module's roots: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}
