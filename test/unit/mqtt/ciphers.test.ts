// Target emulation lists: the right counts, and names OpenSSL in this Node knows (bar the retired RC4/MD5).
import { strict as assert } from 'node:assert';
import { getCiphers } from 'node:tls';
import { cc3200Ciphers, cc3220Ciphers, tlsEmulation } from '../../../src/core/targets/ciphers';
import { targetIds } from '../../../src/core/targets/ids';

describe('target cipher lists', () => {
  it('has the CC3200 ten and the CC3220 twenty-three, without repeats', () => {
    assert.equal(new Set(cc3200Ciphers).size, 10);
    assert.equal(new Set(cc3220Ciphers).size, 23);
  });

  it('uses OpenSSL names', () => {
    const known = new Set(getCiphers());
    const unknown = cc3220Ciphers.filter((c) => !/RC4/.test(c) && !known.has(c.toLowerCase()));
    assert.deepEqual(unknown, []);
  });

  it('gives every target a TLS 1.2 floor, and TLS 1.2 ceilings to the SimpleLink parts', () => {
    for (const t of targetIds) assert.equal(tlsEmulation(t).minVersion, 'TLSv1.2');
    assert.equal(tlsEmulation('cc3200').maxVersion, 'TLSv1.2');
    assert.ok(tlsEmulation('cc3200').ciphers?.includes('AES256-SHA'));
    assert.equal(tlsEmulation('linux').ciphers, undefined);
  });
});
