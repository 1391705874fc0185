import assert from 'node:assert/strict';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BundleLoader,
  cacheFolder,
  cacheKey,
  readCacheFile,
  writeCacheFile,
} from '../../../src/cli/compileCache';

describe('CLI start-up: V8 code cache', () => {
  let dir: string;
  let cache: string;
  let bundle: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'etls-cc-'));
    cache = join(dir, 'home', '.cache', 'etls', 'v8-code-cache');
    bundle = join(dir, 'dist', 'bundle.js');
    mkdirSync(join(dir, 'dist', 'lib'), { recursive: true });
    writeFileSync(
      bundle,
      `exports.answer = function () { return 41 + 1; };\nexports.lib = () => require('./lib/dep.js').name;\n`,
    );
    writeFileSync(join(dir, 'dist', 'lib', 'dep.js'), `exports.name = 'dep:' + require('node:path').sep;\n`);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const files = () => readdirSync(cache).sort();
  type Bundle = { answer(): number; lib(): string };
  function run(tag = 'probe'): { loader: BundleLoader; mod: Bundle } {
    const loader = new BundleLoader(cache, tag);
    const mod = loader.load(bundle) as Bundle;
    return { loader, mod };
  }

  it('finds the per-user cache folder the XDG way, and nowhere relative', () => {
    assert.equal(
      cacheFolder({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/a' }, 'linux'),
      '/x/cache/etls/v8-code-cache',
    );
    assert.equal(
      cacheFolder({ XDG_CACHE_HOME: 'rel/cache', HOME: '/home/a' }, 'linux'),
      '/home/a/.cache/etls/v8-code-cache',
    );
    assert.equal(cacheFolder({ HOME: '/Users/a' }, 'darwin'), '/Users/a/Library/Caches/etls/v8-code-cache');
    assert.equal(cacheFolder({}, 'linux'), undefined);
    assert.equal(cacheFolder({ HOME: 'relative' }, 'linux'), undefined);
  });

  it('compiles from source the first time, writes a private cache, and uses it the next time', () => {
    const first = run();
    assert.equal(first.mod.answer(), 42);
    assert.equal(first.mod.lib(), 'dep:/');
    assert.deepEqual(
      first.loader.loaded().map((l) => l.fromCache),
      [false, false],
    );
    first.loader.save();
    assert.equal(files().length, 2, files().join());
    assert.ok(files().some((f) => f.startsWith('bundle-probe-')));
    assert.ok(files().some((f) => f.startsWith('dep-probe-')));
    if (process.platform !== 'win32') {
      assert.equal(statSync(cache).mode & 0o777, 0o700);
      for (const f of files()) assert.equal(statSync(join(cache, f)).mode & 0o777, 0o600);
    }

    const second = run();
    assert.equal(second.mod.answer(), 42);
    assert.equal(second.mod.lib(), 'dep:/');
    assert.deepEqual(
      second.loader.loaded().map((l) => l.fromCache),
      [true, true],
    );
  });

  it('never runs stale code: a changed bundle of the same length gets a new key', () => {
    const first = run();
    first.mod.answer();
    first.loader.save();
    const text = readFileSync(bundle, 'utf8');
    writeFileSync(bundle, text.replace('41 + 1', '40 + 3'));
    assert.equal(readFileSync(bundle).length, Buffer.byteLength(text));
    const second = run();
    assert.equal(second.mod.answer(), 43);
    assert.equal(second.loader.loaded()[0]!.fromCache, false);
    second.loader.save();
    // The older file of the same bundle and command is replaced, not kept beside.
    assert.equal(files().filter((f) => f.startsWith('bundle-probe-')).length, 1);
  });

  it("names the cache by the build's stamp, the size and the time of the bundle, or by its content", () => {
    const stamp = (h: string) => `exports.x = 1;\n\n// etls-bundle-sha256: ${h.repeat(64)}\n`;
    const st = { size: 100, mtimeMs: 1000 };
    assert.equal(cacheKey(stamp('a'), st), cacheKey(stamp('a'), st));
    assert.notEqual(cacheKey(stamp('a'), st), cacheKey(stamp('b'), st), 'another build');
    assert.notEqual(cacheKey(stamp('a'), st), cacheKey(stamp('a'), { ...st, mtimeMs: 2000 }), 'edited');
    assert.notEqual(cacheKey(stamp('a'), st), cacheKey(stamp('a'), { ...st, size: 101 }), 'edited');
    // Without a stamp the content itself is hashed: a change of the same length is a new key.
    assert.notEqual(cacheKey('exports.x = 1;', st), cacheKey('exports.x = 2;', st));
    assert.match(cacheKey('exports.x = 1;', st), /^[0-9a-f]{40}$/);
  });

  it('keeps one cache per command', () => {
    run('probe').loader.save();
    run('help').loader.save();
    assert.ok(files().some((f) => f.startsWith('bundle-help-')));
    assert.ok(files().some((f) => f.startsWith('bundle-probe-')));
  });

  it('falls back to a normal compile when a cache file is damaged, and replaces it', () => {
    run().loader.save();
    const name = files().find((f) => f.startsWith('bundle-'))!;
    const path = join(cache, name);
    const bytes = readFileSync(path);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
    writeFileSync(path, bytes, { mode: 0o600 });
    assert.equal(readCacheFile(path), undefined, 'the checksum catches the flipped byte');

    const second = run();
    assert.equal(second.mod.answer(), 42);
    assert.equal(second.loader.loaded()[0]!.fromCache, false);
    second.loader.save();
    assert.ok(readCacheFile(path), 'rewritten whole');
    assert.equal(run().loader.loaded()[0]!.fromCache, true);
  });

  it('ignores files that are not its own: garbage, truncated, empty, or a link', () => {
    run().loader.save();
    const name = files().find((f) => f.startsWith('bundle-'))!;
    const path = join(cache, name);
    const good = readFileSync(path);
    for (const bad of [Buffer.from('not a cache'), good.subarray(0, 40), Buffer.alloc(0)]) {
      writeFileSync(path, bad, { mode: 0o600 });
      const r = run();
      assert.equal(r.mod.answer(), 42);
      assert.equal(r.loader.loaded()[0]!.fromCache, false);
    }
    if (process.platform !== 'win32') {
      // A link to a valid cache file elsewhere is not followed.
      const elsewhere = join(dir, 'planted.bin');
      writeFileSync(elsewhere, good, { mode: 0o600 });
      rmSync(path);
      symlinkSync(elsewhere, path);
      assert.equal(readCacheFile(path), undefined);
      const r = run();
      assert.equal(r.mod.answer(), 42);
      assert.equal(r.loader.loaded()[0]!.fromCache, false);
    }
  });

  it('neither reads nor writes a cache in a folder others can write to', () => {
    if (process.platform === 'win32') return; // no POSIX modes there
    run().loader.save();
    chmodSync(cache, 0o777);
    const r = run();
    assert.equal(r.mod.answer(), 42);
    assert.equal(r.loader.loaded()[0]!.fromCache, false);
    const before = files();
    writeFileSync(bundle, readFileSync(bundle, 'utf8') + '\n// changed\n');
    const changed = run();
    changed.loader.save();
    assert.deepEqual(files(), before, 'nothing written');
  });

  it('writes only plain file names inside the cache folder', () => {
    assert.equal(writeCacheFile(cache, '../escape.bin', '', Buffer.from('x')), false);
    assert.equal(writeCacheFile(cache, 'a/b.bin', 'a', Buffer.from('x')), false);
    assert.equal(writeCacheFile(cache, 'other-x.bin', 'bundle-', Buffer.from('x')), false);
    assert.deepEqual(readdirSync(dir), ['dist'], 'not even the cache folder was made');
  });

  it('uses no cache for a command name that is not a plain word', () => {
    const r = run('../x');
    assert.equal(r.mod.answer(), 42);
    r.loader.save();
    assert.throws(() => readdirSync(cache), /ENOENT/);
  });

  it('reports an error thrown by the bundle itself, and loads it again afterwards', () => {
    writeFileSync(bundle, `throw new Error('broken bundle');\n`);
    const loader = new BundleLoader(cache, 'probe');
    assert.throws(() => loader.load(bundle), /broken bundle/);
    assert.throws(() => loader.load(bundle), /broken bundle/);
  });
});
