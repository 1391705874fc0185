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
  encodePayload,
  type ConnectionForm,
  type HostToWebview,
  type PanelRequest,
  type PanelState,
  type WebviewToHost,
} from '../../src/shared/protocol';
import { ctx, type LocalUi } from './context';
import { FeedView } from './feedView';
import { logSection, pubSubSection } from './messages';
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
  sequenceField: '',
  viewer: 'json',
  ...((vscode.getState() as Partial<LocalUi> | undefined) ?? {}),
  // Secrets typed into the form are never kept in the webview's saved state.
};
ui.password = '';
ui.passphrase = '';
ui.selectedEntry = undefined;

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
  const { password: _p, passphrase: _q, error: _e, selectedEntry: _s, ...rest } = ui;
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

const feed = new FeedView(
  (m) => vscode.postMessage(m),
  (row) => {
    // Only the selected row's payload travels, and only when it is selected.
    ui.selected = row.id;
    vscode.postMessage({ type: 'payload', id: row.id });
  },
  () => draw(),
);
feed.list.setFilter(ui.filter);

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
  feed.attach();
}

let sequenceTimer: ReturnType<typeof setTimeout> | undefined;
Object.assign(ctx, {
  ui,
  send,
  editForm,
  draw,
  connect,
  publish,
  feed,
  clear: () => {
    feed.clearNow();
    ui.selected = undefined;
    ui.selectedEntry = undefined;
    send({ kind: 'clearLog' });
  },
  pause: (paused: boolean) => {
    feed.paused = paused;
    send({ kind: 'pause', paused });
  },
  setSequenceField: (field: string) => {
    ui.sequenceField = field.trim();
    clearTimeout(sequenceTimer);
    sequenceTimer = setTimeout(() => send({ kind: 'sequenceField', field: ui.sequenceField }), 400);
  },
});

window.addEventListener('message', (ev: MessageEvent<HostToWebview>) => {
  const msg = ev.data;
  if (msg.type === 'feed') {
    // The hot path: only the list, the tree and the counters are touched.
    feed.apply(msg.update);
    return;
  }
  if (msg.type === 'state') {
    state = msg.state;
    feed.probe = !!state.probe;
  } else if (msg.type === 'payload') {
    if (msg.id !== ui.selected) return;
    ui.selectedEntry = msg.entry;
  } else if (msg.type === 'reply') {
    pending.delete(msg.id);
    if (!msg.ok) ui.error = msg.error;
  }
  draw();
});

draw();
// The host answers with the whole state, then a feed update that brings the list and the tree again,
// so a panel shown again (or reloaded) comes back as it was.
vscode.postMessage({ type: 'ready' });
