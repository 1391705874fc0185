import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readObjects } from '../../../src/core/x509';
import { fixture } from './helpers';

describe('bad input gets a sentence, not an exception', () => {
  it('refuses a 50 MB file without reading it as text', () => {
    const r = readObjects(new Uint8Array(50 * 1024 * 1024), { fileName: 'huge.pem' });
    assert.equal(r.problems[0]?.code, 'too-large');
    assert.match(r.problems[0]!.message, /the file is 50\.0 MB/);
  });

  it('says an empty file is empty', () => {
    assert.equal(readObjects(new Uint8Array(0)).problems[0]?.message, 'the file is empty');
  });

  it('names the first bytes of a binary that is not DER', () => {
    const r = readObjects(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]), { fileName: 'firmware.bin' });
    assert.equal(r.problems[0]?.code, 'unrecognized');
    assert.match(r.problems[0]!.message, /starts with bytes 7f 45 4c 46 \(DER starts with 30\)/);
  });

  it('says text without BEGIN lines has no certificate', () => {
    assert.match(
      readObjects(new TextEncoder().encode('hello'), { fileName: 'a.pem' }).problems[0]!.message,
      /no -----BEGIN line/,
    );
  });

  it('reports a truncated DER certificate with byte counts', () => {
    const der = fixture('device-01.der');
    const r = readObjects(der.subarray(0, 200), { fileName: 'device.der' });
    assert.equal(r.problems[0]?.message, `DER certificate truncated: 200 of ${der.length} bytes`);
  });

  it('reports a truncated DER key as a truncated private key', () => {
    const der = fixture('rsa-pkcs1.der');
    assert.match(
      readObjects(der.subarray(0, 500)).problems[0]!.message,
      /^DER private key truncated: 500 of \d+ bytes$/,
    );
  });

  it('reports random bytes after a 0x30 as damaged DER', () => {
    const bytes = new Uint8Array([0x30, ...randomBytes(64)]);
    const r = readObjects(bytes);
    assert.equal(r.objects.length, 0);
    assert.ok(['truncated', 'malformed'].includes(r.problems[0]!.code));
  });
});
