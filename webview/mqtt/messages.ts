// The subscriptions, publish and message-log sections of the MQTT panel.
import { html, nothing, type TemplateResult } from 'lit';
import {
  topicMatches,
  type LogEntry,
  type PanelState,
  type PayloadFormat,
  type QoS,
} from '../../src/shared/protocol';
import { ctx } from './context';
import { checked, icon, payloadText, preview, select, textField, time, val } from './widgets';

export function pubSubSection(s: PanelState): TemplateResult {
  const can = s.status === 'connected';
  const qosOptions: [string, string][] = [
    ['0', 'QoS 0'],
    ['1', 'QoS 1'],
    ['2', 'QoS 2'],
  ];
  return html`<h2>${icon('radio-tower')} Subscriptions</h2>
    <div class="row">
      ${textField('Topic filter', ctx.ui.subTopic, (v) => (ctx.ui.subTopic = v))}
      ${select('QoS', String(ctx.ui.subQos), qosOptions, (v) => (ctx.ui.subQos = Number(v) as QoS), true)}
      <vscode-button
        icon="add"
        @click=${() => ctx.ui.subTopic && ctx.send({ kind: 'subscribe', topic: ctx.ui.subTopic, qos: ctx.ui.subQos })}
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
              @click=${() => ctx.send({ kind: 'unsubscribe', topic: x.topic })}
            ></vscode-button>`,
      )}
    </div>
    <h2>${icon('send')} Publish</h2>
    <div class="grid compact">
      ${textField('Topic', ctx.ui.pubTopic, (v) => (ctx.ui.pubTopic = v))}
      ${select(
        'Payload as',
        ctx.ui.pubFormat,
        [
          ['text', 'text'],
          ['json', 'JSON'],
          ['hex', 'hex'],
        ],
        (v) => (ctx.ui.pubFormat = v as PayloadFormat),
      )}
      ${select('QoS', String(ctx.ui.pubQos), qosOptions, (v) => (ctx.ui.pubQos = Number(v) as QoS))}
      <vscode-checkbox
        label="Retain"
        ?checked=${ctx.ui.pubRetain}
        @change=${(e: Event) => (ctx.ui.pubRetain = checked(e))}
      ></vscode-checkbox>
      <label class="field wide"
        ><span>Payload</span
        ><vscode-textarea
          rows="2"
          .value=${ctx.ui.pubPayload}
          @input=${(e: Event) => (ctx.ui.pubPayload = val(e))}
        ></vscode-textarea
      ></label>
    </div>
    <div class="row">
      <vscode-button icon="send" ?disabled=${!can} @click=${() => ctx.publish()}>Publish</vscode-button>
    </div>`;
}

export function shown(e: LogEntry): boolean {
  if (!ctx.ui.filter) return true;
  return /[+#]/.test(ctx.ui.filter) ? topicMatches(ctx.ui.filter, e.topic) : e.topic.includes(ctx.ui.filter);
}

export function logSection(s: PanelState): TemplateResult {
  const entries = s.log.filter(shown);
  // Until the user picks one, the viewer shows the newest incoming message.
  const selected =
    s.log.find((e) => e.id === ctx.ui.selected) ?? [...entries].reverse().find((e) => e.direction === 'in');
  return html`<h2>${icon('list-unordered')} Messages <vscode-badge>${entries.length}</vscode-badge></h2>
    <div class="row">
      ${textField(
        'Filter by topic',
        ctx.ui.filter,
        (v) => {
          ctx.ui.filter = v;
          ctx.draw();
        },
        { placeholder: 'sensors/# or text' },
      )}
      <vscode-button secondary icon="clear-all" @click=${() => ctx.send({ kind: 'clearLog' })}
        >Clear</vscode-button
      >
    </div>
    <div class="log" id="log">
      ${entries.map(
        (e) =>
          html`<div
            class="entry ${e.id === selected?.id ? 'selected' : ''}"
            data-topic=${e.topic}
            @click=${() => ((ctx.ui.selected = e.id), ctx.draw())}
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
                  html`<vscode-button
                    ?secondary=${ctx.ui.viewer !== m}
                    @click=${() => ((ctx.ui.viewer = m), ctx.draw())}
                    >${m === 'json' ? 'pretty JSON' : m}</vscode-button
                  >`,
              )}<span>${selected.topic} · QoS ${selected.qos}</span>
            </div>
            <pre class="viewer">${payloadText(selected, ctx.ui.viewer)}</pre>`
        : nothing
    }`;
}
