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
import { html, nothing, render, type TemplateResult } from 'lit';
import {
  AWS_443_ALPN,
  base64ToBytes,
  encodePayload,
  toHex,
  topicMatches,
  type ConnectionForm,
  type FileRole,
  type HostToWebview,
  type LogEntry,
  type PanelRequest,
  type PanelState,
  type PayloadFormat,
  type QoS,
  type WebviewToHost,
} from '../../src/shared/protocol';

declare function acquireVsCodeApi(): {
  postMessage(m: WebviewToHost): void;
  getState(): unknown;
  setState(s: unknown): void;
};
const vscode = acquireVsCodeApi();

interface LocalUi {
  password: string;
  passphrase: string;
  profileName: string;
  subTopic: string;
  subQos: QoS;
  pubTopic: string;
  pubPayload: string;
  pubFormat: PayloadFormat;
  pubQos: QoS;
  pubRetain: boolean;
  filter: string;
  selected?: number;
  viewer: PayloadFormat;
  error?: string;
}

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

const val = (e: Event) => (e.target as HTMLInputElement).value;
const checked = (e: Event) => (e.target as HTMLInputElement).checked;
const icon = (name: string) => html`<vscode-icon name=${name}></vscode-icon>`;

function textField(
  label: string,
  value: string | number,
  on: (v: string) => void,
  opts: { type?: string; placeholder?: string; wide?: boolean } = {},
): TemplateResult {
  return html`<label class="field ${opts.wide ? 'wide' : ''}"
    ><span>${label}</span>
    <vscode-textfield
      type=${opts.type ?? 'text'}
      .value=${String(value)}
      placeholder=${opts.placeholder ?? ''}
      @input=${(e: Event) => on(val(e))}
    ></vscode-textfield
  ></label>`;
}

function select(
  label: string,
  value: string,
  options: [string, string][],
  on: (v: string) => void,
  small = false,
): TemplateResult {
  return html`<label class="field ${small ? 'small' : ''}"
    ><span>${label}</span>
    <vscode-single-select .value=${value} @change=${(e: Event) => on(val(e))}>
      ${options.map(([v, text]) => html`<vscode-option value=${v} ?selected=${v === value}>${text}</vscode-option>`)}
    </vscode-single-select></label
  >`;
}

function fileField(s: PanelState, role: FileRole, label: string, value: string): TemplateResult {
  const info = s.files.find((f) => f.role === role);
  const options: [string, string][] = [['', '(none)'], ...s.candidates.map((c): [string, string] => [c, c])];
  if (value && !s.candidates.includes(value)) options.push([value, value]);
  return html`<div class="field">
    ${select(label, value, options, (v) => send({ kind: 'setFile', role, path: v }))}
    ${
      info
        ? html`<span class="file ${info.problem ? 'problem' : ''}"
            >${info.summary}${info.fingerprint ? html`<br />SHA-256 ${info.fingerprint.slice(0, 23)}…` : nothing}${info.problem ? html`<br />${info.problem}` : nothing}</span
          >`
        : nothing
    }
  </div>`;
}

function connectionSection(s: PanelState): TemplateResult {
  const f = s.form;
  const connected = s.status === 'connected';
  return html` <vscode-collapsible title="Connection and TLS settings" ?open=${!connected}>
      <h2>${icon('plug')} Connection</h2>
      <div class="grid">
        ${textField('Host', f.host, (v) => editForm({ host: v.trim() }))}
        ${textField('Port', f.port, (v) => editForm({ port: Number(v) || 0 }), { type: 'number' })}
        ${select(
          'MQTT version',
          String(f.mqttVersion),
          [
            ['3', '3.1.1'],
            ['5', '5.0'],
          ],
          (v) => editForm({ mqttVersion: v === '5' ? 5 : 3 }),
        )}
        ${textField('Client id', f.clientId, (v) => editForm({ clientId: v }))}
        ${textField('Username', f.username, (v) => editForm({ username: v }))}
        ${textField('Password', ui.password, (v) => (ui.password = v), { type: 'password', placeholder: s.hasPassword ? '(stored in SecretStorage)' : '' })}
        ${textField('Keepalive (s)', f.keepalive, (v) => editForm({ keepalive: Number(v) || 0 }), { type: 'number' })}
        <vscode-checkbox
          label="Clean session"
          ?checked=${f.cleanSession}
          @change=${(e: Event) => editForm({ cleanSession: checked(e) })}
        ></vscode-checkbox>
      </div>
      <h2>${icon('lock')} TLS</h2>
      <div class="grid">
        ${fileField(s, 'ca', 'CA certificate', f.caFile)}
        ${fileField(s, 'cert', 'Client certificate', f.certFile)}
        ${fileField(s, 'key', 'Private key', f.keyFile)}
        ${textField('Key pass phrase', ui.passphrase, (v) => (ui.passphrase = v), { type: 'password', placeholder: s.hasPassphrase ? '(stored in SecretStorage)' : '' })}
        ${textField('SNI server name', f.servername, (v) => editForm({ servername: v.trim() }), { placeholder: f.host })}
        <div class="field">
          ${textField('ALPN', f.alpn, (v) => editForm({ alpn: v }), { placeholder: 'none' })}
          <vscode-button secondary @click=${() => editForm({ alpn: AWS_443_ALPN, port: 443 })}
            >AWS IoT on 443</vscode-button
          >
        </div>
        ${select(
          'Min TLS',
          f.minTls,
          [
            ['', 'default'],
            ['TLSv1.2', '1.2'],
            ['TLSv1.3', '1.3'],
          ],
          (v) => editForm({ minTls: v as ConnectionForm['minTls'] }),
        )}
        ${select(
          'Max TLS',
          f.maxTls,
          [
            ['', 'default'],
            ['TLSv1.2', '1.2'],
            ['TLSv1.3', '1.3'],
          ],
          (v) => editForm({ maxTls: v as ConnectionForm['maxTls'] }),
        )}
        ${select('Emulate target', f.target, [['', 'no (desktop TLS)'], ...s.targets.map((t): [string, string] => [t, t])], (v) => editForm({ target: v }))}
        <vscode-checkbox
          label="Verify the broker's certificate"
          ?checked=${f.rejectUnauthorized}
          @change=${(e: Event) => editForm({ rejectUnauthorized: checked(e) })}
        ></vscode-checkbox>
      </div>
    </vscode-collapsible>
    ${f.rejectUnauthorized ? nothing : html`<p class="warning">${icon('warning')} The broker's certificate is not verified: anyone on the path could pose as the broker. Use this only to diagnose; your board must verify.</p>`}
    ${s.trusted ? nothing : html`<p class="warning">${icon('shield')} Restricted Mode: connecting is turned off until you trust this workspace.</p>`}
    <div class="row">
      <vscode-button icon="plug" ?disabled=${!s.trusted || s.status === 'connecting'} @click=${connect}
        >${connected ? 'Reconnect' : 'Connect'}</vscode-button
      >
      <vscode-button
        secondary
        icon="debug-disconnect"
        ?disabled=${s.status === 'disconnected'}
        @click=${() => send({ kind: 'disconnect' })}
        >Disconnect</vscode-button
      >
      <span class="status ${s.status}"
        >${icon(connected ? 'pass-filled' : s.status === 'connecting' ? 'loading~spin' : 'circle-large-outline')}
        ${s.status}</span
      >
    </div>
    ${
      s.diagnosis
        ? html`<div class="diagnosis">
            <p>
              ${icon('error')} <code>${s.diagnosis.code}</code> at ${s.diagnosis.stage}:
              ${s.diagnosis.message}
            </p>
            <p><b>Fix:</b> ${s.diagnosis.fix}</p>
          </div>`
        : nothing
    }
    ${ui.error ? html`<p class="warning">${icon('warning')} ${ui.error}</p>` : nothing}`;
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

function profilesSection(s: PanelState): TemplateResult {
  const options: [string, string][] = [
    ['', 'Load a profile…'],
    ...s.profiles.map((p): [string, string] => [
      `${p.source}:${p.name}`,
      `${p.name}${p.source === 'project' ? ' (embedded-tls.json)' : ''}`,
    ]),
  ];
  return html`<vscode-collapsible title="Saved profiles">
    <div class="row">
      ${select('Profile', '', options, (v) => {
        const [source, ...rest] = v.split(':');
        if (v)
          send({
            kind: 'loadProfile',
            name: rest.join(':'),
            source: source === 'project' ? 'project' : 'saved',
          });
      })}
      ${textField('Save as', ui.profileName, (v) => (ui.profileName = v))}
      <vscode-button
        secondary
        icon="save"
        @click=${() => ui.profileName.trim() && state && send({ kind: 'saveProfile', name: ui.profileName.trim(), form: state.form, password: ui.password || undefined, passphrase: ui.passphrase || undefined })}
        >Save</vscode-button
      >
      ${s.profiles
        .filter((p) => p.source === 'saved')
        .map(
          (p) =>
            html`<vscode-button
              secondary
              icon="trash"
              title="Delete ${p.name}"
              @click=${() => send({ kind: 'deleteProfile', name: p.name })}
              >${p.name}</vscode-button
            >`,
        )}
    </div></vscode-collapsible
  >`;
}

function tlsSection(s: PanelState): TemplateResult | typeof nothing {
  const t = s.tls;
  if (!t) return nothing;
  return html`<h2>${icon('shield')} TLS session</h2>
    <p>
      ${t.protocol}, ${t.cipher}${t.alpn ? html`, ALPN <code>${t.alpn}</code>` : nothing} —
      ${t.authorized ? html`verified by ${t.verifiedBy}` : html`<span class="warning">not verified</span>`}
    </p>
    <table class="chain">
      <tr>
        <th>Certificate</th>
        <th>Issued by</th>
        <th>Expires</th>
      </tr>
      ${t.chain.map(
        (c) =>
          html`<tr>
            <td>${c.commonName}</td>
            <td>${c.issuer}</td>
            <td>${c.validTo}</td>
          </tr>`,
      )}
    </table>`;
}

function pubSubSection(s: PanelState): TemplateResult {
  const can = s.status === 'connected';
  const qosOptions: [string, string][] = [
    ['0', 'QoS 0'],
    ['1', 'QoS 1'],
    ['2', 'QoS 2'],
  ];
  return html`<h2>${icon('radio-tower')} Subscriptions</h2>
    <div class="row">
      ${textField('Topic filter', ui.subTopic, (v) => (ui.subTopic = v))}
      ${select('QoS', String(ui.subQos), qosOptions, (v) => (ui.subQos = Number(v) as QoS), true)}
      <vscode-button
        icon="add"
        @click=${() => ui.subTopic && send({ kind: 'subscribe', topic: ui.subTopic, qos: ui.subQos })}
        >Subscribe</vscode-button
      >
    </div>
    <div class="row">
      ${s.subscriptions.map(
        (x) =>
          html`<vscode-badge>${x.topic} · QoS ${x.qos}${x.granted === 128 ? ' · refused' : ''}</vscode-badge>
            <vscode-button
              secondary
              icon="close"
              title="Unsubscribe"
              @click=${() => send({ kind: 'unsubscribe', topic: x.topic })}
            ></vscode-button>`,
      )}
    </div>
    <h2>${icon('send')} Publish</h2>
    <div class="grid compact">
      ${textField('Topic', ui.pubTopic, (v) => (ui.pubTopic = v))}
      ${select(
        'Payload as',
        ui.pubFormat,
        [
          ['text', 'text'],
          ['json', 'JSON'],
          ['hex', 'hex'],
        ],
        (v) => (ui.pubFormat = v as PayloadFormat),
      )}
      ${select('QoS', String(ui.pubQos), qosOptions, (v) => (ui.pubQos = Number(v) as QoS))}
      <vscode-checkbox
        label="Retain"
        ?checked=${ui.pubRetain}
        @change=${(e: Event) => (ui.pubRetain = checked(e))}
      ></vscode-checkbox>
      <label class="field wide"
        ><span>Payload</span
        ><vscode-textarea
          rows="2"
          .value=${ui.pubPayload}
          @input=${(e: Event) => (ui.pubPayload = val(e))}
        ></vscode-textarea
      ></label>
    </div>
    <div class="row">
      <vscode-button icon="send" ?disabled=${!can} @click=${publish}>Publish</vscode-button>
    </div>`;
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

function shown(e: LogEntry): boolean {
  if (!ui.filter) return true;
  return /[+#]/.test(ui.filter) ? topicMatches(ui.filter, e.topic) : e.topic.includes(ui.filter);
}

/** Text when the bytes are printable UTF-8, else undefined (binary payloads are shown as hex). */
function printable(bytes: Uint8Array): string | undefined {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return /[\u0000-\u0008\u000e-\u001f\u007f]/.test(text) ? undefined : text;
  } catch {
    return undefined;
  }
}

function payloadText(e: LogEntry, as: PayloadFormat): string {
  const bytes = base64ToBytes(e.payloadBase64);
  const text = printable(bytes);
  if (as === 'hex' || text === undefined)
    return (as === 'hex' ? '' : '(binary, shown as hex)\n') + toHex(bytes);
  if (as === 'json') {
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      return `(not JSON, shown as text)\n${text}`;
    }
  }
  return text;
}

function preview(e: LogEntry): string {
  const bytes = base64ToBytes(e.payloadBase64.slice(0, 400));
  return printable(bytes) ?? toHex(bytes);
}

const time = (ms: number) => {
  const d = new Date(ms);
  return `${d.toLocaleTimeString([], { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
};

function logSection(s: PanelState): TemplateResult {
  const entries = s.log.filter(shown);
  // Until the user picks one, the viewer shows the newest incoming message.
  const selected =
    s.log.find((e) => e.id === ui.selected) ?? [...entries].reverse().find((e) => e.direction === 'in');
  return html`<h2>${icon('list-unordered')} Messages <vscode-badge>${entries.length}</vscode-badge></h2>
    <div class="row">
      ${textField(
        'Filter by topic',
        ui.filter,
        (v) => {
          ui.filter = v;
          draw();
        },
        { placeholder: 'sensors/# or text' },
      )}
      <vscode-button secondary icon="clear-all" @click=${() => send({ kind: 'clearLog' })}
        >Clear</vscode-button
      >
    </div>
    <div class="log" id="log">
      ${entries.map(
        (e) =>
          html`<div
            class="entry ${e.id === selected?.id ? 'selected' : ''}"
            data-topic=${e.topic}
            @click=${() => ((ui.selected = e.id), draw())}
          >
            <span class="time">${time(e.at)}</span
            >${icon(e.direction === 'in' ? 'arrow-down' : 'arrow-up')}<span class="topic">${e.topic}</span>
            <span class="payload">${preview(e)}</span
            >${e.retain ? html`<vscode-badge>retained</vscode-badge>` : nothing}
          </div>`,
      )}
    </div>
    ${
      selected
        ? html`<div class="row">
              ${(['text', 'json', 'hex'] as const).map(
                (m) =>
                  html`<vscode-button ?secondary=${ui.viewer !== m} @click=${() => ((ui.viewer = m), draw())}
                    >${m === 'json' ? 'pretty JSON' : m}</vscode-button
                  >`,
              )}<span>${selected.topic} · QoS ${selected.qos}</span>
            </div>
            <pre class="viewer">${payloadText(selected, ui.viewer)}</pre>`
        : nothing
    }`;
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
  vscode.postMessage({ type: 'rendered', logCount: state.log.filter(shown).length });
}

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
