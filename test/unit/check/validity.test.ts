import { strict as assert } from 'node:assert';
import { caCert, cert, check, codes, DAY, deviceSet, file, key, NOW, only, project } from './fixtures';

describe('rules: validity', () => {
  it('reports expired and not-yet-valid certificates as errors, on the certificate', async () => {
    const { findings } = await check([
      file('old.pem', [cert({ cn: 'old', notAfter: new Date(NOW - 3 * DAY) })]),
      file('future.pem', [cert({ cn: 'future', notBefore: new Date(NOW + 2 * DAY) })]),
    ]);
    const [expired] = only(findings, 'cert-expired');
    assert.equal(expired?.severity, 'error');
    assert.equal(expired?.file, '/ws/old.pem');
    assert.deepEqual(expired?.range?.start, { line: 0, column: 0 });
    assert.match(expired!.message, /expired on 2030-05-29 \(3 days ago\)/);
    assert.match(only(findings, 'cert-not-yet-valid')[0]!.message, /not valid until 2030-06-03/);
  });

  it('warns within the expiry window, which is an option', async () => {
    const soon = [file('soon.pem', [cert({ cn: 'soon', notAfter: new Date(NOW + 20 * DAY) })])];
    assert.deepEqual(codes((await check(soon)).findings), ['cert-expiring']);
    assert.match((await check(soon)).findings[0]!.message, /in 20 days/);
    assert.deepEqual(codes((await check(soon, undefined, { expiryDays: 10 })).findings), []);
  });

  it('says nothing about a certificate valid for a year', async () => {
    assert.deepEqual((await check(deviceSet())).findings, []);
  });

  it('notes a certificate issued today for a board without a clock, not for Linux', async () => {
    const fresh = [
      file('ca.pem', [cert({ cn: 'Dev CA', isCA: true, notBefore: new Date(NOW - 3_600_000) })]),
      ...deviceSet().slice(1),
    ];
    const esp = await check(
      fresh,
      project({ p: { target: 'esp32', ca: 'ca.pem', cert: 'device.pem', key: 'device.key' } }),
    );
    const [f] = only(esp.findings, 'cert-recently-issued');
    assert.equal(f?.severity, 'info');
    assert.equal(f?.profile, 'p');
    const linux = await check(
      fresh,
      project({ p: { target: 'linux', ca: 'ca.pem', cert: 'device.pem', key: 'device.key' } }),
    );
    assert.deepEqual(only(linux.findings, 'cert-recently-issued'), []);
  });

  it('does not note a fresh device certificate: the board never verifies its own', async () => {
    const files = [
      file('ca.pem', [caCert('Dev CA')]),
      file('device.pem', [
        cert({
          cn: 'device-01',
          issuerCn: 'Dev CA',
          keyId: 'key-device-01',
          extendedKeyUsage: ['clientAuth'],
          notBefore: new Date(NOW - 3_600_000),
        }),
      ]),
      file('device.key', [key()]),
    ];
    const r = await check(
      files,
      project({ p: { target: 'esp32', ca: 'ca.pem', cert: 'device.pem', key: 'device.key' } }),
    );
    assert.deepEqual(only(r.findings, 'cert-recently-issued'), []);
  });

  it('notes a fresh broker certificate, which the board verifies, and says what an unset clock does', async () => {
    const files = [
      ...deviceSet(),
      file('broker.pem', [
        cert({
          cn: 'broker.local',
          issuerCn: 'Dev CA',
          subjectAltNames: [{ type: 'dns', value: 'broker.local' }],
          notBefore: new Date(NOW - 3_600_000),
        }),
      ]),
    ];
    const r = await check(
      files,
      project({
        p: {
          target: 'esp32',
          ca: 'ca.pem',
          cert: 'device.pem',
          key: 'device.key',
          broker: { host: 'broker.local' },
        },
      }),
    );
    const [f] = only(r.findings, 'cert-recently-issued');
    assert.equal(f?.file, '/ws/broker.pem');
    assert.match(f!.message, /clock lags/);
    assert.match(f!.message, /an unset clock rejects every certificate/);
  });

  it('only notes expired roots in a trust bundle no profile uses', async () => {
    const roots = [
      cert({ cn: 'Old Root', notAfter: new Date(NOW - DAY) }),
      cert({ cn: 'Soon Root', notAfter: new Date(NOW + DAY) }),
      cert({ cn: 'Fine Root' }),
    ];
    const bundle = [file('cacert.pem', roots)];
    const { findings } = await check(bundle);
    assert.deepEqual(
      findings.map((f) => [f.code, f.severity]),
      [['cert-expired', 'info']],
    );
    const used = await check(bundle, project({ p: { ca: 'cacert.pem' } }));
    assert.deepEqual(codes(used.findings), ['cert-expired', 'cert-expiring']);
    assert.equal(only(used.findings, 'cert-expired')[0]?.severity, 'error');
  });
});
