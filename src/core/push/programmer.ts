// The FirmwareUploader programmer protocol: the sketch Arduino's tools upload to a MKR WiFi 1010, Nano 33 IoT
// or MKR1000 so the host can write the Wi-Fi module's flash over USB serial (arduino/arduino-fwuploader
// flasher/nina.go and winc.go; the sketches are WiFiNINA examples/Tools/FirmwareUpdater and WiFi101
// examples/FirmwareUpdater). A request is cmd(1) address(4, BE) value(4, BE) length(2, BE) payload.
import { createHash } from 'node:crypto';
import { EtlsError } from '../errors';
import { LinkReader } from './link';
import type { PushContext } from './types';

export const ProgrammerCommand = {
  READ: 0x01,
  WRITE: 0x02,
  ERASE: 0x03,
  MD5: 0x04,
  MAX_PAYLOAD_SIZE: 0x50,
  HELLO: 0x99,
} as const;

/** The answer to HELLO (address 0x11223344, value 0x55667788): protocol version 1.0.0. */
export const HELLO_ANSWER = 'v10000';

/** One request as the sketch reads it. */
export function encodeRequest(cmd: number, address: number, value: number, payload?: Uint8Array): Buffer {
  const p = payload ?? new Uint8Array(0);
  const b = Buffer.alloc(11 + p.length);
  b[0] = cmd;
  b.writeUInt32BE(address >>> 0, 1);
  b.writeUInt32BE(value >>> 0, 5);
  b.writeUInt16BE(p.length, 9);
  b.set(p, 11);
  return b;
}

export const UPLOAD_SKETCH_FIX = {
  wifinina:
    'Upload the FirmwareUpdater sketch first: in the Arduino IDE, File > Examples > WiFiNINA > Tools > FirmwareUpdater, then Upload (or `arduino-cli compile --upload -b arduino:samd:mkrwifi1010 -p PORT ~/Arduino/libraries/WiFiNINA/examples/Tools/FirmwareUpdater`; for a Nano 33 IoT the board is arduino:samd:nano_33_iot). Close the Serial Monitor, then push again',
  wifi101:
    'Upload the FirmwareUpdater sketch first: in the Arduino IDE, File > Examples > WiFi101 > FirmwareUpdater, then Upload (or `arduino-cli compile --upload -b arduino:samd:mkr1000 -p PORT ~/Arduino/libraries/WiFi101/examples/FirmwareUpdater`). Close the Serial Monitor, then push again',
} as const;

/** OK, or ER, or two bytes that are neither (READ's ER, with its line end, is handled by read()). */
type Ack = 'OK' | 'ER' | 'garbled';

/** A session with the programmer sketch: one request at a time, each answer awaited with a timeout. */
export class Programmer {
  maxPayload = 0;

  constructor(
    private readonly reader: LinkReader,
    private readonly ctx: PushContext,
    private readonly module: 'wifinina' | 'wifi101',
  ) {}

  /** The reply timeout: the base timeout plus twice the time the bytes need on the wire. */
  timeoutFor(bytes: number, extraMs = 0): number {
    return (this.ctx.timeoutMs ?? 5000) + (bytes * 10 * 1000 * 2) / this.ctx.baud + extraMs;
  }

  private async send(cmd: number, address: number, value: number, payload?: Uint8Array): Promise<void> {
    await this.reader.write(encodeRequest(cmd, address, value, payload));
  }

  private async ack(what: string, extraMs = 0): Promise<Ack> {
    return this.reader.waitFor(
      (b) => {
        if (b.length < 2) return undefined;
        const s = b.subarray(0, 2).toString('latin1');
        // Exactly two bytes: what follows (the MD5) may well start with a CR or LF byte.
        if (s === 'OK' || s === 'ER') return { value: s, consumed: 2 };
        return { value: 'garbled', consumed: b.length };
      },
      this.timeoutFor(64, extraMs),
      what,
    );
  }

  /**
   * HELLO until the sketch answers v10000. Nothing at all means the sketch is not running (the
   * board runs another sketch, or the Serial Monitor holds the port).
   */
  async hello(): Promise<void> {
    const attempts = (this.ctx.retries ?? 3) + 1;
    const each = Math.min(this.ctx.timeoutMs ?? 5000, 1500);
    let heard = '';
    for (let i = 1; i <= attempts; i++) {
      this.reader.discard();
      await this.send(ProgrammerCommand.HELLO, 0x11223344, 0x55667788);
      try {
        await this.reader.waitFor(
          (b) => {
            const at = b.indexOf(HELLO_ANSWER, 0, 'latin1');
            if (at < 0) {
              heard = b.toString('latin1');
              return undefined;
            }
            return { value: true, consumed: at + HELLO_ANSWER.length };
          },
          each,
          'the programmer to answer HELLO',
        );
        return;
      } catch (e) {
        if (!(e instanceof EtlsError && e.code === 'timeout')) throw e;
        this.ctx.logger.debug(`HELLO: no answer (${i}/${attempts})`);
      }
    }
    const printable = heard.replace(/[^\x20-\x7e]+/g, ' ').trim();
    throw new EtlsError(
      'device',
      printable
        ? `The board answers, but not as the FirmwareUpdater sketch does (it said "${printable.slice(0, 60)}" instead of ${HELLO_ANSWER}): another sketch is running`
        : `The board did not answer HELLO: the FirmwareUpdater sketch is not running on it`,
      UPLOAD_SKETCH_FIX[this.module],
    );
  }

  /** MAX_PAYLOAD_SIZE: the largest payload one WRITE may carry (the sketches' buffer is 1024 bytes). */
  async readMaxPayload(): Promise<number> {
    await this.send(ProgrammerCommand.MAX_PAYLOAD_SIZE, 0, 0);
    const n = await this.reader.waitFor(
      (b) => (b.length >= 2 ? { value: b.readUInt16BE(0), consumed: 2 } : undefined),
      this.timeoutFor(16),
      'the programmer to name its payload size',
    );
    if (n < 16 || n > 0x4000)
      throw new EtlsError(
        'device',
        `The programmer reports ${n} bytes as its largest payload, which no FirmwareUpdater sketch does`,
        UPLOAD_SKETCH_FIX[this.module],
      );
    this.maxPayload = n;
    return n;
  }

  /** ERASE: flash is erased in 4 KB sectors; allow up to 300 ms each (a NOR sector erase's worst case). */
  async erase(address: number, length: number): Promise<void> {
    await this.send(ProgrammerCommand.ERASE, address, length);
    const sectors = Math.ceil(length / 4096);
    const a = await this.ack(`the programmer to erase ${length} bytes at 0x${hex(address)}`, sectors * 300);
    if (a !== 'OK')
      throw new EtlsError(
        'device',
        `The programmer refused to erase the flash at 0x${hex(address)} (${describeAck(a)}); nothing was written`,
        'Reset the board, upload the FirmwareUpdater sketch again and push again',
      );
  }

  /** WRITE one block; the answer is OK or ER. */
  async write(address: number, data: Uint8Array): Promise<Ack> {
    if (data.length > this.maxPayload)
      throw new EtlsError(
        'invalid-argument',
        `A block of ${data.length} bytes exceeds the programmer's ${this.maxPayload}`,
      );
    await this.send(ProgrammerCommand.WRITE, address, 0, data);
    return this.ack(`the programmer to write ${data.length} bytes at 0x${hex(address)}`);
  }

  /**
   * READ `length` bytes: the data, then OK. The NINA sketches cannot read: they answer "ER" and a line
   * end, and undefined is returned. (The areas etls reads never start with "ER\r\n": PEM starts with
   * "-----", the WINC store with its start pattern, erased flash with 0xFF.)
   */
  async read(address: number, length: number): Promise<Buffer | undefined> {
    await this.send(ProgrammerCommand.READ, address, length);
    const got = await this.reader.waitFor<Buffer | 'ER' | 'garbled'>(
      (b) => {
        if (b.length >= 4 && b.subarray(0, 4).toString('latin1') === 'ER\r\n')
          return { value: 'ER', consumed: 4 };
        if (b.length < length + 2) return undefined;
        const ok = b.subarray(length, length + 2).toString('latin1') === 'OK';
        return { value: ok ? Buffer.from(b.subarray(0, length)) : 'garbled', consumed: b.length };
      },
      this.timeoutFor(length + 2),
      `the programmer to read ${length} bytes at 0x${hex(address)}`,
    );
    if (got === 'ER') return undefined;
    if (got === 'garbled')
      throw new EtlsError(
        'device',
        `The programmer's answer to READ at 0x${hex(address)} did not end in OK`,
        'Check the cable and push again',
      );
    return got;
  }

  /** MD5 of `length` bytes at `address`, computed by the module: OK and 16 bytes. */
  async md5(address: number, length: number): Promise<Buffer> {
    await this.send(ProgrammerCommand.MD5, address, length);
    // The NINA sketch ends the flash session and restarts the ESP32 boot ROM before hashing.
    const sectors = Math.ceil(length / 4096);
    const a = await this.ack(`the module's MD5 of ${length} bytes`, 2000 + sectors * 100);
    if (a !== 'OK')
      throw new EtlsError(
        'verify-failed',
        `The programmer could not compute the MD5 of what was written (${describeAck(a)}); the module's roots are not verified`,
        'Reset the board and push again',
      );
    return this.reader.waitFor(
      (b) => (b.length >= 16 ? { value: Buffer.from(b.subarray(0, 16)), consumed: 16 } : undefined),
      this.timeoutFor(16),
      "the module's MD5",
    );
  }
}

export function hex(n: number): string {
  return n.toString(16).toUpperCase().padStart(5, '0');
}

function describeAck(a: string): string {
  return a === 'ER' ? 'it answered ER' : 'its answer was garbled';
}

export function md5(data: Uint8Array): Buffer {
  return createHash('md5').update(data).digest();
}
