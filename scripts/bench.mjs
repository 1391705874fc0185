#!/usr/bin/env node
// `npm run bench [NAME...]`: builds, then runs each bench/<name>.ts in turn (all by default) and
// prints their figures; each benchmark measures its anchor (openssl, xxd, mosquitto_pub) in the same run.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const wanted = process.argv.slice(2);
const all = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.ts') && !f.includes('.test.'))
  .map((f) => f.slice(0, -3))
  .sort();
const names = wanted.length ? wanted : all;
const unknown = names.filter((n) => !all.includes(n));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; there are: ${all.join(', ')}`);
  process.exit(2);
}
const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
let failed = 0;
for (const name of names) {
  console.log(`\n=== bench/${name}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join('bench', `${name}.ts`)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`bench/${name} failed (exit ${r.status})`);
  }
}
process.exit(failed ? 1 : 0);
