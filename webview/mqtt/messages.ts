// The subscriptions, publish, message-list and topic-tree sections of the MQTT panel. The list, the tree
// and the counters are containers here: FeedView fills them, frame by frame, without this template.
import { html, type TemplateResult } from 'lit';
import type { PanelState, PayloadFormat, QoS } from '../../src/shared/protocol';
import { ctx } from './context';
import { checked, icon, payloadText, select, textField, val } from './widgets';

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

export function logSection(_s: PanelState): TemplateResult {
  const selected = ctx.ui.selectedEntry;
  return html`<h2>${icon('list-unordered')} Messages</h2>
    <div class="counts" id="feedCounts"></div>
    <div class="warning" id="feedDrops" hidden></div>
    <div class="row">
      ${textField(
        'Filter by topic',
        ctx.ui.filter,
        (v) => {
          ctx.ui.filter = v;
          ctx.feed.list.setFilter(v);
        },
        { placeholder: 'sensors/# or text' },
      )}
      <vscode-button secondary icon="clear-all" @click=${() => ctx.clear()}>Clear</vscode-button>
      <vscode-button
        secondary
        icon=${ctx.feed.paused ? 'debug-continue' : 'debug-pause'}
        @click=${() => ctx.pause(!ctx.feed.paused)}
        >${ctx.feed.paused ? 'Resume' : 'Pause'}</vscode-button
      >
      <vscode-button secondary icon="save" @click=${() => ctx.send({ kind: 'exportLog' })}
        >Export JSONL</vscode-button
      >
      ${textField('Sequence check field', ctx.ui.sequenceField, (v) => ctx.setSequenceField(v), {
        placeholder: 'seq (off when empty)',
      })}
    </div>
    <div class="log" id="log"></div>
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
              )}<span>${selected.topic} · QoS ${selected.qos}${selected.retain ? ' · retained' : ''}</span>
            </div>
            <pre class="viewer">${payloadText(selected, ctx.ui.viewer)}</pre>`
        : ctx.ui.selected !== undefined
          ? html`<p class="file">That message is no longer in the history.</p>`
          : html`<p class="file">Select a message to see its payload as text, pretty JSON or hex.</p>`
    }
    <h2>${icon('list-tree')} Topics</h2>
    <div class="topics" id="topics"></div>`;
}
