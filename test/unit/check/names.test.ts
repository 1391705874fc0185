import { strict as assert } from 'node:assert';
import type { SubjectAltName } from '../../../src/core/x509/types';
import { caCert, cert, check, codes, deviceSet, file, only, project } from './fixtures';

function withBroker(
  o: { cn?: string; san?: SubjectAltName[]; eku?: string[] },
  host: string,
  extra: object = {},
) {
  const files = [
    ...deviceSet(),
    file('broker.pem', [
      cert({
        cn: o.cn ?? 'broker',
        issuerCn: 'Dev CA',
        subjectAltNames: o.san ?? [],
        ...(o.eku ? { extendedKeyUsage: o.eku } : {}),
      }),
    ]),
  ];
  return check(
    files,
    project({ d: { ca: 'ca.pem', cert: 'device.pem', key: 'device.key', broker: { host, ...extra } } }),
  );
}

describe('rules: names and key usage', () => {
  it('accepts a broker whose SAN carries the host, including a wildcard one label deep', async () => {
    assert.deepEqual(
      (await withBroker({ san: [{ type: 'dns', value: 'mqtt.local' }] }, 'mqtt.local')).findings,
      [],
    );
    assert.deepEqual(
      (await withBroker({ cn: 'x', san: [{ type: 'dns', value: '*.example.com' }] }, 'a.example.com'))
        .findings,
      [],
    );
  });

  it('reports a host missing from the SAN, noting the CN does not count', async () => {
    const { findings } = await withBroker(
      { cn: 'mqtt.local', san: [{ type: 'dns', value: 'other.local' }] },
      'mqtt.local',
    );
    assert.deepEqual(codes(findings), ['host-not-in-san']);
    assert.match(findings[0]!.message, /DNS:other\.local/);
    assert.match(findings[0]!.message, /CN mqtt\.local is not used/);
    assert.equal(findings[0]!.file, '/ws/broker.pem');
    // A wildcard covers one label only.
    const deep = await withBroker(
      { cn: 'x', san: [{ type: 'dns', value: '*.example.com' }] },
      'a.b.example.com',
    );
    assert.deepEqual(codes(deep.findings), ['host-not-in-san']);
  });

  it('warns about a CN-only broker certificate', async () => {
    const { findings } = await withBroker({ cn: 'mqtt.local' }, 'mqtt.local');
    assert.deepEqual(codes(findings), ['host-only-in-cn']);
    assert.equal(findings[0]!.severity, 'warning');
  });

  it('reports an IP dialled without an IP SAN, even when the CN or a DNS SAN holds it', async () => {
    const { findings } = await withBroker(
      { cn: '192.168.1.10', san: [{ type: 'dns', value: 'mqtt.local' }] },
      '192.168.1.10',
    );
    assert.deepEqual(codes(findings), ['ip-without-ip-san']);
    const ok = await withBroker({ san: [{ type: 'ip', value: '192.168.1.10' }] }, '192.168.1.10');
    assert.deepEqual(ok.findings, []);
  });

  it('checks the SNI server name when one is set', async () => {
    const { findings } = await withBroker({ san: [{ type: 'dns', value: 'mqtt.local' }] }, '10.0.0.1', {
      servername: 'mqtt.local',
    });
    assert.deepEqual(findings, []);
  });

  it('does not look for broker certificates of AWS or Azure', async () => {
    const files = [
      ...deviceSet(),
      file('srv.pem', [
        cert({ cn: 'srv', issuerCn: 'Dev CA', subjectAltNames: [{ type: 'dns', value: 'srv' }] }),
      ]),
    ];
    const p = project({ d: { ca: 'ca.pem', broker: { host: 'x.azure-devices.net' } } });
    assert.deepEqual(only((await check(files, p)).findings, 'host-not-in-san'), []);
  });

  it('reports a device certificate without clientAuth and a broker certificate without serverAuth', async () => {
    const files = [
      file('ca.pem', [caCert('Dev CA')]),
      file('device.pem', [cert({ cn: 'device-01', issuerCn: 'Dev CA', extendedKeyUsage: ['serverAuth'] })]),
      file('broker.pem', [
        cert({
          cn: 'b',
          issuerCn: 'Dev CA',
          subjectAltNames: [{ type: 'dns', value: 'b' }],
          extendedKeyUsage: ['clientAuth'],
        }),
      ]),
    ];
    const { findings } = await check(
      files,
      project({ d: { ca: 'ca.pem', cert: 'device.pem', broker: { host: 'b' } } }),
    );
    assert.deepEqual(codes(findings), ['missing-client-auth', 'missing-server-auth']);
    assert.equal(only(findings, 'missing-server-auth')[0]!.file, '/ws/broker.pem');
  });

  it('accepts certificates without an EKU extension (any purpose)', async () => {
    const { findings } = await withBroker({ san: [{ type: 'dns', value: 'b' }] }, 'b');
    assert.deepEqual(findings, []);
  });
});

describe('rules: which certificates are the broker', () => {
  it('checks a self-signed broker certificate with CA:TRUE that names the host', async () => {
    // `openssl req -x509` sets CA:TRUE: such a broker certificate is still the broker's.
    const files = [
      ...deviceSet(),
      file('broker.pem', [
        caCert('broker.local', { subjectAltNames: [{ type: 'dns', value: 'other.local' }] }),
      ]),
    ];
    const p = project({
      d: { ca: 'ca.pem', cert: 'device.pem', key: 'device.key', broker: { host: 'broker.local' } },
    });
    const [f] = only((await check(files, p)).findings, 'host-not-in-san');
    assert.equal(f?.file, '/ws/broker.pem');
  });

  it('does not take an unrelated server certificate for the broker', async () => {
    // Neither naming the host nor issued by the profile's CA: not this profile's broker (docs/check.md).
    const files = [
      ...deviceSet(),
      file('other-ca.pem', [caCert('Other CA')]),
      file('web.pem', [
        cert({
          cn: 'www.example.com',
          issuerCn: 'Other CA',
          subjectAltNames: [{ type: 'dns', value: 'www.example.com' }],
          extendedKeyUsage: ['serverAuth'],
        }),
      ]),
    ];
    const p = project({
      d: { ca: 'ca.pem', cert: 'device.pem', key: 'device.key', broker: { host: 'broker.local' } },
    });
    const found = codes((await check(files, p)).findings);
    assert.ok(!found.includes('host-not-in-san'), found.join(', '));
    assert.ok(!found.includes('broker-issuer-not-ca'), found.join(', '));
  });
});
