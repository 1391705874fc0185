// The FirmwareUploader programmer protocol over a plain-object link: framing and how answers are read.
import { strict as assert } from 'node:assert';
import { EtlsError } from '../../../src/core/errors';
import { LinkReader } from '../../../src/core/push/link';
import { encodeRequest, Programmer } from '../../../src/core/push/programmer';
import { neverCancelled, silentLogger, systemClock, type ByteLinkPort } from '../../../src/core/ports';
import type { PushContext } from '../../../src/core/push/types';

/** A link whose board answers each request with `answer(request)`. */
function board(answer: (req: Buffer) => Buffer | string | undefined): { link: ByteLinkPort; sent: Buffer[] } {
  const listeners: ((d: Uint8Array) => void)[] = [];
  const sent: Buffer[] = [];
  const link: ByteLinkPort = {
    write: async (d) => {
      sent.push(Buffer.from(d));
      const a = answer(Buffer.from(d));
      if (a !== undefined) setImmediate(() => listeners.forEach((l) => l(Buffer.from(a as Buffer))));
    },
    onData: (l) => {
      listeners.push(l);
      return { dispose: () => {} };
    },
    onClose: () => ({ dispose: () => {} }),
    close: async () => {},
  };
  return { link, sent };
}

function programmer(link: ByteLinkPort, module: 'wifinina' | 'wifi101' = 'wifinina'): Programmer {
  const ctx: PushContext = {
    link,
    baud: 115200,
    logger: silentLogger,
    progress: { report: () => {} },
    cancel: neverCancelled,
    clock: systemClock,
    timeoutMs: 200,
    retries: 1,
  };
  return new Programmer(new LinkReader(link, neverCancelled), ctx, module);
}

describe('push/programmer: the FirmwareUploader sketch protocol', () => {
  it('frames a request as cmd, address BE, value BE, length BE, payload', () => {
    assert.equal(encodeRequest(0x99, 0x11223344, 0x55667788).toString('hex'), '9911223344556677880000');
    assert.equal(
      encodeRequest(0x02, 0x10000, 0, Buffer.from('ab')).toString('hex'),
      '0200010000000000000002' + '6162',
    );
  });

  it('an OK is two bytes: an MD5 that starts with CR or LF is read whole', async () => {
    const digest = Buffer.from('0d0a' + '11'.repeat(14), 'hex');
    const p = programmer(
      board((req) => (req[0] === 0x04 ? Buffer.concat([Buffer.from('OK'), digest]) : undefined)).link,
    );
    assert.deepEqual(await p.md5(0x10000, 1024), digest);
  });

  it("READ: data then OK; the NINA sketch's ER line means it cannot read", async () => {
    const data = Buffer.from('-----BEGIN');
    const reads = programmer(board(() => Buffer.concat([data, Buffer.from('OK')])).link);
    assert.deepEqual(await reads.read(0x10000, data.length), data);
    const nina = programmer(board(() => 'ER\r\n').link);
    assert.equal(await nina.read(0x10000, 1024), undefined);
  });

  it('HELLO without an answer says to upload the FirmwareUpdater sketch, and how', async () => {
    const { link, sent } = board(() => undefined);
    await assert.rejects(
      programmer(link, 'wifi101').hello(),
      (e: EtlsError) =>
        /did not answer HELLO/.test(e.message) &&
        /WiFi101 > FirmwareUpdater/.test(e.fix ?? '') &&
        /arduino-cli/.test(e.fix ?? ''),
    );
    assert.equal(sent.length, 2, 'HELLO once more per retry');
  });
});
