// The Certificates view's plain tree, built from the fixture workspace read and linked by the core.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Finding } from '../../../src/core/check/types';
import { describeObject } from '../../../src/core/x509';
import { buildTree, type TreeInput, type TreeNode } from '../../../src/extension/explorer/explorerTree';
import { readFileSync } from 'node:fs';
import { linkWorkspace } from '../../../src/core/check/model';
import { scanFile } from '../../../src/core/check/scan';
import { MAX_LINKS } from '../../../src/extension/explorer/treeNodes';
import { type Fixture, makeFixture } from '../../support/workspaceFixture';

const DAY = 86_400_000;

describe('explorer tree', () => {
  let fx: Fixture;
  before(async () => {
    fx = await makeFixture();
  });
  after(() => fx.remove());

  const input = (over: Partial<TreeInput> = {}): TreeInput => ({
    model: fx.model,
    findings: [],
    project: fx.project.file,
    grouping: 'role',
    now: Date.now(),
    warningDays: 30,
    relative: (f) => f.slice(fx.dir.length + 1),
    describe: describeObject,
    ...over,
  });
  const find = (nodes: TreeNode[], label: string) => nodes.find((n) => n.label === label);

  it('groups by role: CAs, brokers, devices, keys, bundles and what is embedded in sources', () => {
    const roots = buildTree(input());
    assert.deepEqual(
      roots.map((r) => r.label),
      [
        'Certificate Authorities',
        'Brokers/Servers',
        'Devices/Clients',
        'Keys',
        'Bundles and Other',
        'Embedded in sources',
      ],
    );
    const devices = find(roots, 'Devices/Clients')!.children();
    assert.deepEqual(
      devices.map((d) => d.label),
      ['device-01 (device-01.der)', 'device-01 (device-01.pem)'],
      'the PEM and the DER copy of the device certificate name their files, not two identical rows',
    );
    const embedded = find(roots, 'Embedded in sources')!.children();
    assert.deepEqual(embedded.map((e) => e.label).sort(), ['Dev CA', 'device-01']);
    assert.ok(embedded.every((e) => e.contextValue.endsWith('.embedded') && e.icon === 'file-code'));
  });

  it('lists the first links of a row shared by a fleet of copies, and counts the rest', () => {
    const pem = readFileSync(join(fx.dir, 'certs', 'device-01.pem'));
    const key = readFileSync(join(fx.dir, 'certs', 'device-01.key'));
    const copies = Array.from({ length: 60 }, (_, i) => [
      scanFile(join(fx.dir, 'fleet', `d${i}.pem`), new Uint8Array(pem)),
      scanFile(join(fx.dir, 'fleet', `d${i}.key`), new Uint8Array(key)),
    ]).flat();
    const roots = buildTree(input({ model: linkWorkspace(copies), project: undefined }));
    const device = find(roots, 'Devices/Clients')!.children()[0]!;
    const kids = device.children();
    assert.equal(kids.filter((k) => k.label.startsWith('Key: ')).length, MAX_LINKS);
    assert.ok(
      kids.some((k) => k.label === `${60 - MAX_LINKS} more with the same public key`),
      kids.map((k) => k.label).join(', '),
    );
  });

  it('labels a certificate with its CN, describes expiry and key type, and colours it by status', () => {
    const ca = find(buildTree(input()), 'Certificate Authorities')!.children()[0]!;
    assert.equal(ca.label, 'Dev CA');
    assert.match(ca.description ?? '', /^expires in \d+ d · EC P-256$/);
    assert.equal(ca.status, 'ok');
    assert.equal(ca.contextValue, 'etls.certificate.ca');
    assert.match(ca.fingerprint ?? '', /^[0-9a-f]{64}$/);
    assert.match(ca.tooltip?.() ?? '', /Subject: `[^`]*CN=Dev CA/);

    const later = buildTree(input({ now: Date.now() + 20 * 365 * DAY }));
    const expired = find(later, 'Certificate Authorities')!.children()[0]!;
    assert.match(expired.description ?? '', /^expired \d+ d ago/);
    assert.equal(expired.status, 'expired');
  });

  it('gives a device certificate its chain, its key and where it is embedded in C as children', () => {
    const devices = find(buildTree(input()), 'Devices/Clients')!.children();
    const pem = devices.find((d) => d.file?.endsWith('device-01.pem'))!;
    const kids = pem.children().map((k) => `${k.label} @ ${k.description}`);
    assert.ok(kids.includes('Issued by: Dev CA @ certs/ca.pem'), kids.join('\n'));
    assert.ok(
      kids.some((k) => /^Key: device-01\.key/.test(k) && k.endsWith('certs/device-01.key')),
      kids.join('\n'),
    );
    assert.ok(
      kids.some((k) => /^Embedded in: device-01 @ main\/certs\.c:\d+ \(device_cert_der\)$/.test(k)),
      kids.join('\n'),
    );
  });

  it('gives a key its certificates, and the CA where its PEM string sits in C', () => {
    const roots = buildTree(input());
    const key = find(roots, 'Keys')!
      .children()
      .find((k) => k.file?.endsWith('device-01.key'))!;
    assert.match(key.description ?? '', /RSA-2048/);
    const certs = key.children().filter((c) => c.label.startsWith('Certificate: '));
    assert.ok(certs.length >= 2, 'the PEM and DER device certificates match the key');
    const ca = find(roots, 'Certificate Authorities')!.children()[0]!;
    assert.ok(
      ca
        .children()
        .some((c) => /^Embedded in: Dev CA/.test(c.label) && /\(root_ca_pem\)/.test(c.description ?? '')),
    );
  });

  it('marks an object with an error finding and lists the finding as a child', () => {
    const keyFile = join(fx.dir, 'certs', 'device-01.key');
    const keyObj = fx.model.byFile.get(keyFile)![0]!;
    const finding: Finding = {
      file: keyFile,
      severity: 'error',
      code: 'key-tracked-by-git',
      message: 'The private key is tracked by git.',
      objectIds: [keyObj.id],
      fix: { kind: 'untrack-key', title: 'Stop tracking', args: { file: keyFile } },
    };
    const keys = find(buildTree(input({ findings: [finding] })), 'Keys')!;
    assert.equal(keys.status, 'error', 'the group shows the worst status of its members');
    const key = keys.children().find((k) => k.file === keyFile)!;
    assert.equal(key.status, 'error');
    const child = key.children().find((c) => c.kind === 'finding')!;
    assert.equal(child.description, 'key-tracked-by-git');
    assert.match(child.tooltip?.() ?? '', /Quick Fix: Stop tracking/);
  });

  it('groups by device profile, naming what each file is for, and keeps the rest apart', () => {
    const roots = buildTree(input({ grouping: 'profile' }));
    assert.deepEqual(
      roots.map((r) => r.label),
      ['device-01', 'Not used by a profile'],
    );
    assert.equal(roots[0]!.description, 'esp32 · localhost:8883');
    const members = roots[0]!.children().map((m) => m.description?.split(' · ')[0]);
    assert.deepEqual(members.sort(), ['ca', 'cert', 'key']);
  });

  it('says so when grouping by profile without a project file, and groups by role instead', () => {
    const roots = buildTree(input({ grouping: 'profile', project: undefined }));
    assert.equal(roots[0]?.label, 'No device profiles: no embedded-tls.json in this folder');
    assert.equal(roots[1]?.label, 'Certificate Authorities');
  });

  it('is empty when the workspace holds nothing, so the welcome view shows', () => {
    const emptyModel = { ...fx.model, objects: [] };
    assert.deepEqual(buildTree(input({ model: emptyModel })), []);
  });

  it('never puts key material in a label, description or tooltip', () => {
    const all: TreeNode[] = [];
    const walk = (ns: TreeNode[]) => ns.forEach((n) => (all.push(n), walk(n.children())));
    walk(buildTree(input()));
    const text = all.map((n) => `${n.label} ${n.description ?? ''} ${n.tooltip?.() ?? ''}`).join('\n');
    assert.doesNotMatch(text, /PRIVATE KEY-----|MII[A-Za-z0-9+/]{40}/);
  });
});
