import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { linkWorkspace } from '../../../src/core/check/model';
import { scanFile } from '../../../src/core/check/scan';
import { cert, caCert, file, FIXTURES, key, plainVerify, project, real, ROOT } from './fixtures';

const name = (id: string | undefined) => id?.slice(ROOT.length + 1);

describe('workspace model (real openssl fixtures)', () => {
  const files = [
    real('ca.pem'),
    real('int.pem'),
    real('device.pem'),
    real('device.key'),
    real('device.csr'),
    real('device-int.pem'),
    real('device-impostor.pem'),
    real('broker.pem'),
    real('broker.key'),
    real('noca.pem'),
    real('device-noca.pem'),
  ];
  const model = linkWorkspace(
    files,
    project({
      dev: { ca: 'ca.pem', cert: 'device.pem', key: 'device.key', broker: { host: 'broker.local' } },
    }),
  );
  const get = (f: string) => model.byFile.get(`${ROOT}/${f}`)![0]!;

  it('links each certificate to the issuer whose signature verifies', () => {
    assert.equal(name(get('device.pem').issuerId), 'ca.pem#0');
    assert.equal(name(get('int.pem').issuerId), 'ca.pem#0');
    assert.equal(name(get('device-int.pem').issuerId), 'int.pem#0');
    assert.equal(get('ca.pem').issuerId, undefined);
  });

  it('flags a certificate whose named issuer did not sign it', () => {
    const impostor = get('device-impostor.pem');
    assert.equal(impostor.issuerId, undefined);
    assert.equal(impostor.issuerSignatureBad, true);
  });

  it('walks chains up to the root and lists children', () => {
    assert.deepEqual(
      model.chainOf(get('device-int.pem').id).map((m) => name(m.id)),
      ['device-int.pem#0', 'int.pem#0', 'ca.pem#0'],
    );
    assert.deepEqual(
      model
        .issuedBy(get('ca.pem').id)
        .map((m) => name(m.id))
        .sort(),
      ['broker.pem#0', 'device.pem#0', 'int.pem#0'],
    );
  });

  it('matches keys, CSRs and certificates by public key', () => {
    const k = get('device.key');
    assert.deepEqual(k.matchIds.map(name).sort(), [
      'device-impostor.pem#0',
      'device-int.pem#0',
      'device-noca.pem#0',
      'device.csr#0',
      'device.pem#0',
    ]);
    assert.ok(get('device.pem').matchIds.map(name).includes('device.key#0'));
    assert.deepEqual(get('broker.pem').matchIds.map(name), ['broker.key#0']);
  });

  it('matches every copy when a folder holds hundreds of copies of one key and certificate', () => {
    const copies = Array.from({ length: 300 }, (_, i) => [
      real('device.pem', `fleet/device-${i}.pem`),
      real('device.key', `fleet/device-${i}.key`),
    ]).flat();
    const fleet = linkWorkspace(copies);
    const at = (f: string) => fleet.byFile.get(`${ROOT}/${f}`)![0]!;
    const keys = fleet.objects.filter((o) => o.object.kind === 'privateKey');
    const certs = fleet.objects.filter((o) => o.object.kind === 'certificate');
    assert.equal(keys.length, 300);
    for (const k of keys) assert.equal(k.matchIds.length, 300);
    for (const c of certs) assert.equal(c.matchIds.length, 300);
    assert.deepEqual(
      [...at('fleet/device-7.key').matchIds].sort(),
      certs.map((c) => c.id).sort(),
      'a key lists each certificate with its public key, and nothing else',
    );
    assert.ok(at('fleet/device-7.pem').matchIds.includes(at('fleet/device-299.key').id));
  });

  it('gives roles and labels', () => {
    assert.equal(get('ca.pem').role, 'ca');
    assert.equal(get('int.pem').role, 'ca');
    assert.equal(get('noca.pem').role, 'ca', 'a certificate that issued others is shown as a CA');
    assert.equal(get('broker.pem').role, 'server');
    assert.equal(get('device.pem').role, 'client');
    assert.equal(get('device.key').role, 'key');
    assert.equal(get('device.csr').role, 'csr');
    assert.equal(get('ca.pem').label, 'Dev CA');
    assert.match(get('device.key').label, /^device\.key \(RSA-2048 private key\)$/);
  });

  it('records which profiles use a file', () => {
    assert.deepEqual(get('device.key').usedBy, [{ profile: 'dev', as: 'key' }]);
    assert.deepEqual(get('ca.pem').usedBy, [{ profile: 'dev', as: 'ca' }]);
  });

  it('marks objects embedded in C sources', () => {
    const pem = readFileSync(join(FIXTURES, 'device.pem'), 'utf8');
    const c = `static const char cert[] =\n${pem
      .trim()
      .split('\n')
      .map((l) => `"${l}\\n"`)
      .join('\n')};\n`;
    const src = scanFile(`${ROOT}/src/certs.h`, new TextEncoder().encode(c));
    const m = linkWorkspace([real('ca.pem'), src]);
    const embedded = m.byFile.get(`${ROOT}/src/certs.h`)![0]!;
    assert.equal(embedded.embedded, true);
    assert.equal(name(embedded.issuerId), 'ca.pem#0');
  });
});

describe('workspace model (plain objects)', () => {
  it('prefers the SKI index and never links a certificate to itself', () => {
    const root = caCert('Root', { subjectKeyIdentifier: 'aa' });
    const leaf = cert({ cn: 'leaf', issuerCn: 'Root', authorityKeyIdentifier: 'aa' });
    const m = linkWorkspace([file('r.pem', [root]), file('l.pem', [leaf])], undefined, {
      verifySignature: plainVerify,
    });
    assert.equal(name(m.byFile.get(`${ROOT}/l.pem`)![0]!.issuerId), 'r.pem#0');
  });

  it('stops chains that loop', () => {
    const a = cert({ cn: 'A', issuerCn: 'B', isCA: true });
    const b = cert({ cn: 'B', issuerCn: 'A', isCA: true });
    const m = linkWorkspace([file('a.pem', [a]), file('b.pem', [b])], undefined, {
      verifySignature: plainVerify,
    });
    assert.equal(m.chainOf(`${ROOT}/a.pem#0`).length, 2);
  });

  it('gives PKCS#12 contents their own ids and links them', () => {
    const c = cert({ cn: 'device-01', issuerCn: 'Dev CA', keyId: 'k1' });
    const p12 = {
      kind: 'pkcs12' as const,
      encrypted: true,
      contents: [c, key({ keyId: 'k1' })],
      friendlyNames: [],
    };
    const m = linkWorkspace([file('d.p12', [p12])], undefined, { verifySignature: plainVerify });
    assert.deepEqual(
      m.objects.map((o) => name(o.id)),
      ['d.p12#0', 'd.p12#0.0', 'd.p12#0.1'],
    );
    assert.deepEqual(m.byId.get(`${ROOT}/d.p12#0.1`)!.matchIds.map(name), ['d.p12#0.0']);
  });

  it('links 1,000 certificates in linear time (index, not pairwise)', () => {
    const files = [file('ca.pem', [caCert('CA')])];
    for (let i = 0; i < 1000; i++) files.push(file(`d${i}.pem`, [cert({ cn: `d${i}`, issuerCn: 'CA' })]));
    let calls = 0;
    linkWorkspace(files, undefined, { verifySignature: (c, i) => (calls++, plainVerify(c, i)) });
    assert.equal(calls, 1000);
  });
});
