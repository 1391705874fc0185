// The MQTT test client webview (browser). Draws the panel state the host sends and turns clicks into
// typed requests; it never sees key bytes or stored secrets.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import { html, render } from 'lit';
import {
  base64ToBytes,
  encodePayload,
  type ConnectionForm,
  type DrawProbe,
  type LogEntry,
  type HostToWebview,
  type PanelRequest,
  type PanelState,
  type WebviewToHost,
} from '../../src/shared/protocol';
import { ctx, type LocalUi } from './context';
import { logSection, pubSubSection, shown } from './messages';
import { connectionSection, profilesSection, tlsSection } from './settings';

declare function acquireVsCodeApi(): {
  postMessage(m: WebviewToHost): void;
  getState(): unknown;
  setState(s: unknown): void;
};
const vscode = acquireVsCodeApi();

let state: PanelState | undefined;
const ui: LocalUi = {
  password: '',
  passphrase: '',
  profileName: '',
  subTopic: '#',
  subQos: 0,
  pubTopic: 'test/hello',
  pubPayload: '{"hello":"board"}',
  pubFormat: 'json',
  pubQos: 1,
  pubRetain: false,
  filter: '',
  viewer: 'json',
  ...((vscode.getState() as Partial<LocalUi> | undefined) ?? {}),
  // Secrets typed into the form are never kept in the webview's saved state.
};
ui.password = '';
ui.passphrase = '';

let nextId = 1;
const pending = new Map<number, string>();

function send(request: PanelRequest): void {
  const id = nextId++;
  pending.set(id, request.kind);
  ui.error = undefined;
  vscode.postMessage({ type: 'request', id, request });
  draw();
}

let formTimer: ReturnType<typeof setTimeout> | undefined;
function editForm(patch: Partial<ConnectionForm>): void {
  if (!state) return;
  state.form = { ...state.form, ...patch };
  clearTimeout(formTimer);
  formTimer = setTimeout(() => state && vscode.postMessage({ type: 'formChanged', form: state.form }), 250);
  draw();
}

function saveUi(): void {
  const { password: _p, passphrase: _q, error: _e, ...rest } = ui;
  vscode.setState(rest);
}

function connect(): void {
  if (!state) return;
  send({
    kind: 'connect',
    form: state.form,
    password: ui.password || undefined,
    passphrase: ui.passphrase || undefined,
  });
  ui.password = '';
  ui.passphrase = '';
}

function publish(): void {
  try {
    encodePayload(ui.pubPayload, ui.pubFormat);
  } catch (e) {
    ui.error = (e as Error).message;
    return draw();
  }
  send({
    kind: 'publish',
    topic: ui.pubTopic,
    payload: ui.pubPayload,
    format: ui.pubFormat,
    qos: ui.pubQos,
    retain: ui.pubRetain,
  });
}

function draw(): void {
  saveUi();
  const app = document.getElementById('app')!;
  if (!state) {
    render(html`<p>Loading…</p>`, app);
    return;
  }
  render(
    html`${profilesSection(state)}${connectionSection(state)}${tlsSection(state)}${pubSubSection(state)}${logSection(state)}`,
    app,
  );
  vscode.postMessage({
    type: 'rendered',
    logCount: state.log.filter(shown).length,
    ...(state.probe ? { probe: drawProbe(state.log) } : {}),
  });
}

let lastDrawnId = 0;
/** Publish times of the newest row and of the oldest row new since the last draw (bench only). */
function drawProbe(log: LogEntry[]): DrawProbe {
  const t = (e: LogEntry | undefined) => {
    if (!e) return undefined;
    try {
      const v = (JSON.parse(new TextDecoder().decode(base64ToBytes(e.payloadBase64))) as { t?: unknown }).t;
      return typeof v === 'number' ? v : undefined;
    } catch {
      return undefined;
    }
  };
  const newest = log.at(-1);
  const oldestNew = log.find((e) => e.id > lastDrawnId);
  lastDrawnId = newest?.id ?? lastDrawnId;
  return { drawnAt: Date.now(), newestT: t(newest), oldestNewT: t(oldestNew) };
}

Object.assign(ctx, { ui, send, editForm, draw, connect, publish });

window.addEventListener('message', (ev: MessageEvent<HostToWebview>) => {
  const msg = ev.data;
  if (msg.type === 'state') state = msg.state;
  else if (msg.type === 'log' && state) {
    const known = new Set(state.log.map((e) => e.id));
    state.log = [...state.log, ...msg.entries.filter((e) => !known.has(e.id))].slice(-1000);
  } else if (msg.type === 'reply') {
    pending.delete(msg.id);
    if (!msg.ok) ui.error = msg.error;
  }
  draw();
});

draw();
// The host answers with the whole state, so a panel shown again (or reloaded) comes back as it was.
vscode.postMessage({ type: 'ready' });
