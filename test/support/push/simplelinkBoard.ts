// A simulated CC3220/CC3235 running TI's AT-command application, on a pty pair, throttled to the baud
// rate, with a SimpleLink file system in memory (failsafe files included) and injectable faults.
import type { ByteLinkPort } from '../../../src/core/ports';
import { openSerialLink } from '../../../src/core/node/serialLink';
import { ptyPair, type SocatPtys } from './ptyPair';
import { ThrottledWire, type WireFaults } from './wire';

export interface SimpleLinkFaults {
  /** Faults on the bytes the host sends. */
  toBoard?: WireFaults;
  /** Faults on the bytes the board sends back. */
  toHost?: WireFaults;
  /** Answer the n-th (1-based) use of `command` with `ERROR:<class>,<code>`. */
  errorReply?: { command: string; nth?: number; code: number; errorClass?: string };
}

interface OpenFile {
  name: string;
  mode: 'write' | 'read';
  data: Buffer;
  failsafe: boolean;
}

export class SimpleLinkBoard {
  /** The live files: what the board would use after a reset. */
  readonly files = new Map<string, Buffer>();
  /** Every command line received, for assertions. */
  readonly commands: string[] = [];
  private readonly open = new Map<number, OpenFile>();
  private nextId = 363990529;
  private line = '';
  private counts = new Map<string, number>();
  private toHost!: ThrottledWire;
  private toBoard!: ThrottledWire;

  private constructor(
    readonly ptys: SocatPtys,
    private readonly link: ByteLinkPort,
    private readonly faults: SimpleLinkFaults,
  ) {}

  /** The pty path the host opens. */
  get hostPath(): string {
    return this.ptys.paths[0]!;
  }

  static async start(baud: number, faults: SimpleLinkFaults = {}): Promise<SimpleLinkBoard> {
    const ptys = await ptyPair();
    const link = await openSerialLink(ptys.paths[1]!, baud);
    const board = new SimpleLinkBoard(ptys, link, faults);
    const disconnect = () => ptys.kill();
    board.toHost = new ThrottledWire(
      baud,
      (d) => void link.write(d).catch(() => {}),
      faults.toHost,
      disconnect,
    );
    board.toBoard = new ThrottledWire(baud, (d) => board.received(d), faults.toBoard, disconnect);
    link.onData((d) => board.toBoard.push(d));
    return board;
  }

  async dispose(): Promise<void> {
    this.toHost.stop();
    this.toBoard.stop();
    await this.link.close().catch(() => {});
    await this.ptys.dispose();
  }

  private send(text: string): void {
    this.toHost.push(Buffer.from(text, 'latin1'));
  }

  private received(d: Buffer): void {
    for (const ch of d.toString('latin1')) {
      if (ch === '\r' || ch === '\n') {
        const l = this.line;
        this.line = '';
        if (l.trim()) this.execute(l.trim());
      } else if (this.line.length >= 1024) {
        this.line = '';
        this.send('ERROR:allocate,0\n\r');
      } else {
        this.line += ch;
      }
    }
  }

  private execute(line: string): void {
    this.commands.push(line);
    // TI's example application ends the command line with "\n\r" and prints every event line with "\n\r".
    this.send('\n\r');
    const m = /^AT\+(\w+)(?:=(.*))?$/i.exec(line);
    if (!m) return this.send('ERROR:command not exist,0\n\r');
    const cmd = m[1]!.toLowerCase();
    const args = (m[2] ?? '').split(',');
    const n = (this.counts.get(cmd) ?? 0) + 1;
    this.counts.set(cmd, n);
    const fault = this.faults.errorReply;
    if (fault && fault.command.toLowerCase() === cmd && (fault.nth ?? 1) === n) {
      return this.send(`ERROR:${fault.errorClass ?? 'process command'},${fault.code}\n\r`);
    }
    try {
      const reply = this.handle(cmd, args);
      this.send(`${reply ? `+${cmd}:${reply}\n\r` : ''}OK\n\r`);
    } catch (e) {
      this.send(`ERROR:${(e as SimError).errorClass ?? 'process command'},${(e as SimError).code ?? -1}\n\r`);
    }
  }

  private handle(cmd: string, a: string[]): string | undefined {
    const num = (i: number) => {
      const v = Number(a[i]);
      if (a[i] === undefined || a[i] === '' || !Number.isInteger(v))
        throw new SimError('parse parameters', -2);
      return v;
    };
    switch (cmd) {
      case 'fileopen': {
        const [name, opts = ''] = a;
        const flags = opts.toLowerCase().split('|');
        if (!name) throw new SimError('parse parameters', -2);
        const id = this.nextId++;
        if (flags.includes('read')) {
          const data = this.files.get(name);
          if (!data) throw new SimError('process command', -10341);
          this.open.set(id, { name, mode: 'read', data, failsafe: false });
        } else {
          if (!flags.includes('create')) throw new SimError('process command', -10341);
          if (this.files.has(name) && !flags.includes('overwrite'))
            throw new SimError('process command', -10264);
          const failsafe = flags.includes('create_failsafe');
          // Without failsafe, opening for write truncates the live file at once.
          if (!failsafe) this.files.set(name, Buffer.alloc(0));
          this.open.set(id, { name, mode: 'write', data: Buffer.alloc(0), failsafe });
        }
        return `${id},0`;
      }
      case 'filewrite': {
        const f = this.open.get(num(0));
        if (!f || f.mode !== 'write') throw new SimError('process command', -10341);
        const off = num(1);
        const len = num(3);
        const text = a.slice(4).join(',');
        if (num(2) !== 1 || text.length !== len || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
          throw new SimError('parse parameters', -3);
        }
        const bytes = Buffer.from(text, 'base64');
        const grown = Buffer.alloc(Math.max(f.data.length, off + bytes.length));
        f.data.copy(grown);
        bytes.copy(grown, off);
        f.data = grown;
        if (!f.failsafe) this.files.set(f.name, f.data);
        return String(len);
      }
      case 'fileread': {
        const f = this.open.get(num(0));
        if (!f || f.mode !== 'read') throw new SimError('process command', -10341);
        const chunk = f.data.subarray(num(1), num(1) + num(3));
        const b64 = chunk.toString('base64');
        return `1,${b64.length},${b64}`;
      }
      case 'fileclose': {
        const id = num(0);
        const f = this.open.get(id);
        if (!f) throw new SimError('process command', -10341);
        this.open.delete(id);
        const abort = (a[2] ?? '') === 'A';
        if (f.mode === 'write' && !abort) this.files.set(f.name, f.data);
        return undefined;
      }
      case 'filedel':
        if (!this.files.delete(a[0] ?? '')) throw new SimError('process command', -10341);
        return undefined;
      case 'filegetinfo': {
        const data = this.files.get(a[0] ?? '');
        if (!data) throw new SimError('process command', -10341);
        return `open_write,${data.length},${Math.max(4096, data.length)},,${data.length},1`;
      }
      default:
        throw new SimError('command not exist', 0);
    }
  }
}

class SimError extends Error {
  constructor(
    readonly errorClass: string,
    readonly code: number,
  ) {
    super(`${errorClass},${code}`);
  }
}
