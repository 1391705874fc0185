// The connection, TLS and saved-profile sections of the MQTT panel, and the TLS session details.
import { html, nothing, type TemplateResult } from 'lit';
import { AWS_443_ALPN, type ConnectionForm, type FileRole, type PanelState } from '../../src/shared/protocol';
import { ctx } from './context';
import { checked, icon, select, textField } from './widgets';

function fileField(s: PanelState, role: FileRole, label: string, value: string): TemplateResult {
  const info = s.files.find((f) => f.role === role);
  // Only files of this field's kind: CA certificates for the CA, device certificates, private keys.
  const fitting = s.candidates[role];
  const options: [string, string][] = [['', '(none)'], ...fitting.map((c): [string, string] => [c, c])];
  if (value && !fitting.includes(value)) options.push([value, value]);
  return html`<div class="field">
    ${select(label, value, options, (v) => ctx.send({ kind: 'setFile', role, path: v }))}
    ${
      info
        ? html`<span class="file ${info.problem ? 'problem' : ''}"
            >${info.summary}${info.fingerprint ? html`<br />SHA-256 ${info.fingerprint.slice(0, 23)}…` : nothing}${info.problem ? html`<br />${info.problem}` : nothing}</span
          >`
        : nothing
    }
  </div>`;
}

export function connectionSection(s: PanelState): TemplateResult {
  const f = s.form;
  const connected = s.status === 'connected';
  return html` <vscode-collapsible title="Connection and TLS settings" ?open=${!connected}>
      <h2>${icon('plug')} Connection</h2>
      <div class="grid">
        ${textField('Host', f.host, (v) => ctx.editForm({ host: v.trim() }))}
        ${textField('Port', f.port, (v) => ctx.editForm({ port: Number(v) || 0 }), { type: 'number' })}
        ${select(
          'MQTT version',
          String(f.mqttVersion),
          [
            ['3', '3.1.1'],
            ['5', '5.0'],
          ],
          (v) => ctx.editForm({ mqttVersion: v === '5' ? 5 : 3 }),
        )}
        ${textField('Client id', f.clientId, (v) => ctx.editForm({ clientId: v }))}
        ${textField('Username', f.username, (v) => ctx.editForm({ username: v }))}
        ${textField('Password', ctx.ui.password, (v) => (ctx.ui.password = v), { type: 'password', placeholder: s.hasPassword ? '(stored in SecretStorage)' : '' })}
        ${textField('Keepalive (s)', f.keepalive, (v) => ctx.editForm({ keepalive: Number(v) || 0 }), { type: 'number' })}
        <vscode-checkbox
          label="Clean session"
          ?checked=${f.cleanSession}
          @change=${(e: Event) => ctx.editForm({ cleanSession: checked(e) })}
        ></vscode-checkbox>
      </div>
      <h2>${icon('lock')} TLS</h2>
      <div class="grid">
        ${fileField(s, 'ca', 'CA certificate', f.caFile)}
        ${fileField(s, 'cert', 'Client certificate', f.certFile)}
        ${fileField(s, 'key', 'Private key', f.keyFile)}
        ${textField('Key pass phrase', ctx.ui.passphrase, (v) => (ctx.ui.passphrase = v), { type: 'password', placeholder: s.hasPassphrase ? '(stored in SecretStorage)' : '' })}
        ${textField('SNI server name', f.servername, (v) => ctx.editForm({ servername: v.trim() }), { placeholder: f.host })}
        <div class="field">
          ${textField('ALPN', f.alpn, (v) => ctx.editForm({ alpn: v }), { placeholder: 'none' })}
          <vscode-button secondary @click=${() => ctx.editForm({ alpn: AWS_443_ALPN, port: 443 })}
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
          (v) => ctx.editForm({ minTls: v as ConnectionForm['minTls'] }),
        )}
        ${select(
          'Max TLS',
          f.maxTls,
          [
            ['', 'default'],
            ['TLSv1.2', '1.2'],
            ['TLSv1.3', '1.3'],
          ],
          (v) => ctx.editForm({ maxTls: v as ConnectionForm['maxTls'] }),
        )}
        ${select('Emulate target', f.target, [['', 'no (desktop TLS)'], ...s.targets.map((t): [string, string] => [t, t])], (v) => ctx.editForm({ target: v }))}
        ${
          s.boardStacks[f.target]
            ? html`<vscode-checkbox
                label=${`Run as the board: ${s.boardStacks[f.target]} in WebAssembly`}
                ?checked=${f.runAsBoard !== false}
                @change=${(e: Event) => ctx.editForm({ runAsBoard: checked(e) })}
              ></vscode-checkbox>`
            : f.target
              ? html`<p class="hint">
                  ${f.target}: no board library to run here; the panel offers its suites and versions over
                  desktop TLS.
                </p>`
              : nothing
        }
        <vscode-checkbox
          label="Verify the broker's certificate"
          ?checked=${f.rejectUnauthorized}
          @change=${(e: Event) => ctx.editForm({ rejectUnauthorized: checked(e) })}
        ></vscode-checkbox>
      </div>
    </vscode-collapsible>
    ${f.rejectUnauthorized ? nothing : html`<p class="warning">${icon('warning')} The broker's certificate is not verified: anyone on the path could pose as the broker. Use this only to diagnose; your board must verify.</p>`}
    ${s.trusted ? nothing : html`<p class="warning">${icon('shield')} Restricted Mode: connecting is turned off until you trust this workspace.</p>`}
    <div class="row">
      <vscode-button
        icon="plug"
        ?disabled=${!s.trusted || s.status === 'connecting'}
        @click=${() => ctx.connect()}
        >${connected ? 'Reconnect' : 'Connect'}</vscode-button
      >
      <vscode-button
        secondary
        icon="debug-disconnect"
        ?disabled=${s.status === 'disconnected'}
        @click=${() => ctx.send({ kind: 'disconnect' })}
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
            ${
              s.diagnosis.libraryError
                ? html`<pre class="board-line">
${s.diagnosis.libraryError.line}${s.diagnosis.libraryError.verifyFlags?.length ? `\n${s.diagnosis.libraryError.verifyFlags.join('\n')}` : ''}</pre>`
                : nothing
            }
            <p>
              ${icon('error')} <code>${s.diagnosis.code}</code> at ${s.diagnosis.stage}:
              ${s.diagnosis.message}
            </p>
            <p><b>Fix:</b> ${s.diagnosis.fix}</p>
          </div>`
        : nothing
    }
    ${ctx.ui.error ? html`<p class="warning">${icon('warning')} ${ctx.ui.error}</p>` : nothing}`;
}

export function profilesSection(s: PanelState): TemplateResult {
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
          ctx.send({
            kind: 'loadProfile',
            name: rest.join(':'),
            source: source === 'project' ? 'project' : 'saved',
          });
      })}
      ${textField('Save as', ctx.ui.profileName, (v) => (ctx.ui.profileName = v))}
      <vscode-button
        secondary
        icon="save"
        @click=${() => ctx.ui.profileName.trim() && ctx.send({ kind: 'saveProfile', name: ctx.ui.profileName.trim(), form: s.form, password: ctx.ui.password || undefined, passphrase: ctx.ui.passphrase || undefined })}
        >Save</vscode-button
      >
      ${s.profiles
        .filter((p) => p.source === 'saved')
        .map(
          // The chip loads the profile; deleting is a separate control, so a click on a name never deletes.
          (p) =>
            html`<span class="chip" data-profile=${p.name}
              ><vscode-button
                secondary
                class="load-profile"
                title="Load ${p.name}"
                @click=${() => ctx.send({ kind: 'loadProfile', name: p.name, source: 'saved' })}
                >${p.name}</vscode-button
              ><vscode-button
                secondary
                icon="trash"
                class="delete-profile"
                title="Delete profile ${p.name}"
                aria-label="Delete profile ${p.name}"
                @click=${() => ctx.send({ kind: 'deleteProfile', name: p.name })}
              ></vscode-button
            ></span>`,
        )}
    </div></vscode-collapsible
  >`;
}

export function tlsSection(s: PanelState): TemplateResult | typeof nothing {
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
