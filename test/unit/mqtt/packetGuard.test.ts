// PacketSizeGuard: reads MQTT fixed headers across arbitrary chunking and stops at the first oversized one.
import { strict as assert } from 'node:assert';
import { PacketSizeGuard } from '../../../src/core/mqtt/packetGuard';

/** An MQTT packet: header byte, variable-length remaining length, body. */
function packet(type: number, body: number): Buffer {
  const len: number[] = [];
  let n = body;
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    len.push(b);
  } while (n > 0);
  return Buffer.concat([Buffer.from([type, ...len]), Buffer.alloc(body, 0xaa)]);
}

describe('PacketSizeGuard', () => {
  it('lets a stream of ordinary packets through, however it is cut', () => {
    const stream = Buffer.concat([
      packet(0x20, 2),
      packet(0x90, 3),
      packet(0x30, 200),
      packet(0xd0, 0),
      packet(0x30, 20000),
    ]);
    for (const size of [1, 2, 3, 7, 64, 4096, stream.length]) {
      const g = new PacketSizeGuard(1 << 20);
      for (let i = 0; i < stream.length; i += size)
        assert.equal(g.feed(stream.subarray(i, i + size)), undefined);
    }
  });

  it('refuses a 268 MB CONNACK at its header, before any body arrives', () => {
    const g = new PacketSizeGuard(16 << 20);
    assert.equal(g.feed(Buffer.from([0x20, 0xff])), undefined);
    assert.deepEqual(g.feed(Buffer.from([0xff, 0xff, 0x7f])), { kind: 'too-large', announced: 268435455 });
    // And stays refused.
    assert.ok(g.feed(Buffer.from([0x20, 0x02, 0, 0])));
  });

  it('counts the header in the limit and finds an oversized packet after good ones', () => {
    const ok = new PacketSizeGuard(102);
    assert.equal(ok.feed(packet(0x30, 100)), undefined);
    const g = new PacketSizeGuard(102);
    assert.equal(g.feed(packet(0x20, 2)), undefined);
    assert.deepEqual(g.feed(packet(0x30, 101).subarray(0, 2)), { kind: 'too-large', announced: 101 });
  });

  it('calls a length field longer than four bytes malformed', () => {
    const g = new PacketSizeGuard(16 << 20);
    assert.deepEqual(g.feed(Buffer.from([0x20, 0x80, 0x80, 0x80, 0x80, 0x01])), { kind: 'malformed' });
  });
});
