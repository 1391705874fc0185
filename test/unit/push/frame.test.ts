import { strict as assert } from 'node:assert';
import {
  crc32,
  encodeFrame,
  FrameDecoder,
  FrameType,
  beginPayload,
  parseCaps,
} from '../../../src/core/push/frame';

describe('push/frame: etls-frame codec', () => {
  it('computes the standard CRC-32 check value', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  });

  it('round-trips frames through boot noise', () => {
    const d = new FrameDecoder();
    const a = encodeFrame(FrameType.DATA, 7, Buffer.from('hello'));
    const b = encodeFrame(FrameType.END, 8);
    const frames = d.push(Buffer.concat([Buffer.from('U-Boot 2024.01\r\n\xe7'), a, b]));
    assert.deepEqual(
      frames.map((f) => [f.type, f.seq, f.payload.toString()]),
      [
        [FrameType.DATA, 7, 'hello'],
        [FrameType.END, 8, ''],
      ],
    );
  });

  it('drops a corrupted frame and finds the next one, even split across reads', () => {
    const d = new FrameDecoder();
    const bad = encodeFrame(FrameType.DATA, 1, Buffer.alloc(40, 1));
    bad[20]! ^= 0xff;
    const good = encodeFrame(FrameType.DATA, 2, Buffer.alloc(40, 2));
    const all = Buffer.concat([bad, good]);
    const got = [
      ...d.push(all.subarray(0, 30)),
      ...d.push(all.subarray(30, 61)),
      ...d.push(all.subarray(61)),
    ];
    assert.deepEqual(
      got.map((f) => f.seq),
      [2],
    );
    assert.ok(d.rejected >= 1);
  });

  it('recovers from a frame that lost a byte once more bytes arrive', () => {
    const d = new FrameDecoder();
    const short = encodeFrame(FrameType.DATA, 1, Buffer.alloc(20, 1));
    const cut = Buffer.concat([short.subarray(0, 10), short.subarray(11)]);
    const next = encodeFrame(FrameType.DATA, 2, Buffer.alloc(20, 2));
    assert.deepEqual(
      d.push(Buffer.concat([cut, next, next])).map((f) => f.seq),
      [2, 2],
      'the broken frame is skipped byte by byte, so both copies of the next one are found',
    );
  });

  it('lays out BEGIN and reads the HELLO capabilities', () => {
    const p = beginPayload(1200, Buffer.alloc(32, 0xab), '/cert/a.der');
    assert.equal(p.readUInt32LE(0), 1200);
    assert.equal(p.subarray(36).toString(), '/cert/a.der');
    const caps = Buffer.from([1, 4, 0x00, 0x04, 0, 0, 1, 0, ...Buffer.from('posix')]);
    assert.deepEqual(parseCaps(caps), {
      version: 1,
      window: 4,
      maxPayload: 1024,
      maxFileSize: 65536,
      storage: 'posix',
    });
    assert.equal(parseCaps(Buffer.alloc(3)), undefined);
  });

  it('refuses an oversized payload', () => {
    assert.throws(() => encodeFrame(FrameType.DATA, 0, Buffer.alloc(1025)), RangeError);
  });
});
