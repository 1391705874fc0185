// Shared helpers for e2e tests: the built CLI, real tools that must be present, scratch folders.
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '..', '..');
export const CLI = join(REPO, 'dist', 'cli.js');

/** Fails loudly when a real part is missing: e2e tests never skip. */
export function requireTool(tool: string, installHint = `apt-get install ${tool}`): void {
  const r = spawnSync('sh', ['-c', `command -v ${tool}`]);
  if (r.status !== 0)
    throw new Error(`${tool} is not installed; the e2e tests need the real one (${installHint})`);
}

export function requireBuiltCli(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before the e2e tests`);
}

export function etls(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string | Uint8Array } = {},
): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? REPO,
    env: { ...process.env, ...options.env },
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 120_000,
  });
}

/** Runs a command and returns stdout; throws with stderr when it fails. */
export function run(
  cmd: string,
  args: string[],
  options: { cwd?: string; input?: string | Uint8Array } = {},
): string {
  return execFileSync(cmd, args, {
    cwd: options.cwd,
    input: options.input,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

export function runBytes(
  cmd: string,
  args: string[],
  options: { cwd?: string; input?: string | Uint8Array } = {},
): Buffer {
  return execFileSync(cmd, args, {
    cwd: options.cwd,
    input: options.input,
    stdio: ['pipe', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

export function scratchDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `etls-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
