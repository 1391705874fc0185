// Every file write goes through src/core/files (writeGuarded): this test fails when code in src/
// writes a file any other way (Node's fs write calls, or the port's raw writeFileAtomic).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const REPO = join(__dirname, '..', '..', '..');

/** fs functions that create, replace or change a file. */
const WRITES = new Set([
  'writeFile',
  'writeFileSync',
  'appendFile',
  'appendFileSync',
  'createWriteStream',
  'copyFile',
  'copyFileSync',
  'cp',
  'cpSync',
  'rename',
  'renameSync',
  'symlink',
  'symlinkSync',
  'link',
  'linkSync',
  'truncate',
  'truncateSync',
  'chmod',
  'chmodSync',
]);

/** Files allowed to do more, and why. */
const ALLOWED: Record<string, string> = {
  'src/core/node/fileSystem.ts': 'the Node adapter: the temporary file, its mode and the rename',
  'src/core/files/guard.ts': 'the guarded write itself calls the port',
  'src/extension/explorer/fixActions.ts': 'the chmod Quick Fix changes a key file’s mode, never its bytes',
  'src/cli/compileCache.ts':
    'the CLI’s code cache writes only its own files, in its private folder under the user’s cache folder',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx|mts|js)$/.test(e.name) ? [p] : [];
  });
}

/** The raw writes in one source text: `file:line: what`. */
export function rawWrites(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' ')).replace(/\/\/.*$/gm, '');
  const names = new Set<string>();
  const spaces = new Set<string>();
  const fsImport =
    /import\s+(?:(\*\s+as\s+(\w+))|(\w+)|\{([^}]*)\})\s+from\s+['"](?:node:)?fs(?:\/promises)?['"]/g;
  for (const m of code.matchAll(fsImport)) {
    if (m[2]) spaces.add(m[2]);
    if (m[3]) spaces.add(m[3]);
    for (const part of (m[4] ?? '').split(',')) {
      const [imported, local] = part.trim().split(/\s+as\s+/);
      if (!imported) continue;
      if (imported === 'promises') spaces.add(local ?? imported);
      else if (WRITES.has(imported)) names.add(local ?? imported);
    }
  }
  const found: string[] = [];
  code.split('\n').forEach((line, i) => {
    for (const n of names) if (new RegExp(`\\b${n}\\s*\\(`).test(line)) found.push(`${i + 1}: ${n}()`);
    for (const s of spaces)
      for (const m of line.matchAll(new RegExp(`\\b${s}\\.(\\w+)\\s*\\(`, 'g')))
        if (WRITES.has(m[1]!)) found.push(`${i + 1}: ${s}.${m[1]}()`);
    if (/\.writeFileAtomic\s*\(/.test(line)) found.push(`${i + 1}: writeFileAtomic() (use writeGuarded)`);
  });
  return found;
}

describe('architecture: one guarded function writes files', () => {
  it('finds the raw writes it is meant to find', () => {
    const sample = [
      "import { promises as fsp, writeFileSync as wfs } from 'node:fs';",
      "import * as fs from 'fs';",
      "import { rename } from 'node:fs/promises';",
      'await fsp.writeFile(p, d);',
      'wfs(p, d);',
      'fs.createWriteStream(p);',
      'await rename(a, b);',
      'await port.writeFileAtomic(p, d);',
      '// fsp.writeFile(p, d) in a comment',
      'await fsp.readFile(p);',
    ].join('\n');
    assert.deepEqual(rawWrites(sample), [
      '4: fsp.writeFile()',
      '5: wfs()',
      '6: fs.createWriteStream()',
      '7: rename()',
      '8: writeFileAtomic() (use writeGuarded)',
    ]);
  });

  it('src/ and webview/ write files only through src/core/files', () => {
    const offenders: string[] = [];
    for (const file of [...sourceFiles(join(REPO, 'src')), ...sourceFiles(join(REPO, 'webview'))]) {
      const rel = relative(REPO, file).split('\\').join('/');
      if (ALLOWED[rel]) continue;
      for (const w of rawWrites(readFileSync(file, 'utf8'))) offenders.push(`${rel}:${w}`);
    }
    assert.deepEqual(
      offenders,
      [],
      `write files with writeGuarded (src/core/files/guard.ts), which keeps them inside the project, off keys and off files etls did not write:\n${offenders.join('\n')}`,
    );
  });
});
