import { strict as assert } from 'node:assert';
import { cipherLists, tlsEmulation } from '../../../src/core/targets/ciphers';
import { targetCatalog } from '../../../src/core/targets/catalog';
import { cloudCatalog, inferCloud, matchKnownRoot } from '../../../src/core/targets/clouds';
import { cloudIds, targetIds } from '../../../src/core/targets/ids';

describe('target catalog', () => {
  it('has one spec per target id, keyed by its own id', () => {
    assert.deepEqual(Object.keys(targetCatalog).sort(), [...targetIds].sort());
    for (const id of targetIds) assert.equal(targetCatalog[id].id, id);
  });

  it('lists key containers for every algorithm a target signs with, and roots it can store', () => {
    for (const t of Object.values(targetCatalog)) {
      assert.ok(t.fileEncodings.length > 0, t.id);
      for (const alg of t.keys.algorithms)
        assert.ok((t.keys.formats[alg] ?? []).length > 0, `${t.id} ${alg}`);
      assert.ok(t.roots.algorithms.length > 0, t.id);
    }
  });

  it('treats the CC3100 exactly as the CC3200', () => {
    const { id: _a, name: _b, sameAs, ...cc3100 } = targetCatalog.cc3100;
    const { id: _c, name: _d, ...cc3200 } = targetCatalog.cc3200;
    assert.equal(sameAs, 'cc3200');
    assert.deepEqual(cc3100, cc3200);
  });

  it('says SimpleLink takes DER only, PKCS#1 RSA keys, and cannot decrypt keys', () => {
    for (const id of ['cc3200', 'cc3220', 'cc3235'] as const) {
      const t = targetCatalog[id];
      assert.deepEqual(t.fileEncodings, ['DER']);
      assert.deepEqual(t.keys.formats.RSA, ['PKCS#1']);
      assert.equal(t.keys.decryptsEncryptedKeys, false);
      assert.equal(t.tls.maxVersion, 'TLSv1.2');
    }
  });

  it('has the CC3220/CC3235 catalog, fixed ALPN and 2048-bit RSA limit', () => {
    for (const id of ['cc3220', 'cc3235'] as const) {
      const t = targetCatalog[id];
      assert.equal(t.roots.catalogRequired, true);
      assert.ok(t.tls.fixedAlpn && !t.tls.fixedAlpn.includes('x-amzn-mqtt-ca'));
      assert.equal(t.keys.maxRsaBits, 2048);
      assert.match(t.errorCodes.rootNotInCatalog ?? '', /-468/);
      assert.match(t.errorCodes.signedFileRootUnknown ?? '', /-10287/);
    }
    assert.equal(targetCatalog.cc3200.roots.catalogRequired, false);
    assert.deepEqual(targetCatalog.cc3200.tls.fixedAlpn, [], 'the CC3200 sends no ALPN');
  });

  it('refers to cipher lists that exist in ciphers.ts', () => {
    for (const t of Object.values(targetCatalog))
      if (t.tls.cipherList) assert.ok(cipherLists[t.tls.cipherList].length > 0, t.id);
    assert.ok(cipherLists[targetCatalog.cc3200.tls.cipherList!].includes('ECDHE-RSA-AES128-SHA256'));
  });

  it('agrees with the TLS emulation of the MQTT client on versions, SNI and suites', () => {
    for (const t of Object.values(targetCatalog)) {
      const e = tlsEmulation(t.id);
      assert.equal(e.maxVersion, t.tls.maxVersion, t.id);
      assert.equal(e.noSni, !t.tls.sni, t.id);
      assert.equal(e.ciphers, t.tls.cipherList ? cipherLists[t.tls.cipherList].join(':') : undefined, t.id);
    }
  });

  it('knows mbedTLS needs the NUL, BearSSL big buffers, WINC1500 RSA roots, Linux PEM', () => {
    assert.equal(targetCatalog.esp32.pemNeedsNul, true);
    assert.match(targetCatalog.esp32.errorCodes.pemWithoutNul ?? '', /-0x2180/);
    assert.ok((targetCatalog.esp8266.tls.chainBytesWarning ?? 0) > 0);
    assert.deepEqual(targetCatalog.winc1500.roots.algorithms, ['RSA']);
    assert.equal(targetCatalog.winc1500.roots.uploadedToModule, true);
    assert.equal(targetCatalog.wifinina.roots.uploadedToModule, true);
    assert.deepEqual(targetCatalog.linux.fileEncodings, ['PEM']);
  });
});

describe('cloud catalog', () => {
  it('has one spec per cloud id', () => {
    assert.deepEqual(Object.keys(cloudCatalog).sort(), [...cloudIds].sort());
  });

  it('has the AWS IoT key, root and port rules', () => {
    const aws = cloudCatalog['aws-iot'];
    assert.equal(aws.deviceKeys?.minRsaBits, 2048);
    assert.deepEqual(aws.deviceKeys?.curves, ['P-256', 'P-384']);
    assert.deepEqual(
      aws.serverRoots?.slice(0, 2).map((r) => r.name),
      ['Amazon Root CA 1', 'Amazon Root CA 3'],
    );
    assert.ok(aws.retiredRoots?.some((r) => /VeriSign/.test(r.name)));
    assert.deepEqual(aws.ports, [{ port: 8883 }, { port: 443, alpn: 'x-amzn-mqtt-ca' }]);
    assert.equal(aws.sniRequired, true);
    assert.ok(aws.host?.pattern.test('a1b2c3-ats.iot.eu-west-1.amazonaws.com'));
    assert.ok(!aws.host?.pattern.test('a1b2c3.iot.eu-west-1.amazonaws.com'));
  });

  it('has the Azure root, CN and user-name rules', () => {
    const az = cloudCatalog['azure-iot-hub'];
    assert.equal(az.serverRoots?.[0]?.name, 'DigiCert Global Root G2');
    assert.ok(az.retiredRoots?.some((r) => /Baltimore/.test(r.name)));
    assert.equal(az.cnIsDeviceId, true);
    assert.ok(az.username?.pattern.test('hub1.azure-devices.net/dev1/?api-version=2021-04-12'));
    assert.ok(!az.username?.pattern.test('dev1'));
  });

  it('lets Mosquitto brokers be checked for their SAN', () => {
    assert.equal(cloudCatalog.mosquitto.brokerCertInWorkspace, true);
  });

  it('infers the cloud from the host', () => {
    assert.equal(inferCloud('abc-ats.iot.us-east-1.amazonaws.com'), 'aws-iot');
    assert.equal(inferCloud('hub.azure-devices.net'), 'azure-iot-hub');
    assert.equal(inferCloud('broker.local'), 'generic');
    assert.equal(inferCloud(undefined), 'generic');
  });

  it('recognises known roots by CN and O', () => {
    const roots = cloudCatalog['aws-iot'].serverRoots;
    assert.equal(
      matchKnownRoot(roots, { commonName: 'Amazon Root CA 1', organization: 'Amazon' })?.name,
      'Amazon Root CA 1',
    );
    assert.equal(matchKnownRoot(roots, { commonName: 'Amazon Root CA 1', organization: 'Evil' }), undefined);
  });
});
