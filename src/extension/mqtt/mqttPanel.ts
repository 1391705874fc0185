// The MQTT test client panel: a webview beside the editor driven by the core's MqttTestClient. Runs in the
// extension host, which alone reads keys and secrets; the webview gets names, summaries and fingerprints.
// Over 300 lines: one class whose panel state every request handler updates; the form, files,
// messages, profiles, workspace paths and message log are files of their own beside it.
import * as vscode from 'vscode';
import { EtlsError } from '../../core/errors';
import { MqttTestClient } from '../../core/mqtt/client';
import { loadTlsMaterial } from '../../core/mqtt/material';
import { nodeFileSystem } from '../../core/node/fileSystem';
import { targetIds } from '../../core/targets/ids';
import {
  encodePayload,
  type ConnectionForm,
  type DrawProbe,
  type FeedCounts,
  type FileRole,
  type HostToWebview,
  type LogEntry,
  type PanelRequest,
  type PanelState,
  type WebviewToHost,
} from '../../shared/protocol';
import type { Services } from '../common/services';
import { describeTlsFile, roleOf } from './mqttFiles';
import { boardStackLabels, profileToLoadByDefault, settingsFromForm, toDetails } from './mqttForm';
import { exportHistory, exportWithDialog, historyLimits, MessageLog } from './mqttLog';
import { parseWebviewMessage } from './mqttMessages';
import { mqttPanelHtml } from './mqttPanelHtml';
import { CURRENT, MqttProfiles } from './mqttProfiles';
import { PanelWorkspace } from './mqttWorkspace';

/** What tests and other features can read and do; the same paths the webview uses. */
export interface MqttPanelApi {
  open(options?: { profile?: string; file?: vscode.Uri; project?: string }): Promise<void>;
  /**
   * A copy of the panel state, plus how many rows the webview last reported showing and the newest
   * messages of the history (at most 1000).
   */
  state(): PanelState & { visible: boolean; webviewLogCount: number; log: LogEntry[] };
  /** The message counters: received, rate, stored, evicted, dropped, shown in the webview. */
  counts(): FeedCounts & { shown: number; shownTopics: number; shownReceived: number };
  /** Writes the history as JSON lines (what the Export button does after its save dialog). */
  exportHistory(path: string): Promise<number>;
  /** Runs a request exactly as if the webview had sent it (validated the same way). */
  request(request: PanelRequest): Promise<void>;
  /** The client core, for measuring throughput. */
  readonly client: MqttTestClient;
  /** The webview's draw reports since the last call (only with ETLS_MQTT_PANEL_PROBE=1). */
  drawProbes(): Array<DrawProbe & { logCount: number }>;
}

export class MqttPanel implements MqttPanelApi {
  private panel: vscode.WebviewPanel | undefined;
  readonly client = new MqttTestClient();
  private readonly profiles: MqttProfiles;
  private st: PanelState;
  private readonly log = new MessageLog((update) => this.post({ type: 'feed', update }));
  private webviewLogCount = 0;
  private webviewTopicCount = 0;
  private webviewReceived = 0;
  private probes: Array<DrawProbe & { logCount: number }> = [];
  private readonly workspace = new PanelWorkspace();

  constructor(private readonly s: Services) {
    this.profiles = new MqttProfiles(s.context);
    this.st = {
      form: this.profiles.lastForm(),
      hasPassword: false,
      hasPassphrase: false,
      files: [],
      status: 'disconnected',
      subscriptions: [],
      profiles: [],
      candidates: { ca: [], cert: [], key: [] },
      targets: [...targetIds],
      boardStacks: boardStackLabels(),
      trusted: vscode.workspace.isTrusted,
      ...(process.env['ETLS_MQTT_PANEL_PROBE'] === '1' ? { probe: true } : {}),
    };
    this.client.on('message', (m) => this.log.add('in', m));
    this.client.on('closed', (reason) => {
      this.st.status = 'disconnected';
      if (reason)
        this.st.diagnosis = {
          code: 'connection-lost',
          stage: 'mqtt',
          message: reason,
          fix: 'Connect again; the broker log says why it closed the connection.',
        };
      this.push();
    });
    s.context.subscriptions.push(
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.st.trusted = true;
        this.push();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('embeddedTls.mqtt')) this.log.feed.setHistoryLimits(historyLimits());
      }),
      { dispose: () => void this.client.disconnect() },
      { dispose: () => this.log.stop() },
    );
  }

  state() {
    return {
      ...structuredClone(this.st),
      visible: !!this.panel?.visible,
      webviewLogCount: this.webviewLogCount,
      log: this.log.recent(1000),
    };
  }

  counts(): FeedCounts & { shown: number; shownTopics: number; shownReceived: number } {
    return {
      ...this.log.feed.counts(),
      shown: this.webviewLogCount,
      shownTopics: this.webviewTopicCount,
      shownReceived: this.webviewReceived,
    };
  }

  exportHistory(path: string): Promise<number> {
    return exportHistory(this.log.feed, path);
  }

  drawProbes(): Array<DrawProbe & { logCount: number }> {
    const out = this.probes;
    this.probes = [];
    return out;
  }

  async open(options: { profile?: string; file?: vscode.Uri; project?: string } = {}): Promise<void> {
    if (!this.panel) this.createPanel();
    else this.panel.reveal(vscode.ViewColumn.Beside, true);
    await this.workspace.follow(options);
    if (options.profile) await this.loadProjectProfile(options.profile);
    else if (!options.file) await this.loadOnlyProfileIntoBlankForm();
    if (options.file) {
      const role = await roleOf(options.file.fsPath);
      if (!role)
        throw new EtlsError('unrecognized', `${options.file.fsPath} holds no certificate or private key`);
      await this.setFile(role, this.workspace.displayPath(options.file.fsPath));
    }
    await this.refresh();
  }

  private createPanel(): void {
    const ext = this.s.context.extensionUri;
    const webviewRoot = vscode.Uri.joinPath(ext, 'dist', 'webview');
    const codicons = vscode.Uri.joinPath(ext, 'dist', 'codicons');
    const panel = vscode.window.createWebviewPanel(
      'embeddedTls.mqttClient',
      'MQTT TLS Test Client',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: [webviewRoot, codicons] },
    );
    panel.webview.html = mqttPanelHtml(
      panel.webview,
      vscode.Uri.joinPath(webviewRoot, 'mqtt.js'),
      vscode.Uri.joinPath(codicons, 'codicon.css'),
    );
    panel.webview.onDidReceiveMessage((raw: unknown) => {
      const msg = parseWebviewMessage(raw);
      if (!msg) return this.s.logger.warn('MQTT panel: ignored a malformed message from the webview');
      void this.handle(msg);
    });
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.webviewLogCount = 0;
      this.log.stop();
    });
    this.panel = panel;
    this.log.start();
  }

  private async handle(msg: WebviewToHost): Promise<void> {
    if (msg.type === 'ready') {
      // A new (or reloaded) webview has no rows: the next update brings what it shows.
      this.log.feed.resync();
      return this.refresh();
    }
    if (msg.type === 'payload')
      return this.post({ type: 'payload', id: msg.id, entry: this.log.entry(msg.id) });
    if (msg.type === 'rendered') {
      this.webviewLogCount = msg.logCount;
      if (msg.topics !== undefined) this.webviewTopicCount = msg.topics;
      if (msg.received !== undefined) this.webviewReceived = msg.received;
      if (msg.seq !== undefined) this.log.feed.ack(msg.seq);
      if (msg.probe && this.st.probe && this.probes.length < 100_000)
        this.probes.push({ ...msg.probe, logCount: msg.logCount });
      return;
    }
    if (msg.type === 'formChanged') {
      this.st.form = msg.form;
      await this.profiles.rememberForm(msg.form);
      return;
    }
    try {
      await this.run(msg.request);
      this.post({ type: 'reply', id: msg.id, ok: true });
    } catch (e) {
      const error = e instanceof EtlsError ? e.describe() : e instanceof Error ? e.message : String(e);
      this.post({ type: 'reply', id: msg.id, ok: false, error });
    }
  }

  async request(request: PanelRequest): Promise<void> {
    const msg = parseWebviewMessage({ type: 'request', id: 0, request });
    if (!msg || msg.type !== 'request') throw new Error(`invalid MQTT panel request: ${request.kind}`);
    await this.run(msg.request);
  }

  private async run(r: PanelRequest): Promise<void> {
    switch (r.kind) {
      case 'connect':
        return this.connect(r.form, r.password, r.passphrase);
      case 'disconnect':
        await this.client.disconnect();
        this.st.status = 'disconnected';
        return this.push();
      case 'subscribe': {
        this.st.subscriptions = [
          ...this.st.subscriptions.filter((x) => x.topic !== r.topic),
          { topic: r.topic, qos: r.qos },
        ];
        if (this.client.connected)
          this.st.subscriptions.at(-1)!.granted = await this.client.subscribe(r.topic, r.qos);
        return this.push();
      }
      case 'unsubscribe':
        this.st.subscriptions = this.st.subscriptions.filter((x) => x.topic !== r.topic);
        if (this.client.connected) await this.client.unsubscribe(r.topic);
        return this.push();
      case 'publish': {
        const bytes = encodePayload(r.payload, r.format);
        await this.client.publish(r.topic, bytes, { qos: r.qos, retain: r.retain });
        return this.log.add('out', {
          topic: r.topic,
          payload: bytes,
          qos: r.qos,
          retain: r.retain,
          at: Date.now(),
        });
      }
      case 'saveProfile':
        await this.profiles.save(r.name.trim(), r.form, { password: r.password, passphrase: r.passphrase });
        return this.refresh();
      case 'loadProfile':
        if (r.source === 'project') await this.loadProjectProfile(r.name);
        else {
          const form = this.profiles.saved()[r.name];
          if (!form) throw new Error(`No saved profile "${r.name}"`);
          this.st.form = form;
          await this.profiles.loadSecrets(r.name);
        }
        return this.refresh();
      case 'deleteProfile':
        await this.profiles.remove(r.name);
        return this.refresh();
      case 'setFile':
        return this.setFile(r.role, r.path);
      // Clear and Pause skip the frame and the queue: the user is looking at the list.
      case 'clearLog':
        this.log.feed.clear();
        return this.log.flush(true);
      case 'pause':
        this.log.feed.setPaused(r.paused);
        return this.log.flush(true);
      case 'sequenceField':
        this.log.feed.setSequenceField(r.field);
        return this.log.flush(true);
      case 'exportLog':
        return exportWithDialog(this.log.feed);
    }
  }

  private async loadProjectProfile(name: string): Promise<void> {
    const form = await this.workspace.profileForm(name, this.st.form);
    if (!form) throw new EtlsError('not-found', `embedded-tls.json has no device profile "${name}"`);
    this.st.form = form;
    await this.profiles.rememberForm(this.st.form);
  }

  private async setFile(role: FileRole, path: string): Promise<void> {
    const key = role === 'ca' ? 'caFile' : role === 'cert' ? 'certFile' : 'keyFile';
    this.st.form = { ...this.st.form, [key]: path };
    await this.profiles.rememberForm(this.st.form);
    await this.refresh();
  }

  /**
   * A project with one device profile, and a form with no file picked yet: that profile is what the
   * user came to test, so it is loaded without asking.
   */
  private async loadOnlyProfileIntoBlankForm(): Promise<void> {
    const names = Object.keys((await this.workspace.project())?.file.profiles ?? {});
    const name = profileToLoadByDefault(this.st.form, names);
    if (name) await this.loadProjectProfile(name);
  }

  /** Re-reads everything the webview shows (files, profiles, secrets present) and sends it. */
  private async refresh(): Promise<void> {
    const f = this.st.form;
    const roles: [FileRole, string][] = [
      ['ca', f.caFile],
      ['cert', f.certFile],
      ['key', f.keyFile],
    ];
    this.st.files = await Promise.all(
      roles.filter(([, p]) => p).map(([role, p]) => describeTlsFile(role, p, this.workspace.resolvePath(p)!)),
    );
    const project = await this.workspace.project();
    this.st.profiles = [
      ...Object.keys(project?.file.profiles ?? {}).map((name) => ({ name, source: 'project' as const })),
      ...Object.keys(this.profiles.saved()).map((name) => ({ name, source: 'saved' as const })),
    ];
    this.st.candidates = await this.workspace.candidates();
    this.st.hasPassword = !!(await this.profiles.getSecret('password', CURRENT));
    this.st.hasPassphrase = !!(await this.profiles.getSecret('passphrase', CURRENT));
    this.st.trusted = vscode.workspace.isTrusted;
    this.push();
  }

  private async connect(form: ConnectionForm, password?: string, passphrase?: string): Promise<void> {
    if (!vscode.workspace.isTrusted)
      throw new Error('Connecting is turned off in Restricted Mode. Trust this workspace to connect.');
    this.st.form = form;
    await this.profiles.rememberForm(form);
    if (password !== undefined) await this.profiles.setSecret('password', CURRENT, password);
    if (passphrase !== undefined) await this.profiles.setSecret('passphrase', CURRENT, passphrase);
    this.st.status = 'connecting';
    this.st.diagnosis = undefined;
    this.st.tls = undefined;
    await this.refresh();
    const settings = settingsFromForm(
      form,
      (await this.profiles.getSecret('password', CURRENT)) || undefined,
    );
    try {
      const material = await loadTlsMaterial(
        nodeFileSystem,
        {
          ca: this.workspace.resolvePath(form.caFile),
          cert: this.workspace.resolvePath(form.certFile),
          key: this.workspace.resolvePath(form.keyFile),
        },
        (await this.profiles.getSecret('passphrase', CURRENT)) || undefined,
      );
      const outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `Connecting to ${form.host}:${form.port}` },
        () => this.client.connect(settings, material),
      );
      if (!outcome.ok) {
        this.st.status = 'disconnected';
        this.st.diagnosis = outcome.diagnosis;
        // The board's own line first, as its serial log would show it, then our code.
        const board = outcome.diagnosis.libraryError;
        if (board)
          this.s.logger.info(`MQTT ${form.host}:${form.port}: ${board.line} (${board.name ?? board.text})`);
        this.s.logger.info(`MQTT ${form.host}:${form.port}: ${outcome.diagnosis.code}`);
        return this.push();
      }
      this.st.status = 'connected';
      this.log.feed.resetCounters(Date.now());
      this.st.tls = toDetails(outcome.tls);
      this.s.logger.info(
        `MQTT connected to ${form.host}:${form.port} (${outcome.tls.protocol}, ${outcome.tls.cipher})`,
      );
      for (const sub of this.st.subscriptions) sub.granted = await this.client.subscribe(sub.topic, sub.qos);
      this.push();
    } catch (e) {
      this.st.status = 'disconnected';
      const err =
        e instanceof EtlsError ? e : new EtlsError('io', e instanceof Error ? e.message : String(e));
      this.st.diagnosis = {
        code: 'local-files-invalid',
        stage: 'setup',
        message: err.message,
        fix: err.fix ?? 'Check the file paths.',
      };
      this.push();
    }
  }

  private push(): void {
    this.post({ type: 'state', state: this.st });
  }

  private post(msg: HostToWebview): void {
    void this.panel?.webview.postMessage(msg);
  }
}
