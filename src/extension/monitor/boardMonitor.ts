// "Embedded TLS: Open Board Monitor": a terminal on the device profile's serial port that shows the board's
// output and, under each line naming a TLS or MQTT error, the explanation; its notes link to the probe and check.
import * as vscode from 'vscode';
import { TextDecoder } from 'node:util';
import { LineAnnotator, MONITOR_MARK, type MonitorChunk } from '../../core/explain/monitor';
import { listSerialPorts, openSerialLink } from '../../core/node/serialLink';
import type { ByteLinkPort } from '../../core/ports';
import type { Services } from '../common/services';
import { locateProject } from '../common/projectLocator';

/** Answers that skip the pickers, for tasks and tests. */
export interface BoardMonitorOptions {
  port?: string;
  baud?: number;
  target?: string;
  profile?: string;
}

const REOPEN_MS = 300;
const NOTE_COLOUR = '\x1b[36m';
const RESET = '\x1b[0m';

interface Choice {
  port: string;
  baud: number;
  target?: string;
  name: string;
}

async function choose(s: Services, o: BoardMonitorOptions): Promise<Choice | undefined> {
  const project = await locateProject(o.port ? {} : { ask: 'Which project is on the board?' });
  const names = Object.keys(project?.file.profiles ?? {});
  let name = o.profile && names.includes(o.profile) ? o.profile : names[0];
  if (!o.profile && !o.port && names.length > 1) {
    const pick = await vscode.window.showQuickPick(
      names.map((n) => ({ label: n, description: project!.file.profiles[n]?.target ?? '' })),
      { title: 'Board Monitor: device profile', placeHolder: 'Which device profile is on the board?' },
    );
    if (!pick) return undefined;
    name = pick.label;
  }
  const profile = name ? project?.file.profiles[name] : undefined;
  const remembered = name ? s.context.workspaceState.get<string>(`embeddedTls.push.port.${name}`) : undefined;
  let port = o.port ?? remembered ?? profile?.push?.port;
  if (!port) {
    const ports = await listSerialPorts();
    const pick = await vscode.window.showQuickPick(
      [
        ...ports.map((p) => ({ label: p.path, description: p.board?.name ?? p.manufacturer ?? '' })),
        { label: '$(edit) Enter a port path…', description: '' },
      ],
      { title: 'Board Monitor: serial port', placeHolder: 'Which port is the board on?' },
    );
    if (!pick) return undefined;
    port = pick.label.startsWith('$(edit)')
      ? await vscode.window.showInputBox({ title: 'Serial port path', placeHolder: '/dev/ttyUSB0 or COM5' })
      : pick.label;
    if (!port) return undefined;
  }
  const target = o.target ?? profile?.target;
  return {
    port,
    baud: o.baud ?? profile?.push?.baud ?? 115200,
    name: name ?? port,
    ...(target ? { target } : {}),
  };
}

/** The board's bytes as terminal text: a lone LF also returns the carriage, as a serial console would. */
function toTerminal(decoder: TextDecoder, bytes: Uint8Array, lastWasCr: { v: boolean }): string {
  const text = decoder.decode(bytes, { stream: true });
  let out = '';
  for (const ch of text) {
    if (ch === '\n' && !lastWasCr.v) out += '\r';
    out += ch;
    lastWasCr.v = ch === '\r';
  }
  return out;
}

/** The pseudoterminal; `closed` resolves when the user closes it. */
export class BoardMonitorTerminal implements vscode.Pseudoterminal {
  private readonly written = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.written.event;
  readonly onDidClose = this.closeEmitter.event;
  private link: ByteLinkPort | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  private readonly annotator: LineAnnotator;
  private readonly decoder = new TextDecoder('utf-8');
  private readonly cr = { v: false };
  /** Everything shown, for tests and for "copy the session". */
  transcript = '';

  constructor(
    private readonly choice: Choice,
    private readonly s: Services,
  ) {
    this.annotator = new LineAnnotator(choice.target);
  }

  open(): void {
    this.show(
      `${NOTE_COLOUR}Board monitor: ${this.choice.port} at ${this.choice.baud} baud${this.choice.target ? `, ${this.choice.target}` : ''}${RESET}\r\n`,
    );
    void this.run();
  }

  close(): void {
    this.stopped = true;
    this.wake?.();
    void this.link?.close();
  }

  /** Keys typed in the terminal go to the board, as in any serial terminal. */
  handleInput(data: string): void {
    void this.link?.write(Buffer.from(data, 'utf8')).catch(() => undefined);
  }

  private show(text: string): void {
    this.transcript += text;
    this.written.fire(text);
  }

  private write(chunks: MonitorChunk[]): void {
    for (const c of chunks) {
      if (c.kind === 'board') this.show(toTerminal(this.decoder, c.bytes, this.cr));
      else this.show(NOTE_COLOUR + c.text.replace(/\n/g, '\r\n') + RESET);
    }
  }

  private async run(): Promise<void> {
    const { port, baud } = this.choice;
    try {
      this.link = await openSerialLink(port, baud);
    } catch (e) {
      this.show(`\x1b[31m${e instanceof Error ? e.message : String(e)}${RESET}\r\n`);
      this.s.output.warn(`board monitor: ${port}: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    while (!this.stopped) {
      const current = this.link!;
      const gone = new Promise<void>((r) => {
        this.wake = r;
        current.onClose(() => r());
      });
      const sub = current.onData((d) => this.write(this.annotator.feed(d)));
      await gone;
      sub.dispose();
      await current.close();
      this.link = undefined;
      if (this.stopped) break;
      this.write(this.annotator.end());
      this.annotator.reset();
      this.show(
        `\r\n${NOTE_COLOUR}${port} closed (reset or unplugged); waiting for it to come back…${RESET}\r\n`,
      );
      while (!this.stopped && !this.link) {
        await new Promise<void>((r) => {
          this.wake = r;
          setTimeout(r, REOPEN_MS);
        });
        if (!this.stopped) this.link = await openSerialLink(port, baud).catch(() => undefined);
      }
      if (this.link) this.show(`${NOTE_COLOUR}${port} reopened${RESET}\r\n`);
    }
  }
}

const open = new Set<BoardMonitorTerminal>();

/** Opens the monitor; returns the pseudoterminal (tests read its transcript), or undefined when cancelled. */
export async function openBoardMonitor(
  s: Services,
  o: BoardMonitorOptions = {},
): Promise<BoardMonitorTerminal | undefined> {
  const choice = await choose(s, o);
  if (!choice) return undefined;
  const pty = new BoardMonitorTerminal(choice, s);
  open.add(pty);
  pty.onDidClose(() => open.delete(pty));
  const terminal = vscode.window.createTerminal({
    name: `Board: ${choice.name}`,
    pty,
    iconPath: new vscode.ThemeIcon('pulse'),
  });
  terminal.show();
  return pty;
}

interface NoteLink extends vscode.TerminalLink {
  command: string;
}

/** Links in the notes: "etls probe" opens the MQTT test client, "etls check" the Problems panel. */
export function boardMonitorLinks(): vscode.TerminalLinkProvider<NoteLink> {
  return {
    provideTerminalLinks(context) {
      if (!context.terminal.name.startsWith('Board: ') || !context.line.includes(MONITOR_MARK.trim()))
        return [];
      const links: NoteLink[] = [];
      const probe = context.line.indexOf('etls probe');
      if (probe >= 0)
        links.push({
          startIndex: probe,
          length: 'etls probe'.length,
          tooltip: 'Open the MQTT TLS Test Client',
          command: 'embeddedTls.openMqttClient',
        });
      const check = context.line.indexOf('etls check');
      if (check >= 0)
        links.push({
          startIndex: check,
          length: 'etls check'.length,
          tooltip: 'Show the findings (Problems)',
          command: 'workbench.actions.view.problems',
        });
      return links;
    },
    handleTerminalLink(link) {
      void vscode.commands.executeCommand(link.command);
    },
  };
}

export function registerBoardMonitorLinks(s: Services): void {
  s.context.subscriptions.push(vscode.window.registerTerminalLinkProvider(boardMonitorLinks()));
}
