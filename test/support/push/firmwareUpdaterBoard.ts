// A simulated Arduino board running the FirmwareUpdater programmer sketch (WiFiNINA or WiFi101), on a
// socat pty pair, throttled to the baud rate, written from the protocol facts: requests are
// cmd(1) address(4, BE) value(4, BE) length(2, BE) payload; HELLO answers v10000, MAX_PAYLOAD_SIZE two
// bytes BE, ERASE/WRITE "OK" or "ER"; READ the data then "OK" (the NINA sketch answers "ER\r\n": it
// cannot read); MD5 (NINA) "OK" and 16 bytes. The flash is NOR: an erase sets 4 KB sectors to 0xFF and a
// write can only clear bits. The NINA sketch writes blocks in sequence from the erase address (the ESP32
// boot ROM's FLASH_DATA), padding a short block with 0xFF; the WINC sketch writes at the address given.
import { createHash } from 'node:crypto';
import type { ByteLinkPort } from '../../../src/core/ports';
import { ptyPair, type SocatPtys } from './ptyPair';
import { openPtyEnd } from './ptyEnd';
import { ThrottledWire, type WireFaults } from './wire';

export type ModuleKind = 'nina' | 'winc';

export interface FirmwareUpdaterOptions {
  /** The programmer's MAX_PAYLOAD_SIZE; the sketches say 1024. */
  maxPayload?: number;
  /** Answer READ with data (true) or "ER" (false, as the NINA sketches do); default: WINC reads, NINA not. */
  canRead?: boolean;
  /** Answer the n-th WRITE (1-based) with "ER" and leave that block unwritten. */
  refuseWrite?: number;
  /** Answer ERASE with "ER". */
  refuseErase?: boolean;
  /** Flip a bit in the n-th WRITE's data on its way to the flash (a silent corruption). */
  corruptWrite?: number;
  /** Not running the sketch: never answer (another sketch, or none). */
  silent?: boolean;
  /** Print this instead of answering (another sketch that talks). */
  chatter?: string;
  /** Faults on the bytes the host sends / the board sends back. */
  toBoard?: WireFaults;
  toHost?: WireFaults;
  /** Flash contents to start from (as the factory left it). */
  flash?: Buffer;
}

const SECTOR = 4096;

export class FirmwareUpdaterBoard {
  readonly flash: Buffer;
  /** Every request received: command, address, value, payload length. */
  readonly requests: { cmd: number; address: number; value: number; length: number }[] = [];
  /** A request whose payload exceeded the sketch's 1024-byte buffer (a real sketch would overrun memory). */
  overflow = false;
  private buf = Buffer.alloc(0);
  private writes = 0;
  private eraseAt = 0;
  private seq = 0;
  private toHost!: ThrottledWire;
  private toBoard!: ThrottledWire;

  private constructor(
    readonly kind: ModuleKind,
    readonly ptys: SocatPtys,
    private readonly link: ByteLinkPort,
    private readonly o: FirmwareUpdaterOptions,
  ) {
    this.flash = o.flash ? Buffer.from(o.flash) : Buffer.alloc(kind === 'nina' ? 0x40000 : 0x80000, 0xff);
  }

  get hostPath(): string {
    return this.ptys.paths[0]!;
  }

  get maxPayload(): number {
    return this.o.maxPayload ?? 1024;
  }

  static async start(
    kind: ModuleKind,
    baud: number,
    o: FirmwareUpdaterOptions = {},
  ): Promise<FirmwareUpdaterBoard> {
    const ptys = await ptyPair();
    const link = openPtyEnd(ptys.paths[1]!);
    const board = new FirmwareUpdaterBoard(kind, ptys, link, o);
    const disconnect = () => ptys.kill();
    board.toHost = new ThrottledWire(baud, (d) => void link.write(d).catch(() => {}), o.toHost, disconnect);
    board.toBoard = new ThrottledWire(baud, (d) => board.received(d), o.toBoard, disconnect);
    link.onData((d) => board.toBoard.push(d));
    return board;
  }

  async dispose(): Promise<void> {
    this.toHost.stop();
    this.toBoard.stop();
    await this.link.close().catch(() => {});
    await this.ptys.dispose();
  }

  /** The NUL-terminated text at `address` (what nina-fw parses). */
  textAt(address: number): string {
    const end = this.flash.indexOf(0, address);
    return this.flash.subarray(address, end < 0 ? this.flash.length : end).toString('latin1');
  }

  private send(data: Buffer | string): void {
    this.toHost.push(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  private received(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      if (this.buf.length < 11) return;
      const length = this.buf.readUInt16BE(9);
      if (this.buf.length < 11 + length) return;
      const req = {
        cmd: this.buf[0]!,
        address: this.buf.readUInt32BE(1),
        value: this.buf.readUInt32BE(5),
        payload: Buffer.from(this.buf.subarray(11, 11 + length)),
      };
      this.buf = this.buf.subarray(11 + length);
      this.requests.push({ cmd: req.cmd, address: req.address, value: req.value, length });
      this.handle(req);
    }
  }

  private erase(address: number, length: number): void {
    const first = Math.floor(address / SECTOR) * SECTOR;
    const end = Math.ceil((address + length) / SECTOR) * SECTOR;
    this.flash.fill(0xff, first, Math.min(end, this.flash.length));
  }

  /** NOR programming: bits only go from 1 to 0. */
  private program(address: number, data: Buffer): void {
    for (let i = 0; i < data.length && address + i < this.flash.length; i++)
      this.flash[address + i]! &= data[i]!;
  }

  private handle(r: { cmd: number; address: number; value: number; payload: Buffer }): void {
    if (this.o.silent) return;
    if (this.o.chatter) return this.send(this.o.chatter);
    if (r.payload.length > 1024) {
      this.overflow = true;
      return this.send('ER');
    }
    switch (r.cmd) {
      case 0x99:
        if (r.address === 0x11223344 && r.value === 0x55667788) this.send('v10000');
        return;
      case 0x50: {
        const b = Buffer.alloc(2);
        b.writeUInt16BE(this.maxPayload);
        return this.send(b);
      }
      case 0x03:
        if (this.o.refuseErase) return this.send('ER');
        this.erase(r.address, r.value);
        this.eraseAt = r.address;
        this.seq = 0;
        return this.send('OK');
      case 0x02: {
        this.writes++;
        if (this.o.refuseWrite === this.writes) return this.send('ER');
        const data = Buffer.from(r.payload);
        if (this.o.corruptWrite === this.writes && data.length) data[data.length >> 1]! ^= 0x10;
        if (this.kind === 'nina') {
          // FLASH_DATA in sequence from the erase address; a short block is padded with 0xFF.
          const block = Buffer.alloc(this.maxPayload, 0xff);
          data.copy(block);
          this.program(this.eraseAt + this.seq++ * this.maxPayload, block);
        } else this.program(r.address, data);
        return this.send('OK');
      }
      case 0x01: {
        const canRead = this.o.canRead ?? this.kind === 'winc';
        if (!canRead || r.value > 1024) return this.send('ER\r\n');
        return this.send(
          Buffer.concat([this.flash.subarray(r.address, r.address + r.value), Buffer.from('OK')]),
        );
      }
      case 0x04:
        if (this.kind !== 'nina') return; // the WiFi101 sketch has no MD5 command
        return this.send(
          Buffer.concat([
            Buffer.from('OK'),
            createHash('md5')
              .update(this.flash.subarray(r.address, r.address + r.value))
              .digest(),
          ]),
        );
      default:
        return;
    }
  }
}
