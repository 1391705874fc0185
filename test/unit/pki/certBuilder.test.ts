import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import * as A from '../../../src/core/pki/asn1';
import {
  buildCertificate,
  buildCsr,
  checkDnsName,
  checkHost,
  ipBytes,
  sanEntries,
  splitList,
  issuerFromCertificate,
} from '../../../src/core/pki/certBuilder';
import { formatFor, generateKey, keyIdentifier, keyTypeOf, spkiDer } from '../../../src/core/pki/keys';

const DAY = 86_400_000;

describe('pki certificate builder', () => {
  it('encodes UTCTime before 2050 and GeneralizedTime from 2050 (RFC 5280)', () => {
    assert.equal(A.time(new Date('2049-12-31T23:59:59Z')).value, '491231235959Z');
    assert.equal(A.time(new Date('2050-01-01T00:00:00Z')).value, '20500101000000Z');
  });

  it('turns IPv4 and IPv6 text into SAN bytes and refuses anything else', () => {
    assert.deepEqual([...ipBytes('192.168.1.10')], [192, 168, 1, 10]);
    assert.deepEqual([...ipBytes('::1')], [...Array(15).fill(0), 1]);
    assert.deepEqual([...ipBytes('fd00::10')], [0xfd, 0, ...Array(12).fill(0), 0, 0x10]);
    assert.deepEqual([...ipBytes('::ffff:10.0.0.1')].slice(10), [0xff, 0xff, 10, 0, 0, 1]);
    assert.throws(() => ipBytes('300.1.1.1'), /not an IPv4 or IPv6/);
    assert.throws(() => ipBytes('broker.local'), /not an IPv4 or IPv6/);
  });

  it('an IP literal given as a host name becomes an IP SAN; lists split on commas and spaces', () => {
    assert.deepEqual(splitList('localhost,127.0.0.1  broker.local, '), [
      'localhost',
      '127.0.0.1',
      'broker.local',
    ]);
    assert.deepEqual(
      sanEntries(['broker.local', '192.168.1.20', 'fd00::1', 'Broker.Local'], ['192.168.1.20']),
      {
        dns: ['broker.local'],
        ips: ['192.168.1.20', 'fd00::1'],
      },
    );
    checkHost('192.168.1.20');
    checkHost('::1');
    assert.throws(() => checkHost('has space'), /not a valid DNS name/);
  });

  it('accepts host names and wildcards, refuses spaces and slashes', () => {
    for (const ok of ['broker.local', 'localhost', '*.iot.example.com', 'my-broker_1.lan']) checkDnsName(ok);
    for (const bad of ['has space', 'a/b', '-lead.example', ''])
      assert.throws(() => checkDnsName(bad), /not a valid DNS name/);
  });

  it('builds a CA and a server certificate Node parses, with the chain, SANs, usages and key ids right', async () => {
    const [ca, leaf] = await Promise.all([generateKey('p256'), generateKey('rsa2048')]);
    const now = Date.now();
    const caDer = buildCertificate({
      profile: 'root-ca',
      subject: { commonName: 'Test CA', organization: 'Org' },
      publicKey: ca.publicKey,
      selfSigningKey: ca.privateKey,
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 10 * DAY),
      pathLength: 0,
    });
    const caCert = new X509Certificate(Buffer.from(caDer));
    assert.equal(caCert.ca, true);
    assert.ok(caCert.verify(ca.publicKey));
    assert.equal(caCert.subject, 'O=Org\nCN=Test CA');
    const issuer = issuerFromCertificate(caDer, ca.privateKey);
    assert.deepEqual(issuer.keyId, keyIdentifier(spkiDer(ca.publicKey)));
    assert.equal(issuer.notAfter.getTime() / 1000, Math.floor((now + 10 * DAY) / 1000));
    const der = buildCertificate({
      profile: 'server',
      subject: { commonName: 'broker.local' },
      publicKey: leaf.publicKey,
      issuer,
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + DAY),
      dnsNames: ['broker.local'],
      ipAddresses: ['127.0.0.1'],
    });
    const cert = new X509Certificate(Buffer.from(der));
    assert.equal(cert.ca, false);
    assert.ok(cert.verify(ca.publicKey), 'signed by the CA (ECDSA over an RSA leaf)');
    assert.ok(cert.checkIssued(caCert));
    assert.equal(cert.subjectAltName, 'DNS:broker.local, IP Address:127.0.0.1');
    assert.equal(cert.checkHost('broker.local'), 'broker.local');
    assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
    assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1']);
    assert.equal(cert.serialNumber.length, 32, '16-byte serial');
  });

  it('builds a CSR whose signature and SAN request are readable', async () => {
    const k = await generateKey('p384');
    const der = buildCsr({
      subject: { commonName: 'thing' },
      privateKey: k.privateKey,
      publicKey: k.publicKey,
      dnsNames: ['thing.local'],
    });
    const info = A.kids(A.decode(der));
    assert.equal(info.length, 3);
    // ECDSA P-384 signs with SHA-384.
    assert.equal(A.kids(info[1])[0]!.value, A.oid('1.2.840.10045.4.3.3').value);
  });

  it('knows key types and which containers fit them', async () => {
    const rsa = await generateKey('rsa2048');
    const ec = await generateKey('p256');
    assert.equal(keyTypeOf(rsa.privateKey), 'rsa2048');
    assert.equal(keyTypeOf(ec.privateKey), 'p256');
    assert.equal(formatFor(rsa.privateKey, 'traditional'), 'pkcs1');
    assert.equal(formatFor(ec.privateKey, 'traditional'), 'sec1');
    assert.equal(formatFor(ec.privateKey, 'pkcs8'), 'pkcs8');
    assert.throws(() => formatFor(ec.privateKey, 'pkcs1'), /PKCS#1 holds RSA keys only/);
    assert.throws(() => formatFor(rsa.privateKey, 'sec1'), /SEC1 holds EC keys only/);
  });
});
