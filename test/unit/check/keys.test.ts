import { strict as assert } from 'node:assert';
import { cert, check, codes, deviceSet, file, key, only, project, pubKey } from './fixtures';

const profile = { dev: { ca: 'ca.pem', cert: 'device.pem', key: 'device.key' } };

describe('rules: keys', () => {
  it('reports a key that does not belong to the certificate, on the key, naming both', async () => {
    const files = [...deviceSet().slice(0, 2), file('device.key', [key({ keyId: 'someone-else' })])];
    const { findings, model } = await check(files, project(profile));
    const [f] = only(findings, 'key-mismatch');
    assert.equal(f?.severity, 'error');
    assert.equal(f?.file, '/ws/device.key');
    assert.deepEqual(f?.objectIds, ['/ws/device.key#0', model.byFile.get('/ws/device.pem')![0]!.id]);
  });

  it('accepts the matching key, and cannot judge an encrypted key without its public key', async () => {
    assert.deepEqual(codes((await check(deviceSet(), project(profile))).findings), []);
    const locked = key({ encrypted: true });
    delete locked.publicKey;
    const files = [...deviceSet().slice(0, 2), file('device.key', [locked])];
    assert.deepEqual(only((await check(files, project(profile))).findings, 'key-mismatch'), []);
  });

  it('warns about RSA below 2048 bits on certificates and keys', async () => {
    const { findings } = await check([
      file('small.pem', [cert({ cn: 'small', publicKey: pubKey('k', 'RSA', 1024) })]),
      file('small.key', [key({ publicKey: pubKey('k2', 'RSA', 1024) })]),
      file('ec.key', [key({ algorithm: 'EC', format: 'SEC1', publicKey: pubKey('k3', 'EC', 256, 'P-256') })]),
    ]);
    assert.deepEqual(codes(findings), ['rsa-too-small', 'rsa-too-small']);
    assert.match(findings[0]!.message, /RSA-1024/);
  });

  it('warns about SHA-1 signatures except on self-signed roots', async () => {
    const { findings } = await check([
      file('root.pem', [cert({ cn: 'root', isCA: true, signatureAlgorithm: 'sha1WithRSAEncryption' })]),
      file('leaf.pem', [cert({ cn: 'leaf', issuerCn: 'root', signatureAlgorithm: 'sha1WithRSAEncryption' })]),
    ]);
    assert.deepEqual(codes(findings), ['weak-signature']);
    assert.equal(findings[0]!.file, '/ws/leaf.pem');
  });
});
