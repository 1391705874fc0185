import { strict as assert } from 'node:assert';
import { EtlsError } from '../../../src/core/errors';
import { pushBudgetMs, pushDeadline } from '../../../src/core/push/deadline';
import { neverCancelled } from '../../../src/core/ports';
import type { PushPlan } from '../../../src/core/push/types';
import { cancelSource } from '../../support/push/fixtures';

const plan = (protocol: PushPlan['protocol'], totalBytes: number): PushPlan => ({
  protocol,
  totalBytes,
  files: [{ local: 'a', remote: 'a', kind: 'other', data: new Uint8Array(), sha256: '', conversion: '' }],
});

describe('push/deadline: one limit for the whole push', () => {
  it('allows every retry its reply timeout plus twice the wire time', () => {
    // 4 × 5000 ms, plus 2 × (1000 × 1.5 + 512) bytes × 10 bits at 9600 baud
    assert.equal(
      pushBudgetMs(plan('linux-shell', 1000), { baud: 9600 }),
      20000 + Math.ceil((2 * 2012 * 10 * 1000) / 9600),
    );
    assert.equal(
      pushBudgetMs(plan('etls-frame', 0), { baud: 115200, timeoutMs: 1000, retries: 0 }),
      1000 + 89,
    );
    const once = pushBudgetMs(plan('simplelink-at', 10000), { baud: 115200, timeoutMs: 0 });
    const readBack = pushBudgetMs(plan('simplelink-at', 10000), {
      baud: 115200,
      timeoutMs: 0,
      verify: 'readback',
    });
    assert.ok(readBack > 1.8 * once);
  });

  it('module roots: the whole store moved two or three times (merge) at the line rate, erase time included', () => {
    const nina = pushBudgetMs(plan('wifinina-roots', 3000), { baud: 115200, timeoutMs: 1000, retries: 0 });
    // 1 s of replies, 2 × (2 × 10096 bytes × 10 bits) at 115200 baud, erase 300 ms per 4 KB sector, 2 s
    assert.equal(
      nina,
      Math.ceil(1000 + 2 * ((2 * 10096 * 10) / 115200) * 1000 + (10096 / 4096 + 1) * 300 + 2000),
    );
    const merged = pushBudgetMs(plan('wifinina-roots', 3000), {
      baud: 115200,
      timeoutMs: 1000,
      retries: 0,
      merge: true,
    });
    assert.ok(merged > nina);
    // never more than the whole 4 KB WINC store
    assert.ok(pushBudgetMs(plan('wifi101-roots', 1e6), { baud: 115200 }) < 30000);
  });

  it('fires when the time is up and says it was the time', async () => {
    const d = pushDeadline(neverCancelled, 30);
    let fired = 0;
    d.onCancellationRequested(() => fired++);
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(fired, 1);
    assert.ok(d.isCancellationRequested && d.expired);
    const e = d.timeoutError();
    assert.ok(e instanceof EtlsError && e.code === 'timeout' && /whole push/.test(e.message));
    d.dispose();
  });

  it("passes the user's cancellation on, which is not a timeout", () => {
    const user = cancelSource();
    const d = pushDeadline(user, 10000);
    let fired = 0;
    d.onCancellationRequested(() => fired++);
    user.cancel();
    assert.equal(fired, 1);
    assert.ok(d.isCancellationRequested && !d.expired);
    d.dispose();
  });
});
