// e2e: the README's global install of the CLI — `npm pack`, then `npm i -g` of the tarball — gives a
// working `etls` on PATH. Installed into a temporary prefix, offline: the tarball must need nothing from
// the registry (the CLI is one bundle with its serialport binding beside it). Real parts: npm, node, openssl.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = join(__dirname, '..', '..', '..');

describe('npm pack + npm i -g: etls on PATH', function () {
  this.timeout(300_000);
  let dir = '';
  let prefix = '';
  let etls = '';

  before(() => {
    if (!existsSync(join(repo, 'dist', 'cli.js')))
      throw new Error('dist/cli.js is missing: run `node esbuild.mjs` before the e2e tests');
    dir = mkdtempSync(join(tmpdir(), 'etls-global-'));
    const pack = spawnSync('npm', ['pack', repo, '--pack-destination', dir, '--silent'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(pack.status, 0, `npm pack failed:\n${pack.stdout}\n${pack.stderr}`);
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    assert.ok(tarball, `npm pack wrote no tarball in ${dir}`);
    prefix = join(dir, 'prefix');
    const install = spawnSync(
      'npm',
      ['i', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', join(dir, tarball)],
      { cwd: dir, encoding: 'utf8', timeout: 120_000 },
    );
    assert.equal(install.status, 0, `npm i -g failed:\n${install.stdout}\n${install.stderr}`);
    etls = join(prefix, 'bin', 'etls');
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('installs an etls command that answers --version', () => {
    assert.ok(existsSync(etls), `${etls} is missing after npm i -g`);
    const r = spawnSync(etls, ['--version'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\S/);
  });

  it('the installed etls makes a PKI and inspects it as openssl reads it', () => {
    const out = join(dir, 'pki');
    const init = spawnSync(
      etls,
      ['pki', 'init', '--out', out, '--broker-host', 'localhost,127.0.0.1', '--device', 'd1', '--no-project'],
      { cwd: dir, encoding: 'utf8' },
    );
    assert.equal(init.status, 0, init.stderr);
    const r = spawnSync(etls, ['inspect', join(out, 'broker.pem'), '--json'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const fingerprint = execFileSync(
      'openssl',
      ['x509', '-in', join(out, 'broker.pem'), '-noout', '-fingerprint', '-sha256'],
      { encoding: 'utf8' },
    )
      .split('=')[1]!
      .trim()
      .replace(/:/g, '')
      .toLowerCase();
    assert.ok(
      r.stdout.toLowerCase().replace(/:/g, '').includes(fingerprint),
      `inspect --json does not carry openssl's SHA-256 fingerprint ${fingerprint}`,
    );
  });

  it('holds the CLI bundle, its serialport binding and no sources, keys or extension bundle', () => {
    const pkg = join(prefix, 'lib', 'node_modules', 'embedded-tls-workbench');
    assert.ok(existsSync(join(pkg, 'dist', 'cli.js')));
    assert.ok(existsSync(join(pkg, 'dist', 'cliMain.js')), 'dist/cli.js loads dist/cliMain.js');
    assert.ok(existsSync(join(pkg, 'dist', 'native', 'prebuilds', 'linux-x64')));
    // node-forge, mqtt.js and serialport are bundles of their own, required on first use.
    for (const lib of ['node-forge', 'mqtt', 'serialport'])
      assert.ok(existsSync(join(pkg, 'dist', 'lib', `${lib}.js`)), `dist/lib/${lib}.js is missing`);
    for (const absent of ['src', 'test', 'node_modules', 'examples', 'dist/extension.js'])
      assert.ok(!existsSync(join(pkg, absent)), `${absent} should not be in the package`);
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    assert.deepEqual(manifest.dependencies ?? {}, {}, 'the bundle needs no runtime dependencies');
    // The serialport binding loads from the installed bundle (no node_modules beside it).
    const ports = spawnSync(etls, ['ports'], { encoding: 'utf8' });
    assert.equal(ports.status, 0, ports.stderr);
  });
});
