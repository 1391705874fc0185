import { strict as assert } from 'node:assert';
import { defaultRemoteName, remoteFromProfile, suggestProtocol } from '../../../src/core/push/defaults';

describe('push/defaults: what the push dialog offers first', () => {
  it('suggests the profile protocol, then the board, then the target family', () => {
    assert.equal(
      suggestProtocol(
        { push: { protocol: 'linux-shell' } },
        { name: 'x', reason: 'r', protocol: 'simplelink-at' },
      ),
      'linux-shell',
    );
    assert.equal(
      suggestProtocol({ target: 'esp32' }, { name: 'XDS110', reason: 'r', protocol: 'simplelink-at' }),
      'simplelink-at',
    );
    assert.equal(suggestProtocol({ target: 'cc3235' }, undefined), 'simplelink-at');
    assert.equal(suggestProtocol({ target: 'linux' }, undefined), 'linux-shell');
    assert.equal(suggestProtocol(undefined, undefined), 'etls-frame');
  });

  it('names SimpleLink files under /cert as DER, others by their file name', () => {
    assert.equal(defaultRemoteName('simplelink-at', 'certs/device.pem', 'certificate'), '/cert/device.der');
    assert.equal(defaultRemoteName('simplelink-at', 'C:\\certs\\device.key', 'key'), '/cert/device.key');
    assert.equal(defaultRemoteName('linux-shell', '/x/certs/device.key', 'key'), 'device.key');
  });

  it('takes the remote name from the profile push section', () => {
    const profile = {
      push: { protocol: 'etls-frame' as const, files: [{ local: 'certs/a.pem', remote: '/flash/a.pem' }] },
    };
    assert.equal(
      remoteFromProfile(profile, '/p/certs/a.pem', (p) => `/p/${p}`),
      '/flash/a.pem',
    );
    assert.equal(
      remoteFromProfile(profile, '/p/certs/b.pem', (p) => `/p/${p}`),
      undefined,
    );
  });
});
