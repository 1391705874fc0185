import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { spkiFromPrivateKey } from '../../../src/core/x509/keyPublic';

function nodeSpki(key: KeyObject): Buffer {
  return createPublicKey(key).export({ type: 'spki', format: 'der' });
}

describe('public keys read straight from private-key DER', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
  const curves = ['prime256v1', 'secp384r1', 'secp521r1', 'secp256k1'].map(
    (c) => generateKeyPairSync('ec', { namedCurve: c }).privateKey,
  );

  it('gives exactly the SPKI Node derives, for RSA in PKCS#1 and PKCS#8', () => {
    const expected = nodeSpki(rsa);
    assert.deepEqual(
      Buffer.from(
        spkiFromPrivateKey(new Uint8Array(rsa.export({ type: 'pkcs1', format: 'der' })), 'PKCS#1')!,
      ),
      expected,
    );
    assert.deepEqual(
      Buffer.from(
        spkiFromPrivateKey(new Uint8Array(rsa.export({ type: 'pkcs8', format: 'der' })), 'PKCS#8')!,
      ),
      expected,
    );
  });

  it('gives exactly the SPKI Node derives, for EC curves in SEC1 and PKCS#8', () => {
    for (const k of curves) {
      const expected = nodeSpki(k);
      assert.deepEqual(
        Buffer.from(spkiFromPrivateKey(new Uint8Array(k.export({ type: 'sec1', format: 'der' })), 'SEC1')!),
        expected,
      );
      assert.deepEqual(
        Buffer.from(
          spkiFromPrivateKey(new Uint8Array(k.export({ type: 'pkcs8', format: 'der' })), 'PKCS#8')!,
        ),
        expected,
      );
    }
  });

  it('leaves keys without a stored public half to the caller', () => {
    const ed = generateKeyPairSync('ed25519').privateKey;
    assert.equal(
      spkiFromPrivateKey(new Uint8Array(ed.export({ type: 'pkcs8', format: 'der' })), 'PKCS#8'),
      undefined,
    );
    // SEC1 without the optional [1] publicKey: SEQUENCE { 1, OCTET STRING, [0] curve }
    const sec1 = new Uint8Array(curves[0]!.export({ type: 'sec1', format: 'der' }));
    const withoutPoint = Uint8Array.from([0x30, 0x31, ...sec1.subarray(2, 2 + 3 + 34 + 12)]);
    assert.equal(spkiFromPrivateKey(withoutPoint, 'SEC1'), undefined);
  });
});
