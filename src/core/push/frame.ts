// The etls-frame wire format (docs/etls-frame.md): magic, length, type, sequence, payload, CRC-32.
export const FRAME_MAGIC = [0xe7, 0x5a] as const;
/** magic(2) + length(2) + type(1) + seq(1) */
export const FRAME_HEADER = 6;
export const FRAME_TRAILER = 4;
export const FRAME_MAX_PAYLOAD = 1024;

export const FrameType = {
  HELLO: 0x01,
  BEGIN: 0x02,
  DATA: 0x03,
  END: 0x04,
  VERIFY: 0x05,
  COMMIT: 0x06,
  ABORT: 0x07,
  ACK: 0x81,
  NAK: 0x82,
  ERR: 0x83,
} as const;

/** Error codes a receiver sends in ERR frames; the text beside each is what the user reads. */
export const FrameError: Record<number, { name: string; meaning: string; fix?: string }> = {
  1: {
    name: 'VERSION',
    meaning: 'the receiver speaks another version of etls-frame',
    fix: 'Update the receiver firmware',
  },
  2: { name: 'NO_TRANSFER', meaning: 'the receiver has no file open (it restarted?)', fix: 'Push again' },
  3: {
    name: 'BAD_NAME',
    meaning: 'the receiver does not accept this file name',
    fix: 'Use a plain path without ".." (and a short one)',
  },
  4: { name: 'TOO_LARGE', meaning: 'the file is larger than the receiver accepts' },
  5: {
    name: 'OPEN',
    meaning: 'the receiver could not create the file',
    fix: 'Check that the folder exists and the storage is mounted',
  },
  6: {
    name: 'WRITE',
    meaning: 'the receiver could not write to storage',
    fix: 'Check free space on the board',
  },
  7: {
    name: 'SIZE',
    meaning: 'the receiver got a different number of bytes than announced',
    fix: 'Push again',
  },
  8: {
    name: 'DIGEST',
    meaning: 'the SHA-256 of the stored file differs from the local file',
    fix: 'Push again',
  },
  9: {
    name: 'COMMIT',
    meaning: 'the receiver could not put the file in place',
    fix: 'Check storage permissions and free space',
  },
  10: { name: 'OFFSET', meaning: 'the receiver got data for an unexpected offset' },
  11: { name: 'NO_SPACE', meaning: 'the board storage is full', fix: 'Delete old files on the board' },
  12: { name: 'BAD_FRAME', meaning: 'the receiver could not parse a message' },
  13: {
    name: 'LINK',
    meaning:
      'the receiver refused a symbolic link (or another non-file) in the way: at its temporary name .NAME.etls.tmp or as a folder below its root',
    fix: 'Look at that path on the board and remove what is there; the receiver never follows a link below its root',
  },
};

let table: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, reflected, as in zlib). */
export function crc32(data: Uint8Array, crc = 0): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = ~crc >>> 0;
  for (const b of data) c = table[(c ^ b) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

export interface Frame {
  type: number;
  seq: number;
  payload: Buffer;
}

export function encodeFrame(type: number, seq: number, payload: Uint8Array = new Uint8Array(0)): Buffer {
  if (payload.length > FRAME_MAX_PAYLOAD) throw new RangeError('frame payload too large');
  const f = Buffer.alloc(FRAME_HEADER + payload.length + FRAME_TRAILER);
  f[0] = FRAME_MAGIC[0];
  f[1] = FRAME_MAGIC[1];
  f.writeUInt16LE(payload.length, 2);
  f[4] = type;
  f[5] = seq & 0xff;
  f.set(payload, FRAME_HEADER);
  f.writeUInt32LE(crc32(f.subarray(2, FRAME_HEADER + payload.length)), FRAME_HEADER + payload.length);
  return f;
}

/**
 * Finds the frames in a byte stream. Anything that is not a valid frame (boot messages, noise, a frame
 * with a bad CRC) is skipped one byte at a time, so the decoder finds the next magic on its own.
 */
export class FrameDecoder {
  private buf = Buffer.alloc(0);
  /** Frames dropped for a bad CRC or length; for the transcript. */
  rejected = 0;

  push(data: Uint8Array): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, data]) : Buffer.from(data);
    const out: Frame[] = [];
    for (;;) {
      const start = this.findMagic();
      this.buf = this.buf.subarray(start);
      if (this.buf.length < FRAME_HEADER) break;
      const len = this.buf.readUInt16LE(2);
      if (len > FRAME_MAX_PAYLOAD) {
        this.skip();
        continue;
      }
      const total = FRAME_HEADER + len + FRAME_TRAILER;
      if (this.buf.length < total) break;
      const crc = this.buf.readUInt32LE(FRAME_HEADER + len);
      if (crc !== crc32(this.buf.subarray(2, FRAME_HEADER + len))) {
        this.skip();
        continue;
      }
      out.push({
        type: this.buf[4]!,
        seq: this.buf[5]!,
        payload: Buffer.from(this.buf.subarray(FRAME_HEADER, FRAME_HEADER + len)),
      });
      this.buf = this.buf.subarray(total);
    }
    return out;
  }

  /** Drops a half-received frame, e.g. after a timeout when its missing bytes will never come. */
  reset(): void {
    this.buf = Buffer.alloc(0);
  }

  private skip(): void {
    this.rejected++;
    this.buf = this.buf.subarray(1);
  }

  private findMagic(): number {
    for (let i = 0; i + 1 < this.buf.length; i++) {
      if (this.buf[i] === FRAME_MAGIC[0] && this.buf[i + 1] === FRAME_MAGIC[1]) return i;
    }
    return this.buf.length && this.buf[this.buf.length - 1] === FRAME_MAGIC[0]
      ? this.buf.length - 1
      : this.buf.length;
  }
}

/** BEGIN payload: size u32 LE, SHA-256 (32 bytes), name (UTF-8). */
export function beginPayload(size: number, sha256: Buffer, name: string): Buffer {
  const n = Buffer.from(name, 'utf8');
  const p = Buffer.alloc(4 + 32 + n.length);
  p.writeUInt32LE(size, 0);
  sha256.copy(p, 4);
  n.copy(p, 36);
  return p;
}

/** DATA payload: offset u32 LE, then the bytes. */
export function dataPayload(offset: number, bytes: Uint8Array): Buffer {
  const p = Buffer.alloc(4 + bytes.length);
  p.writeUInt32LE(offset, 0);
  p.set(bytes, 4);
  return p;
}

export interface ReceiverCaps {
  version: number;
  window: number;
  maxPayload: number;
  maxFileSize: number;
  storage: string;
}

/** The ACK payload of HELLO: version u8, window u8, maxPayload u16, maxFileSize u32, storage name. */
export function parseCaps(p: Buffer): ReceiverCaps | undefined {
  if (p.length < 8) return undefined;
  return {
    version: p[0]!,
    window: Math.max(1, p[1]!),
    maxPayload: p.readUInt16LE(2),
    maxFileSize: p.readUInt32LE(4),
    storage: p.subarray(8).toString('utf8'),
  };
}
