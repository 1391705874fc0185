// Small view helpers of the MQTT panel: form fields, icons and payload rendering (text, JSON, hex).
import { html, type TemplateResult } from 'lit';
import { base64ToBytes, toHex, type LogEntry, type PayloadFormat } from '../../src/shared/protocol';

export const val = (e: Event) => (e.target as HTMLInputElement).value;
export const checked = (e: Event) => (e.target as HTMLInputElement).checked;
export const icon = (name: string) => html`<vscode-icon name=${name}></vscode-icon>`;

export function textField(
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

export function select(
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

/** Text when the bytes are printable UTF-8, else undefined (binary payloads are shown as hex). */
export function printable(bytes: Uint8Array): string | undefined {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return /[\u0000-\u0008\u000e-\u001f\u007f]/.test(text) ? undefined : text;
  } catch {
    return undefined;
  }
}

export function payloadText(e: LogEntry, as: PayloadFormat): string {
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

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** HH:MM:SS.mmm, local time. Built by hand: toLocaleTimeString costs a formatter per call, per row drawn. */
export const time = (ms: number) => {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
};
