// The MQTT panel's message log: the last MAX_LOG messages in the panel state, sent to the webview in
// batches, so a busy topic does not flood it with one message per publish.
import type { ReceivedMessage } from '../../core/mqtt/client';
import { bytesToBase64, type LogEntry, type PanelState } from '../../shared/protocol';

const MAX_LOG = 1000;
const BATCH_MS = 100;

export class MessageLog {
  private lastId = 0;
  private pending: LogEntry[] = [];
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly state: () => PanelState,
    private readonly send: (entries: LogEntry[]) => void,
  ) {}

  add(direction: 'in' | 'out', m: ReceivedMessage): void {
    const entry: LogEntry = {
      id: ++this.lastId,
      at: m.at,
      direction,
      topic: m.topic,
      payloadBase64: bytesToBase64(m.payload),
      qos: m.qos,
      retain: m.retain,
    };
    const log = this.state().log;
    log.push(entry);
    if (log.length > MAX_LOG) log.splice(0, log.length - MAX_LOG);
    this.pending.push(entry);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      const entries = this.pending.slice(-MAX_LOG);
      this.pending = [];
      this.send(entries);
    }, BATCH_MS);
  }
}
