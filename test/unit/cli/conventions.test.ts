// Command-line conventions every `etls` command follows: --help, --version, the KDF options, the
// file cap shared with the Certificates view.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageVersion, runCli } from '../../../src/cli/main';
import { commands } from '../../../src/cli/commands';
import { kdfLimitsFromArgs, parseArgs, KDF_FLAGS, KDF_OPTIONS } from '../../../src/cli/command';
import { discoverFiles, VIEW_MAX_FILES } from '../../../src/core/check/discover';
import { isEtlsError } from '../../../src/core/errors';
import { captureIo } from '../../support/cliIo';

const REPO = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  version: string;
  contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
};

const io = captureIo;

describe('etls conventions', () => {
  it('every command answers --help and -h with its usage, exit 0, and runs nothing', async () => {
    for (const c of commands) {
      for (const flag of ['--help', '-h']) {
        const o = io();
        assert.equal(await runCli([c.name, flag], o), 0, `${c.name} ${flag}: ${o.stderr}`);
        assert.equal(o.stdout, `${(await c.load()).usage}\n`);
        assert.equal(o.stderr, '');
      }
    }
    const o = io();
    assert.equal(await runCli(['convert', 'in.pem', '--to', 'der', '--help'], o), 0);
  });

  it('a --help after -- is a file name, not a request for help', async () => {
    const o = io();
    assert.equal(await runCli(['inspect', '--', '--help'], o), 1);
    assert.match(o.stdout, /--help\n\s+error: .*no such file/);
  });

  it('--version prints the version in package.json', async () => {
    assert.equal(packageVersion(), manifest.version);
    const o = io();
    assert.equal(await runCli(['--version'], o), 0);
    assert.equal(o.stdout, `${manifest.version}\n`);
  });

  it('reads --max-kdf-iterations and --allow-slow-kdf, refusing nonsense', () => {
    const spec = { flags: KDF_FLAGS, options: KDF_OPTIONS };
    assert.equal(kdfLimitsFromArgs(parseArgs([], spec)), undefined);
    assert.deepEqual(kdfLimitsFromArgs(parseArgs(['--max-kdf-iterations', '5000000'], spec)), {
      iterations: 5_000_000,
      pkcs12Iterations: 5_000_000,
    });
    assert.equal(kdfLimitsFromArgs(parseArgs(['--allow-slow-kdf'], spec))?.pkcs12Iterations, Infinity);
    for (const bad of ['0', '-3', '1.5', 'lots'])
      assert.throws(
        () => kdfLimitsFromArgs(parseArgs([`--max-kdf-iterations=${bad}`], spec)),
        (e: unknown) => isEtlsError(e) && e.code === 'invalid-argument',
      );
  });

  it('the CLI file cap is the Certificates view default', () => {
    assert.equal(
      manifest.contributes.configuration.properties['embeddedTls.explorer.maxFiles']?.default,
      VIEW_MAX_FILES,
    );
  });

  it('discovery reports its progress after each folder level', async () => {
    const tree: Record<string, Array<{ name: string; isFile: boolean; isDirectory: boolean }>> = {
      '/ws': [
        { name: 'a', isFile: false, isDirectory: true },
        { name: 'x.pem', isFile: true, isDirectory: false },
      ],
      '/ws/a': [{ name: 'y.pem', isFile: true, isDirectory: false }],
    };
    const seen: Array<[number, number]> = [];
    const found = await discoverFiles(
      '/ws',
      { onProgress: (folders, files) => seen.push([folders, files]) },
      { list: async (d) => tree[d] ?? [] },
    );
    assert.deepEqual(found, ['/ws/a/y.pem', '/ws/x.pem']);
    assert.deepEqual(seen, [
      [1, 1],
      [2, 2],
    ]);
  });
});
