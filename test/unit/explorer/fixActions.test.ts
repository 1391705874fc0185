// The Quick Fixes on real files, checked against the real openssl.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EtlsError } from '../../../src/core/errors';
import { nodeFileSystem } from '../../../src/core/node/fileSystem';
import { readObjects } from '../../../src/core/x509';
import { applyFix, type FixUi } from '../../../src/extension/explorer/fixActions';
import { type Fixture, makeFixture } from '../../support/workspaceFixture';

const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });

function ui(over: Partial<FixUi> = {}): FixUi & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    askPassphrase: async (f) => (asked.push(`pass:${f}`), 'secret'),
    confirmOverwrite: async (f) => (asked.push(`overwrite:${f}`), false),
    runCommand: async () => false,
    git: async () => {},
    ...over,
  };
}

async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof EtlsError && e.code === code);
}

describe('quick fixes', () => {
  let fx: Fixture;
  const at = (rel: string) => join(fx.dir, rel);
  before(async () => {
    fx = await makeFixture();
  });
  after(() => fx.remove());

  it('converts a PEM certificate to the same DER openssl writes', async () => {
    const r = await applyFix(
      {
        kind: 'convert-to-der',
        title: 'Convert to DER',
        args: { file: at('certs/ca.pem'), output: at('certs/ca.der') },
      },
      nodeFileSystem,
      ui(),
    );
    assert.deepEqual(r.changed, [at('certs/ca.der')]);
    const expected = openssl(['x509', '-in', at('certs/ca.pem'), '-outform', 'DER']);
    assert.deepEqual(readFileSync(at('certs/ca.der')), expected);
  });

  it('converts a key to DER in its own container, mode 0600, and refuses to replace it unasked', async () => {
    const fix = {
      kind: 'convert-to-der' as const,
      title: 'Convert to DER',
      args: { file: at('certs/device-01.key'), output: at('certs/device-01.key.der') },
    };
    await applyFix(fix, nodeFileSystem, ui());
    assert.equal(statSync(at('certs/device-01.key.der')).mode & 0o777, 0o600);
    const viaOpenssl = openssl(['pkey', '-in', at('certs/device-01.key.der'), '-inform', 'DER', '-pubout']);
    const original = openssl(['pkey', '-in', at('certs/device-01.key'), '-pubout']);
    assert.deepEqual(viaOpenssl, original, 'the same key');
    const u = ui();
    await rejectsWith(applyFix(fix, nodeFileSystem, u), 'exists');
    assert.deepEqual(u.asked, [`overwrite:${at('certs/device-01.key.der')}`]);
  });

  it('strips the pass phrase of an encrypted key after asking, and keeps it 0600', async () => {
    const file = at('certs/device-01-encrypted.key');
    const out = at('certs/device-01-plain.key');
    const u = ui();
    await applyFix(
      { kind: 'strip-passphrase', title: 'Strip', args: { file, output: out } },
      nodeFileSystem,
      u,
    );
    assert.deepEqual(u.asked, [`pass:${file}`]);
    assert.equal(statSync(out).mode & 0o777, 0o600);
    const read = readObjects(readFileSync(out), { fileName: out }).objects[0]?.object;
    assert.equal(read?.kind === 'privateKey' && read.encrypted, false);
    // openssl reads it without a pass phrase and finds the device key.
    const pub = openssl(['pkey', '-in', out, '-pubout', '-passin', 'pass:wrong']);
    assert.deepEqual(pub, openssl(['pkey', '-in', at('certs/device-01.key'), '-pubout']));
  });

  it('says so plainly when the pass phrase is wrong or not given, and writes nothing', async () => {
    const file = at('certs/device-01-encrypted.key');
    const out = at('certs/never.key');
    await rejectsWith(
      applyFix(
        { kind: 'strip-passphrase', title: 'Strip', args: { file, output: out } },
        nodeFileSystem,
        ui({ askPassphrase: async () => 'nope' }),
      ),
      'wrong-passphrase',
    );
    await rejectsWith(
      applyFix(
        { kind: 'strip-passphrase', title: 'Strip', args: { file, output: out } },
        nodeFileSystem,
        ui({ askPassphrase: async () => undefined }),
      ),
      'cancelled',
    );
    assert.equal(await nodeFileSystem.stat(out), undefined);
  });

  it('rewrites a key container (PKCS#8 to PKCS#1 and back) the way openssl does', async () => {
    const pkcs1 = at('certs/device-01.pkcs1.key');
    const fix = (file: string, output: string, format: string) =>
      applyFix(
        { kind: 'convert-key-format', title: format, args: { file, output, format } },
        nodeFileSystem,
        ui(),
      );
    await fix(at('certs/device-01.key'), pkcs1, 'PKCS#1');
    const traditional = openssl(['pkey', '-in', at('certs/device-01.key'), '-traditional']).toString();
    assert.match(traditional, /^-----BEGIN RSA PRIVATE KEY-----/);
    assert.equal(readFileSync(pkcs1, 'utf8'), traditional);
    assert.equal(statSync(pkcs1).mode & 0o777, 0o600);
    const pkcs8 = at('certs/device-01.pkcs8.key');
    await fix(pkcs1, pkcs8, 'PKCS#8');
    assert.equal(readFileSync(pkcs8, 'utf8'), readFileSync(at('certs/device-01.key'), 'utf8'));
  });

  it('adds a pattern to .gitignore once, creating the file when needed', async () => {
    const gitignore = at('.gitignore');
    const fix = {
      kind: 'add-to-gitignore' as const,
      title: 'Ignore',
      args: { gitignore, pattern: '/certs/*.key' },
    };
    await applyFix(fix, nodeFileSystem, ui());
    writeFileSync(gitignore, readFileSync(gitignore, 'utf8') + 'build/'); // no final newline
    await applyFix({ ...fix, args: { gitignore, pattern: '/certs/*.p12' } }, nodeFileSystem, ui());
    const again = await applyFix(fix, nodeFileSystem, ui());
    assert.deepEqual(again.changed, []);
    assert.equal(readFileSync(gitignore, 'utf8'), '/certs/*.key\nbuild/\n/certs/*.p12\n');
  });

  it('sets a project-file value by JSON pointer and hands header regeneration to its command', async () => {
    const project = at('embedded-tls.json');
    await applyFix(
      {
        kind: 'edit-project',
        title: 'Use 8883',
        args: { project, pointer: '/profiles/device-01/broker/port', value: 8884 },
      },
      nodeFileSystem,
      ui(),
    );
    assert.equal(JSON.parse(readFileSync(project, 'utf8')).profiles['device-01'].broker.port, 8884);
    await rejectsWith(
      applyFix(
        { kind: 'regenerate-header', title: 'Regenerate', args: { project, profile: 'device-01' } },
        nodeFileSystem,
        ui(),
      ),
      'unsupported',
    );
    const ran: unknown[] = [];
    const header = at('main/certs.h');
    const fix = {
      kind: 'regenerate-header' as const,
      title: 'Regenerate',
      args: { project, profile: 'device-01', header: 0, output: header },
    };
    await applyFix(fix, nodeFileSystem, ui({ runCommand: async (id, arg) => (ran.push([id, arg]), true) }));
    assert.deepEqual(
      ran,
      [['embeddedTls.regenerateHeader', header]],
      'the header file goes to Regenerate Header',
    );
    const fallback: unknown[] = [];
    await applyFix(
      fix,
      nodeFileSystem,
      ui({ runCommand: async (id, arg) => (fallback.push([id, arg]), id === 'embeddedTls.generateHeader') }),
    );
    assert.equal(fallback.length, 2, 'falls back to Generate C Header with the fix arguments');
    assert.deepEqual(fallback[1], ['embeddedTls.generateHeader', fix.args]);
  });
});
