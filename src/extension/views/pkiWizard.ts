// "Create Development PKI…", "Add Device to Development PKI…" and "Create Key and CSR…": QuickInput
// flows over the core's PKI, in the extension host.
import { networkInterfaces } from 'node:os';
import { join, relative } from 'node:path';
import * as vscode from 'vscode';
import { EtlsError } from '../../core/errors';
import { nodeFileSystem } from '../../core/node/fileSystem';
import {
  addDevice,
  checkDeviceId,
  checkDnsName,
  ipBytes,
  createCsr,
  createDevelopmentPki,
  defaultKeyContainer,
  defaultKeyType,
  initPaths,
  keyTypeLabel,
  keyTypes,
  keyTypeWarnings,
  linkPkiToProject,
  pickProfile,
  type KeyType,
  type PkiInitOptions,
  type PkiResult,
} from '../../core/pki';
import { loadProject } from '../../core/project/load';
import type { TargetId } from '../../core/targets/ids';
import type { Services } from '../services';
import { pickStep, runSteps, textStep } from './multiStepInput';
import { locateProjectFile, workspaceFolderFor } from '../projectLocator';

const TITLE = 'Create Development PKI';

interface ProjectContext {
  folder?: vscode.WorkspaceFolder;
  projectPath?: string;
  target?: TargetId;
  brokerHost?: string;
  pkiDir?: string;
}

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

const list = (v: string) =>
  v
    .split(/[,\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);

function validateAll(values: string[], check: (v: string) => void): string | undefined {
  for (const v of values) {
    try {
      check(v);
    } catch (e) {
      return e instanceof EtlsError ? e.message : String(e);
    }
  }
  return undefined;
}

function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a): a is NonNullable<typeof a> => !!a && a.family === 'IPv4' && !a.internal)
    .map((a) => a.address);
}

async function browseFolder(): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: 'Use This Folder',
  });
  return picked?.[0]?.fsPath;
}

function keyTypeItems(target?: TargetId) {
  const def = defaultKeyType(target);
  return keyTypes.map((t) => ({
    label: keyTypeLabel(t),
    value: t,
    description: t === def ? (target ? `default for ${target}` : 'default') : '',
    detail: keyTypeWarnings(t, target)[0] ?? '',
  }));
}

async function askPkiOptions(ctx: ProjectContext): Promise<PkiInitOptions | undefined> {
  const base = ctx.folder?.uri.fsPath ?? '';
  const state = {
    hosts: ctx.brokerHost ?? 'broker.local',
    ips: ['127.0.0.1', ...lanAddresses()].join(', '),
    devices: 'device-01',
    keyType: defaultKeyType(ctx.target) as KeyType,
    intermediate: false,
    days: '825',
    out: ctx.pkiDir ?? (base ? join(base, 'pki') : ''),
  };
  const total = 7;
  const ok = await runSteps([
    async () => {
      const v = await textStep({
        title: TITLE,
        step: 1,
        totalSteps: total,
        prompt: 'Broker host names devices dial (comma-separated; the first is the CN)',
        value: state.hosts,
        validate: (x) => (list(x).length ? validateAll(list(x), checkDnsName) : 'Give at least one name'),
      });
      if (typeof v === 'string' && v !== 'back') state.hosts = v;
      return v;
    },
    async () => {
      const v = await textStep({
        title: TITLE,
        step: 2,
        totalSteps: total,
        prompt: 'Broker IP addresses devices may dial instead (comma-separated, may be empty)',
        value: state.ips,
        validate: (x) => validateAll(list(x), (ip) => ipBytes(ip)),
      });
      if (typeof v === 'string' && v !== 'back') state.ips = v;
      return v;
    },
    async () => {
      const v = await textStep({
        title: TITLE,
        step: 3,
        totalSteps: total,
        prompt: 'Device ids: each gets a certificate with CN = id (comma-separated)',
        value: state.devices,
        validate: (x) => (list(x).length ? validateAll(list(x), checkDeviceId) : 'Name at least one device'),
      });
      if (typeof v === 'string' && v !== 'back') state.devices = v;
      return v;
    },
    async () => {
      const v = await pickStep<KeyType>({
        title: TITLE,
        step: 4,
        totalSteps: total,
        placeholder: 'Key type for the CA, the broker and the devices',
        items: keyTypeItems(ctx.target),
        active: state.keyType,
      });
      if (v && v !== 'back') state.keyType = v;
      return v;
    },
    async () => {
      const v = await pickStep<boolean>({
        title: TITLE,
        step: 5,
        totalSteps: total,
        placeholder: 'Who signs the broker and device certificates?',
        items: [
          { label: 'The root CA', value: false, description: 'simplest: devices trust ca.pem' },
          {
            label: 'An intermediate CA below the root',
            value: true,
            description: 'like production PKIs; the broker gets the chain',
          },
        ],
        active: state.intermediate,
      });
      if (v !== undefined && v !== 'back') state.intermediate = v;
      return v;
    },
    async () => {
      const v = await textStep({
        title: TITLE,
        step: 6,
        totalSteps: total,
        prompt: 'Validity of broker and device certificates, in days (the CA gets 3650)',
        value: state.days,
        validate: (x) =>
          /^\d+$/.test(x) && +x >= 1 && +x <= 36500 ? undefined : 'A whole number of days, 1-36500',
      });
      if (typeof v === 'string' && v !== 'back') state.days = v;
      return v;
    },
    async () => {
      const v = await textStep({
        title: TITLE,
        step: 7,
        totalSteps: total,
        prompt: 'Output folder',
        value: state.out,
        validate: (x) => (x.trim() ? undefined : 'Choose a folder'),
        extraButton: { icon: 'folder-opened', tooltip: 'Browse…', run: browseFolder },
      });
      if (typeof v === 'string' && v !== 'back') state.out = v;
      return v;
    },
  ]);
  if (!ok) return undefined;

  const outDir =
    base && !state.out.startsWith('/') && !/^[A-Za-z]:/.test(state.out) ? join(base, state.out) : state.out;
  return {
    outDir,
    brokerHosts: list(state.hosts),
    brokerIps: list(state.ips),
    devices: list(state.devices),
    keyType: state.keyType,
    keyContainer: defaultKeyContainer(ctx.target),
    days: Number(state.days),
    intermediate: state.intermediate,
  };
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
  // A preset run (tests, other commands) leaves the project file alone.
  if (ctx.projectPath && !preset) {
    const changes = await linkPkiToProject(nodeFileSystem, ctx.projectPath, {
      outDir,
      device: options.devices[0]!,
      brokerHost: options.brokerHosts[0]!,
    });
    if (changes.length) s.logger.info(`Updated ${ctx.projectPath}: ${changes.join('; ')}`);
  }
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
