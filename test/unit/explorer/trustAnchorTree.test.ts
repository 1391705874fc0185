// BearSSL trust anchors in the Certificates view and the check: a node of their own under "Embedded
// in sources", linked by key to the CA certificate they were made from; no check rule trips on them.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkProject } from '../../../src/core/check/check';
import { linkWorkspace } from '../../../src/core/check/model';
import { scanFile } from '../../../src/core/check/scan';
import { describeObject, readObjects } from '../../../src/core/x509';
import { buildTree, type TreeNode } from '../../../src/extension/explorer/explorerTree';

const SAMPLES = join(__dirname, '..', '..', 'fixtures', 'x509', 'c-sources');

/** The Baltimore root as a PEM file, from the string literal of the Azure sample. */
function baltimorePem(): string {
  const lines = readFileSync(join(SAMPLES, 'azure-certs.c'), 'utf8').split('\n');
  const from = lines.findIndex((l) => l.includes('BEGIN CERTIFICATE'));
  const to = lines.findIndex((l, i) => i > from && l.includes('END CERTIFICATE'));
  return (
    lines
      .slice(from, to + 1)
      .map((l) => l.replace(/^"|\\r\\n"$/g, ''))
      .join('\n') + '\n'
  );
}

describe('trust anchors in the Certificates view and the check', () => {
  const anchors = '/ws/main/BearSSLTrustAnchors.h';
  const root = '/ws/certs/baltimore.pem';
  const files = [
    scanFile(anchors, readFileSync(join(SAMPLES, 'nina-fw-BearSSLTrustAnchors.h')), { reader: readObjects }),
    scanFile(root, new TextEncoder().encode(baltimorePem()), { reader: readObjects }),
  ];
  const model = linkWorkspace(files);
  const tree = () =>
    buildTree({
      model,
      findings: [],
      grouping: 'role',
      now: Date.now(),
      warningDays: 30,
      relative: (f) => f.slice('/ws/'.length),
      describe: describeObject,
    });
  const group = (label: string) =>
    tree()
      .find((r) => r.label === label)
      ?.children() ?? [];
  const labels = (nodes: TreeNode[]) => nodes.map((n) => n.label);

  it('lists each anchor by its CA name under Embedded in sources, with its key and where it is', () => {
    const embedded = group('Embedded in sources');
    assert.deepEqual(labels(embedded), ['Amazon Root CA 1', 'Baltimore CyberTrust Root']);
    const baltimore = embedded[1]!;
    assert.equal(baltimore.contextValue, 'etls.trustAnchor.ca.embedded');
    assert.equal(baltimore.description, 'trust anchor · RSA-2048 · BearSSL');
    assert.match(baltimore.tooltip?.() ?? '', /\*\*Trust anchor\*\*/);
    assert.match(baltimore.tooltip?.() ?? '', /TA2_DN, TA2_RSA_N, TA2_RSA_E/);
  });

  it('links the anchor and the CA certificate with the same key, both ways', () => {
    const anchor = group('Embedded in sources')[1]!;
    assert.deepEqual(labels(anchor.children()), ['Certificate: Baltimore CyberTrust Root']);
    const ca = group('Certificate Authorities').find((n) => n.label === 'Baltimore CyberTrust Root')!;
    assert.ok(
      labels(ca.children()).includes('Trust anchor: Baltimore CyberTrust Root'),
      labels(ca.children()).join('\n'),
    );
    assert.ok(!labels(ca.children()).some((l) => l.startsWith('Embedded in:')));
  });

  it('raises no finding about the anchors themselves', async () => {
    const findings = await checkProject({ model });
    assert.deepEqual(
      findings.filter((f) => f.file === anchors),
      [],
    );
  });
});
