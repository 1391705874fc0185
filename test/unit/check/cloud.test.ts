import { strict as assert } from 'node:assert';
import type { BrokerSettings } from '../../../src/core/project/types';
import type { TargetId } from '../../../src/core/targets/ids';
import type { CertificateInfo } from '../../../src/core/x509/types';
import { caCert, cert, check, codes, dn, file, key, only, project, pubKey } from './fixtures';

const AWS = 'abc123-ats.iot.eu-west-1.amazonaws.com';
const HUB = 'hub1.azure-devices.net';

function root(cn: string, o: string, alg: 'RSA' | 'EC' = 'RSA'): CertificateInfo {
  return caCert(cn, {
    subject: dn(cn, o),
    issuer: dn(cn, o),
    publicKey: pubKey(`k-${cn}`, alg, alg === 'RSA' ? 2048 : 256),
  });
}

async function cloud(
  broker: BrokerSettings,
  o: { ca?: CertificateInfo; device?: Partial<CertificateInfo>; keyBits?: number; target?: TargetId } = {},
) {
  const files = [
    file('root.pem', [o.ca ?? root('Amazon Root CA 1', 'Amazon')]),
    file('device.pem', [cert({ cn: 'device-01', issuerCn: 'Device CA', keyId: 'kd', ...o.device })]),
    file('device.key', [key({ keyId: 'kd', publicKey: pubKey('kd', 'RSA', o.keyBits ?? 2048) })]),
  ];
  const p = project({
    d: {
      ca: 'root.pem',
      cert: 'device.pem',
      key: 'device.key',
      broker,
      ...(o.target ? { target: o.target } : {}),
    },
  });
  const { findings } = await check(files, p, { projectText: JSON.stringify(p.file, null, 2) });
  return findings.filter((f) => f.code !== 'rsa-too-small');
}

describe('rules: AWS IoT Core', () => {
  it('accepts Amazon Root CA 1 or 3, RSA-2048, port 8883 on an ATS endpoint', async () => {
    assert.deepEqual(await cloud({ host: AWS }), []);
    assert.deepEqual(
      await cloud(
        { host: AWS, port: 443, alpn: ['x-amzn-mqtt-ca'] },
        { ca: root('Amazon Root CA 3', 'Amazon', 'EC') },
      ),
      [],
    );
  });

  it('reports RSA-1024 and EC keys on other curves', async () => {
    assert.deepEqual(codes(await cloud({ host: AWS }, { keyBits: 1024 })), ['aws-key-type']);
  });

  it('reports the retired VeriSign root and an unknown root', async () => {
    const veri = root('VeriSign Class 3 Public Primary Certification Authority - G5', 'VeriSign, Inc.');
    const [f] = await cloud({ host: AWS }, { ca: veri });
    assert.equal(f?.code, 'aws-legacy-root');
    assert.match(f!.message, /Amazon Root CA 1/);
    assert.deepEqual(codes(await cloud({ host: AWS }, { ca: root('Dev CA', 'Acme') })), ['aws-root-ca']);
  });

  it('reports port 443 without the ALPN, on the port line, with an ALPN fix', async () => {
    const [f] = await cloud({ host: AWS, port: 443 });
    assert.equal(f?.code, 'aws-port-alpn');
    assert.equal(f?.severity, 'error');
    assert.equal(f?.range?.start.line, 8, 'the "port" line of the project file');
    assert.deepEqual(f?.fix?.args['value'], 8883);
    assert.match(f!.message, /"alpn": \["x-amzn-mqtt-ca"\]/);
    assert.deepEqual(codes(await cloud({ host: AWS, port: 1883 })), ['aws-port-alpn']);
  });

  it('reports a legacy endpoint, and an IP address without SNI', async () => {
    assert.deepEqual(codes(await cloud({ host: 'abc123.iot.eu-west-1.amazonaws.com' })), ['aws-endpoint']);
    assert.deepEqual(codes(await cloud({ host: '52.1.2.3', cloud: 'aws-iot' })), ['aws-sni']);
    assert.deepEqual(await cloud({ host: '52.1.2.3', cloud: 'aws-iot', servername: AWS }), []);
    const noSni = await cloud({ host: AWS }, { target: 'cc3200' });
    assert.deepEqual(
      noSni.filter((f) => f.code === 'aws-sni').map((f) => f.severity),
      ['warning'],
    );
    assert.deepEqual(
      (await cloud({ host: AWS }, { target: 'esp32' })).filter((f) => f.code === 'aws-sni'),
      [],
    );
  });

  it('reports a SHA-1 signed device certificate', async () => {
    const f = await cloud({ host: AWS }, { device: { signatureAlgorithm: 'sha1WithRSAEncryption' } });
    assert.deepEqual(codes(f), ['aws-signature-hash', 'weak-signature']);
  });
});

describe('rules: Azure IoT Hub', () => {
  const g2 = root('DigiCert Global Root G2', 'DigiCert Inc');
  const user = `${HUB}/device-01/?api-version=2021-04-12`;

  it('accepts DigiCert G2, CN = deviceId and the right user name', async () => {
    assert.deepEqual(await cloud({ host: HUB, clientId: 'device-01', username: user }, { ca: g2 }), []);
  });

  it('reports Baltimore and other roots', async () => {
    const balt = root('Baltimore CyberTrust Root', 'Baltimore');
    assert.deepEqual(codes(await cloud({ host: HUB, clientId: 'device-01', username: user }, { ca: balt })), [
      'azure-baltimore-root',
    ]);
    assert.deepEqual(codes(await cloud({ host: HUB, clientId: 'device-01', username: user })), [
      'azure-root-ca',
    ]);
  });

  it('reports a CN that is not the deviceId, except on self-signed (thumbprint) devices', async () => {
    const f = await cloud(
      { host: HUB, clientId: 'dev-9', username: `${HUB}/dev-9/?api-version=2021-04-12` },
      { ca: g2 },
    );
    assert.deepEqual(codes(f), ['azure-cn-device-id']);
    assert.match(f[0]!.message, /dev-9/);
    const self = await cloud(
      { host: HUB, clientId: 'dev-9', username: `${HUB}/dev-9/?api-version=2021-04-12` },
      { ca: g2, device: { issuer: dn('device-01'), selfSigned: true } },
    );
    assert.deepEqual(self, []);
  });

  it('reports a wrong or missing user name with the expected one as the fix', async () => {
    const [f] = await cloud({ host: HUB, clientId: 'device-01', username: 'device-01' }, { ca: g2 });
    assert.equal(f?.code, 'azure-username');
    assert.equal(f?.fix?.args['json'], JSON.stringify(user));
    assert.deepEqual(codes(await cloud({ host: HUB, clientId: 'device-01' }, { ca: g2 })), [
      'azure-username',
    ]);
  });

  it('reports a port other than 8883', async () => {
    assert.deepEqual(
      codes(await cloud({ host: HUB, clientId: 'device-01', username: user, port: 443 }, { ca: g2 })),
      ['azure-port'],
    );
  });

  it('leaves Mosquitto and generic brokers to the SAN rules', async () => {
    const f = await cloud({ host: 'broker.local', cloud: 'mosquitto' }, { ca: root('Dev CA', 'Acme') });
    assert.deepEqual(only(f, 'aws-root-ca'), []);
  });
});
