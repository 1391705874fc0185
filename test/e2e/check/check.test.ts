// Every finding of `etls check`, each caused by a real misconfigured certificate set made with
// openssl, checked through the built CLI; openssl itself confirms each misconfiguration.
import { strict as assert } from 'node:assert';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { etls, requireBuiltCli, requireTool, run, scratchDir } from '../../support/realParts';
import { OpenSslPki, opensslVerifies, publicKeyOf, type Issued } from './openssl';

interface Finding {
  file: string;
  code: string;
  severity: string;
  message: string;
  range?: { start: { line: number } };
  fix?: { kind: string; args: Record<string, unknown> };
}

describe('etls check on real certificate sets (e2e)', function () {
  this.timeout(180_000);
  const scratch = scratchDir('check');
  const pki = new OpenSslPki(join(scratch.path, 'pki'));
  let ca: Issued;
  let device: Issued;
  let broker: Issued;

  /** A workspace folder with the given files (copied from the PKI) and profile. */
  function workspace(name: string, files: Record<string, string>, profile: object): string {
    const dir = join(scratch.path, name);
    mkdirSync(dir, { recursive: true });
    for (const [to, from] of Object.entries(files)) {
      mkdirSync(join(dir, to, '..'), { recursive: true });
      copyFileSync(from, join(dir, to));
      if (/\.key/.test(to)) chmodSync(join(dir, to), 0o600);
    }
    writeFileSync(
      join(dir, 'embedded-tls.json'),
      JSON.stringify({ profiles: { dev: profile } }, null, 2) + '\n',
    );
    return dir;
  }

  function check(dir: string, args: string[] = ['--no-git']): { status: number | null; findings: Finding[] } {
    const r = etls(['check', dir, '--json', ...args]);
    assert.ok(r.status === 0 || r.status === 1, `etls check failed: ${r.stderr}`);
    return { status: r.status, findings: (JSON.parse(r.stdout) as { findings: Finding[] }).findings };
  }

  /** Distinct codes; certificates made a moment ago are "recently issued" on boards, which one test checks. */
  function codes(findings: Finding[]): string[] {
    return [...new Set(findings.map((f) => f.code))].filter((c) => c !== 'cert-recently-issued').sort();
  }

  const good = (o: object = {}) => ({
    target: 'linux',
    ca: 'ca.pem',
    cert: 'device.pem',
    key: 'device.key',
    broker: { host: 'broker.local', cloud: 'mosquitto' },
    ...o,
  });

  before(() => {
    requireTool('openssl');
    requireTool('git');
    requireBuiltCli();
    ca = pki.root('ca', '/CN=Dev CA/O=Acme');
    device = pki.issue('device', '/CN=device-01', ca, { ext: ['extendedKeyUsage=clientAuth'] });
    broker = pki.issue('broker', '/CN=broker.local', ca, {
      ext: ['extendedKeyUsage=serverAuth', 'subjectAltName=DNS:broker.local,IP:127.0.0.1'],
    });
  });
  after(() => scratch.remove());

  it('passes a correct Mosquitto set on Linux, and openssl agrees', () => {
    assert.ok(opensslVerifies(ca.cert, device.cert, ['-purpose', 'sslclient']));
    assert.ok(opensslVerifies(ca.cert, broker.cert, ['-purpose', 'sslserver']));
    const dir = workspace(
      'good',
      { 'ca.pem': ca.cert, 'device.pem': device.cert, 'device.key': device.key, 'broker.pem': broker.cert },
      good(),
    );
    const r = etls(['check', dir, '--no-git']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, '');
  });

  // openssl's -checkend exits 1 for an expired certificate; run() throws then.
  it('reports expired, not yet valid and expiring certificates, with openssl -checkend as the oracle', () => {
    const old = pki.issue('old2', '/CN=old', ca, {
      key: device.key,
      start: '20200101000000Z',
      end: '20210101000000Z',
    });
    const future = pki.issue('future2', '/CN=future', ca, {
      key: device.key,
      start: '20990101000000Z',
      end: '20991231000000Z',
    });
    const soon = pki.issue('soon2', '/CN=soon', ca, { key: device.key, days: 5 });
    assert.throws(() => run('openssl', ['x509', '-in', old.cert, '-noout', '-checkend', '0']));
    assert.throws(() =>
      run('openssl', ['x509', '-in', soon.cert, '-noout', '-checkend', String(30 * 86400)]),
    );
    assert.ok(!opensslVerifies(ca.cert, future.cert));
    const dir = workspace(
      'dates',
      { 'old.pem': old.cert, 'future.pem': future.cert, 'soon.pem': soon.cert },
      {},
    );
    const { status, findings } = check(dir);
    assert.equal(status, 1);
    const at = (code: string) => findings.filter((f) => f.code === code).map((f) => f.file.split('/').pop());
    assert.deepEqual(at('cert-expired'), ['old.pem']);
    assert.deepEqual(at('cert-not-yet-valid'), ['future.pem']);
    assert.deepEqual(at('cert-expiring'), ['soon.pem']);
    assert.deepEqual(
      check(dir, ['--no-git', '--expiry-days', '2']).findings.filter((f) => f.code === 'cert-expiring'),
      [],
    );
  });

  it('key-mismatch: the key of another certificate, which openssl shows differs', () => {
    assert.notEqual(publicKeyOf(device.cert, 'cert'), publicKeyOf(broker.key, 'key'));
    const dir = workspace(
      'mismatch',
      { 'ca.pem': ca.cert, 'device.pem': device.cert, 'device.key': broker.key },
      good(),
    );
    const f = check(dir).findings.find((x) => x.code === 'key-mismatch');
    assert.equal(f?.file, join(dir, 'device.key'));
    assert.equal(f?.severity, 'error');
  });

  it('chain-unverified and broker-issuer-not-ca: certificates from a same-name impostor CA', () => {
    const impostor = pki.root('impostor', '/CN=Dev CA/O=Acme');
    const dev2 = pki.issue('dev-impostor', '/CN=device-01', impostor, {
      key: device.key,
      ext: ['extendedKeyUsage=clientAuth'],
    });
    const other = pki.root('other', '/CN=Other CA/O=Acme');
    const brk2 = pki.issue('broker-other', '/CN=broker.local', other, {
      key: broker.key,
      ext: ['extendedKeyUsage=serverAuth', 'subjectAltName=DNS:broker.local'],
    });
    assert.ok(!opensslVerifies(ca.cert, dev2.cert));
    assert.ok(!opensslVerifies(ca.cert, brk2.cert));
    const dir = workspace(
      'chain',
      {
        'ca.pem': ca.cert,
        'device.pem': dev2.cert,
        'device.key': device.key,
        'broker.pem': brk2.cert,
        'other-ca.pem': other.cert,
      },
      good(),
    );
    const { findings } = check(dir);
    const byCode = (c: string) => findings.filter((f) => f.code === c).map((f) => f.file.split('/').pop());
    assert.deepEqual(byCode('chain-unverified'), ['device.pem']);
    assert.deepEqual(byCode('broker-issuer-not-ca'), ['broker.pem']);
  });

  it('host-not-in-san, host-only-in-cn and ip-without-ip-san, with openssl -checkhost/-checkip as the oracle', () => {
    const wrongSan = pki.issue('b-wrong', '/CN=broker.local', ca, {
      key: broker.key,
      ext: ['subjectAltName=DNS:other.local'],
    });
    const cnOnly = pki.issue('b-cn', '/CN=broker.local', ca, {
      key: broker.key,
      ext: ['extendedKeyUsage=serverAuth'],
    });
    const noIp = pki.issue('b-noip', '/CN=127.0.0.1', ca, {
      key: broker.key,
      ext: ['subjectAltName=DNS:broker.local'],
    });
    assert.match(
      run('openssl', ['x509', '-in', wrongSan.cert, '-noout', '-checkhost', 'broker.local']),
      /does NOT match/,
    );
    assert.match(
      run('openssl', ['x509', '-in', noIp.cert, '-noout', '-checkip', '127.0.0.1']),
      /does NOT match/,
    );
    const base = { 'ca.pem': ca.cert, 'device.pem': device.cert, 'device.key': device.key };
    const one = (name: string, cert: string, host: string) =>
      codes(
        check(
          workspace(name, { ...base, 'broker.pem': cert }, good({ broker: { host, cloud: 'mosquitto' } })),
        ).findings,
      );
    assert.deepEqual(one('san', wrongSan.cert, 'broker.local'), ['host-not-in-san']);
    assert.deepEqual(one('cn', cnOnly.cert, 'broker.local'), ['host-only-in-cn']);
    assert.deepEqual(one('ip', noIp.cert, '127.0.0.1'), ['ip-without-ip-san']);
  });

  it('missing-client-auth and missing-server-auth: swapped key usages that openssl -purpose refuses', () => {
    const devServer = pki.issue('dev-srv', '/CN=device-01', ca, {
      key: device.key,
      ext: ['extendedKeyUsage=serverAuth'],
    });
    const brkClient = pki.issue('brk-cli', '/CN=broker.local', ca, {
      key: broker.key,
      ext: ['extendedKeyUsage=clientAuth', 'subjectAltName=DNS:broker.local'],
    });
    assert.ok(!opensslVerifies(ca.cert, devServer.cert, ['-purpose', 'sslclient']));
    assert.ok(!opensslVerifies(ca.cert, brkClient.cert, ['-purpose', 'sslserver']));
    const dir = workspace(
      'eku',
      {
        'ca.pem': ca.cert,
        'device.pem': devServer.cert,
        'device.key': device.key,
        'broker.pem': brkClient.cert,
      },
      good(),
    );
    assert.deepEqual(codes(check(dir).findings), ['missing-client-auth', 'missing-server-auth']);
  });

  it('ca-not-ca: a "CA" with CA:FALSE that signed the device certificate, which openssl verify rejects', () => {
    const fake = pki.root('fake-ca', '/CN=Fake CA', { ext: ['basicConstraints=CA:FALSE'] });
    const dev = pki.issue('dev-fake', '/CN=device-01', fake, {
      key: device.key,
      ext: ['extendedKeyUsage=clientAuth'],
    });
    assert.ok(!opensslVerifies(fake.cert, dev.cert));
    const dir = workspace(
      'noca',
      { 'ca.pem': fake.cert, 'device.pem': dev.cert, 'device.key': device.key },
      good(),
    );
    const f = check(dir).findings.find((x) => x.code === 'ca-not-ca');
    assert.equal(f?.file, join(dir, 'ca.pem'));
  });

  it('rsa-too-small: an RSA-1024 device key', () => {
    const small = pki.issue('small', '/CN=device-01', ca, {
      keySpec: 'rsa:1024',
      ext: ['extendedKeyUsage=clientAuth'],
    });
    assert.match(run('openssl', ['pkey', '-in', small.key, '-noout', '-text']), /1024 bit/);
    const dir = workspace(
      'small',
      { 'ca.pem': ca.cert, 'device.pem': small.cert, 'device.key': small.key },
      good(),
    );
    assert.deepEqual(codes(check(dir).findings), ['rsa-too-small']);
  });

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
    assert.deepEqual(codes(check(winc).findings), ['target-root-type', 'target-root-upload']);
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

  it('header-stale: a header still embedding the certificate that was re-issued', () => {
    const old = readFileSync(device.cert, 'utf8');
    const renewed = pki.issue('renewed', '/CN=device-01', ca, {
      key: device.key,
      ext: ['extendedKeyUsage=clientAuth'],
    });
    const dir = workspace(
      'header',
      { 'device.pem': renewed.cert },
      {
        headers: [{ output: 'include/certs.h', inputs: [{ file: 'device.pem' }] }],
      },
    );
    mkdirSync(join(dir, 'include'));
    const literal = old
      .trim()
      .split('\n')
      .map((l) => `  "${l}\\n"`)
      .join('\n');
    writeFileSync(join(dir, 'include', 'certs.h'), `static const char device_pem[] =\n${literal};\n`);
    const f = check(dir).findings.find((x) => x.code === 'header-stale');
    assert.equal(f?.file, join(dir, 'include', 'certs.h'));
    assert.equal(f?.fix?.kind, 'regenerate-header');
  });

  it('file-not-found and file-unreadable: a missing CA, a truncated certificate', () => {
    const pem = readFileSync(device.cert, 'utf8');
    const dir = workspace('files', {}, { ca: 'missing.pem' });
    writeFileSync(join(dir, 'cut.pem'), pem.slice(0, 200) + '\n-----END CERTIFICATE-----\n');
    assert.throws(() => run('openssl', ['x509', '-in', join(dir, 'cut.pem'), '-noout']));
    assert.deepEqual(codes(check(dir).findings), ['file-not-found', 'file-unreadable']);
  });

  it('key-tracked-by-git and key-not-ignored, with git ls-files as the oracle; text output and exit status', () => {
    const dir = workspace(
      'git',
      { 'ca.pem': ca.cert, 'device.pem': device.cert, 'device.key': device.key, 'spare.key': broker.key },
      good(),
    );
    const git = (...a: string[]) =>
      run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...a], { cwd: dir });
    git('init', '-q');
    git('add', 'device.key', 'embedded-tls.json');
    git('commit', '-q', '-m', 'oops');
    assert.equal(git('ls-files', 'device.key').trim(), 'device.key');
    const r = etls(['check'], { cwd: dir });
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^device\.key:1:1: error key-tracked-by-git: /m);
    assert.match(r.stdout, /^spare\.key:1:1: warning key-not-ignored: /m);
    assert.match(r.stderr, /1 error, 1 warning/);
    writeFileSync(join(dir, '.gitignore'), '*.key\n');
    git('rm', '-q', '--cached', 'device.key');
    assert.equal(etls(['check'], { cwd: dir }).status, 0);
  });

  it('weak-signature and aws-signature-hash: a SHA-1 signed device certificate for AWS IoT', () => {
    const sha1 = pki.path('sha1.pem');
    run('openssl', [
      'x509',
      '-req',
      '-in',
      pki.path('device.csr'),
      '-CA',
      ca.cert,
      '-CAkey',
      ca.key,
      '-set_serial',
      '77',
      '-days',
      '365',
      '-sha1',
      '-out',
      sha1,
    ]);
    assert.match(
      run('openssl', ['x509', '-in', sha1, '-noout', '-text']),
      /Signature Algorithm: sha1WithRSAEncryption/,
    );
    const amazon = pki.root('amazon1', '/C=US/O=Amazon/CN=Amazon Root CA 1');
    const dir = workspace(
      'sha1',
      { 'root.pem': amazon.cert, 'device.pem': sha1, 'device.key': device.key },
      {
        ca: 'root.pem',
        cert: 'device.pem',
        key: 'device.key',
        broker: { host: 'abc123-ats.iot.eu-west-1.amazonaws.com' },
      },
    );
    assert.deepEqual(codes(check(dir).findings), ['aws-signature-hash', 'weak-signature']);
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

  it('profile-wrong-kind: the certificate named as the key, the CA as the device certificate', () => {
    const dir = workspace(
      'kinds',
      { 'ca.pem': ca.cert, 'device.pem': device.cert },
      { ca: 'ca.pem', cert: 'ca.pem', key: 'device.pem' },
    );
    const f = check(dir).findings.filter((x) => x.code === 'profile-wrong-kind');
    assert.equal(f.length, 2);
    assert.ok(f.every((x) => x.file === join(dir, 'embedded-tls.json')));
  });
});
