import { strict as assert } from 'node:assert';
import { check, only, project } from './fixtures';

describe('rules: push settings', () => {
  it('reports a control character in a push.files remote name, on its line, without printing it raw', async () => {
    const p = project({
      d: {
        target: 'linux',
        push: {
          protocol: 'linux-shell',
          files: [
            { local: 'device.pem', remote: '/root/certs/device.pem' },
            { local: 'device.pem', remote: '/root/certs/x\u0015touch /tmp/PWNED #.pem' },
          ],
        },
      },
    });
    const text = JSON.stringify(p.file, null, 2);
    const { findings } = await check([], p, { projectText: text });
    const [f, ...more] = only(findings, 'push-remote-name');
    assert.equal(more.length, 0);
    assert.equal(f?.severity, 'error');
    assert.equal(f?.profile, 'd');
    assert.match(f!.message, /0x15 \(Ctrl-U\) at position 14/);
    assert.match(f!.message, /x\\x15touch/);
    assert.doesNotMatch(f!.message, /\u0015/);
    const line = text.split('\n').findIndex((l) => l.includes('PWNED'));
    assert.equal(f?.range?.start.line, line);
  });

  it('says nothing about printable names', async () => {
    const p = project({
      d: { push: { protocol: 'etls-frame', files: [{ local: 'a.pem', remote: 'certs/ä-$(x).pem' }] } },
    });
    assert.deepEqual(only((await check([], p)).findings, 'push-remote-name'), []);
  });
});
