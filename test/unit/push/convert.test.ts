import { strict as assert } from 'node:assert';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { EtlsError } from '../../../src/core/errors';
import { classify, planPush } from '../../../src/core/push/convert';
import { makeCertFixture, type CertFixture } from '../../support/push/fixtures';

const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pkcs8Pem = rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
const pkcs1Der = rsa.privateKey.export({ format: 'der', type: 'pkcs1' });

describe('push/convert: planPush', () => {
  let fx: CertFixture;
  before(() => {
    fx = makeCertFixture();
  });
  after(() => fx.dispose());

  it('turns a PEM PKCS#8 RSA key into DER PKCS#1 for SimpleLink', () => {
    const plan = planPush('simplelink-at', [
      { local: 'k.pem', remote: '/cert/k', data: Buffer.from(pkcs8Pem) },
    ]);
    const f = plan.files[0]!;
    assert.equal(f.kind, 'key');
    assert.deepEqual(Buffer.from(f.data), pkcs1Der);
    assert.match(f.conversion, /PKCS#1/);
    assert.equal(f.sha256.length, 64);
  });

  it('turns an EC key into DER SEC1 and keeps DER PKCS#1 as it is', () => {
    const ecPem = ec.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    const f = planPush('simplelink-at', [{ local: 'e', remote: 'e', data: Buffer.from(ecPem) }]).files[0]!;
    assert.doesNotThrow(() => createPrivateKey({ key: Buffer.from(f.data), format: 'der', type: 'sec1' }));
    const same = planPush('simplelink-at', [{ local: 'k', remote: 'k', data: pkcs1Der }]).files[0]!;
    assert.equal(same.conversion, '');
    assert.deepEqual(Buffer.from(same.data), pkcs1Der);
  });

  it('turns a PEM certificate into DER for SimpleLink, but sends files unchanged for the other protocols', () => {
    const certPem = readFileSync(fx.certPem, 'utf8');
    const der = fx.certDer;
    const sl = planPush('simplelink-at', [{ local: 'c', remote: 'c', data: Buffer.from(certPem) }]).files[0]!;
    assert.deepEqual(Buffer.from(sl.data), der);
    assert.equal(classify(der), 'certificate');
    const sh = planPush('linux-shell', [{ local: 'c', remote: 'c', data: Buffer.from(certPem) }]).files[0]!;
    assert.equal(Buffer.from(sh.data).toString(), certPem);
    assert.equal(sh.kind, 'certificate');
  });

  it('refuses an encrypted key with the openssl command to decrypt it', () => {
    const enc = rsa.privateKey.export({
      format: 'pem',
      type: 'pkcs8',
      cipher: 'aes-128-cbc',
      passphrase: 'pw',
    }) as string;
    assert.throws(
      () => planPush('simplelink-at', [{ local: 'k.pem', remote: 'k', data: Buffer.from(enc) }]),
      (e: EtlsError) => e.code === 'encrypted' && /openssl pkey/.test(e.fix ?? ''),
    );
  });

  it('refuses empty files and empty plans', () => {
    assert.throws(
      () => planPush('etls-frame', []),
      (e: EtlsError) => e.code === 'invalid-argument',
    );
    assert.throws(
      () => planPush('etls-frame', [{ local: 'a', remote: 'b', data: new Uint8Array() }]),
      (e: EtlsError) => e.code === 'empty',
    );
  });
});
