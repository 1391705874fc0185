import { strict as assert } from 'node:assert';
import type { TargetId } from '../../../src/core/targets/ids';
import type { CertificateInfo, PrivateKeyInfo } from '../../../src/core/x509/types';
import { caCert, cert, check, codes, file, key, only, project, pubKey } from './fixtures';

/** A profile for `target` with DER files unless told otherwise. */
async function forTarget(
  target: TargetId,
  o: {
    k?: Partial<PrivateKeyInfo>;
    ca?: CertificateInfo;
    encoding?: 'PEM' | 'DER';
    port?: number;
    host?: string;
    big?: boolean;
  } = {},
) {
  const enc = o.encoding ?? 'DER';
  const files = [
    file('ca.der', [o.ca ?? caCert('Dev CA')], { encoding: enc }),
    file(
      'device.der',
      [cert({ cn: 'device-01', issuerCn: 'Dev CA', ...(o.big ? { der: new Uint8Array(5000) } : {}) })],
      { encoding: enc },
    ),
    file('device.key', [key(o.k)], { encoding: enc }),
  ];
  const p = project({
    d: {
      target,
      ca: 'ca.der',
      cert: 'device.der',
      key: 'device.key',
      broker: { host: o.host ?? 'b.local', ...(o.port ? { port: o.port } : {}) },
    },
  });
  const { findings } = await check(files, p, { projectText: JSON.stringify(p.file, null, 2) });
  // The catalog notes are reported for every CC3220 profile; the tests look at the rest.
  return findings.filter((f) => f.code !== 'target-root-catalog' && f.code !== 'target-root-upload');
}

describe('rules: targets', () => {
  it('accepts DER, PKCS#1 RSA-2048 on the CC3200', async () => {
    assert.deepEqual(await forTarget('cc3200'), []);
  });

  it('reports PEM files on SimpleLink with a convert-to-DER fix', async () => {
    const findings = await forTarget('cc3220', { encoding: 'PEM' });
    assert.deepEqual(codes(findings), ['target-format', 'target-format', 'target-format']);
    const key = findings.find((f) => f.file === '/ws/device.key')!;
    assert.match(key.message, /-458/);
    assert.deepEqual(key.fix, {
      kind: 'convert-to-der',
      title: 'Convert to DER',
      args: { file: '/ws/device.key', output: '/ws/device.der' },
    });
  });

  it('reports DER files on Linux with a convert-to-PEM fix, and accepts both on the ESP32', async () => {
    const linux = await forTarget('linux');
    assert.deepEqual(codes(linux), ['target-format', 'target-format', 'target-format']);
    assert.equal(linux[0]!.fix?.kind, 'convert-to-pem');
    assert.deepEqual(await forTarget('esp32'), []);
    assert.deepEqual(await forTarget('esp32', { encoding: 'PEM' }), []);
  });

  it('reports PKCS#8 where SimpleLink expects PKCS#1', async () => {
    const [f] = await forTarget('cc3200', { k: { format: 'PKCS#8' } });
    assert.equal(f?.code, 'target-key-format');
    assert.equal(f?.fix?.kind, 'convert-key-format');
    assert.equal(f?.fix?.args['format'], 'PKCS#1');
    assert.deepEqual(await forTarget('esp32', { k: { format: 'PKCS#8' } }), []);
  });

  it('reports an encrypted key on a board that cannot decrypt it, with a strip-passphrase fix', async () => {
    const [f] = await forTarget('cc3235', { k: { encrypted: true } });
    assert.equal(f?.code, 'target-encrypted-key');
    assert.equal(f?.severity, 'error');
    assert.equal(f?.fix?.kind, 'strip-passphrase');
    // Encrypted PKCS#8 hides the algorithm and the inner format: only the encryption is reported.
    const locked = await forTarget('cc3200', {
      k: { encrypted: true, algorithm: 'unknown', format: 'PKCS#8', publicKey: undefined },
    });
    assert.deepEqual(codes(locked), ['target-encrypted-key']);
    const esp = await forTarget('esp32', { k: { encrypted: true } });
    assert.deepEqual(
      esp.map((x) => [x.code, x.severity]),
      [['target-encrypted-key', 'info']],
    );
  });

  it('reports EC keys on the CC3200 and WINC1500, RSA-4096 on the CC3235', async () => {
    const ec = {
      algorithm: 'EC' as const,
      format: 'SEC1' as const,
      publicKey: pubKey('key-device-01', 'EC', 256, 'P-256'),
    };
    assert.deepEqual(codes(await forTarget('cc3200', { k: ec })), ['target-key-type']);
    assert.deepEqual(codes(await forTarget('winc1500', { k: ec })), ['target-key-type']);
    assert.deepEqual(await forTarget('cc3220', { k: ec }), []);
    const big = { publicKey: pubKey('key-device-01', 'RSA', 4096) };
    assert.deepEqual(codes(await forTarget('cc3235', { k: big })), ['target-key-size']);
    const k1 = {
      algorithm: 'EC' as const,
      format: 'SEC1' as const,
      publicKey: pubKey('key-device-01', 'EC', 256, 'secp256k1'),
    };
    assert.deepEqual(codes(await forTarget('cc3220', { k: k1 })), ['target-key-type']);
  });

  it('reports an ECDSA root on the WINC1500 (and no push advice for a root it cannot use)', async () => {
    const ecRoot = caCert('Amazon Root CA 3', { publicKey: pubKey('r3', 'EC', 256, 'P-256') });
    const files = [file('root.der', [ecRoot], { encoding: 'DER' })];
    const p = project({ d: { target: 'winc1500', ca: 'root.der' } });
    const { findings } = await check(files, p);
    assert.deepEqual(codes(findings), ['target-root-type']);
  });

  it('a private root for a WiFiNINA/WINC1500 module needs a push: warning whose Quick Fix pushes it', async () => {
    for (const [target, protocol] of [
      ['wifinina', 'wifinina-roots'],
      ['winc1500', 'wifi101-roots'],
    ] as const) {
      const files = [file('ca.der', [caCert('Dev CA')], { encoding: 'DER' })];
      const { findings } = await check(files, project({ d: { target, ca: 'ca.der' } }));
      const [f] = only(findings, 'target-root-upload');
      assert.equal(f?.severity, 'warning', target);
      assert.match(f!.message, /not among the roots Arduino ships/);
      assert.equal(f!.fix?.kind, 'push-module-roots');
      assert.equal(f!.fix?.args.protocol, protocol);
      assert.match(String(f!.fix?.args.file), /ca\.der$/);
    }
  });

  it("no push advice for one of Arduino's default roots, matched by certificate or by key", async () => {
    // Amazon Root CA 1: certificate SHA-256 8ecde688..., key SHA-256 fbe30180... (nina-fw data/roots.pem; openssl agrees)
    const byCert = caCert('Amazon Root CA 1', {
      sha256Fingerprint: '8ecde6884f3d87b1125ba31ac3fcb13d7016de7f57cc904fe1cb97c6ae98196e',
    });
    const byKey = caCert('Amazon Root CA 1 (reissued)', {
      publicKey: pubKey('fbe3018031f9586bcbf41727e417b7d1c45c2f47f93be372a17b96b50757d5a2'),
    });
    for (const root of [byCert, byKey]) {
      const files = [file('ca.der', [root], { encoding: 'DER' })];
      const { findings } = await check(files, project({ d: { target: 'wifinina', ca: 'ca.der' } }));
      assert.deepEqual(only(findings, 'target-root-upload'), [], root.subject.rfc4514);
    }
    // The WINC1500 store has no Amazon root: a private CA needs the push there as well.
    const files = [file('ca.der', [caCert('Dev CA')], { encoding: 'DER' })];
    const { findings } = await check(files, project({ d: { target: 'winc1500', ca: 'ca.der' } }));
    assert.equal(only(findings, 'target-root-upload').length, 1);
  });

  it('no push advice once a verified push recorded the root in the profile', async () => {
    const root = caCert('Dev CA');
    const files = [file('ca.der', [root], { encoding: 'DER' })];
    const pushed = project({
      d: {
        target: 'wifinina',
        ca: 'ca.der',
        push: {
          protocol: 'wifinina-roots',
          moduleRoots: [{ subject: 'Dev CA', sha256: root.sha256Fingerprint }],
        },
      },
    });
    assert.deepEqual(only((await check(files, pushed)).findings, 'target-root-upload'), []);
  });

  it('tells the CC3220 story of the trusted-root catalog: warning for a private root, info for a public one', async () => {
    const p = project({ d: { target: 'cc3220', ca: 'ca.der' } });
    const priv = await check([file('ca.der', [caCert('Dev CA')], { encoding: 'DER' })], p);
    const [f] = only(priv.findings, 'target-root-catalog');
    assert.equal(f?.severity, 'warning');
    assert.match(f!.message, /-468/);
    assert.match(f!.message, /-10287/);
    const amazon = caCert('Amazon Root CA 1');
    amazon.subject.attributes.unshift({ type: 'O', oid: '2.5.4.10', value: 'Amazon' });
    const pub = await check([file('ca.der', [amazon], { encoding: 'DER' })], p);
    assert.equal(only(pub.findings, 'target-root-catalog')[0]?.severity, 'info');
    const cc3200 = await check(
      [file('ca.der', [caCert('Dev CA')], { encoding: 'DER' })],
      project({ d: { target: 'cc3200', ca: 'ca.der' } }),
    );
    assert.deepEqual(cc3200.findings, []);
  });

  it('reports a CC32xx on AWS port 443 (fixed ALPN), on the port line, with a fix', async () => {
    const findings = await forTarget('cc3220', { port: 443, host: 'abc-ats.iot.eu-west-1.amazonaws.com' });
    const [f] = only(findings, 'target-alpn');
    assert.equal(f?.file, '/ws/embedded-tls.json');
    assert.ok(f?.range && f.range.start.line > 0);
    assert.deepEqual(f?.fix?.args['json'], '8883');
    assert.equal(f?.fix?.args['pointer'], '/profiles/d/broker/port');
    const cc3200 = await forTarget('cc3200', { port: 443, host: 'abc-ats.iot.eu-west-1.amazonaws.com' });
    assert.match(only(cc3200, 'target-alpn')[0]!.message, /sends no ALPN/);
  });

  it('warns when the profile asks for ALPN a SimpleLink stack cannot send', async () => {
    const files = [file('ca.der', [caCert('Dev CA')], { encoding: 'DER' })];
    const p = project({ d: { target: 'cc3235', ca: 'ca.der', broker: { host: 'b.local', alpn: ['mqtt'] } } });
    const f = only(
      (await check(files, p, { projectText: JSON.stringify(p.file, null, 2) })).findings,
      'target-alpn',
    );
    assert.equal(f[0]?.severity, 'warning');
    assert.match(f[0]!.message, /"mqtt"/);
    const ok = project({ d: { target: 'cc3235', ca: 'ca.der', broker: { host: 'b.local', alpn: ['h2'] } } });
    assert.deepEqual(only((await check(files, ok)).findings, 'target-alpn'), []);
    const esp = project({ d: { target: 'esp32', broker: { host: 'b.local', alpn: ['mqtt'] } } });
    assert.deepEqual(only((await check([], esp)).findings, 'target-alpn'), []);
  });

  it('notes large chains for the ESP8266 BearSSL buffers', async () => {
    const [f] = await forTarget('esp8266', { big: true });
    assert.equal(f?.code, 'target-chain-size');
    assert.match(f!.message, /16 KB/);
    assert.deepEqual(await forTarget('esp8266'), []);
  });
});
