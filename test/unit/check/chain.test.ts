import { strict as assert } from 'node:assert';
import { caCert, cert, check, codes, deviceSet, file, only, project, real } from './fixtures';

describe('rules: chains', () => {
  it('reports a certificate whose named issuer did not sign it (real signatures)', async () => {
    const { findings } = await check([real('ca.pem'), real('device-impostor.pem')], undefined, {
      realSignatures: true,
    });
    const [f] = only(findings, 'chain-unverified');
    assert.equal(f?.severity, 'error');
    assert.equal(f?.file, '/ws/device-impostor.pem');
    assert.match(f!.message, /does not verify/);
  });

  it('accepts a real chain through an intermediate', async () => {
    const files = [real('ca.pem'), real('int.pem'), real('device-int.pem'), real('device.key')];
    const p = project({
      d: { ca: 'ca.pem', cert: 'device-int.pem', key: 'device.key', broker: { host: 'broker.local' } },
    });
    assert.deepEqual((await check(files, p, { realSignatures: true })).findings, []);
  });

  it('warns when the device certificate does not chain to the configured CA (own broker)', async () => {
    const files = [...deviceSet(), file('other.pem', [caCert('Other CA')])];
    const p = project({
      d: { ca: 'other.pem', cert: 'device.pem', key: 'device.key', broker: { host: 'b.local' } },
    });
    const [f] = only((await check(files, p)).findings, 'chain-unverified');
    assert.equal(f?.severity, 'warning');
    assert.equal(f?.file, '/ws/device.pem');
    assert.match(f!.message, /Other CA/);
  });

  it('does not ask a cloud device certificate to chain to the server root', async () => {
    const files = [...deviceSet(), file('aws.pem', [caCert('Amazon Root CA 1')])];
    const p = project({
      d: {
        ca: 'aws.pem',
        cert: 'device.pem',
        key: 'device.key',
        broker: { host: 'x-ats.iot.eu-west-1.amazonaws.com' },
      },
    });
    assert.deepEqual(only((await check(files, p)).findings, 'chain-unverified'), []);
  });

  it('reports a broker certificate not issued by the configured CA', async () => {
    const files = [
      ...deviceSet(),
      file('other-ca.pem', [caCert('Other CA')]),
      file('broker.pem', [
        cert({ cn: 'b.local', issuerCn: 'Other CA', subjectAltNames: [{ type: 'dns', value: 'b.local' }] }),
      ]),
    ];
    const p = project({
      d: { target: 'cc3220', ca: 'ca.pem', cert: 'device.pem', broker: { host: 'b.local' } },
    });
    const [f] = only((await check(files, p)).findings, 'broker-issuer-not-ca');
    assert.equal(f?.file, '/ws/broker.pem');
    assert.match(f!.message, /-688/);
  });

  it('reports a CA without CA:TRUE that issued certificates, not a pinned self-signed leaf', async () => {
    const real1 = await check([real('noca.pem'), real('device-noca.pem')], undefined, {
      realSignatures: true,
    });
    assert.deepEqual(codes(real1.findings), ['ca-not-ca']);
    assert.equal(real1.findings[0]!.file, '/ws/noca.pem');
    const pinned = [
      file('server.pem', [cert({ cn: 'b.local', subjectAltNames: [{ type: 'dns', value: 'b.local' }] })]),
    ];
    const p = project({ d: { ca: 'server.pem', broker: { host: 'b.local' } } });
    assert.deepEqual(only((await check(pinned, p)).findings, 'ca-not-ca'), []);
    const v1 = [
      file('v1.pem', [cert({ cn: 'v1', version: 1 })]),
      file('l.pem', [cert({ cn: 'l', issuerCn: 'v1' })]),
    ];
    assert.deepEqual(only((await check(v1)).findings, 'ca-not-ca'), []);
  });
});

describe('rules: chains, names compared as RFC 5280 says', () => {
  const mbed = (name: string) => real(`../real-world/mbedtls/${name}`, name);

  it('links a certificate whose issuer spells the CA name in another case (PolarSSL / Polarssl)', async () => {
    // cli2.crt names "PolarSSL Test EC CA"; test-ca2.crt is "Polarssl Test EC CA"; openssl verifies it.
    const files = [mbed('test-ca2.crt'), mbed('cli2.crt')];
    const p = project({ d: { ca: 'test-ca2.crt', cert: 'cli2.crt', broker: { host: 'localhost' } } });
    const { findings, model } = await check(files, p, { realSignatures: true });
    assert.deepEqual(only(findings, 'chain-unverified'), []);
    const device = model.objects.find((m) => m.file.endsWith('cli2.crt'))!;
    assert.ok(device.issuerId?.includes('test-ca2.crt'), 'cli2.crt is linked to its issuer');
  });
});
