// Every board and cloud finding of `etls check`, each caused by a real set made with openssl
// (PEM vs DER, PKCS#8, encrypted keys, key types, roots, ports) and checked through the built CLI.
import { strict as assert } from 'node:assert';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../support/realParts';
import { CheckHarness, codes, good } from './harness';
import { type Issued } from '../../support/openssl';

describe('etls check: board and cloud rules on real certificate sets (e2e)', function () {
  this.timeout(180_000);
  const h = new CheckHarness('targets');
  const { pki } = h;
  const workspace = h.workspace.bind(h);
  const check = h.check.bind(h);
  let ca: Issued;
  let device: Issued;
  before(() => ({ ca, device } = h.setUp()));
  after(() => h.remove());

  it('target-format, target-key-format, target-encrypted-key on a CC3220 given OpenSSL 3 PEM/PKCS#8 files', () => {
    const enc = pki.path('device-enc.key');
    run('openssl', ['pkey', '-in', device.key, '-aes256', '-passout', 'pass:secret', '-out', enc]);
    assert.match(readFileSync(device.key, 'utf8'), /BEGIN PRIVATE KEY/, 'PKCS#8, as OpenSSL 3 writes it');
    assert.match(readFileSync(enc, 'utf8'), /BEGIN ENCRYPTED PRIVATE KEY/);
    const p = { target: 'cc3220', ca: 'ca.pem', cert: 'device.pem', key: 'device.key' };
    const pem = check(
      workspace('cc-pem', { 'ca.pem': ca.cert, 'device.pem': device.cert, 'device.key': device.key }, p),
    );
    assert.deepEqual(
      codes(pem.findings).filter((c) => c.startsWith('target-')),
      ['target-format', 'target-key-format', 'target-root-catalog'],
    );
    assert.ok(
      pem.findings.filter((f) => f.code === 'target-format').every((f) => f.fix?.kind === 'convert-to-der'),
    );
    // Made seconds ago: a board whose clock is not set yet would see them as not yet valid.
    assert.ok(pem.findings.some((f) => f.code === 'cert-recently-issued' && f.severity === 'info'));
    const encrypted = check(
      workspace('cc-enc', { 'ca.pem': ca.cert, 'device.pem': device.cert, 'device.key': enc }, p),
    );
    assert.ok(
      encrypted.findings.some((f) => f.code === 'target-encrypted-key' && f.fix?.kind === 'strip-passphrase'),
    );
    // The fixed set: DER files and a PKCS#1 DER key; only the catalog note remains.
    const der = workspace(
      'cc-der',
      {
        'ca.der': pki.certDer(ca.cert, pki.path('ca.der')),
        'device.der': pki.certDer(device.cert, pki.path('device.der')),
        'device.key.der': pki.keyDer(device.key, pki.path('device.key.der')),
      },
      { target: 'cc3220', ca: 'ca.der', cert: 'device.der', key: 'device.key.der' },
    );
    assert.deepEqual(codes(check(der).findings), ['target-root-catalog']);
  });

  it('target-key-type, target-key-size, target-root-type: EC on a CC3200, RSA-4096 on a CC3235, an EC root on a WINC1500', () => {
    const ecKey = pki.key('ec.key', 'ec:P-256');
    const ecDev = pki.issue('ec-dev', '/CN=device-01', ca, {
      key: ecKey,
      ext: ['extendedKeyUsage=clientAuth'],
    });
    const der = (f: string, n: string) => pki.certDer(f, pki.path(n));
    const cc3200 = workspace(
      'cc3200-ec',
      {
        'ca.der': der(ca.cert, 'ca2.der'),
        'device.der': der(ecDev.cert, 'ec-dev.der'),
        'device.key': pki.keyDer(ecKey, pki.path('ec.der'), 'ec'),
      },
      { target: 'cc3200', ca: 'ca.der', cert: 'device.der', key: 'device.key' },
    );
    assert.deepEqual(codes(check(cc3200).findings), ['target-key-type']);
    const big = pki.issue('big', '/CN=device-01', ca, {
      keySpec: 'rsa:4096',
      ext: ['extendedKeyUsage=clientAuth'],
    });
    const cc3235 = workspace(
      'cc3235-big',
      { 'device.der': der(big.cert, 'big.der'), 'device.key': pki.keyDer(big.key, pki.path('big.key.der')) },
      { target: 'cc3235', cert: 'device.der', key: 'device.key' },
    );
    assert.deepEqual(codes(check(cc3235).findings), ['target-key-size']);
    const ecRoot = pki.root('ec-root', '/CN=EC Root/O=Acme', { keySpec: 'ec:P-256' });
    const winc = workspace(
      'winc',
      { 'root.der': der(ecRoot.cert, 'ec-root.der') },
      { target: 'winc1500', ca: 'root.der' },
    );
    assert.deepEqual(codes(check(winc).findings), ['target-root-type']);
  });

  it('target-pem-nul: an ESP32 CA embedded with EMBED_FILES', () => {
    const dir = workspace(
      'esp',
      { 'main/certs/ca.pem': ca.cert },
      { target: 'esp32', ca: 'main/certs/ca.pem' },
    );
    writeFileSync(
      join(dir, 'main', 'CMakeLists.txt'),
      'idf_component_register(SRCS "app.c" EMBED_FILES certs/ca.pem)\n',
    );
    const { status, findings } = check(dir);
    assert.equal(status, 1);
    assert.deepEqual(codes(findings), ['target-pem-nul']);
    writeFileSync(
      join(dir, 'main', 'CMakeLists.txt'),
      'idf_component_register(SRCS "app.c" EMBED_TXTFILES certs/ca.pem)\n',
    );
    assert.deepEqual(codes(check(dir).findings), []);
  });

  it('target-key-permissions and target-format on Linux: a world-readable key, a DER certificate', () => {
    const dir = workspace(
      'linux',
      {
        'ca.pem': ca.cert,
        'device.der': pki.certDer(device.cert, pki.path('dev-linux.der')),
        'device.key': device.key,
      },
      good({ cert: 'device.der' }),
    );
    chmodSync(join(dir, 'device.key'), 0o644);
    const { findings } = check(dir);
    assert.deepEqual(codes(findings), ['target-format', 'target-key-permissions']);
    assert.equal(findings.find((f) => f.code === 'target-format')?.fix?.kind, 'convert-to-pem');
  });

  it('AWS IoT rules: RSA-1024, a VeriSign-named root, port 443 without ALPN on a CC3220', () => {
    const veri = pki.root(
      'verisign',
      '/C=US/O=VeriSign, Inc./CN=VeriSign Class 3 Public Primary Certification Authority - G5',
    );
    const small = pki.issue('aws-small', '/CN=thing-01', ca, { keySpec: 'rsa:1024' });
    const dir = workspace(
      'aws',
      {
        'root.der': pki.certDer(veri.cert, pki.path('veri.der')),
        'device.der': pki.certDer(small.cert, pki.path('aws.der')),
        'device.key': pki.keyDer(small.key, pki.path('aws.key.der')),
      },
      {
        target: 'cc3220',
        ca: 'root.der',
        cert: 'device.der',
        key: 'device.key',
        broker: { host: 'abc123-ats.iot.eu-west-1.amazonaws.com', port: 443 },
      },
    );
    const { findings } = check(dir);
    for (const c of ['aws-key-type', 'aws-legacy-root', 'aws-port-alpn', 'target-alpn'])
      assert.ok(codes(findings).includes(c), c);
    const port = findings.find((f) => f.code === 'aws-port-alpn')!;
    assert.equal(port.file, join(dir, 'embedded-tls.json'));
    const lines = readFileSync(join(dir, 'embedded-tls.json'), 'utf8').split('\n');
    assert.match(lines[port.range!.start.line]!, /"port": 443/);
  });

  it('Azure IoT Hub rules: CN is not the deviceId, a wrong user name, the Baltimore root', () => {
    const balt = pki.root('baltimore', '/C=IE/O=Baltimore/OU=CyberTrust/CN=Baltimore CyberTrust Root');
    const dir = workspace(
      'azure',
      { 'root.pem': balt.cert, 'device.pem': device.cert, 'device.key': device.key },
      {
        ca: 'root.pem',
        cert: 'device.pem',
        key: 'device.key',
        broker: { host: 'hub1.azure-devices.net', clientId: 'sensor-7', username: 'sensor-7' },
      },
    );
    assert.deepEqual(codes(check(dir).findings), [
      'azure-baltimore-root',
      'azure-cn-device-id',
      'azure-username',
    ]);
  });

  it('aws-root-ca, aws-endpoint, aws-sni, azure-root-ca, azure-port: settings the clouds refuse', () => {
    const files = { 'ca.pem': ca.cert, 'device.pem': device.cert, 'device.key': device.key };
    const profile = (broker: object) => ({ ca: 'ca.pem', cert: 'device.pem', key: 'device.key', broker });
    const aws = check(
      workspace('aws-own-ca', files, profile({ host: 'abc123.iot.eu-west-1.amazonaws.com' })),
    );
    assert.deepEqual(codes(aws.findings), ['aws-endpoint', 'aws-root-ca']);
    const ip = check(workspace('aws-ip', files, profile({ host: '52.1.2.3', cloud: 'aws-iot' })));
    assert.ok(codes(ip.findings).includes('aws-sni'));
    const azure = check(
      workspace(
        'azure-own',
        files,
        profile({
          host: 'hub1.azure-devices.net',
          port: 443,
          clientId: 'device-01',
          username: 'hub1.azure-devices.net/device-01/?api-version=2021-04-12',
        }),
      ),
    );
    assert.deepEqual(codes(azure.findings), ['azure-port', 'azure-root-ca']);
  });

  it('target-chain-size: a five-root bundle and the device certificate for an ESP8266', () => {
    const roots = [0, 1, 2, 3, 4].map((i) =>
      readFileSync(pki.root(`bundle${i}`, `/CN=Bundle Root ${i}/O=Acme`, { key: ca.key }).cert, 'utf8'),
    );
    const bundle = pki.path('bundle.pem');
    writeFileSync(bundle, roots.join(''));
    const dir = workspace(
      'esp8266',
      { 'roots.pem': bundle, 'device.pem': device.cert, 'device.key': device.key },
      { target: 'esp8266', ca: 'roots.pem', cert: 'device.pem', key: 'device.key' },
    );
    const f = check(dir).findings.find((x) => x.code === 'target-chain-size');
    assert.match(f?.message ?? '', /\d{4,} bytes of DER/);
  });
});
