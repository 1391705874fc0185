#!/usr/bin/env node
// `npm test [static|unit|e2e|integration]`: builds, then runs the static checks and every test tier in turn
// (or just the one named). Keeps going after a failure so all of them show; ends with the line
// `tests: N passed, N failed` summing every tier, and exits non-zero if anything failed.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNodeModules, ensureSystemPackages, systemPackages } from './systemDeps.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (pkg, path) => join(repo, 'node_modules', pkg, path);
const node = process.execPath;
const minutes = (n) => n * 60_000;

const tiers = ['static', 'unit', 'e2e', 'integration'];
const wanted = process.argv.slice(2);
for (const w of wanted) {
  if (!tiers.includes(w)) {
    console.error(`unknown tier ${w}; use one of: ${tiers.join(', ')} (or nothing for all)`);
    process.exit(2);
  }
}
const selected = wanted.length > 0 ? tiers.filter((t) => wanted.includes(t)) : tiers;

/** Results in order: { name, ok, seconds, note?, passes?, failures?, pending? }. */
const results = [];
const statsDir = mkdtempSync(join(tmpdir(), 'etls-test-stats-'));
let current;

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (current) killGroup(current);
    rmSync(statsDir, { recursive: true, force: true });
    process.exit(130);
  });
}

function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Runs one command in its own process group, streaming its output; resolves to its exit code. */
function run(args, { env = {}, timeoutMs }) {
  return new Promise((res) => {
    const child = spawn(args[0], args.slice(1), {
      cwd: repo,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        ...env,
      },
      detached: true,
    });
    current = child;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`\n${args.join(' ')} did not finish within ${timeoutMs / 60_000} min; stopping it`);
      killGroup(child);
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      console.error(`could not start ${args[0]}: ${e.message}`);
      res({ code: 127, timedOut });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      current = undefined;
      // Whatever the tier left running in its group (a broker, a socat) goes with it.
      killGroup(child);
      res({ code: code ?? (signal ? 128 : 1), timedOut });
    });
  });
}

async function step(name, args, timeoutMs) {
  const shown = args.map((a) => (a === node ? 'node' : a.replace(repo + '/', '')));
  console.log(`\n▶ ${name}: ${shown.join(' ')}`);
  const started = Date.now();
  const { code, timedOut } = await run(args, { timeoutMs });
  const r = { name, ok: code === 0, seconds: (Date.now() - started) / 1000 };
  if (timedOut) r.note = 'timed out';
  results.push(r);
  return r.ok;
}

function testFiles(dir) {
  const abs = join(repo, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.ts') && !f.split(/[\\/]/).includes('node_modules'));
}

/** A test tier: its runner appends one JSON line of totals per mocha run to $ETLS_TEST_STATS. */
async function tier(name, args, timeoutMs) {
  const files = testFiles(`test/${name}`);
  if (files.length === 0) {
    console.log(`\n▶ ${name}: no test/${name}/**/*.test.ts files; nothing to run`);
    results.push({ name, ok: true, seconds: 0, passes: 0, failures: 0, pending: 0, tier: true });
    return;
  }
  console.log(`\n▶ ${name}: ${files.length} test file(s)`);
  const statsFile = join(statsDir, `${name}.jsonl`);
  const started = Date.now();
  const { code, timedOut } = await run(args, { env: { ETLS_TEST_STATS: statsFile }, timeoutMs });
  const totals = { passes: 0, failures: 0, pending: 0 };
  if (existsSync(statsFile)) {
    for (const line of readFileSync(statsFile, 'utf8').split('\n').filter(Boolean)) {
      const s = JSON.parse(line);
      for (const k of Object.keys(totals)) totals[k] += Number(s[k] ?? 0);
    }
  }
  const r = { name, ok: code === 0, seconds: (Date.now() - started) / 1000, ...totals, tier: true };
  if (timedOut) r.note = 'timed out';
  // A tier that failed without reporting a failing test (a crash, a hang, a harness error) still counts one.
  if (!r.ok && r.failures === 0) {
    r.failures = 1;
    r.note ??= `exited with ${code} before reporting a failing test`;
  }
  results.push(r);
}

const mocha = (name) => [
  node,
  bin('mocha', 'bin/mocha.js'),
  '--forbid-only',
  '--forbid-pending',
  `test/${name}/**/*.test.ts`,
];

function hasTypeScript(dir) {
  const abs = join(repo, dir);
  return existsSync(abs) && readdirSync(abs, { recursive: true }).some((f) => String(f).endsWith('.ts'));
}

const t0 = Date.now();
// A fresh clone: install npm dependencies, and the Debian packages the real parts need where apt may.
if (!ensureNodeModules(repo, 'test')) results.push({ name: 'npm ci', ok: false, seconds: 0 });
if (selected.some((t) => t !== 'static')) ensureSystemPackages(systemPackages, 'test');
try {
  if (selected.some((t) => t !== 'static')) {
    await step('build', [node, 'esbuild.mjs'], minutes(5));
  }
  if (selected.includes('static')) {
    const tsc = bin('typescript', 'bin/tsc');
    await step('static/tsc', [node, tsc, '-p', '.', '--noEmit'], minutes(10));
    if (hasTypeScript('webview'))
      await step('static/tsc-webview', [node, tsc, '-p', 'webview', '--noEmit'], minutes(10));
    const lintable = ['src', 'test', 'bench', 'webview'].filter((d) => hasTypeScript(d));
    await step('static/eslint', [node, bin('eslint', 'bin/eslint.js'), ...lintable], minutes(10));
    await step(
      'static/prettier',
      [
        node,
        bin('prettier', 'bin/prettier.cjs'),
        '--check',
        '--log-level',
        'warn',
        '--no-error-on-unmatched-pattern',
        'src/**/*.ts',
        'test/**/*.ts',
        'bench/**/*.ts',
        'webview/**/*.ts',
      ],
      minutes(5),
    );
  }
  if (selected.includes('unit')) await tier('unit', mocha('unit'), minutes(15));
  if (selected.includes('e2e')) await tier('e2e', mocha('e2e'), minutes(40));
  if (selected.includes('integration')) {
    await tier('integration', [node, join(repo, 'scripts', 'run-integration.mjs')], minutes(12));
  }
} finally {
  rmSync(statsDir, { recursive: true, force: true });
}

const total = { passes: 0, failures: 0, pending: 0 };
console.log(`\n── summary (${((Date.now() - t0) / 1000).toFixed(0)} s) ──`);
for (const r of results) {
  const counts = r.tier
    ? `${r.passes} passed, ${r.failures} failed${r.pending ? `, ${r.pending} skipped` : ''}`
    : '';
  const status = r.ok ? 'ok' : 'FAILED';
  console.log(
    `${r.name.padEnd(20)} ${status.padEnd(7)} ${counts.padEnd(34)} ${r.seconds.toFixed(1).padStart(6)} s` +
      (r.note ? `  (${r.note})` : ''),
  );
  if (r.tier) for (const k of Object.keys(total)) total[k] += r[k];
}
const failed = results.filter((r) => !r.ok).map((r) => r.name);
if (failed.length > 0) console.log(`failed: ${failed.join(', ')}`);
console.log(
  `tests: ${total.passes} passed, ${total.failures} failed${total.pending > 0 ? `, ${total.pending} skipped` : ''}`,
);
process.exitCode = failed.length > 0 || total.failures > 0 ? 1 : 0;
