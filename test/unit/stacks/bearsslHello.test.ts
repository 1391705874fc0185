// The ClientHello the BearSSL engine sends, read off its output before any broker answers: what
// an ESP8266 offers (SNI, a 512-byte max_fragment_length request, suites, curves, ALPN).
import { strict as assert } from 'node:assert';
import { BearSslEngine } from '../../support/bearsslWasm';

/** Extension type -> body of the first ClientHello the engine writes. */
function helloOf(options: Record<string, string>, servername = 'broker.example.com') {
  const e = new BearSslEngine();
  for (const [k, v] of Object.entries(options)) assert.equal(e.setOption(k, v), 0, `${k}=${v}`);
  assert.equal(
    e.withBytes(servername, (p) => e.x.etls_start(p)),
    0,
  );
  assert.equal(e.x.etls_handshake(), 1);
  const rec = e.takeOut();
  assert.equal(rec[0], 22, 'a handshake record');
  assert.equal(rec[5], 1, 'a ClientHello');
  let o = 5 + 4 + 2 + 32;
  o += 1 + rec.readUInt8(o);
  const suites: number[] = [];
  const suitesLen = rec.readUInt16BE(o);
  for (let i = 0; i < suitesLen; i += 2) suites.push(rec.readUInt16BE(o + 2 + i));
  o += 2 + suitesLen;
  o += 1 + rec.readUInt8(o);
  const end = o + 2 + rec.readUInt16BE(o);
  const ext = new Map<number, Buffer>();
  for (o += 2; o < end;) {
    const len = rec.readUInt16BE(o + 2);
    ext.set(rec.readUInt16BE(o), rec.subarray(o + 4, o + 4 + len));
    o += 4 + len;
  }
  return { suites, ext };
}

describe('BearSSL engine ClientHello', () => {
  it('offers what the ESP8266 core offers by default', () => {
    const { suites, ext } = helloOf({});
    assert.ok(ext.get(0)?.toString('latin1').endsWith('broker.example.com'), 'SNI carries the name');
    // 16384-byte input and 512-byte output buffers: BearSSL asks for 2^9-byte records (code 1).
    assert.deepEqual([...(ext.get(1) ?? [])], [1]);
    assert.equal(suites.length, 45);
    assert.equal(suites[0], 0xcca9); // ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
    // supported_groups: secp256r1, secp384r1, secp521r1, x25519 (BearSSL lists x25519 first).
    const groups = ext.get(10)!;
    const ids = Array.from({ length: groups.readUInt16BE(0) / 2 }, (_, i) => groups.readUInt16BE(2 + 2 * i));
    assert.deepEqual(
      [...ids].sort((a, b) => a - b),
      [23, 24, 25, 29],
    );
    assert.equal(ext.has(16), false, 'no ALPN unless the sketch sets one');
  });

  it('sni=off leaves the name out; alpn, curves, suites and buffer sizes change the offer', () => {
    const { suites, ext } = helloOf({
      sni: 'off',
      alpn: 'mqtt,x-amzn-mqtt-ca',
      curves: 'secp256r1',
      ciphersuites: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_RSA_WITH_AES_128_CBC_SHA',
      'max-fragment-length': '4096',
    });
    assert.equal(ext.has(0), false);
    assert.ok(ext.get(16)?.includes(Buffer.from('\x04mqtt\x0ex-amzn-mqtt-ca', 'latin1')));
    assert.deepEqual([...ext.get(10)!], [0, 2, 0, 23]);
    assert.deepEqual(
      suites.filter((s) => s !== 0xff),
      [0xc02f, 0x002f],
    );
    assert.deepEqual([...(ext.get(1) ?? [])], [4]);
  });

  it('buffers for whole 16 KB records both ways send no max_fragment_length request', () => {
    assert.equal(helloOf({ 'max-fragment-length': 'none' }).ext.has(1), false);
  });
});
