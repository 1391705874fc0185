import { strict as assert } from 'node:assert';
import { formatBytes, TransferProgress } from '../../../src/core/push/progress';
import { shellQuote } from '../../../src/core/push/linuxShell';
import { lineRateSeconds } from '../../../src/core/push/types';

describe('push/progress: bytes and time left', () => {
  it('reports increments that add up to 100 and a time left from the measured rate', () => {
    let now = 0;
    const updates: { message?: string; increment?: number }[] = [];
    const p = new TransferProgress({ report: (u) => updates.push(u) }, { now: () => now }, 2048, 1000);
    p.advance(512, 'ca.der');
    assert.match(updates[0]!.message!, /^ca\.der: 512 B of 2\.0 KB, about 2 s left$/);
    now = 1000;
    p.advance(512, 'ca.der');
    assert.match(updates[1]!.message!, /1\.0 KB of 2\.0 KB, about 1 s left/);
    p.advance(4096, 'key');
    assert.equal(
      updates.reduce((n, u) => n + (u.increment ?? 0), 0),
      100,
    );
    assert.equal(p.bytesDone, 2048);
  });

  it('formats sizes and the line-rate limit (10 bits per byte)', () => {
    assert.equal(formatBytes(900), '900 B');
    assert.equal(formatBytes(1229), '1.2 KB');
    assert.equal(formatBytes(3 * 1024 * 1024), '3.0 MB');
    assert.equal(lineRateSeconds(11520, 115200), 1);
  });

  it('quotes remote paths for the shell', () => {
    assert.equal(shellQuote('/etc/mqtt/device key.pem'), `'/etc/mqtt/device key.pem'`);
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
  });
});
