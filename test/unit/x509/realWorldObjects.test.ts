// Objects met in real repositories that the reader once refused or misread (the corpus in
// test/fixtures/real-world; openssl's own view of every file there is checked in test/e2e).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  describeObject,
  readObjects,
  sameName,
  type CertificateInfo,
  type CrlInfo,
  type DistinguishedName,
  type PrivateKeyInfo,
  type PublicKeyInfo,
  type ReadOptions,
  type X509Object,
} from '../../../src/core/x509';
import { children, readElement } from '../../../src/core/x509/der';

const CORPUS = join(__dirname, '..', '..', 'fixtures', 'real-world');

function bytes(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(join(CORPUS, rel)));
}

function read(rel: string, options: ReadOptions = {}) {
  return readObjects(bytes(rel), { fileName: rel.split('/').pop()!, ...options });
}

function objects(rel: string, options: ReadOptions = {}): X509Object[] {
  const r = read(rel, options);
  assert.deepEqual(
    r.problems.map((p) => p.message),
    [],
    `${rel} has problems`,
  );
  return r.objects.map((o) => o.object);
}

function one<T extends X509Object>(rel: string, options: ReadOptions = {}): T {
  const all = objects(rel, options);
  assert.equal(all.length, 1, `${rel}: ${all.map(describeObject).join('; ')}`);
  return all[0] as T;
}

describe('real-world objects: chains and bundles', () => {
  it('reads each certificate of a concatenated DER chain (server-cert-chain.der)', () => {
    const certs = objects('generated/server-cert-chain.der') as CertificateInfo[];
    assert.deepEqual(
      certs.map((c) => c.subject.commonName),
      ['broker.example', 'Example Root CA'],
    );
  });

  it('reads each certificate of a DER chain pasted as one C array', () => {
    const der = bytes('generated/server-cert-chain.der');
    const c = `const unsigned char server_cert_chain[] = {\n${Array.from(der, (b) => `0x${b.toString(16).padStart(2, '0')}`).join(', ')}\n};\n`;
    const r = readObjects(new TextEncoder().encode(c), { fileName: 'certs.c' });
    assert.deepEqual(r.problems, []);
    assert.equal(r.objects.length, 2);
    assert.ok(r.objects.every((o) => o.location.symbol === 'server_cert_chain'));
  });

  it('reads a certificate followed by stray bytes, and says what the bytes are', () => {
    const r = read('mbedtls/server5-der2.crt');
    assert.equal(r.objects.length, 1);
    assert.equal(r.objects[0]!.object.kind, 'certificate');
    assert.match(r.problems[0]!.message, /2 bytes after the last object \(from byte 548\) are not DER/);
  });

  it('lists the certificates of a PKCS#7 bundle, DER (.p7b) and PEM', () => {
    for (const f of ['generated/chain.p7b', 'generated/chain-p7.pem']) {
      const certs = objects(f) as CertificateInfo[];
      assert.deepEqual(
        certs.map((c) => c.kind + ' ' + c.subject.commonName),
        ['certificate broker.example', 'certificate Example Root CA'],
        f,
      );
    }
    assert.equal(objects('mbedtls/pkcs7_data_multiple_certs_signed.der').length, 2);
  });

  it('reads a CRL in DER and PEM: issuer, dates, revoked serials', () => {
    for (const f of ['generated/crl.der', 'generated/crl.pem']) {
      const crl = one<CrlInfo>(f);
      assert.equal(crl.kind, 'crl');
      assert.equal(crl.issuer.commonName, 'Example Root CA');
      assert.ok(crl.nextUpdate && crl.nextUpdate > crl.thisUpdate);
    }
    const mbed = one<CrlInfo>('mbedtls/crl.pem');
    assert.deepEqual(mbed.revokedSerials, ['01', '03']);
    assert.match(describeObject(mbed), /^CRL of PolarSSL Test CA, 2 revoked certificates, next update 20/);
  });
});

describe('real-world objects: DSA, DH, EC with explicit parameters', () => {
  it('reads DSA keys in every form, all with the same public key', () => {
    const pub = one<PublicKeyInfo>('generated/dsa-public.pem').publicKey;
    assert.equal(pub.algorithm, 'DSA');
    assert.equal(pub.bits, 2048);
    for (const f of [
      'generated/dsa-pkcs8.key',
      'generated/dsa-traditional.key',
      'generated/dsa-traditional.der',
    ]) {
      const k = one<PrivateKeyInfo>(f);
      assert.equal(k.algorithm, 'DSA', f);
      assert.equal(k.publicKey?.sha256, pub.sha256, f);
    }
    assert.equal(one<PrivateKeyInfo>('generated/dsa-traditional.der').format, 'DSA');
  });

  it('reads DH parameters as DH parameters, not as an RSA public key', () => {
    for (const f of ['generated/dh2048.pem', 'generated/dh2048.der', 'mbedtls/dh.optlen.der']) {
      const o = one(f);
      assert.equal(o.kind, 'dhParameters', f);
    }
    assert.equal(one<X509Object & { bits: number }>('mbedtls/dh.1000.pem').bits, 1000);
    assert.equal(one('generated/dhx-params.pem').kind, 'dhParameters');
  });

  it('reads DH keys', () => {
    const k = one<PrivateKeyInfo>('generated/dh.key');
    assert.equal(k.algorithm, 'DH');
    assert.equal(k.publicKey?.bits, 2048);
    assert.equal(k.publicKey?.sha256, one<PublicKeyInfo>('generated/dh-public.pem').publicKey.sha256);
  });

  it('counts the group order of a secp256k1 key with explicit parameters: 256 bits', () => {
    for (const f of ['generated/secp256k1-explicit.key', 'mbedtls/ec_prv.specdom.der']) {
      const k = one<PrivateKeyInfo>(f);
      assert.equal(k.publicKey?.bits, 256, f);
      assert.equal(k.publicKey?.curve, 'secp256k1 (explicit parameters)', f);
    }
    assert.equal(one<PublicKeyInfo>('generated/secp256k1-explicit-public.pem').publicKey.bits, 256);
    assert.equal(
      one<PrivateKeyInfo>('generated/p256-explicit.der').publicKey?.curve,
      'P-256 (explicit parameters)',
    );
  });

  it('reads explicit EC parameters in PEM and DER', () => {
    for (const f of ['generated/secp256k1-explicit-params.pem', 'generated/secp256k1-explicit-params.der'])
      assert.equal(describeObject(one(f)), 'EC parameters secp256k1 (explicit parameters)', f);
  });

  it('reads an RSA PUBLIC KEY label that holds a SubjectPublicKeyInfo', () => {
    const k = one<PublicKeyInfo>('generated/rsa-public-label-spki.pem');
    assert.equal(k.format, 'SPKI');
    assert.equal(k.publicKey.bits, 2048);
    assert.equal(one<PublicKeyInfo>('mbedtls/rsa_pkcs1_2048_public.pem').format, 'PKCS#1');
  });
});

describe('real-world objects: keys encrypted with DES, RC2 and RC4', () => {
  const plain = () => one<PrivateKeyInfo>('generated/server.key').publicKey!.sha256;

  it('decrypts legacy PEM DES-CBC, PBES1 MD5-DES, PBES2 des-cbc, PKCS#12 RC4 and RC2-40', () => {
    for (const f of [
      'generated/server-legacy-des.key',
      'generated/server-pbe-md5-des.key',
      'generated/server-pbes2-des.key',
      'generated/server-pbe-sha1-rc4.der',
      'generated/server-pbe-sha1-rc2-40.key',
    ]) {
      const k = one<PrivateKeyInfo>(f, { passphrase: 'etls-test' });
      assert.equal(k.encrypted, true, f);
      assert.equal(k.publicKey?.sha256, plain(), f);
    }
    for (const [f, pass] of [
      ['mbedtls/rsa_pkcs1_1024_des.pem', 'testkey'],
      ['mbedtls/rsa_pkcs8_pbe_sha1_1024_rc4_128.pem', 'PolarSSLTest'],
      ['mbedtls/rsa_pkcs8_pbes2_pbkdf2_1024_des.pem', 'PolarSSLTest'],
    ] as const)
      assert.equal(one<PrivateKeyInfo>(f, { passphrase: pass }).publicKey?.bits, 1024, f);
  });

  it('names the cipher when no pass phrase is given, and rejects a wrong one in plain words', () => {
    assert.equal(
      one<PrivateKeyInfo>('generated/server-pbe-sha1-rc4.der').encryption,
      'PKCS#8 pbeWithSHA1And128BitRC4',
    );
    assert.equal(one<PrivateKeyInfo>('generated/server-pbes2-des.key').encryption, 'PKCS#8 PBES2 des-cbc');
    assert.equal(one<PrivateKeyInfo>('generated/server-legacy-des.key').encryption, 'legacy PEM DES-CBC');
    for (const f of [
      'generated/server-legacy-des.key',
      'generated/server-pbe-sha1-rc4.der',
      'generated/server-pbe-md5-des.key',
    ]) {
      const r = read(f, { passphrase: 'not-it' });
      assert.equal(r.problems[0]?.code, 'wrong-passphrase', f);
    }
  });
});

describe('real-world objects: damaged lengths', () => {
  /** server.crt in DER with the length of its extensions raised by `by`, past the end of the body. */
  function withExtensionsLength(by: number): Uint8Array {
    const pem = new TextDecoder().decode(bytes('generated/server.crt'));
    const der = new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
    const tbs = children(der, readElement(der, 0))[0]!;
    const ext = children(der, tbs).at(-1)!;
    assert.equal(der[ext.start], 0xa3, 'the extensions come last');
    der[ext.valueStart - 1]! += by; // the last byte of its length field
    return der;
  }

  it('names the element whose length is wrong in a complete file, instead of "truncated"', () => {
    const r = readObjects(withExtensionsLength(5), { fileName: 'server.der' });
    assert.equal(r.objects.length, 0);
    assert.equal(r.problems[0]?.code, 'malformed');
    assert.match(
      r.problems[0]!.message,
      /the extensions \(\[3\] at byte \d+\) declares \d+ bytes where the element around it leaves \d+/,
    );
    assert.match(r.problems[0]!.message, /the data is all there, but that length field is wrong/);
  });

  it('says the outer length is wrong when the contents end with the data', () => {
    const pem = new TextDecoder().decode(bytes('generated/server.crt'));
    const der = new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
    der[3]! += 20; // 30 82 LL LL: the outer length, now 20 bytes more than there are
    const r = readObjects(der, { fileName: 'server.der' });
    assert.match(
      r.problems[0]!.message,
      /its outer length says \d+ bytes, but it has \d+ .* the outer length field is wrong/,
    );
  });

  it('still calls a file cut short truncated', () => {
    const der = bytes('generated/server-cert-chain.der').subarray(0, 400);
    const r = readObjects(der, { fileName: 'cut.der' });
    assert.equal(r.problems[0]?.code, 'truncated');
  });
});

describe('names compared as RFC 5280 §7.1 says', () => {
  const dn = (cn: string): DistinguishedName => ({
    rfc4514: `CN=${cn}`,
    attributes: [{ type: 'CN', oid: '2.5.4.3', value: cn }],
    commonName: cn,
  });

  it('ignores case and folds white space, but tells different names apart', () => {
    assert.ok(sameName(dn('PolarSSL Test EC CA'), dn('Polarssl Test EC CA')));
    assert.ok(sameName(dn('  Dev   CA '), dn('dev ca')));
    assert.ok(!sameName(dn('Dev CA 1'), dn('Dev CA 2')));
  });
});

describe('real-world objects: BER bundles', () => {
  it('lists the certificates of signed data written with indefinite lengths (openssl cms -stream)', () => {
    const certs = objects('generated/signed-ber.p7b') as CertificateInfo[];
    assert.deepEqual(certs.map((c) => c.subject.commonName).sort(), ['Example Root CA', 'broker.example']);
    const server = objects('generated/server.crt')[0] as CertificateInfo;
    assert.ok(
      certs.some((c) => c.sha256Fingerprint === server.sha256Fingerprint),
      'the bytes are kept',
    );
    assert.equal(objects('generated/signed-ber-cms.pem').length, 1);
  });
});

describe('real-world objects: what openssl reads despite flaws', () => {
  it('reads a certificate whose extension values are damaged, as openssl does', () => {
    for (const f of [
      'mbedtls/authorityKeyId_subjectKeyId_length_malformed.crt.der',
      'mbedtls/server5-tricky-ip-san-malformed-len.crt.der',
    ])
      assert.equal(one(f).kind, 'certificate', f);
    assert.equal(one('mbedtls/test_csr_v3_all_malformed_extension_data_len1.csr.der').kind, 'csr');
  });

  it('reads PEM whose base64 lines hold spaces', () => {
    assert.equal(objects('mbedtls/server7_all_space.crt').length, 2);
  });

  it('prints a BIT STRING name attribute with its name and upper-case hex, as openssl does', () => {
    const c = objects('mbedtls/bitstring-in-dn.pem')[0] as CertificateInfo;
    assert.match(c.subject.rfc4514, /^x500UniqueIdentifier=#030B0037313031303132323535,serialNumber=/);
  });
});
