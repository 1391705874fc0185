// The MQTT panel's message feed on the host side: the core's PanelFeed, driven by a frame timer, sending
// the webview at most one update per frame and none while the last is not drawn; the history's size
// comes from the `embeddedTls.mqtt.history*` settings.
import { writeGuarded } from '../../core/files/guard';
import * as vscode from 'vscode';
import type { ReceivedMessage } from '../../core/mqtt/client';
import { historyToJsonl } from '../../core/mqtt/feed/exportJsonl';
import type { HistoryLimits } from '../../core/mqtt/feed/history';
import { PanelFeed, type FeedUpdate } from '../../core/mqtt/feed/panelFeed';
import { bytesToBase64, FEED_VIEW_ROWS, type LogEntry } from '../../shared/protocol';
import { nodeFileSystem } from '../../core/node/fileSystem';
import { config } from '../common/config';

/**
 * Writes the history as JSON lines; resolves with the number of messages. The path was picked in a
 * save dialog (which asked before replacing a file), so any file but a key may be replaced.
 */
export async function exportHistory(feed: PanelFeed, path: string): Promise<number> {
  await writeGuarded(nodeFileSystem, path, historyToJsonl(feed.history.all()), {
    replace: 'anything-but-keys',
    forceHint: 'Choose another file name.',
  });
  return feed.history.size;
}

export function historyLimits(): HistoryLimits {
  const size = config.get<number>('mqtt.historySize', 10_000);
  const mb = config.get<number>('mqtt.historyMemoryMB', 32);
  return {
    maxMessages: Math.max(100, Math.min(1_000_000, Math.floor(size) || 10_000)),
    maxBytes: Math.max(1, Math.min(4096, mb || 32)) * 1024 * 1024,
  };
}

/** The Export JSONL button: a save dialog (which asks before replacing a file), then the export. */
export async function exportWithDialog(feed: PanelFeed): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const target = await vscode.window.showSaveDialog({
    title: 'Export the MQTT messages (JSON lines)',
    filters: { 'JSON lines': ['jsonl'] },
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder.uri, 'mqtt-messages.jsonl') } : {}),
  });
  if (!target) return;
  const n = await exportHistory(feed, target.fsPath);
  void vscode.window.showInformationMessage(
    `Exported ${n} messages to ${vscode.workspace.asRelativePath(target)}.`,
  );
}

export class MessageLog {
  readonly feed = new PanelFeed(Date.now(), { history: historyLimits(), viewRows: FEED_VIEW_ROWS });
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly send: (update: FeedUpdate) => void) {}

  /** Runs the frame timer while a webview shows the feed. */
  start(): void {
    this.timer ??= setInterval(() => this.flush(false), this.feed.options.frameMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  add(direction: 'in' | 'out', m: ReceivedMessage): void {
    this.feed.add(direction, m);
  }

  /** Sends what changed now, without waiting for the frame or the webview (Clear, Pause). */
  flush(urgent: boolean): void {
    const now = Date.now();
    this.feed.tick(now);
    const update = this.feed.take(now, urgent);
    if (update) this.send(update);
  }

  /** The stored message with this id, as the webview's viewer needs it. */
  entry(id: number): LogEntry | undefined {
    const m = this.feed.history.get(id);
    return m && toEntry(m);
  }

  /** The newest n messages, oldest first. */
  recent(n: number): LogEntry[] {
    return this.feed.history.last(n).map(toEntry);
  }
}

function toEntry(m: {
  id: number;
  at: number;
  direction: 'in' | 'out';
  topic: string;
  payload: Uint8Array;
  qos: 0 | 1 | 2;
  retain: boolean;
}): LogEntry {
  return {
    id: m.id,
    at: m.at,
    direction: m.direction,
    topic: m.topic,
    payloadBase64: bytesToBase64(m.payload),
    qos: m.qos,
    retain: m.retain,
  };
}
