// "Embedded TLS: Push Certificates to Board…": pick a port, a protocol, files and their names on the board,
// then push with a cancellable progress notification. Runs in the extension host. It stays one file
// past 300 lines because it is one sequence of questions; the module-roots questions are beside it.
import * as vscode from 'vscode';
import { basename, dirname } from 'node:path';
import { EtlsError } from '../../core/errors';
import { nodeFileSystem } from '../../core/node/fileSystem';
import { listSerialPorts, openSerialLink } from '../../core/node/serialLink';
import { systemClock } from '../../core/ports';
import { resolveProjectPath } from '../../core/project/load';
import type { DeviceProfile, LoadedProject } from '../../core/project/types';
import {
  classify,
  defaultRemoteName,
  describePort,
  executePush,
  isModuleProtocol,
  planModuleRoots,
  planPush,
  rootsFromFiles,
  pushProtocols,
  remoteFromProfile,
  suggestProtocol,
  type IdentifiedPort,
  type PushProtocol,
  type PushReport,
  type PushSource,
  type ShellLogin,
} from '../../core/push';
import { cancellationPort, progressPort } from './pushAdapters';
import { askMerge, recordModuleRoots } from './moduleRootsDialog';
import type { Services } from '../common/services';
import { locateProject } from '../common/projectLocator';

const protocolHelp: Record<PushProtocol, string> = {
  'simplelink-at': "TI CC3220/CC3235 with TI's AT-command application",
  'linux-shell': "a Linux board's serial console (base64, sha256sum, mv)",
  'etls-frame': 'the etls reference receiver in your firmware',
  'wifinina-roots':
    'root CAs into a WiFiNINA module (MKR WiFi 1010, Nano 33 IoT) via the FirmwareUpdater sketch',
  'wifi101-roots': 'root CAs into a WiFi101 module (MKR1000, WINC1500) via the FirmwareUpdater sketch',
};

interface Profile {
  name: string;
  profile: DeviceProfile | undefined;
  project: LoadedProject | undefined;
}

/** Answers that skip the pickers, for scripts, tasks and tests (a picker never blocks them). */
export interface PushCommandOptions {
  profile?: string;
  port?: string;
  protocol?: PushProtocol;
  /** Names on the board, one per file, in the order of the files. */
  remotes?: string[];
  baud?: number;
  /** The files to push (absolute paths), instead of the explorer selection or a picker. */
  files?: string[];
  /** wifinina-roots / wifi101-roots: keep the module's current roots (true) or replace them (false). */
  merge?: boolean;
  /** Ask the questions the options leave open (the Quick Fix passes a profile and a file, not a port). */
  ask?: boolean;
}

async function pickProfile(o: PushCommandOptions | undefined): Promise<Profile | undefined> {
  const project = await locateProject(o ? {} : { ask: 'Which project is on the board?' });
  const names = Object.keys(project?.file.profiles ?? {});
  if (o && names.length > 1 && (!o.ask || (o.profile && names.includes(o.profile)))) {
    const name = o.profile && names.includes(o.profile) ? o.profile : names[0]!;
    return { name, profile: project!.file.profiles[name], project };
  }
  if (names.length <= 1)
    return {
      name: names[0] ?? '(none)',
      profile: names[0] ? project?.file.profiles[names[0]] : undefined,
      project,
    };
  const pick = await vscode.window.showQuickPick(
    names.map((n) => ({ label: n, description: project!.file.profiles[n]?.target ?? '' })),
    { title: 'Push Certificates: device profile', placeHolder: 'Which device profile is on the board?' },
  );
  return pick && { name: pick.label, profile: project!.file.profiles[pick.label], project };
}

async function pickPort(s: Services, profile: Profile): Promise<IdentifiedPort | undefined> {
  const key = `embeddedTls.push.port.${profile.name}`;
  const remembered = s.context.workspaceState.get<string>(key) ?? profile.profile?.push?.port;
  const ports = await listSerialPorts();
  type Item = vscode.QuickPickItem & { port?: IdentifiedPort; manual?: boolean };
  const items: Item[] = ports
    .map((p) => ({
      label: `$(plug) ${p.path}`,
      description: [p.path === remembered ? 'last used' : '', p.board?.name ?? p.manufacturer ?? '']
        .filter(Boolean)
        .join(' · '),
      detail: p.board
        ? `${p.board.reason}${p.board.protocol ? ` — usually ${p.board.protocol}` : ''}`
        : undefined,
      port: p,
    }))
    .sort((a, b) => Number(b.port.path === remembered) - Number(a.port.path === remembered));
  items.push({ label: '$(edit) Enter a port path…', manual: true });
  const pick = await vscode.window.showQuickPick(items, {
    title: 'Push Certificates: serial port',
    placeHolder: 'Which port is the board on?',
  });
  if (!pick) return undefined;
  let port = pick.port;
  if (pick.manual) {
    const path = await vscode.window.showInputBox({
      title: 'Serial port path',
      value: remembered ?? '',
      placeHolder: '/dev/ttyUSB0 or COM5',
    });
    if (!path) return undefined;
    port = ports.find((p) => p.path === path) ?? { path };
  }
  await s.context.workspaceState.update(key, port!.path);
  s.logger.debug(`push: port ${describePort(port!)}`);
  return port;
}

async function pickProtocol(profile: Profile, port: IdentifiedPort): Promise<PushProtocol | undefined> {
  const suggested = suggestProtocol(profile.profile, port.board);
  const items = [suggested, ...pushProtocols.filter((p) => p !== suggested)].map((p) => ({
    label: p,
    description: p === suggested ? 'suggested' : '',
    detail: protocolHelp[p],
  }));
  return (await vscode.window.showQuickPick(items, { title: 'Push Certificates: protocol' }))?.label as
    PushProtocol | undefined;
}

/** The files to push: those given (explorer selection), else the profile's push list or its cert/key/CA. */
async function pickFiles(profile: Profile, given: vscode.Uri[]): Promise<string[] | undefined> {
  if (given.length) return given.map((u) => u.fsPath);
  const p = profile.profile;
  const project = profile.project;
  const listed = project
    ? [
        ...(p?.push?.files?.map((f) => f.local) ?? []),
        ...[p?.cert, p?.key, p?.ca].filter((x): x is string => !!x),
      ]
        .map((f) => resolveProjectPath(project, f))
        .filter((f, i, all) => all.indexOf(f) === i)
    : [];
  if (listed.length) {
    const picks = await vscode.window.showQuickPick(
      listed.map((f) => ({ label: basename(f), description: dirname(f), picked: true, path: f })),
      { title: 'Push Certificates: files', canPickMany: true },
    );
    return picks?.map((x) => x.path);
  }
  const uris = await vscode.window.showOpenDialog({
    canSelectMany: true,
    title: 'Certificates and keys to push',
    filters: { 'Certificates and keys': ['pem', 'crt', 'cer', 'der', 'key'], 'All files': ['*'] },
  });
  return uris?.map((u) => u.fsPath);
}

async function nameFiles(
  profile: Profile,
  protocol: PushProtocol,
  files: string[],
  given: string[] | undefined,
): Promise<PushSource[] | undefined> {
  const sources: PushSource[] = [];
  for (const [i, local] of files.entries()) {
    const data = await nodeFileSystem.readFile(local);
    const named = given?.[i];
    if (named) {
      sources.push({ local, remote: named, data });
      continue;
    }
    const project = profile.project;
    const fromProfile = remoteFromProfile(profile.profile, local, (p) =>
      project ? resolveProjectPath(project, p) : p,
    );
    const remote = await vscode.window.showInputBox({
      title: `Push Certificates: name on the board for ${basename(local)}`,
      value: fromProfile ?? defaultRemoteName(protocol, local, classify(data)),
      validateInput: (v) => (v.trim() ? undefined : 'A destination name is needed'),
    });
    if (!remote) return undefined;
    sources.push({ local, remote: remote.trim(), data });
  }
  return sources;
}

async function askLogin(s: Services, port: string): Promise<ShellLogin | undefined> {
  const username = await vscode.window.showInputBox({
    title: `Login on ${port}`,
    placeHolder: 'user name, e.g. root or pi',
  });
  if (!username) return undefined;
  const password = await vscode.window.showInputBox({
    title: `Password for ${username} on ${port}`,
    password: true,
  });
  if (password === undefined) return undefined;
  const login = { username, password };
  await s.context.secrets.store(`embeddedTls.push.login.${port}`, JSON.stringify(login));
  return login;
}

async function runPush(
  s: Services,
  port: string,
  baud: number,
  protocol: PushProtocol,
  sources: PushSource[],
  login: ShellLogin | undefined,
  merge: boolean,
): Promise<PushReport> {
  const plan = isModuleProtocol(protocol)
    ? planModuleRoots(protocol, rootsFromFiles(sources))
    : planPush(protocol, sources);
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Pushing to ${basename(port)}`,
      cancellable: true,
    },
    async (progress, token) => {
      const link = await openSerialLink(port, baud);
      try {
        return await executePush(plan, {
          link,
          baud,
          logger: s.logger,
          progress: progressPort(progress),
          cancel: cancellationPort(token),
          clock: systemClock,
          merge,
          ...(login ? { login } : {}),
        });
      } finally {
        await link.close();
      }
    },
  );
}

/** The command handler; `uri`/`uris` come from the explorer's context menu, or options come first (a Quick Fix). */
export async function pushCertificatesToBoard(
  s: Services,
  uri?: vscode.Uri | PushCommandOptions,
  uris?: vscode.Uri[],
  options?: PushCommandOptions,
): Promise<PushReport | undefined> {
  let o = options;
  if (uri && !(uri instanceof vscode.Uri)) {
    o = uri;
    uri = undefined;
  }
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Embedded TLS: pushing to a board needs a trusted workspace.');
    return undefined;
  }
  const profile = await pickProfile(o);
  if (!profile) return undefined;
  const port = o?.port ? { path: o.port } : await pickPort(s, profile);
  if (!port) return undefined;
  const protocol = o?.protocol ?? (await pickProtocol(profile, port));
  if (!protocol) return undefined;
  const files =
    o?.files ?? (await pickFiles(profile, uris?.length ? uris : uri instanceof vscode.Uri ? [uri] : []));
  if (!files?.length) return undefined;
  const module = isModuleProtocol(protocol);
  // Module roots have no names on the board.
  const sources = module
    ? await Promise.all(
        files.map(async (local) => ({ local, remote: '', data: await nodeFileSystem.readFile(local) })),
      )
    : await nameFiles(profile, protocol, files, o?.remotes);
  if (!sources) return undefined;
  let merge = o?.merge ?? false;
  if (module && o?.merge === undefined && (!o || o.ask)) {
    const asked = await askMerge(protocol, files.length);
    if (asked === undefined) return undefined;
    merge = asked;
  }
  const baud =
    profile.profile?.push?.baud ??
    vscode.workspace.getConfiguration('embeddedTls').get<number>('push.baudRate', 115200);
  const stored = await s.context.secrets.get(`embeddedTls.push.login.${port.path}`);
  let login = protocol === 'linux-shell' && stored ? (JSON.parse(stored) as ShellLogin) : undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      const report = await runPush(s, port.path, baud, protocol, sources, login, merge);
      if (module) await recordModuleRoots(s, profile.project, profile.name, report);
      const lines = report.files.map((f) => `${basename(f.local)} → ${f.remote}`).join(', ');
      s.logger.info(`push: verified ${report.files.length} file(s) in ${report.elapsedMs} ms`);
      // Not awaited: the summary stays up without holding the command (or a test) until it is dismissed.
      void vscode.window
        .showInformationMessage(
          `Pushed and verified ${report.files.length} file(s) in ${(report.elapsedMs / 1000).toFixed(1)} s: ${lines}`,
          'Show Transcript',
        )
        .then((choice) => choice && s.output.show(true));
      return report;
    } catch (e) {
      const err = e instanceof EtlsError ? e : new EtlsError('io', 'The push failed unexpectedly');
      if (
        !o &&
        attempt === 1 &&
        protocol === 'linux-shell' &&
        /asks for a login|refused the login/.test(err.message)
      ) {
        login = await askLogin(s, port.path);
        if (login) continue;
      }
      s.logger.warn(`push failed: ${err.describe()}`);
      if (err.code === 'cancelled') return undefined;
      void vscode.window
        .showErrorMessage(`Embedded TLS: ${err.describe()}`, 'Show Transcript')
        .then((choice) => choice && s.output.show(true));
      return undefined;
    }
  }
}
