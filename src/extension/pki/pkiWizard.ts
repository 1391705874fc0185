// "Create Development PKI…", "Add Device to Development PKI…" and "Create Key and CSR…": QuickInput
// flows over the core's PKI, in the extension host.
import { join, relative } from 'node:path';
import * as vscode from 'vscode';
import { EtlsError } from '../../core/errors';
import { nodeFileSystem } from '../../core/node/fileSystem';
import {
  addDevice,
  checkDeviceId,
  createCsr,
  createDevelopmentPki,
  defaultKeyContainer,
  defaultKeyType,
  findProjectCa,
  initPaths,
  keyTypeLabel,
  linkPkiToProject,
  pickProfile,
  plannedPkiLink,
  type PkiInitOptions,
  type PkiLink,
  type PkiResult,
} from '../../core/pki';
import { loadProject } from '../../core/project/load';
import type { Services } from '../common/services';
import { askPkiOptions, browseFolder, keyTypeItems, validateAll, type ProjectContext } from './pkiQuestions';
import { locateProjectFile, workspaceFolderFor } from '../common/projectLocator';

/** The project and folder the PKI is for; `interactive` callers are asked when several could be meant. */
async function projectContext(interactive = true): Promise<ProjectContext> {
  const projectPath = await locateProjectFile(
    interactive ? { ask: 'Create the PKI for which project?' } : {},
  );
  const folder = await workspaceFolderFor({
    ...(projectPath ? { hint: vscode.Uri.file(projectPath) } : {}),
    ...(interactive ? { ask: 'Create the PKI in which folder?' } : {}),
  });
  if (!folder) return {};
  if (!projectPath) return { folder };
  try {
    const project = await loadProject(nodeFileSystem, projectPath);
    const picked =
      pickProfile(project) ??
      Object.entries(project.file.profiles).map(([name, profile]) => ({ name, profile }))[0];
    return {
      folder,
      projectPath,
      ...(picked?.profile.target ? { target: picked.profile.target } : {}),
      ...(picked?.profile.broker?.host ? { brokerHost: picked.profile.broker.host } : {}),
      ...(project.file.pki?.dir ? { pkiDir: join(project.dir, project.file.pki.dir) } : {}),
    };
  } catch {
    return { folder, projectPath };
  }
}

/** A CA with its key already in the project: issue from it, or knowingly make a separate one. */
async function existingCaChoice(ctx: ProjectContext): Promise<'issue' | 'new' | undefined> {
  if (!ctx.projectPath) return 'new';
  const caDir = await findProjectCa(nodeFileSystem, await loadProject(nodeFileSystem, ctx.projectPath)).catch(
    () => undefined,
  );
  if (!caDir) return 'new';
  const where = ctx.folder ? relative(ctx.folder.uri.fsPath, caDir) || '.' : caDir;
  const pick = await vscode.window.showQuickPick(
    [
      {
        label: `Issue a device certificate from the CA in ${where}`,
        description: 'the broker and the other devices keep trusting it',
        value: 'issue' as const,
      },
      {
        label: 'Create a new, separate CA',
        description: 'the broker and every device must then change to it',
        value: 'new' as const,
      },
    ],
    {
      title: 'Create Development PKI',
      placeHolder: `This project already has a CA (${where}/ca.pem with its key)`,
    },
  );
  if (pick?.value === 'issue') ctx.pkiDir = caDir;
  return pick?.value;
}

/**
 * Points the project's profile at new files when the user says so; shows what would change first.
 * Nothing is written without the answer.
 */
async function offerProfileUpdate(s: Services, projectPath: string, link: PkiLink): Promise<void> {
  const planned = await plannedPkiLink(nodeFileSystem, projectPath, { ...link, replace: true }).catch(
    () => [] as string[],
  );
  if (planned.length === 0) return;
  const answer = await vscode.window.showInformationMessage(
    `Point ${relative(join(projectPath, '..', '..'), projectPath)} at the new files?`,
    { modal: true, detail: planned.join('\n') },
    'Update Profile',
  );
  if (answer !== 'Update Profile') return;
  const changes = await linkPkiToProject(nodeFileSystem, projectPath, { ...link, replace: true });
  if (changes.length) s.logger.info(`Updated ${projectPath}: ${changes.join('; ')}`);
}

/**
 * Asks through the QuickInput flow; `preset` (from tests and other commands) skips the questions and
 * never replaces files unless it says `force`.
 */
export async function createPkiCommand(
  s: Services,
  preset?: Partial<PkiInitOptions>,
): Promise<PkiResult | undefined> {
  const ctx = await projectContext(!preset);
  if (!preset) {
    const choice = await existingCaChoice(ctx);
    if (!choice) return undefined;
    if (choice === 'issue') {
      await addPkiDeviceCommand(s, ctx.pkiDir ? vscode.Uri.file(ctx.pkiDir) : undefined);
      return undefined;
    }
  }
  const base = ctx.folder?.uri.fsPath ?? '';
  const options: PkiInitOptions | undefined =
    preset?.outDir && preset.brokerHosts && preset.devices
      ? {
          keyType: defaultKeyType(ctx.target),
          keyContainer: defaultKeyContainer(ctx.target),
          days: 825,
          ...preset,
          outDir: preset.outDir,
          brokerHosts: preset.brokerHosts,
          devices: preset.devices,
        }
      : await askPkiOptions(ctx);
  if (!options) return undefined;
  const outDir = options.outDir;
  const existing: string[] = [];
  for (const p of initPaths(options)) if (await nodeFileSystem.stat(p)) existing.push(p);
  if (existing.length && !preset) {
    const replace = await vscode.window.showWarningMessage(
      `${existing.length} files of a PKI already exist in ${outDir}. Replace them?`,
      {
        modal: true,
        detail:
          'New keys and certificates are made; devices holding the old ones must be updated. The old CA stops being trusted by this broker.',
      },
      'Replace',
    );
    if (replace !== 'Replace') return undefined;
    options.force = true;
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Embedded TLS: creating the development PKI…' },
    () => createDevelopmentPki(nodeFileSystem, options),
  );
  s.logger.info(
    `Development PKI (${keyTypeLabel(options.keyType)}) written to ${outDir}: ${result.files.length} files; keys 0600 and in .gitignore.`,
  );
  // A preset run (tests, other commands) leaves the project file alone; a user is asked.
  if (ctx.projectPath && !preset)
    await offerProfileUpdate(s, ctx.projectPath, {
      outDir,
      device: options.devices[0]!,
      brokerHost: options.brokerHosts[0]!,
      brokerNames: [...options.brokerHosts, ...(options.brokerIps ?? [])],
    });
  void vscode.window
    .showInformationMessage(
      `Development PKI created in ${base ? relative(base, outDir) || '.' : outDir}: CA, broker and ${options.devices.length} device(s).`,
      'Start Local TLS Broker',
      'Open mosquitto.conf',
    )
    .then((choice) => {
      const conf = vscode.Uri.file(result.confPath);
      if (choice === 'Start Local TLS Broker')
        void vscode.commands.executeCommand('embeddedTls.startLocalBroker', conf);
      if (choice === 'Open mosquitto.conf') void vscode.window.showTextDocument(conf);
    });
  return result;
}

async function pickPkiDir(uri?: vscode.Uri): Promise<string | undefined> {
  if (uri?.scheme === 'file')
    return (await vscode.workspace.fs.stat(uri)).type === vscode.FileType.Directory
      ? uri.fsPath
      : join(uri.fsPath, '..');
  const ctx = await projectContext();
  if (ctx.pkiDir) return ctx.pkiDir;
  return browseFolder();
}

export async function addPkiDeviceCommand(s: Services, uri?: vscode.Uri): Promise<void> {
  const caDir = await pickPkiDir(uri);
  if (!caDir) return;
  const id = await vscode.window.showInputBox({
    title: 'Add Device to Development PKI',
    prompt: `Device id (certificate CN), signed by the CA in ${caDir}`,
    ignoreFocusOut: true,
    validateInput: (v) => validateAll([v], checkDeviceId),
  });
  if (!id) return;
  const r = await addDevice(nodeFileSystem, { caDir, id, days: 825 });
  for (const w of r.warnings) s.logger.warn(w);
  s.logger.info(`Device ${id}: ${r.files.map((f) => relative(caDir, f.path)).join(', ')}`);
  void vscode.window.showInformationMessage(
    `Device ${id} added to the development PKI (key 0600, in .gitignore).`,
  );
  const ctx = await projectContext(false);
  if (ctx.projectPath)
    await offerProfileUpdate(s, ctx.projectPath, {
      outDir: caDir,
      device: id,
      brokerHost: ctx.brokerHost ?? 'localhost',
    });
}

export async function createCsrCommand(s: Services, uri?: vscode.Uri): Promise<void> {
  const ctx = await projectContext();
  const cn = await vscode.window.showInputBox({
    title: 'Create Key and CSR',
    prompt: 'Subject CN: the device id or AWS IoT thing name (also the file name)',
    ignoreFocusOut: true,
    validateInput: (v) => validateAll([v], checkDeviceId),
  });
  if (!cn) return;
  const keyType = await vscode.window.showQuickPick(keyTypeItems(ctx.target), {
    title: 'Create Key and CSR',
    placeHolder: 'Key type',
  });
  if (!keyType) return;
  const outDir = uri?.scheme === 'file' ? uri.fsPath : (ctx.folder?.uri.fsPath ?? (await browseFolder()));
  if (!outDir) return;
  const r = await createCsr(nodeFileSystem, {
    outDir,
    commonName: cn,
    keyType: keyType.value,
    keyContainer: defaultKeyContainer(ctx.target),
  }).catch(async (e) => {
    if (!(e instanceof EtlsError && e.code === 'exists')) throw e;
    const again = await vscode.window.showWarningMessage(`${e.message}.`, { modal: true }, 'Replace');
    if (again !== 'Replace') return undefined;
    return createCsr(nodeFileSystem, {
      outDir,
      commonName: cn,
      keyType: keyType.value,
      keyContainer: defaultKeyContainer(ctx.target),
      force: true,
    });
  });
  if (!r) return;
  const csr = r.files.find((f) => f.path.endsWith('.csr'))!.path;
  s.logger.info(
    `Wrote ${r.files.map((f) => f.path).join(', ')}. AWS IoT: aws iot create-certificate-from-csr --certificate-signing-request file://${csr} --set-as-active`,
  );
  await vscode.window.showTextDocument(vscode.Uri.file(csr));
}
