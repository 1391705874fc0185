// A simulated board that forwards a pty pair to a real program on its own pty (bash, the C receiver),
// through a wire throttled to the baud rate with injectable faults.
import { spawn } from 'node:child_process';
import type { ByteLinkPort } from '../../../src/core/ports';
import { openSerialLink } from '../../../src/core/node/serialLink';
import { ptyPair, ptyRunning, type SocatPtys } from './ptyPair';
import { ThrottledWire, type WireFaults } from './wire';

export interface ProxyFaults {
  toBoard?: WireFaults;
  toHost?: WireFaults;
}

export class ProxyBoard {
  private constructor(
    private readonly hostSide: SocatPtys,
    private readonly boardSide: SocatPtys,
    private readonly links: ByteLinkPort[],
    private readonly wires: ThrottledWire[],
  ) {}

  get hostPath(): string {
    return this.hostSide.paths[0]!;
  }

  /** Bytes the host sent so far, as counted on the wire. */
  get bytesToBoard(): number {
    return this.wires[0]!.sent;
  }

  /**
   * Starts `command` on a pty and puts the throttled wire between it and a fresh pty pair.
   * A `{TTY}` in the command is replaced by a pty path and the program opens it itself;
   * otherwise the program's stdin/stdout is the pty (as for a console shell).
   */
  static async start(command: string, baud: number, faults: ProxyFaults = {}): Promise<ProxyBoard> {
    const hostSide = await ptyPair();
    let boardSide: SocatPtys;
    let target: ByteLinkPort;
    if (command.includes('{TTY}')) {
      boardSide = await ptyPair();
      target = await openSerialLink(boardSide.paths[0]!, baud);
      boardSide = withProgram(boardSide, command.replace('{TTY}', boardSide.paths[1]!));
    } else {
      boardSide = await ptyRunning(command);
      target = await openSerialLink(boardSide.paths[0]!, baud);
    }
    const host = await openSerialLink(hostSide.paths[1]!, baud);
    const disconnect = () => hostSide.kill();
    const toBoard = new ThrottledWire(
      baud,
      (d) => void target.write(d).catch(() => {}),
      faults.toBoard,
      disconnect,
    );
    const toHost = new ThrottledWire(
      baud,
      (d) => void host.write(d).catch(() => {}),
      faults.toHost,
      disconnect,
    );
    host.onData((d) => toBoard.push(d));
    target.onData((d) => toHost.push(d));
    return new ProxyBoard(hostSide, boardSide, [host, target], [toBoard, toHost]);
  }

  async dispose(): Promise<void> {
    for (const w of this.wires) w.stop();
    for (const l of this.links) await l.close().catch(() => {});
    await this.hostSide.dispose();
    await this.boardSide.dispose();
  }
}

/** Runs a program that opens the pty itself; it dies with the pair. */
function withProgram(pair: SocatPtys, command: string): SocatPtys {
  const child = spawn('sh', ['-c', `exec ${command}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  return {
    ...pair,
    kill() {
      child.kill('SIGKILL');
      pair.kill();
    },
    async dispose() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
      }
      await pair.dispose();
    },
  };
}
