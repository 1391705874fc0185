// The first scan's read loop: every file scanned, vanished ones left out, oversized ones reported unread.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanLocalFiles } from '../../../src/extension/explorer/scanFiles';
import { type Fixture, makeFixture } from '../../support/workspaceFixture';

describe('scanning local files', () => {
  let fx: Fixture;
  let scratch: string;
  before(async () => {
    fx = await makeFixture();
    scratch = mkdtempSync(join(tmpdir(), 'etls-scan-'));
  });
  after(() => {
    fx.remove();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('scans each file as the core does, across chunks, and leaves out files that are gone', async () => {
    const paths: string[] = [];
    for (let i = 0; i < 150; i++) paths.push(join(fx.dir, 'certs', i % 2 ? 'ca.pem' : 'device-01.key'));
    const unique = [...new Set(paths), join(fx.dir, 'certs', 'gone.pem'), join(fx.dir, 'main', 'certs.c')];
    const files = await scanLocalFiles([...paths, ...unique]);
    assert.deepEqual([...files.keys()].sort(), unique.filter((p) => !p.endsWith('gone.pem')).sort());
    assert.equal(files.get(join(fx.dir, 'certs', 'ca.pem'))?.objects[0]?.object.kind, 'certificate');
    assert.equal(files.get(join(fx.dir, 'main', 'certs.c'))?.objects.length, 2);
  });

  it('reports a file larger than any certificate instead of reading it', async () => {
    const big = join(scratch, 'huge.pem');
    writeFileSync(big, Buffer.alloc(17 * 1024 * 1024, 0x41));
    const scanned = (await scanLocalFiles([big])).get(big);
    assert.equal(scanned?.objects.length, 0);
    assert.equal(scanned?.problems[0]?.code, 'too-large');
    assert.match(scanned?.problems[0]?.message ?? '', /huge\.pem is 17 MiB/);
  });
});
