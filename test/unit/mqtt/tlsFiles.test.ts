// Local TLS files: PEM and DER, encrypted keys, and a key that does not belong to the certificate.
import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import { readPrivateKey, prepareTls, readCertificates } from '../../../src/core/mqtt/tlsFiles';
import { EtlsError } from '../../../src/core/errors';

const enc = (s: string) => new TextEncoder().encode(s);

describe('local TLS files', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  it('reads a DER PKCS#8 key and a PEM SEC1 key', () => {
    const der = privateKey.export({ type: 'pkcs8', format: 'der' });
    assert.equal(readPrivateKey('k.der', der).asymmetricKeyType, 'ec');
    const pem = privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    assert.equal(readPrivateKey('k.pem', enc(pem)).asymmetricKeyType, 'ec');
  });

  it('asks for the pass phrase, and says when it is wrong', () => {
    const pem = privateKey
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'right' })
      .toString();
    assert.throws(
      () => readPrivateKey('k.pem', enc(pem)),
      (e: EtlsError) => e.code === 'encrypted',
    );
    assert.throws(
      () => readPrivateKey('k.pem', enc(pem), 'wrong'),
      (e: EtlsError) => e.code === 'wrong-passphrase',
    );
    assert.equal(readPrivateKey('k.pem', enc(pem), 'right').asymmetricKeyType, 'ec');
  });

  it('refuses a file with no certificate, and a key that is garbage', () => {
    assert.throws(
      () => readCertificates('x.pem', enc('hello')),
      (e: EtlsError) => e.code === 'malformed' || e.code === 'unrecognized',
    );
    assert.throws(
      () => readPrivateKey('k.der', new Uint8Array([1, 2, 3])),
      (e: EtlsError) => e.code === 'unrecognized',
    );
  });

  it('needs certificate and key together', () => {
    const key = enc(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    assert.throws(() => prepareTls({ key: { name: 'k.pem', bytes: key } }), /without its client certificate/);
  });
});
