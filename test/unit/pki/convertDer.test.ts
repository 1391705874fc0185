import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { convertObjects } from '../../../src/core/pki/convert';
import { EtlsError } from '../../../src/core/errors';
import { fixture, fixtureText } from '../x509/helpers';

const pemOf = (file: string) =>
  new TextDecoder().decode(convertObjects(fixture(file), { to: 'pem' })[0]!.data);
const refused = (bytes: Uint8Array, code: string, message: RegExp) =>
  assert.throws(
    () => convertObjects(bytes, { to: 'pem' }),
    (e: unknown) => e instanceof EtlsError && e.code === code && message.test(e.message),
  );

describe('etls convert: DER input, told apart by structure', () => {
  it('turns each DER kind into the PEM block of the same kind', () => {
    assert.match(pemOf('device-01.der'), /^-----BEGIN CERTIFICATE-----/);
    assert.match(pemOf('rsa-pkcs1.der'), /^-----BEGIN RSA PRIVATE KEY-----/);
    assert.match(pemOf('rsa-pkcs8.der'), /^-----BEGIN PRIVATE KEY-----/);
  });

  it('keeps the key: the PKCS#1 and PKCS#8 DER fixtures give the public key of their PEM twins', () => {
    for (const [der, pem] of [
      ['rsa-pkcs1.der', 'rsa-pkcs1.key'],
      ['rsa-pkcs8.der', 'rsa-pkcs8.key'],
    ] as const) {
      const converted = createPublicKey(createPrivateKey(pemOf(der))).export({ type: 'spki', format: 'der' });
      const original = createPublicKey(createPrivateKey(fixtureText(pem))).export({
        type: 'spki',
        format: 'der',
      });
      assert.deepEqual(converted, original, der);
    }
  });

  it('converts a DER public key, SPKI and PKCS#1 alike', () => {
    const key = createPublicKey(fixtureText('rsa.pub'));
    for (const type of ['spki', 'pkcs1'] as const) {
      const der = key.export({ type, format: 'der' });
      const [out] = convertObjects(new Uint8Array(der), { to: 'pem' });
      assert.equal(out!.kind, 'publicKey');
      assert.equal(new TextDecoder().decode(out!.data), key.export({ type, format: 'pem' }));
    }
  });

  it('names a PKCS#12 bundle and a damaged certificate, and refuses what is not DER at all', () => {
    refused(fixture('device-01.p12'), 'unsupported', /PKCS#12 bundle/);
    const cert = new Uint8Array(fixture('device-01.der'));
    const damaged = cert.slice();
    damaged[damaged.length - 40] = damaged[damaged.length - 40]! ^ 0xff; // inside the signature: still a certificate's shape
    const [ok] = convertObjects(damaged, { to: 'pem' }); // the bytes are copied, not judged
    assert.equal(ok!.kind, 'certificate');
    refused(new TextEncoder().encode('hello, world'), 'unrecognized', /not a certificate, CSR, key/);
    refused(cert.subarray(0, 300), 'unrecognized', /not a certificate, CSR, key/);
  });
});
