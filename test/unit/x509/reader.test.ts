import assert from 'node:assert/strict';
import {
  describeObject,
  type CertificateInfo,
  type CsrInfo,
  type Pkcs12Info,
  type PrivateKeyInfo,
} from '../../../src/core/x509';
import { fixture, only } from './helpers';
import { readObjects } from '../../../src/core/x509';

describe('x509 reader: certificates', () => {
  it('decodes a CA certificate with its constraints and usages', () => {
    const ca = only('ca.pem') as CertificateInfo;
    assert.equal(ca.kind, 'certificate');
    assert.equal(ca.subject.rfc4514, 'CN=Example Dev CA,O=Example Dev,C=DE');
    assert.deepEqual(
      ca.subject.attributes.map((a) => [a.type, a.oid, a.value]),
      [
        ['C', '2.5.4.6', 'DE'],
        ['O', '2.5.4.10', 'Example Dev'],
        ['CN', '2.5.4.3', 'Example Dev CA'],
      ],
    );
    assert.equal(ca.subject.commonName, 'Example Dev CA');
    assert.equal(ca.version, 3);
    assert.equal(ca.isCA, true);
    assert.deepEqual(ca.basicConstraints, { ca: true, pathLength: 1, critical: true });
    assert.deepEqual(ca.keyUsage, ['keyCertSign', 'cRLSign']);
    assert.equal(ca.selfSigned, true);
    assert.equal(ca.publicKey.algorithm, 'RSA');
    assert.equal(ca.publicKey.bits, 2048);
    assert.equal(ca.signatureAlgorithm, 'sha256WithRSAEncryption');
    assert.match(ca.sha256Fingerprint, /^[0-9a-f]{64}$/);
    assert.match(ca.sha1Fingerprint, /^[0-9a-f]{40}$/);
  });

  it('decodes a device certificate signed by the CA, with SAN, EKU, SKI and AKI', () => {
    const dev = only('device-01.pem') as CertificateInfo;
    const ca = only('ca.pem') as CertificateInfo;
    assert.equal(dev.subject.commonName, 'device-01');
    assert.equal(dev.issuer.rfc4514, ca.subject.rfc4514);
    assert.equal(dev.serialNumber, '1001');
    assert.deepEqual(dev.subjectAltNames, [{ type: 'dns', value: 'device-01.local' }]);
    assert.deepEqual(dev.extendedKeyUsage, ['clientAuth']);
    assert.equal(dev.publicKey.algorithm, 'EC');
    assert.equal(dev.publicKey.curve, 'P-256');
    assert.equal(dev.publicKey.bits, 256);
    assert.equal(dev.signatureAlgorithm, 'sha256WithRSAEncryption');
    assert.equal(dev.selfSigned, false);
    assert.equal(dev.isCA, false);
    assert.equal(dev.authorityKeyIdentifier, ca.subjectKeyIdentifier);
    assert.equal(
      describeObject(dev),
      `certificate CN=device-01, issued by Example Dev CA, expires ${dev.notAfter.toISOString().slice(0, 10)}`,
    );
  });

  it('reads the same certificate from PEM and DER', () => {
    const pem = only('device-01.pem') as CertificateInfo;
    const der = only('device-01.der') as CertificateInfo;
    assert.equal(der.sha256Fingerprint, pem.sha256Fingerprint);
    assert.deepEqual(Buffer.from(der.der), Buffer.from(pem.der));
  });

  it('decodes an Ed25519 certificate', () => {
    const ed = only('ed25519.pem') as CertificateInfo;
    assert.equal(ed.publicKey.algorithm, 'Ed25519');
    assert.equal(ed.signatureAlgorithm, 'Ed25519');
    assert.equal(ed.selfSigned, true);
  });
});

describe('x509 reader: keys', () => {
  const cases: Array<[string, PrivateKeyInfo['format'], string, number]> = [
    ['rsa-pkcs1.key', 'PKCS#1', 'RSA', 2048],
    ['rsa-pkcs8.key', 'PKCS#8', 'RSA', 2048],
    ['rsa-pkcs1.der', 'PKCS#1', 'RSA', 2048],
    ['rsa-pkcs8.der', 'PKCS#8', 'RSA', 2048],
    ['device-01.ec.key', 'SEC1', 'EC', 256],
    ['ec-pkcs8.key', 'PKCS#8', 'EC', 256],
    ['ed25519.key', 'PKCS#8', 'Ed25519', 255],
  ];
  for (const [file, format, algorithm, bits] of cases) {
    it(`tells ${file} is a ${algorithm} ${format} key`, () => {
      const k = only(file) as PrivateKeyInfo;
      assert.equal(k.kind, 'privateKey');
      assert.equal(k.format, format);
      assert.equal(k.encrypted, false);
      assert.equal(k.publicKey?.algorithm, algorithm);
      assert.equal(k.publicKey?.bits, bits);
    });
  }

  it('matches keys, CSRs and certificates by their public key hash', () => {
    const key = only('device-01.ec.key') as PrivateKeyInfo;
    const cert = only('device-01.pem') as CertificateInfo;
    const csr = only('device-01.csr') as CsrInfo;
    assert.equal(key.publicKey?.sha256, cert.publicKey.sha256);
    assert.equal(csr.publicKey.sha256, cert.publicKey.sha256);
    const other = only('rsa-pkcs1.key') as PrivateKeyInfo;
    assert.notEqual(other.publicKey?.sha256, cert.publicKey.sha256);
    assert.equal(
      (only('rsa.pub') as { publicKey: { sha256: string } }).publicKey.sha256,
      other.publicKey?.sha256,
    );
    assert.equal(
      (only('rsa-pkcs1.pub') as { publicKey: { sha256: string } }).publicKey.sha256,
      other.publicKey?.sha256,
    );
  });

  it('describes an encrypted PKCS#8 key without a pass phrase, and opens it with one', () => {
    const locked = only('rsa-encrypted.key') as PrivateKeyInfo;
    assert.equal(locked.encrypted, true);
    assert.equal(locked.publicKey, undefined);
    assert.match(locked.encryption ?? '', /PBES2 aes-256-cbc/);
    assert.equal(describeObject(locked), 'private key, PKCS#8, encrypted with a pass phrase');
    const open = only('rsa-encrypted.key', { passphrase: 'secret' }) as PrivateKeyInfo;
    assert.equal(open.publicKey?.sha256, (only('rsa-pkcs1.key') as PrivateKeyInfo).publicKey?.sha256);
  });

  it('reads a legacy Proc-Type encrypted key and rejects a wrong pass phrase in plain words', () => {
    const locked = only('rsa-legacy-encrypted.key') as PrivateKeyInfo;
    assert.equal(locked.format, 'PKCS#1');
    assert.equal(locked.algorithm, 'RSA');
    assert.match(locked.encryption ?? '', /legacy PEM AES-256-CBC/);
    const r = readObjects(fixture('rsa-legacy-encrypted.key'), { passphrase: 'wrong' });
    assert.equal(r.objects.length, 0);
    assert.equal(r.problems[0]?.code, 'wrong-passphrase');
    assert.equal(r.problems[0]?.message, 'the pass phrase does not open this private key');
  });

  it('reads EC parameters', () => {
    assert.deepEqual(only('ec-params.pem'), { kind: 'ecParameters', curve: 'P-384' });
  });
});

describe('x509 reader: CSRs and PKCS#12', () => {
  it('decodes a CSR with its requested SANs and checks its signature', () => {
    const csr = only('device-01.csr') as CsrInfo;
    assert.equal(csr.subject.rfc4514, 'CN=device-01,O=Example Dev');
    assert.deepEqual(csr.subjectAltNames, [{ type: 'dns', value: 'device-01.local' }]);
    assert.equal(csr.signatureValid, true);
    assert.equal(csr.signatureAlgorithm, 'ecdsa-with-SHA256');
  });

  it('opens an OpenSSL 3 PKCS#12 with its password and keeps the original certificate bytes', () => {
    const p12 = only('device-01.p12', { passphrase: 'secret' }) as Pkcs12Info;
    const certs = p12.contents.filter((c): c is CertificateInfo => c.kind === 'certificate');
    const keys = p12.contents.filter((c) => c.kind === 'privateKey');
    assert.equal(certs.length, 2);
    assert.equal(keys.length, 1);
    const device = only('device-01.pem') as CertificateInfo;
    assert.ok(certs.some((c) => c.sha256Fingerprint === device.sha256Fingerprint));
    assert.equal((keys[0] as PrivateKeyInfo).publicKey?.sha256, device.publicKey.sha256);
    assert.deepEqual(p12.friendlyNames, ['device-01']);
  });

  it('reports a PKCS#12 without a password as locked, and a wrong password as such', () => {
    const locked = only('device-01.p12') as Pkcs12Info;
    assert.equal(locked.encrypted, true);
    assert.equal(locked.contents.length, 0);
    const r = readObjects(fixture('device-01.p12'), { fileName: 'device-01.p12', passphrase: 'nope' });
    assert.equal(r.problems[0]?.code, 'wrong-passphrase');
  });
});
