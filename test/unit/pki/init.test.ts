import assert from 'node:assert/strict';
import { EtlsError } from '../../../src/core/errors';
import { ignoreSecrets, KEY_MODE, refuseToOverwrite } from '../../../src/core/pki/files';
import { createDevelopmentPki, initPaths, type PkiInitOptions } from '../../../src/core/pki/init';
import { findProjectCa, linkPkiToProject, plannedPkiLink } from '../../../src/core/pki/project';
import { loadProject } from '../../../src/core/project/load';
import { defaultKeyContainer, defaultKeyType, keyTypeWarnings } from '../../../src/core/pki/targetDefaults';
import { memoryFs } from './memoryFs';

const base: PkiInitOptions = {
  outDir: '/p/certs',
  brokerHosts: ['broker.local'],
  devices: ['d1', 'd2'],
  keyType: 'p256',
  keyContainer: 'traditional',
  days: 10,
};

describe('pki init (in memory)', () => {
  it('writes every planned file, keys with 0600, and lists the keys in .gitignore', async () => {
    const fs = memoryFs();
    const r = await createDevelopmentPki(fs, base);
    for (const p of initPaths(base)) assert.ok(fs.files.has(p), `${p} not written`);
    for (const [p, f] of fs.files) if (/\.key(\.der)?$/.test(p)) assert.equal(f.mode, KEY_MODE, p);
    assert.deepEqual(r.ignored, [
      'ca.key',
      'broker.key',
      'broker.key.der',
      'd1.key',
      'd1.key.der',
      'd2.key',
      'd2.key.der',
    ]);
    assert.match(fs.text('/p/certs/d1.key'), /^-----BEGIN EC PRIVATE KEY-----/);
    assert.match(fs.text('/p/certs/mosquitto.conf'), /^cafile \/p\/certs\/ca\.pem$/m);
  });

  it('refuses before generating anything when one file exists, and --force replaces', async () => {
    const fs = memoryFs();
    await fs.writeFileAtomic('/p/certs/d2.pem', 'mine');
    await assert.rejects(
      createDevelopmentPki(fs, base),
      (e: unknown) => e instanceof EtlsError && e.code === 'exists' && /d2\.pem/.test(e.message),
    );
    assert.equal(fs.files.size, 1);
    await createDevelopmentPki(fs, { ...base, force: true });
    assert.match(fs.text('/p/certs/d2.pem'), /BEGIN CERTIFICATE/);
  });

  it('rejects duplicate, reserved and unsafe device ids', async () => {
    const fs = memoryFs();
    for (const devices of [['a', 'A'], ['ca'], ['../x'], []])
      await assert.rejects(createDevelopmentPki(fs, { ...base, devices }), EtlsError);
    await assert.rejects(createDevelopmentPki(fs, { ...base, days: 0 }), /--days 0/);
  });

  it('refuseToOverwrite names the files and takes a custom fix', async () => {
    const fs = memoryFs();
    await fs.writeFileAtomic('/a/x.der', 'x');
    await refuseToOverwrite(fs, ['/a/x.der'], true);
    await assert.rejects(
      refuseToOverwrite(fs, ['/a/x.der', '/a/y.der'], false, 'Use -o.'),
      (e: unknown) => e instanceof EtlsError && /x\.der/.test(e.message) && e.fix === 'Use -o.',
    );
  });

  it('writes .gitignore (keys and *.etls-tmp) before any key', async () => {
    const fs = memoryFs();
    const order: string[] = [];
    const write = fs.writeFileAtomic.bind(fs);
    fs.writeFileAtomic = async (path, data, options) => {
      order.push(path);
      return write(path, data, options);
    };
    await createDevelopmentPki(fs, base);
    const firstKey = order.findIndex((p) => /\.key(\.der)?$/.test(p));
    const ignore = order.indexOf('/p/certs/.gitignore');
    assert.ok(ignore >= 0 && ignore < firstKey, order.join(', '));
    assert.match(fs.text('/p/certs/.gitignore'), /^\*\.etls-tmp$/m);
  });

  it('.gitignore keeps existing lines and adds only missing key names', async () => {
    const fs = memoryFs();
    await fs.writeFileAtomic('/d/.gitignore', 'build/\na.key');
    const added = await ignoreSecrets(fs, '/d', [
      { path: '/d/a.key', data: '', secret: true, role: '' },
      { path: '/d/b.key', data: '', secret: true, role: '' },
      { path: '/d/b.pem', data: '', secret: false, role: '' },
    ]);
    assert.deepEqual(added, ['b.key']);
    // The temporary files' pattern too: a run killed half way leaves a whole key in one.
    assert.equal(fs.text('/d/.gitignore'), 'build/\na.key\nb.key\n*.etls-tmp\n');
    assert.deepEqual(
      await ignoreSecrets(fs, '/d', [{ path: '/d/b.key', data: '', secret: true, role: '' }]),
      [],
    );
  });

  it('links the PKI into the project file without replacing values already set', async () => {
    const fs = memoryFs();
    await fs.writeFileAtomic(
      '/p/embedded-tls.json',
      JSON.stringify({ profiles: { esp: { target: 'esp32', cert: 'prod/cert.pem' } } }),
    );
    const changes = await linkPkiToProject(fs, '/p/embedded-tls.json', {
      outDir: '/p/certs',
      device: 'd1',
      brokerHost: 'broker.local',
    });
    const project = JSON.parse(fs.text('/p/embedded-tls.json'));
    assert.equal(project.pki.dir, 'certs');
    assert.equal(project.profiles.esp.cert, 'prod/cert.pem');
    assert.equal(project.profiles.esp.key, 'certs/d1.key');
    assert.equal(project.profiles.esp.ca, 'certs/ca.pem');
    assert.deepEqual(project.profiles.esp.broker, {
      host: 'broker.local',
      port: 8883,
      cloud: 'mosquitto',
      clientId: 'd1',
    });
    assert.equal(changes.length, 4);
    assert.deepEqual(
      await linkPkiToProject(fs, '/p/embedded-tls.json', {
        outDir: '/p/certs',
        device: 'd1',
        brokerHost: 'broker.local',
      }),
      [],
    );
  });

  it('after a new PKI the profile can be pointed at it, asked first: planned changes, then replaced', async () => {
    const fs = memoryFs();
    const old = {
      pki: { dir: 'old' },
      profiles: {
        esp: {
          broker: { host: 'localhost', port: 8883 },
          ca: 'old/ca.pem',
          cert: 'old/device.pem',
          key: 'old/device.key',
        },
      },
    };
    await fs.writeFileAtomic('/p/embedded-tls.json', JSON.stringify(old));
    const link = {
      outDir: '/p/pki',
      device: 'd1',
      brokerHost: 'broker.local',
      brokerNames: ['broker.local', 'localhost', '127.0.0.1'],
      replace: true,
    };
    const planned = await plannedPkiLink(fs, '/p/embedded-tls.json', link);
    assert.deepEqual(planned, [
      'pki.dir = pki',
      'profiles.esp.ca = pki/ca.pem',
      'profiles.esp.cert = pki/d1.pem',
      'profiles.esp.key = pki/d1.key',
    ]);
    // Planning writes nothing.
    assert.deepEqual(JSON.parse(fs.text('/p/embedded-tls.json')), old);
    assert.deepEqual(await linkPkiToProject(fs, '/p/embedded-tls.json', link), planned);
    const project = JSON.parse(fs.text('/p/embedded-tls.json'));
    assert.equal(project.profiles.esp.ca, 'pki/ca.pem');
    assert.equal(project.profiles.esp.cert, 'pki/d1.pem');
    // The host the profile dials is one of the new broker's names: kept.
    assert.equal(project.profiles.esp.broker.host, 'localhost');
    // A host the new broker certificate does not name is replaced.
    await linkPkiToProject(fs, '/p/embedded-tls.json', { ...link, brokerNames: ['broker.local'] });
    assert.equal(JSON.parse(fs.text('/p/embedded-tls.json')).profiles.esp.broker.host, 'broker.local');
  });

  it("finds a project's CA with its key: the PKI folder, else the folder of a profile's CA file", async () => {
    const fs = memoryFs();
    await fs.writeFileAtomic(
      '/p/embedded-tls.json',
      JSON.stringify({ profiles: { esp: { ca: 'certs/ca.pem' } } }),
    );
    assert.equal(await findProjectCa(fs, await loadProject(fs, '/p/embedded-tls.json')), undefined);
    await fs.writeFileAtomic('/p/certs/ca.pem', 'x');
    // A CA certificate without its key cannot issue.
    assert.equal(await findProjectCa(fs, await loadProject(fs, '/p/embedded-tls.json')), undefined);
    await fs.writeFileAtomic('/p/certs/ca.key', 'x');
    assert.equal(await findProjectCa(fs, await loadProject(fs, '/p/embedded-tls.json')), '/p/certs');
  });

  it('defaults follow the target: RSA 2048 and PKCS#1 for TI and WINC1500, P-256 otherwise', () => {
    for (const t of ['cc3200', 'cc3220', 'cc3235', 'cc3100', 'winc1500'] as const)
      assert.equal(defaultKeyType(t), 'rsa2048');
    for (const t of ['esp32', 'esp8266', 'wifinina', 'linux', undefined] as const)
      assert.equal(defaultKeyType(t), 'p256');
    assert.equal(defaultKeyContainer('cc3220'), 'traditional');
    assert.equal(defaultKeyContainer('linux'), 'pkcs8');
    assert.equal(defaultKeyContainer(undefined), 'pkcs8');
    assert.match(keyTypeWarnings('p256', 'cc3200').join(), /cannot use ECDSA/);
    assert.match(keyTypeWarnings('rsa4096', 'cc3235').join(), /up to 2048 bits/);
    assert.deepEqual(keyTypeWarnings('p256', 'esp32'), []);
  });
});
