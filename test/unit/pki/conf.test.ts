import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokerRunUser, canUserEnter, canUserRead, type UnixUser } from '../../../src/core/broker/privileges';
import { installHint } from '../../../src/core/broker/mosquitto';
import { baseOf, isPkcs12, planConversion } from '../../../src/core/pki/convertFiles';
import { buildCertificate } from '../../../src/core/pki/certBuilder';
import { generateKey } from '../../../src/core/pki/keys';
import { mosquittoConf, rewriteConf } from '../../../src/core/pki/mosquittoConf';
import { toPem } from '../../../src/core/x509';

describe('mosquitto.conf and the local broker', () => {
  it('rewrites the listener port and bind address, makes paths absolute and maps staged copies', () => {
    const conf = mosquittoConf({ cafile: 'ca.pem', certfile: '/x/broker.pem', keyfile: '/x/broker.key' });
    const out = rewriteConf(conf + 'log_dest file /var/log/m.log\n', {
      confDir: '/x',
      port: 18883,
      bindAddress: '127.0.0.1',
      pathMap: new Map([['/x/broker.key', '/tmp/run/tls/2-broker.key']]),
    });
    assert.match(out, /^listener 18883 127\.0\.0\.1$/m);
    assert.doesNotMatch(out, /^listener 8883/m);
    assert.match(out, /^cafile \/x\/ca\.pem$/m);
    assert.match(out, /^keyfile \/tmp\/run\/tls\/2-broker\.key$/m);
    assert.match(out, /^# log_dest file/m);
    assert.match(out, /^log_dest stderr$/m);
    assert.match(out, /^require_certificate true$/m);
  });

  it('adds a listener when the configuration has none', () => {
    assert.match(rewriteConf('cafile /c\n', { confDir: '/', port: 1234 }), /^listener 1234$/m);
  });

  it('knows who the broker runs as: nobody else unless started as root, never for "user root"', async () => {
    assert.equal(await brokerRunUser(1000, undefined), undefined);
    assert.equal(await brokerRunUser(0, 'root'), undefined);
    const who = await brokerRunUser(0, undefined);
    if (who) assert.ok(['mosquitto', 'nobody'].includes(who.name));
  });

  it('reads permission bits along the path as another user would', () => {
    const dir = mkdtempSync(join(tmpdir(), 'etls-perm-'));
    try {
      const sub = join(dir, 'sub');
      mkdirSync(sub);
      const key = join(sub, 'k.key');
      writeFileSync(key, 'x');
      chmodSync(dir, 0o755);
      chmodSync(sub, 0o755);
      const stranger: UnixUser = { name: 'stranger', uid: 54321, gid: 54321, groups: [] };
      chmodSync(key, 0o600);
      return (async () => {
        assert.equal(await canUserRead(key, stranger), false);
        chmodSync(key, 0o644);
        assert.equal(await canUserRead(key, stranger), true);
        chmodSync(sub, 0o700);
        assert.equal(await canUserRead(key, stranger), false, 'a folder it cannot enter');
        assert.equal(await canUserRead(join(sub, 'missing'), stranger), false);
        assert.equal(await canUserEnter(sub, stranger), false);
        chmodSync(sub, 0o711);
        assert.equal(await canUserEnter(sub, stranger), true, 'x without r is enough to pass through');
      })().finally(() => rmSync(dir, { recursive: true, force: true }));
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  });

  it('gives the install command for each platform', () => {
    assert.match(installHint('linux'), /sudo apt-get install mosquitto/);
    assert.match(installHint('darwin'), /brew install mosquitto/);
    assert.match(installHint('win32'), /winget install/);
  });
});

describe('conversion file naming', () => {
  it('strips known extensions, double ones first', () => {
    assert.equal(baseOf('/a/dev.key.der'), '/a/dev');
    assert.equal(baseOf('/a/dev.pem'), '/a/dev');
    assert.equal(baseOf('/a/req.csr.der'), '/a/req');
    assert.equal(baseOf('/a/x.bin'), '/a/x');
  });

  it('recognises PKCS#12 by name or by its version-3 header', () => {
    assert.equal(isPkcs12(new Uint8Array([1]), 'a.pfx'), true);
    assert.equal(isPkcs12(new Uint8Array([0x30, 0x82, 0x01, 0x00, 0x02, 0x01, 0x03, 0x30]), 'a.bin'), true);
    assert.equal(isPkcs12(new Uint8Array([0x30, 0x82, 0x01, 0x00, 0x30, 0x82]), 'a.der'), false);
  });

  it('keeps a PEM chain in one file and names key outputs .key/.key.der', async () => {
    const k = await generateKey('p256');
    const now = Date.now();
    const der = buildCertificate({
      profile: 'root-ca',
      subject: { commonName: 'x' },
      publicKey: k.publicKey,
      selfSigningKey: k.privateKey,
      notBefore: new Date(now),
      notAfter: new Date(now + 1e9),
    });
    const chain = new TextEncoder().encode(toPem('CERTIFICATE', der) + toPem('CERTIFICATE', der));
    const pem = planConversion('/w/chain.crt', chain, { to: 'pem' });
    assert.equal(pem.length, 1);
    assert.equal(pem[0]!.path, '/w/chain.pem');
    const ders = planConversion('/w/chain.crt', chain, { to: 'der' });
    assert.deepEqual(
      ders.map((f) => f.path),
      ['/w/chain-1.der', '/w/chain-2.der'],
    );
    const keyPem = new TextEncoder().encode(k.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const keyOut = planConversion('/w/dev.key', keyPem, { to: 'der', keyFormat: 'sec1' });
    assert.equal(keyOut[0]!.path, '/w/dev.key.der');
    assert.equal(keyOut[0]!.secret, true);
    assert.equal(
      planConversion('/w/dev.key', keyPem, { to: 'pem', keyFormat: 'sec1' })[0]!.path,
      '/w/dev.sec1.key',
    );
  });
});
