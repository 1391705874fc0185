// "Start Local TLS Broker" / "Stop Local TLS Broker": Mosquitto with the generated configuration,
// its log in an output channel, a status bar item while it runs. Runs in the extension host.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { findMosquitto, installHint, startBroker, type RunningBroker } from '../../core/broker';
import { EtlsError } from '../../core/errors';
import { nodeFileSystem } from '../../core/node/fileSystem';
import { config } from '../common/config';
import { locateProject } from '../common/projectLocator';
import type { Services } from '../common/services';

interface BrokerUi {
  running?: RunningBroker;
  output?: vscode.OutputChannel;
  status?: vscode.StatusBarItem;
}

const ui = new WeakMap<Services, BrokerUi>();

function state(s: Services): BrokerUi {
  let u = ui.get(s);
  if (!u) {
    u = {};
    ui.set(s, u);
    const self = u;
    s.context.subscriptions.push({ dispose: () => void self.running?.stop() });
  }
  return u;
}

function channel(s: Services, u: BrokerUi): vscode.OutputChannel {
  if (!u.output) {
    u.output = vscode.window.createOutputChannel('Embedded TLS: Local Broker');
    s.context.subscriptions.push(u.output);
  }
  return u.output;
}

function statusItem(s: Services, u: BrokerUi): vscode.StatusBarItem {
  if (!u.status) {
    u.status = vscode.window.createStatusBarItem(
      'embeddedTls.localBroker',
      vscode.StatusBarAlignment.Left,
      50,
    );
    u.status.name = 'Embedded TLS: Local Broker';
    u.status.command = 'embeddedTls.stopLocalBroker';
    s.context.subscriptions.push(u.status);
  }
  return u.status;
}

async function setRunning(value: boolean): Promise<void> {
  await vscode.commands.executeCommand('setContext', 'embeddedTls.localBrokerRunning', value);
}

/** The mosquitto.conf to run: the one given, the project's PKI folder's, or one found in the workspace. */
async function pickConf(uri?: vscode.Uri): Promise<string | undefined> {
  if (uri?.scheme === 'file') return uri.fsPath;
  const project = await locateProject();
  const candidate = project?.file.pki?.dir
    ? join(project.dir, project.file.pki.dir, 'mosquitto.conf')
    : undefined;
  if (candidate && (await nodeFileSystem.stat(candidate))) return candidate;
  const found = await vscode.workspace.findFiles('**/mosquitto.conf', '**/node_modules/**', 20);
  if (found.length === 1) return found[0]!.fsPath;
  if (found.length > 1) {
    const pick = await vscode.window.showQuickPick(
      found.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })),
      { title: 'Start Local TLS Broker', placeHolder: 'Which mosquitto.conf?' },
    );
    return pick?.uri.fsPath;
  }
  const create = await vscode.window.showWarningMessage(
    'No mosquitto.conf in this workspace.',
    'Create Development PKI…',
    'Browse…',
  );
  if (create === 'Create Development PKI…')
    await vscode.commands.executeCommand('embeddedTls.createDevelopmentPki');
  if (create === 'Browse…')
    return (await vscode.window.showOpenDialog({ filters: { 'Mosquitto configuration': ['conf'] } }))?.[0]
      ?.fsPath;
  return undefined;
}

/** Callers (tests, the PKI flow) may pass the port instead of answering the input box. */
export interface StartBrokerOptions {
  port?: number;
  bindAddress?: string;
}

export async function startLocalBroker(
  s: Services,
  uri?: vscode.Uri,
  options?: StartBrokerOptions,
): Promise<{ port: number; pid: number } | { error: string } | undefined> {
  const u = state(s);
  if (u.running && options) await stopLocalBroker(s);
  if (u.running) {
    const again = await vscode.window.showInformationMessage(
      `The local TLS broker is already running on port ${u.running.port}.`,
      'Restart',
      'Show Log',
    );
    if (again === 'Show Log') channel(s, u).show(true);
    if (again !== 'Restart') return undefined;
    await stopLocalBroker(s);
  }
  const mosquittoPath = config.get<string>('broker.mosquittoPath', '') || (await findMosquitto());
  if (!mosquittoPath) {
    const hint = installHint();
    const command = hint.replace(/^Install it with: /, '').split(' (')[0]!;
    void vscode.window
      .showErrorMessage(`Mosquitto is not installed. ${hint}.`, 'Copy Install Command')
      .then((choice) => choice && vscode.env.clipboard.writeText(command));
    return { error: `Mosquitto is not installed. ${hint}` };
  }
  const confPath = await pickConf(uri);
  if (!confPath) return undefined;
  const portText =
    options?.port !== undefined
      ? String(options.port)
      : await vscode.window.showInputBox({
          title: 'Start Local TLS Broker',
          prompt: 'Port to listen on (devices connect here)',
          value: String(config.get<number>('broker.port', 8883)),
          validateInput: (v) =>
            /^\d+$/.test(v) && +v >= 1 && +v <= 65535 ? undefined : 'A port number, 1-65535',
        });
  if (!portText) return undefined;
  const out = channel(s, u);
  out.clear();
  out.show(true);
  out.appendLine(`Starting mosquitto with ${confPath} on port ${portText}…`);
  const bind = options?.bindAddress ?? config.get<string>('broker.bindAddress', '');
  try {
    u.running = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Embedded TLS: starting Mosquitto…' },
      () =>
        startBroker({
          confPath,
          port: Number(portText),
          mosquittoPath,
          ...(bind ? { bindAddress: bind } : {}),
          logger: {
            info: (m) => out.appendLine(m),
            warn: (m) => out.appendLine(`warning: ${m}`),
            debug: () => {},
          },
          onOutput: (line) => out.appendLine(line),
        }),
    );
  } catch (e) {
    if (e instanceof EtlsError) {
      out.appendLine(e.describe());
      void vscode.window
        .showErrorMessage(`Mosquitto did not start: ${e.describe()}`, 'Show Log')
        .then((c) => c && out.show());
      return { error: e.describe() };
    }
    throw e;
  }
  const running = u.running;
  if (running.notes.length)
    void vscode.window
      .showInformationMessage(running.notes[0]! + ' ' + running.notes[1]!, 'Show Log')
      .then((c) => c && out.show());
  const item = statusItem(s, u);
  item.text = `$(radio-tower) TLS broker :${running.port}`;
  item.tooltip = `Mosquitto (pid ${running.pid}) with ${confPath}. Click to stop.`;
  item.show();
  await setRunning(true);
  void running.exited.then(async (code) => {
    if (u.running !== running) return;
    u.running = undefined;
    item.hide();
    await setRunning(false);
    out.appendLine(`mosquitto exited${code === null ? '' : ` with code ${code}`}.`);
  });
  return { port: running.port, pid: running.pid };
}

export async function stopLocalBroker(s: Services): Promise<void> {
  const u = state(s);
  const running = u.running;
  if (!running) {
    void vscode.window.showInformationMessage('The local TLS broker is not running.');
    return;
  }
  u.running = undefined;
  await running.stop();
  u.status?.hide();
  await setRunning(false);
  channel(s, u).appendLine('Stopped.');
}
