// Real-world C layouts (samples under test/fixtures/x509/c-sources, each naming its source and licence):
// DER in #define macros with continuations, wrapped initialisers, PEM assembled from macros, BearSSL
// trust anchors, and symbols behind #if lines.
import assert from 'node:assert/strict';
import type { CertificateInfo, PrivateKeyInfo, TrustAnchorInfo } from '../../../src/core/x509';
import { fixture, fixtureText, text } from './helpers';

function source(name: string) {
  return text(fixtureText(`c-sources/${name}`), name);
}

function pemBody(pem: string): string[] {
  return pem
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('-----'));
}

describe('C sources as real projects write them', () => {
  it('reads DER arrays inside #define macros with line continuations (mbedTLS 2.x certs.c)', () => {
    const r = source('mbedtls-2-certs.c');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.objects.map((o) => [o.location.container, o.location.symbol, o.object.kind]),
      [
        ['c-string', 'TEST_CA_CRT_EC_PEM', 'certificate'],
        ['c-array', 'TEST_CA_CRT_EC_DER', 'certificate'],
        ['c-array', 'TEST_CA_KEY_EC_DER', 'privateKey'],
      ],
    );
    const [pem, der, key] = r.objects.map((o) => o.object) as [
      CertificateInfo,
      CertificateInfo,
      PrivateKeyInfo,
    ];
    // The DER macro is the same certificate as the PEM macro, byte for byte.
    assert.equal(der.sha256Fingerprint, pem.sha256Fingerprint);
    assert.deepEqual(der.der, pem.der);
    assert.equal(der.subject.commonName, 'Polarssl Test EC CA');
    assert.equal(key.publicKey?.sha256, der.publicKey.sha256);
    assert.equal(r.objects[1]!.location.start.line + 1, 56); // the line of `#define TEST_CA_CRT_EC_DER {`
  });

  it('reads an indented initialiser whose first byte sits far from the brace (ESP-IDF test_crypto.c)', () => {
    const r = source('esp-idf-test_crypto.c');
    assert.deepEqual(r.problems, []);
    assert.equal(r.objects.length, 1);
    const f = r.objects[0]!;
    assert.equal(f.location.symbol, 'rsa_der');
    assert.equal((f.object as PrivateKeyInfo).format, 'PKCS#8');
    assert.equal((f.object as PrivateKeyInfo).publicKey?.bits, 2048);
    // The same bytes behind a comment and a blank line are still the same key.
    const body = fixtureText('c-sources/esp-idf-test_crypto.c');
    const commented = body.replace(
      'unsigned char rsa_der[] = {',
      'unsigned char rsa_der[] = {\n            /* PKCS#8, RSA-2048, made with openssl genpkey */\n\n',
    );
    const again = text(commented, 'test_crypto.c');
    assert.equal(
      (again.objects[0]?.object as PrivateKeyInfo | undefined)?.publicKey?.sha256,
      (f.object as PrivateKeyInfo).publicKey?.sha256,
    );
  });

  it('keeps the name of a literal behind #if lines, and the line of each certificate (Azure certs.c)', () => {
    const r = source('azure-certs.c');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.objects.map((o) => [
        o.location.symbol,
        o.location.start.line + 1,
        (o.object as CertificateInfo).subject.commonName,
      ]),
      [
        ['certificates', 27, 'Baltimore CyberTrust Root'],
        ['certificates', 53, 'DigiCert Global Root G3'],
      ],
    );
  });

  it('names a PEM string built around a macro from the build configuration (ESP-IDF MQTT example)', () => {
    const r = source('esp-idf-mqtt-app_main.c');
    assert.equal(r.objects.length, 0);
    assert.equal(r.problems.length, 1);
    const p = r.problems[0]!;
    assert.equal(p.code, 'not-found');
    assert.match(
      p.message,
      /^PEM CERTIFICATE built from the macro CONFIG_EXAMPLE_BROKER_CERTIFICATE_OVERRIDE/,
    );
    assert.doesNotMatch(`${p.message} ${p.fix}`, /cut short|no END line/);
    assert.equal(p.location?.symbol, 'cert_override_pem');
    assert.match(p.fix ?? '', /sdkconfig/);
  });

  it('expands macros defined in the same file into the PEM they build', () => {
    const body = pemBody(fixtureText('device-01.pem'));
    const src = [
      '#define DEVICE_CERT_BODY \\',
      ...body.map((l) => `    "${l}\\n" \\`),
      '',
      '#define DEVICE_CERT_END "-----END CERTIFICATE-----\\n"',
      '#define CERT_TAIL DEVICE_CERT_END',
      'static const char device_cert[] =',
      '    "-----BEGIN CERTIFICATE-----\\n"',
      '    DEVICE_CERT_BODY',
      '    CERT_TAIL;',
    ].join('\n');
    const r = text(src, 'certs.c');
    assert.deepEqual(r.problems, []);
    assert.equal(r.objects.length, 1);
    assert.equal(r.objects[0]!.location.symbol, 'device_cert');
    assert.equal((r.objects[0]!.object as CertificateInfo).subject.commonName, 'device-01');
  });

  it('says that PEM framing passed to a function is filled in at run time (nina-fw ECCX08Cert.cpp layout)', () => {
    // The call shape of nina-fw main/ECCX08Cert.cpp (GPL-3.0, so written anew here, not copied).
    const src = [
      'String CsrBuilder::end() {',
      '  return base64Encode(csr, csrLen + csrHeaderLen, "-----BEGIN CERTIFICATE REQUEST-----\\n",',
      '                      "\\n-----END CERTIFICATE REQUEST-----\\n");',
      '}',
    ].join('\n');
    const r = text(src, 'CsrBuilder.cpp');
    assert.equal(r.objects.length, 0);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0]!.code, 'unsupported');
    assert.match(r.problems[0]!.message, /only the BEGIN\/END lines of a PEM CERTIFICATE REQUEST.*run time/);
    assert.equal(r.problems[0]!.location?.start.line, 1);
  });

  it('stops expanding macros that double at every step, and says so', () => {
    const lines = ['#define M0 "abcdefgh"'];
    for (let i = 1; i <= 40; i++) lines.push(`#define M${i} M${i - 1} M${i - 1}`);
    lines.push('const char pem[] = "-----BEGIN CERTIFICATE-----\\n" M40 "-----END CERTIFICATE-----\\n";');
    const t0 = performance.now();
    const r = text(lines.join('\n'), 'bomb.c');
    assert.ok(performance.now() - t0 < 5000, 'expansion must stop long before 2^40 copies');
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0]!.message, /^PEM CERTIFICATE built from more macros than etls expands \(M40/);
  });

  it('reads BearSSL trust anchors as named trust anchors (nina-fw BearSSLTrustAnchors.h)', () => {
    const r = source('nina-fw-BearSSLTrustAnchors.h');
    assert.deepEqual(r.problems, []);
    const anchors = r.objects.map((o) => o.object as TrustAnchorInfo);
    assert.deepEqual(
      anchors.map((a) => [a.kind, a.subject.rfc4514, a.publicKey?.algorithm, a.publicKey?.bits, a.arrays]),
      [
        [
          'trustAnchor',
          'CN=Amazon Root CA 1,O=Amazon,C=US',
          'RSA',
          2048,
          ['TA1_DN', 'TA1_RSA_N', 'TA1_RSA_E'],
        ],
        [
          'trustAnchor',
          'CN=Baltimore CyberTrust Root,OU=CyberTrust,O=Baltimore,C=IE',
          'RSA',
          2048,
          ['TA2_DN', 'TA2_RSA_N', 'TA2_RSA_E'],
        ],
      ],
    );
    assert.deepEqual(
      r.objects.map((o) => [o.location.symbol, o.location.start.line + 1]),
      [
        ['TA1_DN', 37],
        ['TA2_DN', 74],
      ],
    );
    // The anchor's key is the key of the real Baltimore certificate (in the Azure sample).
    const baltimore = source('azure-certs.c').objects[0]!.object as CertificateInfo;
    assert.equal(anchors[1]!.publicKey?.sha256, baltimore.publicKey.sha256);
  });

  it('reads an EC trust anchor in the pycert_bearssl layout and matches it to its certificate', () => {
    const r = source('sslclient-trust-anchors.h');
    assert.deepEqual(r.problems, []);
    assert.equal(r.objects.length, 1);
    const a = r.objects[0]!.object as TrustAnchorInfo;
    const cert = text(new TextDecoder().decode(fixture('device-01.pem'))).objects[0]!
      .object as CertificateInfo;
    assert.equal(a.subject.rfc4514, cert.subject.rfc4514);
    assert.equal(a.publicKey?.curve, 'P-256');
    assert.equal(a.publicKey?.sha256, cert.publicKey.sha256);
    assert.deepEqual(a.arrays, ['TA_DN0', 'TA_EC_Q0']);
  });

  it('still reports a DN array without key arrays as what it is not', () => {
    const dn = fixtureText('c-sources/nina-fw-BearSSLTrustAnchors.h').split(
      'static const unsigned char TA1_RSA_N',
    )[0]!;
    const r = text(dn, 'dn.h');
    assert.equal(r.objects.length, 0);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0]!.location?.symbol, 'TA1_DN');
  });
});
