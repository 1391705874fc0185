// The built CLI's start-up (dist/cli.js): it keeps V8's code cache of its bundles in the user's cache
// folder, uses it on the next call, and shrugs off a cache it cannot trust or cannot write.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { etls, requireBuiltCli } from '../../support/realParts';

describe('etls start-up: the code cache of the built CLI', function () {
  this.timeout(60_000);
  let dir: string;
  let folder: string;
  const env = () => ({ XDG_CACHE_HOME: join(dir, 'cache'), NODE_DISABLE_COMPILE_CACHE: '' });
  const cacheFiles = () => readdirSync(folder).sort();

  before(() => requireBuiltCli());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'etls-startup-'));
    folder = join(dir, 'cache', 'etls', 'v8-code-cache');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a private cache for the command on the first call and reuses it on the next', () => {
    const first = etls(['help'], { env: env() });
    assert.equal(first.status, 0, first.stderr);
    assert.equal(first.stderr, '');
    const made = cacheFiles();
    assert.equal(made.length, 1, made.join());
    assert.match(made[0]!, /^cliMain-help-[0-9a-f]{40}\.bin$/);
    assert.equal(statSync(folder).mode & 0o777, 0o700);
    assert.equal(statSync(join(folder, made[0]!)).mode & 0o777, 0o600);
    const before = statSync(join(folder, made[0]!)).mtimeMs;

    const second = etls(['help'], { env: env() });
    assert.equal(second.status, 0, second.stderr);
    assert.equal(second.stdout, first.stdout);
    assert.deepEqual(cacheFiles(), made);
    assert.equal(statSync(join(folder, made[0]!)).mtimeMs, before, 'a cache that was used is not rewritten');
  });

  it('runs normally over a damaged cache file, and replaces it', () => {
    const clean = etls(['help', 'probe'], { env: env() });
    assert.equal(clean.status, 0, clean.stderr);
    const [name] = cacheFiles();
    const path = join(folder, name!);
    const good = readFileSync(path);
    const damaged = Buffer.concat([good.subarray(0, 48), Buffer.alloc(good.length - 48, 0x41)]);
    writeFileSync(path, damaged);
    const r = etls(['help', 'probe'], { env: env() });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, clean.stdout);
    assert.ok(!readFileSync(path).equals(damaged), 'the damaged file was replaced');
    assert.ok(readFileSync(path).subarray(0, 16).equals(good.subarray(0, 16)), 'with the format header');
  });

  it('runs normally when the cache folder cannot be made', () => {
    writeFileSync(join(dir, 'cache'), 'a file where the folder should be');
    const r = etls(['--version'], { env: env() });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^\d+\.\d+\.\d+/);
  });

  it('keeps nothing for a mistyped command, nor with NODE_DISABLE_COMPILE_CACHE', () => {
    const typo = etls(['flahs'], { env: env() });
    assert.equal(typo.status, 2);
    assert.match(typo.stderr, /unknown command "flahs"/);
    const off = etls(['help'], { env: { ...env(), NODE_DISABLE_COMPILE_CACHE: '1' } });
    assert.equal(off.status, 0, off.stderr);
    assert.throws(() => readdirSync(folder), /ENOENT/);
  });
});
