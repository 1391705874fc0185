// simplelink-at against the simulated CC32xx AT-command board on a socat pty pair, faults included.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { EtlsError } from '../../../src/core/errors';
import { SimpleLinkBoard, type SimpleLinkFaults } from '../../support/push/simplelinkBoard';
import {
  assertNoSecret,
  cancelSource,
  makeCertFixture,
  pushOver,
  transcript,
  type CertFixture,
} from '../../support/push/fixtures';

const BAUD = 921600;

describe('e2e: push over simplelink-at (simulated CC3235)', function () {
  this.timeout(60000);
  let fx: CertFixture;
  let board: SimpleLinkBoard | undefined;

  before(() => {
    fx = makeCertFixture();
  });
  after(() => fx.dispose());
  afterEach(async () => {
    await board?.dispose();
    board = undefined;
  });

  const sources = () => [
    { local: fx.certPem, remote: '/cert/device.der', data: readFileSync(fx.certPem) },
    { local: fx.keyPem, remote: '/cert/device.key', data: readFileSync(fx.keyPem) },
  ];

  async function start(faults?: SimpleLinkFaults): Promise<SimpleLinkBoard> {
    board = await SimpleLinkBoard.start(BAUD, faults);
    return board;
  }

  it('writes DER and a PKCS#1 key (as openssl makes them), verified, with a transcript free of key bytes', async () => {
    const b = await start();
    const log = transcript();
    const report = await pushOver(b.hostPath, 'simplelink-at', sources(), { baud: BAUD, logger: log });
    assert.deepEqual(b.files.get('/cert/device.der'), fx.certDer);
    assert.deepEqual(b.files.get('/cert/device.key'), fx.keyDerPkcs1);
    assert.equal(report.files.length, 2);
    assert.match(report.files[1]!.verifiedBy, /length 1\d{3} matches/);
    assert.ok(b.commands.some((c) => /^AT\+FileOpen=\/cert\/device\.key,.*create_failsafe/.test(c)));
    assert.ok(b.commands.filter((c) => c.startsWith('AT+FileWrite=')).every((c) => c.length <= 1024));
    assertNoSecret(log.text(), fx.keyDerPkcs1);
  });

  it('explains an ERROR reply and keeps the old file live (failsafe abort)', async () => {
    const b = await start({ errorReply: { command: 'FileWrite', nth: 2, code: -10289 } });
    b.files.set('/cert/device.der', Buffer.from('old certificate'));
    await assert.rejects(
      pushOver(b.hostPath, 'simplelink-at', sources(), { baud: BAUD }),
      (e: EtlsError) => e instanceof EtlsError && /signature is wrong \(-10289\)/.test(e.message) && !!e.fix,
    );
    assert.equal(b.files.get('/cert/device.der')?.toString(), 'old certificate');
    assert.ok(
      b.commands.some((c) => /^AT\+FileClose=\d+,,A$/.test(c)),
      'aborted with signature A',
    );
  });

  it('sends a line again when a byte was dropped or garbled on the way', async () => {
    // A byte lost inside the first line's base64, and one garbled (not base64 any more) in the second line.
    const b = await start({
      toBoard: {
        after: [
          { text: 'AT+FileWrite=', offset: 40, action: 'drop' },
          { text: 'AT+FileWrite=', nth: 3, offset: 60, action: 'corrupt', mask: 0x80 },
        ],
      },
    });
    const log = transcript();
    await pushOver(b.hostPath, 'simplelink-at', sources(), { baud: BAUD, logger: log });
    assert.deepEqual(b.files.get('/cert/device.key'), fx.keyDerPkcs1);
    assert.ok(log.lines.filter((l) => /trying again/.test(l)).length >= 2, log.text());
  });

  it('survives a stall longer than the reply timeout by retrying', async () => {
    const b = await start({ toHost: { stall: { at: 60, ms: 1500 } } });
    await pushOver(b.hostPath, 'simplelink-at', sources(), { baud: BAUD, timeoutMs: 700 });
    assert.deepEqual(b.files.get('/cert/device.der'), fx.certDer);
  });

  it('read-back verification catches a silently corrupted byte and writes the file again', async () => {
    // DER base64 starts "MII": 0x20 turns its first I into i, still valid base64, so only reading back sees it.
    const b = await start({
      toBoard: {
        after: [{ text: 'AT+FileWrite=363990529,0,1,684,', offset: 1, action: 'corrupt', mask: 0x20 }],
      },
    });
    const log = transcript();
    await pushOver(b.hostPath, 'simplelink-at', sources(), { baud: BAUD, verify: 'readback', logger: log });
    assert.deepEqual(b.files.get('/cert/device.der'), fx.certDer);
    assert.match(log.text(), /differ from the local file; writing the file again/);
    assertNoSecret(log.text(), fx.keyDerPkcs1);
  });

  it('fails clearly when the board disappears mid-file, leaving no half file live', async () => {
    const b = await start({ toBoard: { disconnectAt: 1400 } });
    b.files.set('/cert/device.key', Buffer.from('old key'));
    await assert.rejects(
      pushOver(b.hostPath, 'simplelink-at', sources(), { baud: BAUD, timeoutMs: 1500, retries: 1 }),
      (e: EtlsError) => e instanceof EtlsError && ['link', 'timeout'].includes(e.code),
    );
    assert.equal(b.files.get('/cert/device.key')?.toString(), 'old key');
    assert.ok(!b.files.has('/cert/device.der') || b.files.get('/cert/device.der')!.equals(fx.certDer));
  });

  it('stops on cancellation', async () => {
    const b = await start({ toHost: { stall: { at: 40, ms: 5000 } } });
    const cancel = cancelSource();
    setTimeout(() => cancel.cancel(), 300);
    await assert.rejects(
      pushOver(b.hostPath, 'simplelink-at', sources(), { baud: BAUD, cancel }),
      (e: EtlsError) => e instanceof EtlsError && e.code === 'cancelled',
    );
    // Even when stopped, the open failsafe file is closed with the abort signature: the old file stays live.
    assert.ok(
      b.commands.some((c) => /^AT\+FileClose=\d+,,A$/.test(c)),
      b.commands.join('\n'),
    );
  });
});
