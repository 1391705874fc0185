// `etls pki init/device/csr` through the built CLI, checked by openssl.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { etls, openssl, removeDir, requireBuiltCli, tempDir, tool } from './helpers';

const DEVICES = ['dev-01', 'dev-02', 'sensor.kitchen'];

function initArgs(out: string, keyType: string, intermediate: boolean): string[] {
  const args = [
    'pki',
    'init',
    '--out',
    out,
    '--broker-host',
    'broker.local',
    '--broker-host',
    'mqtt.example.test',
    '--broker-ip',
    '192.168.1.10',
    '--broker-ip',
    'fd00::10',
  ];
  for (const d of DEVICES) args.push('--device', d);
  args.push('--key-type', keyType);
  if (intermediate) args.push('--intermediate');
  return args;
}

function verify(dir: string, cert: string, intermediate: boolean, purpose: string): string {
  const args = ['verify', '-purpose', purpose, '-CAfile', join(dir, 'ca.pem')];
  if (intermediate) args.push('-untrusted', join(dir, 'intermediate.pem'));
  const r = tool('openssl', [...args, join(dir, cert)]);
  return r.stdout.toString() + r.stderr;
}

function snapshot(dir: string): Map<string, { bytes: string; mtimeMs: number; mode: number }> {
  const m = new Map<string, { bytes: string; mtimeMs: number; mode: number }>();
  for (const f of readdirSync(dir)) {
    const s = statSync(join(dir, f));
    m.set(f, {
      bytes: readFileSync(join(dir, f)).toString('base64'),
      mtimeMs: s.mtimeMs,
      mode: s.mode & 0o777,
    });
  }
  return m;
}

describe('e2e: etls pki init', function () {
  this.timeout(180_000);
  let work: string | undefined;
  before(() => {
    requireBuiltCli();
    work = tempDir('pki-init');
  });
  after(() => removeDir(work));

  for (const keyType of ['p256', 'rsa2048', 'p384']) {
    for (const intermediate of [false, true]) {
      if (keyType === 'p384' && intermediate) continue;
      it(`${keyType}${intermediate ? ' with an intermediate' : ''}: openssl verifies every chain, names and purposes`, async () => {
        const out = join(work!, `${keyType}-${intermediate}`);
        const r = await etls(initArgs(out, keyType, intermediate), { cwd: work! });
        assert.equal(r.code, 0, r.stderr);
        assert.match(verify(out, 'broker.pem', intermediate, 'sslserver'), /broker\.pem: OK/);
        for (const d of DEVICES)
          assert.match(
            verify(out, `${d}.pem`, intermediate, 'sslclient'),
            new RegExp(`${d.replace('.', '\\.')}\\.pem: OK`),
          );
        // A device certificate is not a server certificate, and the reverse.
        assert.doesNotMatch(verify(out, 'dev-01.pem', intermediate, 'sslserver'), /dev-01\.pem: OK/);
        for (const host of ['broker.local', 'mqtt.example.test']) {
          const c = tool('openssl', [
            'x509',
            '-in',
            join(out, 'broker.pem'),
            '-noout',
            '-checkhost',
            host,
          ]).stdout.toString();
          assert.match(c, new RegExp(`Hostname ${host} does match`));
        }
        for (const ip of ['192.168.1.10', 'fd00::10']) {
          const c = tool('openssl', [
            'x509',
            '-in',
            join(out, 'broker.pem'),
            '-noout',
            '-checkip',
            ip,
          ]).stdout.toString();
          assert.match(c, new RegExp(`IP ${ip} does match`));
        }
        assert.match(
          tool('openssl', [
            'x509',
            '-in',
            join(out, 'broker.pem'),
            '-noout',
            '-checkhost',
            'other.local',
          ]).stdout.toString(),
          /does NOT match/,
        );
        if (intermediate) {
          // The chain files and the broker's CA bundle let leaf-only devices and chain-sending devices both verify.
          const r2 = tool('openssl', [
            'verify',
            '-CAfile',
            join(out, 'ca-bundle.pem'),
            join(out, 'dev-02.pem'),
          ]);
          assert.equal(r2.code, 0, r2.stderr);
          assert.equal(
            (readFileSync(join(out, 'dev-02-chain.pem'), 'utf8').match(/BEGIN CERTIFICATE/g) ?? []).length,
            2,
          );
        }
        // CN = device id; DER siblings equal the PEM; keys pair with their certificates.
        const subject = openssl(
          'x509',
          '-in',
          join(out, 'sensor.kitchen.pem'),
          '-noout',
          '-subject',
          '-nameopt',
          'RFC2253',
        ).toString();
        assert.match(subject, /CN=sensor\.kitchen/);
        assert.deepEqual(
          openssl('x509', '-in', join(out, 'dev-01.pem'), '-outform', 'DER'),
          readFileSync(join(out, 'dev-01.der')),
        );
        const certPub = openssl('x509', '-in', join(out, 'dev-01.pem'), '-noout', '-pubkey');
        assert.deepEqual(openssl('pkey', '-in', join(out, 'dev-01.key'), '-pubout'), certPub);
        assert.deepEqual(
          openssl('pkey', '-in', join(out, 'dev-01.key.der'), '-inform', 'DER', '-pubout'),
          certPub,
        );
      });
    }
  }

  it('gives every key file mode 0600 and lists it in .gitignore; certificates stay readable', async () => {
    const out = join(work!, 'p256-false');
    const ignore = readFileSync(join(out, '.gitignore'), 'utf8').split('\n');
    for (const f of readdirSync(out)) {
      const mode = statSync(join(out, f)).mode & 0o777;
      if (/\.key(\.der)?$/.test(f)) {
        assert.equal(mode, 0o600, `${f} has mode ${mode.toString(8)}`);
        assert.ok(ignore.includes(f), `${f} missing from .gitignore`);
      } else assert.equal(mode, 0o644, `${f} has mode ${mode.toString(8)}`);
    }
  });

  it('writes mosquitto.conf with the tutorial listener, client certificates required and the CN as username', () => {
    const conf = readFileSync(join(work!, 'rsa2048-true', 'mosquitto.conf'), 'utf8');
    assert.match(conf, /^listener 8883$/m);
    assert.match(conf, /^cafile .*ca-bundle\.pem$/m);
    assert.match(conf, /^certfile .*broker-chain\.pem$/m);
    assert.match(conf, /^keyfile .*broker\.key$/m);
    assert.match(conf, /^require_certificate true$/m);
    assert.match(conf, /^use_identity_as_username true$/m);
    assert.match(conf, /^set_tcp_nodelay true$/m);
  });

  it('sets notBefore one day back and notAfter from --days', async () => {
    const out = join(work!, 'days');
    const r = await etls(
      ['pki', 'init', '--out', out, '--broker-host', 'b.local', '--device', 'd1', '--days', '30'],
      { cwd: work! },
    );
    assert.equal(r.code, 0, r.stderr);
    const dates = openssl('x509', '-in', join(out, 'd1.pem'), '-noout', '-startdate', '-enddate').toString();
    const start = Date.parse(/notBefore=(.*)/.exec(dates)![1]!);
    const end = Date.parse(/notAfter=(.*)/.exec(dates)![1]!);
    const hoursBack = (Date.now() - start) / 3_600_000;
    assert.ok(hoursBack > 23 && hoursBack < 26, `notBefore is ${hoursBack.toFixed(1)} hours back`);
    assert.ok(Math.abs((end - start) / 86_400_000 - 31) < 0.01, 'validity is 30 days from now');
  });

  it('running init again without --force changes nothing (bytes and mtimes), and says why', async () => {
    const out = join(work!, 'again');
    const args = [
      'pki',
      'init',
      '--out',
      out,
      '--broker-host',
      'b.local',
      '--device',
      'd1',
      '--device',
      'd2',
    ];
    assert.equal((await etls(args, { cwd: work! })).code, 0);
    const before = snapshot(out);
    await new Promise((r) => setTimeout(r, 50));
    const again = await etls(args, { cwd: work! });
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exist.*Nothing was changed.*--force/s);
    assert.doesNotMatch(again.stderr, /\bat .*\.js:\d+/);
    assert.deepEqual(snapshot(out), before);
    // Adding one new device id still refuses: the CA files are in the way.
    assert.equal((await etls([...args, '--device', 'd3'], { cwd: work! })).code, 2);
    assert.deepEqual(snapshot(out), before);
    const forced = await etls([...args, '--force'], { cwd: work! });
    assert.equal(forced.code, 0, forced.stderr);
    assert.notEqual(readFileSync(join(out, 'ca.pem'), 'utf8'), before.get('ca.pem')!.bytes);
    assert.equal(statSync(join(out, 'd1.key')).mode & 0o777, 0o600);
  });

  it('pki device adds a device signed by the existing CA (and by the intermediate when there is one)', async () => {
    for (const [dir, inter] of [
      ['p256-false', false],
      ['rsa2048-true', true],
    ] as const) {
      const out = join(work!, dir);
      const r = await etls(['pki', 'device', '--ca-dir', out, 'late-device'], { cwd: work! });
      assert.equal(r.code, 0, r.stderr);
      assert.match(verify(out, 'late-device.pem', inter, 'sslclient'), /late-device\.pem: OK/);
      assert.equal(statSync(join(out, 'late-device.key')).mode & 0o777, 0o600);
      assert.ok(readFileSync(join(out, '.gitignore'), 'utf8').includes('late-device.key\n'));
      // Same key type and container as the CA.
      const text = openssl('pkey', '-in', join(out, 'late-device.key'), '-noout', '-text').toString();
      assert.match(text, inter ? /2048 bit/ : /256 bit/);
      const again = await etls(['pki', 'device', '--ca-dir', out, 'late-device'], { cwd: work! });
      assert.equal(again.code, 2);
    }
  });

  it('pki csr makes a key and a CSR openssl accepts, with the requested SANs', async () => {
    const out = join(work!, 'csr');
    const r = await etls(
      [
        'pki',
        'csr',
        '--cn',
        'thing-42',
        '--out',
        out,
        '--dns',
        'thing-42.local',
        '--ip',
        '10.0.0.42',
        '--key-type',
        'rsa2048',
      ],
      { cwd: work! },
    );
    assert.equal(r.code, 0, r.stderr);
    const v = tool('openssl', ['req', '-in', join(out, 'thing-42.csr'), '-noout', '-verify', '-text']);
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stderr + v.stdout.toString(), /verify OK/i);
    assert.match(v.stdout.toString(), /CN ?= ?thing-42/);
    assert.match(v.stdout.toString(), /DNS:thing-42\.local, IP Address:10\.0\.0\.42/);
    assert.equal(statSync(join(out, 'thing-42.key')).mode & 0o777, 0o600);
    assert.deepEqual(
      openssl('pkey', '-in', join(out, 'thing-42.key'), '-pubout'),
      openssl('req', '-in', join(out, 'thing-42.csr'), '-noout', '-pubkey'),
    );
  });

  it('takes the key type and container from the project target and links the PKI into embedded-tls.json', async () => {
    const proj = join(work!, 'project');
    mkdirSync(proj);
    writeFileSync(
      join(proj, 'embedded-tls.json'),
      JSON.stringify({ version: 1, profiles: { board: { target: 'cc3220' } } }, null, 2),
    );
    const r = await etls(
      ['pki', 'init', '--out', 'certs', '--broker-host', 'broker.local', '--device', 'cc-01'],
      { cwd: proj },
    );
    assert.equal(r.code, 0, r.stderr);
    const key = readFileSync(join(proj, 'certs', 'cc-01.key'), 'utf8');
    assert.match(key, /^-----BEGIN RSA PRIVATE KEY-----/);
    assert.match(
      openssl('pkey', '-in', join(proj, 'certs', 'cc-01.key'), '-noout', '-text').toString(),
      /2048 bit/,
    );
    // The DER key is PKCS#1, what SimpleLink loads.
    assert.deepEqual(
      openssl('pkey', '-in', join(proj, 'certs', 'cc-01.key'), '-traditional', '-outform', 'DER'),
      readFileSync(join(proj, 'certs', 'cc-01.key.der')),
    );
    const project = JSON.parse(readFileSync(join(proj, 'embedded-tls.json'), 'utf8'));
    assert.equal(project.pki.dir, 'certs');
    assert.equal(project.profiles.board.ca, 'certs/ca.der');
    assert.equal(project.profiles.board.cert, 'certs/cc-01.der');
    assert.equal(project.profiles.board.key, 'certs/cc-01.key.der');
    assert.equal(project.profiles.board.broker.host, 'broker.local');
  });

  it('refuses bad input with a sentence, not a stack trace', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['pki', 'init', '--out', 'x', '--device', 'd'], /broker needs a host name/],
      [
        ['pki', 'init', '--out', 'x', '--broker-host', 'b', '--device', 'bad/id'],
        /can't be used as a certificate CN/,
      ],
      [
        ['pki', 'init', '--out', 'x', '--broker-host', 'b', '--device', 'd', '--broker-ip', '300.1.1.1'],
        /not an IPv4 or IPv6/,
      ],
      [
        ['pki', 'init', '--out', 'x', '--broker-host', 'b', '--device', 'd', '--key-type', 'rsa1024'],
        /unknown key type/,
      ],
      [['pki', 'device', '--ca-dir', 'nowhere', 'd'], /has no ca\.pem/],
    ];
    for (const [args, re] of cases) {
      const r = await etls(args, { cwd: work! });
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, re);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  });

  it('--broker-host 192.168.1.20 gives an IP SAN, not a DNS SAN, and several hosts may be listed', async () => {
    const out = join(work!, 'ip-host');
    const r = await etls(
      [
        'pki',
        'init',
        '--out',
        out,
        '--broker-host',
        '192.168.1.20',
        '--broker-host',
        'localhost,127.0.0.1,fd00::20',
        '--device',
        'd1',
        '--no-project',
      ],
      { cwd: work! },
    );
    assert.equal(r.code, 0, r.stderr);
    const text = openssl('x509', '-in', join(out, 'broker.pem'), '-noout', '-text').toString();
    assert.match(text, /IP Address:192\.168\.1\.20/);
    assert.match(text, /IP Address:127\.0\.0\.1/);
    assert.match(text, /IP Address:FD00:0:0:0:0:0:0:20/i);
    assert.match(text, /DNS:localhost/);
    assert.doesNotMatch(text, /DNS:192\.168|DNS:127\.0|DNS:fd00/i);
    const ip = tool('openssl', [
      'x509',
      '-in',
      join(out, 'broker.pem'),
      '-noout',
      '-checkip',
      '192.168.1.20',
    ]);
    assert.match(ip.stdout.toString(), /does match/);
  });

  it('with only --broker-host, writes pki/ with one device, device-01, and says so', async () => {
    const dir = join(work!, 'bare');
    mkdirSync(dir);
    const r = await etls(['pki', 'init', '--broker-host', '192.168.1.20', '--no-project'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /No --device given: making one device certificate, device-01/);
    const text = openssl('x509', '-in', join(dir, 'pki', 'broker.pem'), '-noout', '-text').toString();
    assert.match(text, /IP Address:192\.168\.1\.20/);
    assert.match(verify(join(dir, 'pki'), 'device-01.pem', false, 'sslclient'), /OK/);
  });
});
