// The history as JSON lines, one message a line, for reading offline (jq, a notebook, a bug report):
// {"at":"2026-12-05T16:40:01.123Z","direction":"in","topic":"sensors/t","qos":0,"retain":false,
//  "payload":"{\"c\":21}"} — `payload` is the text when it is UTF-8, else `payloadBase64` carries the bytes.
import type { StoredMessage } from './history';

const decoder = new TextDecoder('utf-8', { fatal: true });

export function messageToJsonl(m: StoredMessage): string {
  let text: string | undefined;
  try {
    text = decoder.decode(m.payload);
  } catch {
    text = undefined;
  }
  return JSON.stringify({
    at: new Date(m.at).toISOString(),
    direction: m.direction,
    topic: m.topic,
    qos: m.qos,
    retain: m.retain,
    ...(text !== undefined
      ? { payload: text }
      : { payloadBase64: Buffer.from(m.payload).toString('base64') }),
  });
}

export function historyToJsonl(messages: Iterable<StoredMessage>): string {
  const lines: string[] = [];
  for (const m of messages) lines.push(messageToJsonl(m));
  return lines.length ? `${lines.join('\n')}\n` : '';
}
