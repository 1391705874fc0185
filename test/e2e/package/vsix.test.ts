// e2e: `npm run package` builds a .vsix that holds the bundles and assets but no sources or tests, and
// whose serialport binding really loads on this linux-x64 machine. Real parts: npm, vsce, unzip, node.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = join(__dirname, '..', '..', '..');
const packaged = join(repo, 'dist', 'embedded-tls-workbench.vsix');

describe('npm run package', function () {
  this.timeout(300_000);
  let dir = '';
  let vsix = '';
  let entries: string[] = [];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'etls-vsix-'));
    rmSync(packaged, { force: true });
    const r = spawnSync('npm', ['run', 'package'], { cwd: repo, encoding: 'utf8', timeout: 240_000 });
    assert.equal(r.status, 0, `npm run package failed:\n${r.stdout}\n${r.stderr}`);
    assert.ok(existsSync(packaged), `npm run package did not write ${packaged}`);
    vsix = join(dir, 'extension.vsix');
    copyFileSync(packaged, vsix);
    const listing = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' });
    entries = listing.split('\n').filter(Boolean);
    execFileSync('unzip', ['-q', vsix, '-d', join(dir, 'unpacked')]);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('contains the bundles, the manifest and the documents', () => {
    for (const e of [
      'extension/package.json',
      'extension/readme.md',
      'extension/changelog.md',
      'extension/LICENSE.txt',
      'extension/dist/extension.js',
      'extension/dist/cli.js',
      // dist/cli.js is the start-up that loads the CLI bundle through the code cache.
      'extension/dist/cliMain.js',
      // The scan worker runs beside extension.js; node-forge, mqtt.js and serialport load from dist/lib on first use.
      'extension/dist/scanWorker.js',
      'extension/dist/lib/node-forge.js',
      'extension/dist/lib/mqtt.js',
      'extension/dist/lib/serialport.js',
      'extension/dist/codicons/codicon.css',
      'extension/dist/codicons/codicon.ttf',
      // The board TLS engines (etls probe --stack, the panel's Run as the board): users never compile.
      'extension/dist/wasm/mbedtls-2.28.wasm',
      'extension/dist/wasm/mbedtls-3.6.wasm',
    ]) {
      assert.ok(entries.includes(e), `${e} is missing from the .vsix`);
    }
  });

  it('contains no sources, tests, build scripts, source maps or key material', () => {
    const forbidden = [
      /^extension\/(src|test|bench|scripts|out|firmware|examples|node_modules|wasm|\.ci|\.ci-cache|test-results)\//,
      /\.ts$/,
      /\.map$/,
      /\.vsix$/,
      /(^|\/)(tsconfig\.json|esbuild\.mjs|eslint\.config\.mjs|\.mocharc\.json|package-lock\.json)$/,
      /\.(key|p12|pfx|pem|der|crt)$/,
    ];
    const bad = entries.filter((e) => forbidden.some((re) => re.test(e)));
    assert.deepEqual(bad, [], `the .vsix should not contain: ${bad.join(', ')}`);
  });

  it('contains the linux-x64 serialport binding, and it loads with process.dlopen', () => {
    const binding = 'extension/dist/native/prebuilds/linux-x64/@serialport+bindings-cpp.glibc.node';
    assert.ok(entries.includes(binding), `${binding} is missing from the .vsix`);
    // A child process, so a crash in the native module cannot take mocha with it.
    const out = execFileSync(
      process.execPath,
      [
        '-e',
        'const m = { exports: {} }; process.dlopen(m, process.argv[1]); console.log(Object.keys(m.exports).join(","))',
        join(dir, 'unpacked', binding),
      ],
      { encoding: 'utf8' },
    );
    const names = out.trim().split(',');
    for (const fn of ['open', 'close', 'set', 'get', 'drain'])
      assert.ok(names.includes(fn), `binding exports ${out}`);
  });

  it('runs the packaged CLI, which finds the serialport binding beside its bundle', () => {
    // No node_modules next to the unpacked extension: only the bundle and dist/native are there.
    const r = spawnSync(
      process.execPath,
      [join(dir, 'unpacked', 'extension', 'dist', 'cli.js'), 'ports', '--json'],
      {
        cwd: dir,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    assert.equal(r.status, 0, `etls ports failed (${r.status}): ${r.stderr}`);
    assert.ok(Array.isArray(JSON.parse(r.stdout)), `etls ports --json printed ${r.stdout}`);
  });

  it('runs the packaged CLI with a board TLS engine loaded from beside its bundle', () => {
    // Checking a stack option instantiates the engine: an unknown key lists what mbedTLS accepts.
    const { ETLS_WASM_DIR: _ignored, ...env } = process.env;
    const r = spawnSync(
      process.execPath,
      [
        join(dir, 'unpacked', 'extension', 'dist', 'cli.js'),
        'probe',
        '--host',
        'localhost',
        '--stack',
        'mbedtls-3.6',
        '--stack-option',
        'no-such-option=1',
      ],
      { cwd: dir, encoding: 'utf8', timeout: 60_000, env },
    );
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /mbedtls-3\.6 has no option "no-such-option"; options: in-content-len/);
  });
});
