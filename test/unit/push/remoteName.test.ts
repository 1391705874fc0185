import { strict as assert } from 'node:assert';
import { EtlsError } from '../../../src/core/errors';
import {
  executePush,
  planPush,
  printableName,
  pushProtocols,
  remoteNameProblem,
} from '../../../src/core/push';
import { neverCancelled, systemClock, type ByteLinkPort } from '../../../src/core/ports';

const cert = Buffer.from('not a certificate, just bytes');

describe('push/remoteName: control characters in names on the board', () => {
  for (const [name, what] of [
    ['/root/certs/x\x15touch /tmp/PWNED #.pem', /0x15 \(Ctrl-U\) at position 14/],
    ['a\x00b', /0x00 \(NUL\)/],
    ['a\tb', /0x09 \(tab\)/],
    ['a\rrm -rf /', /0x0D \(carriage return\)/],
    ['a\x1b[2Jb', /0x1B \(escape\)/],
    ['a\x7fb', /0x7F \(delete\)/],
    ['a\u0085b', /U\+0085 \(a C1 control character\)/],
    ['a\u009bb', /U\+009B/],
    ['caf\ufffd.pem', /U\+FFFD \(the mark of bytes that are not UTF-8\)/],
    ['a\ud800b', /surrogate/],
    ['a\udc00b', /surrogate/],
  ] as const) {
    for (const protocol of pushProtocols) {
      it(`${protocol}: refuses ${JSON.stringify(name)} naming the character`, () => {
        assert.throws(
          () => planPush(protocol, [{ local: 'device.pem', remote: name, data: cert }]),
          (e: EtlsError) =>
            e instanceof EtlsError &&
            e.code === 'invalid-argument' &&
            what.test(e.message) &&
            /nothing was sent/.test(e.message) &&
            !/[\x00-\x1f\x7f-\x9f]/.test(e.message) &&
            /printable/.test(e.fix ?? ''),
        );
      });
    }
  }

  it('accepts printable names, UTF-8 ones and paired surrogates', () => {
    for (const name of ['/cert/device.der', 'dir/ä ö ü.pem', '/etc/🔐/key.pem', "it's $(fine).pem", '-x'])
      assert.equal(remoteNameProblem(name), undefined, name);
  });

  it('shows a bad name with its control characters escaped', () => {
    assert.equal(printableName('x\x15y\u0085z'), 'x\\x15y\\u0085z');
  });

  it('executePush refuses a hand-made plan before writing a byte to the link', async () => {
    const written: Uint8Array[] = [];
    const link: ByteLinkPort = {
      write: async (d) => void written.push(d),
      onData: () => ({ dispose: () => {} }),
      onClose: () => ({ dispose: () => {} }),
      close: async () => {},
    };
    const plan = planPush('linux-shell', [{ local: 'a', remote: '/x/a.pem', data: cert }]);
    plan.files[0]!.remote = '/x/a\x15touch /tmp/PWNED #.pem';
    await assert.rejects(
      executePush(plan, {
        link,
        baud: 115200,
        logger: { info: () => {}, warn: () => {}, debug: () => {} },
        progress: { report: () => {} },
        cancel: neverCancelled,
        clock: systemClock,
      }),
      /0x15 \(Ctrl-U\)/,
    );
    assert.equal(written.length, 0);
  });
});
