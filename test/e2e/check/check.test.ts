// Every certificate, chain, name, file and git finding of `etls check`, each caused by a real
// misconfigured set made with openssl and checked through the built CLI; openssl confirms each one.
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { etls, run } from '../../support/realParts';
import { CheckHarness, codes, good } from './harness';
import { opensslVerifies, publicKeyOf, type Issued } from '../../support/openssl';

describe('etls check on real certificate sets (e2e)', function () {
  this.timeout(180_000);
  const h = new CheckHarness('certs');
  const { pki } = h;
  const workspace = h.workspace.bind(h);
  const check = h.check.bind(h);
  let ca: Issued;
  let device: Issued;
  let broker: Issued;
  before(() => ({ ca, device, broker } = h.setUp()));
  after(() => h.remove());

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
    const clean = etls(['check'], { cwd: dir });
    assert.equal(clean.status, 0);
    assert.doesNotMatch(clean.stdout, /key-not-ignored|key-tracked-by-git/);
    // A key whose name git would read as a pattern.
    writeFileSync(join(dir, 'dev*.key'), readFileSync(device.key));
    writeFileSync(join(dir, '.gitignore'), 'device.key\nspare.key\n');
    assert.match(etls(['check'], { cwd: dir }).stdout, /^dev\*\.key:1:1: warning key-not-ignored: /m);
  });

  it('weak-signature and aws-signature-hash: a SHA-1 signed device certificate for AWS IoT', () => {
    const sha1 = pki.path('sha1.pem');
    run('openssl', [
      'req',
      '-new',
      '-key',
      device.key,
      '-subj',
      '/CN=device-01',
      '-out',
      pki.path('sha1.csr'),
    ]);
    run('openssl', [
      'x509',
      '-req',
      '-in',
      pki.path('sha1.csr'),
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
