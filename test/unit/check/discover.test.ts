import { strict as assert } from 'node:assert';
import {
  discoverFiles,
  excludeGlob,
  globToRegExp,
  includeGlob,
  isDiscoverable,
} from '../../../src/core/check/discover';
import type { DirectoryPort } from '../../../src/core/check/types';

/** A directory port over a plain tree: folders are objects, files are null. */
function tree(t: Record<string, unknown>): DirectoryPort & { listed: string[] } {
  const listed: string[] = [];
  return {
    listed,
    async list(dir) {
      listed.push(dir);
      let node: unknown = t;
      for (const part of dir.split('/').filter(Boolean)) node = (node as Record<string, unknown>)[part];
      if (!node || typeof node !== 'object') throw new Error(`ENOENT ${dir}`);
      return Object.entries(node as Record<string, unknown>).map(([name, v]) => ({
        name,
        isFile: v === null,
        isDirectory: v !== null && typeof v === 'object',
      }));
    },
  };
}

describe('discovery', () => {
  it('turns globs into regular expressions', () => {
    assert.ok(globToRegExp('**/*.pem').test('a/b/c.pem'));
    assert.ok(globToRegExp('**/*.pem').test('c.pem'));
    assert.ok(!globToRegExp('*.pem').test('a/c.pem'));
    assert.ok(globToRegExp('certs/*.{crt,der}').test('certs/x.der'));
    assert.ok(!globToRegExp('certs/*.{crt,der}').test('certs/x.pem'));
    assert.ok(globToRegExp('**/node_modules/**').test('a/node_modules/x/y.pem'));
    assert.ok(globToRegExp('?.key').test('a.key'));
  });

  it('includes certificate and source files, not build output', () => {
    for (const p of [
      'certs/ca.pem',
      'a.crt',
      'b.cer',
      'c.der',
      'd.key',
      'e.p12',
      'f.pfx',
      'g.csr',
      'main.c',
      'x.h',
      'y.cpp',
      'z.ino',
    ])
      assert.ok(isDiscoverable(p), p);
    for (const p of [
      'README.md',
      'build/ca.pem',
      'node_modules/x/ca.pem',
      '.git/ca.pem',
      'fw/.pio/build/ca.pem',
    ])
      assert.ok(!isDiscoverable(p), p);
    assert.ok(isDiscoverable('a\\b.pem'.replaceAll('\\', '/')));
  });

  it('honours custom include and exclude globs', () => {
    const o = { include: ['secrets/**'], exclude: ['**/*.bak'] };
    assert.ok(isDiscoverable('secrets/a.txt', o));
    assert.ok(!isDiscoverable('secrets/a.bak', o));
    assert.ok(!isDiscoverable('other/a.pem', o));
  });

  it('gives single patterns for findFiles', () => {
    assert.ok(includeGlob().startsWith('{**/*.pem,**/*.crt,'));
    assert.ok(includeGlob().endsWith(',**/platformio.ini}'));
    assert.ok(!/\{[^}]*\{/.test(includeGlob()), 'no nested braces');
    assert.match(excludeGlob(), /^\{\*\*\/node_modules\/\*\*,/);
    assert.equal(includeGlob({ include: ['a', 'b'] }), '{a,b}');
  });

  it('walks the tree, prunes excluded folders and sorts', async () => {
    const dir = tree({
      ws: {
        'b.pem': null,
        'a.key': null,
        'notes.txt': null,
        certs: { 'ca.der': null, deep: { 'x.crt': null } },
        node_modules: { pkg: { 'ca.pem': null } },
        build: { 'out.pem': null },
        src: { 'main.c': null },
      },
    });
    const files = await discoverFiles('/ws', {}, dir);
    assert.deepEqual(files, [
      '/ws/a.key',
      '/ws/b.pem',
      '/ws/certs/ca.der',
      '/ws/certs/deep/x.crt',
      '/ws/src/main.c',
    ]);
    assert.ok(!dir.listed.some((d) => d.includes('node_modules') || d.includes('build')));
  });

  it('stops at maxFiles and survives unreadable folders', async () => {
    const dir = tree({ ws: { 'a.pem': null, 'b.pem': null, 'c.pem': null, locked: 'not a folder' } });
    const broken: DirectoryPort = {
      list: (d) => (d.endsWith('locked') ? Promise.reject(new Error('EACCES')) : dir.list(d)),
    };
    assert.deepEqual(await discoverFiles('/ws', { maxFiles: 2 }, broken), ['/ws/a.pem', '/ws/b.pem']);
  });
});
