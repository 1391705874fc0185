// bench/cli: the start-up of the built CLI. `etls help` (dist/cli.js: the start-up, the CLI bundle
// through its code cache, the command table) against `node -e 0`, both as whole processes, interleaved;
// best of the rounds for each, and their ratio. The first calls warm the page cache and write the code
// cache (in a temporary XDG_CACHE_HOME); they are not counted.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(__dirname, '..', 'dist', 'cli.js');
const ROUNDS = Number(process.env['ETLS_BENCH_ROUNDS'] ?? 7);

function timeProcess(args: string[], env: NodeJS.ProcessEnv): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${String(r.stderr)}`);
  return ms;
}

function main(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const cache = mkdtempSync(join(tmpdir(), 'etls-bench-cli-'));
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cache, NODE_DISABLE_COMPILE_CACHE: '' };
  try {
    const help: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < ROUNDS + 2; i++) {
      const h = timeProcess([CLI, 'help'], env);
      const n = timeProcess(['-e', '0'], env);
      if (i >= 2) {
        help.push(h);
        bare.push(n);
      }
    }
    const h = Math.min(...help);
    const n = Math.min(...bare);
    console.log(
      `start-up (whole process, best of ${ROUNDS}; load average ${loadavg()[0]!.toFixed(1)}): etls help ${h.toFixed(1)} ms, node -e 0 ${n.toFixed(1)} ms`,
    );
    console.log(`  ratio etls help / node -e 0: ${(h / n).toFixed(2)} (target <= 1.30)`);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

try {
  main();
} catch (e) {
  console.error(`bench/cli failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
}
