// When an edit matters to the check: the scan signature changes with what was found, not with comments.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanFile } from '../../../src/core/check/scan';
import { readObjects } from '../../../src/core/x509';
import { scanSignature } from '../../../src/extension/explorer/scanSignature';
import { type Fixture, makeFixture } from '../../support/workspaceFixture';

describe('scan signature', () => {
  let fx: Fixture;
  before(async () => {
    fx = await makeFixture();
  });
  after(() => fx.remove());

  const sig = (name: string, text: string) =>
    scanSignature(scanFile(join(fx.dir, name), new TextEncoder().encode(text), { reader: readObjects }));

  it('stays the same for an edit that moves nothing the check looks at', () => {
    const c = readFileSync(join(fx.dir, 'main/certs.c'), 'utf8');
    assert.equal(
      sig('main/certs.c', c),
      sig('main/certs.c', c.replace('pasted into the firmware', 'kept here')),
    );
  });

  it('changes when an object moves, disappears or changes, or a key changes container', () => {
    const c = readFileSync(join(fx.dir, 'main/certs.c'), 'utf8');
    const base = sig('main/certs.c', c);
    assert.notEqual(base, sig('main/certs.c', `\n${c}`), 'moved down a line: diagnostics ranges move too');
    assert.notEqual(
      base,
      sig('main/certs.c', c.slice(0, c.indexOf('const char root_ca_pem'))),
      'the CA string removed',
    );
    const key = readFileSync(join(fx.dir, 'certs/device-01.key'), 'utf8');
    const encrypted = readFileSync(join(fx.dir, 'certs/device-01-encrypted.key'), 'utf8');
    assert.notEqual(sig('certs/k.key', key), sig('certs/k.key', encrypted));
    const pem = readFileSync(join(fx.dir, 'certs/ca.pem'), 'utf8');
    assert.notEqual(sig('certs/c.pem', pem), sig('certs/c.pem', pem.replace(/\n[A-Za-z0-9+/]{10}/, '\n!!')));
  });
});
