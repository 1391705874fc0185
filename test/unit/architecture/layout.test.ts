// The source tree's shape is checked, not just described: no file imports itself back through others, and
// src/extension is organised by feature (explorer/, push/, mqtt/…), never by kind of file.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const REPO = join(__dirname, '..', '..', '..');
const SRC = join(REPO, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|mts)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The relative imports of one source text, type-only ones included: they tie the files together as much. */
export function relativeImports(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specs: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])(\.{1,2}\/[^'"]+)\1/gm;
  for (let m = re.exec(code); m; m = re.exec(code)) specs.push(m[2]!);
  return specs;
}

function resolveImport(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  for (const c of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(c) && statSync(c).isFile()) return c;
  }
  return undefined;
}

/** Every import cycle among `files`, each as the list of files around it (first file repeated at the end). */
export function importCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      const s = state.get(next);
      if (s === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (s === undefined) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}

function sourceGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const targets = relativeImports(readFileSync(file, 'utf8'))
      .map((spec) => resolveImport(file, spec))
      .filter((t): t is string => t !== undefined);
    graph.set(file, targets);
  }
  return graph;
}

const KINDS = ['views', 'providers', 'panels', 'adapters'];

describe('architecture: the shape of src/', () => {
  it('finds a cycle when one is there (the check can fail)', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    assert.deepEqual(importCycles(graph), [['a', 'b', 'c', 'a']]);
    assert.deepEqual(
      importCycles(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
      [],
    );
  });

  it('reads static, dynamic and type-only relative imports', () => {
    const text = [
      "import type { A } from './a';",
      "import { B } from '../b';",
      "import './side';",
      "const c = await import('./c');",
      "const d = require('./d');",
      "// import { e } from './e';",
      "import { f } from 'node:fs';",
    ].join('\n');
    assert.deepEqual(relativeImports(text), ['./a', '../b', './side', './c', './d']);
  });

  it('has no import cycles', () => {
    const cycles = importCycles(sourceGraph()).map((c) => c.map((f) => relative(REPO, f)).join(' → '));
    assert.deepEqual(cycles, [], `import cycles in src/:\n${cycles.join('\n')}`);
  });

  it('names no folder of src/extension for a kind of file', () => {
    const dirs = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .flatMap((e) => [join(dir, e.name), ...dirs(join(dir, e.name))]);
    const byKind = dirs(join(SRC, 'extension'))
      .filter((d) => KINDS.includes(d.split(/[\\/]/).pop()!))
      .map((d) => relative(REPO, d));
    assert.deepEqual(byKind, [], 'src/extension is organised by feature (explorer/, push/, mqtt/…)');
  });
});
