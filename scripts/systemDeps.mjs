// The Debian packages the tests and `npm start` use (Node, dev machines and CI), and a check that installs
// the missing ones with apt-get when it may (root, or sudo without a password) and otherwise says how.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Keep in step with .ci/run (test/unit/ci/systemDeps.test.ts compares them). */
export const systemPackages = [
  'chromium', // the browser that drives code-server in the integration tier
  'libkrb5-dev', // headers for code-server's kerberos module
  'ripgrep', // seeds @vscode/ripgrep instead of a download from GitHub
  'mosquitto',
  'mosquitto-clients',
  'socat', // serial ports as ptys
  'openssl',
  'ca-certificates',
  'gcc',
  'g++',
  'make',
  'cmake', // the CMake snippet of docs/headers.md is built for real
  'git', // the key-tracked-by-git rules and the explorer's tests
  'xxd',
  'unzip',
  'hyperfine',
  'faketime', // the board oracles' clock at 1970 (test/support/nativeOracle.ts)
  'bzip2', // the mbedTLS 3.6 source archive is a .tar.bz2
  // scripts/build-wasm.mjs: the board TLS engines, rebuilt byte for byte by test/e2e/stacks
  'clang',
  'lld',
  'wasi-libc',
  'libclang-rt-dev-wasm32',
];

/** What `npm start` needs to set up code-server and the example's certificates. */
export const startPackages = ['libkrb5-dev', 'ripgrep', 'openssl'];

export function missingPackages(names) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Package} ${Status}\\n', ...names], { encoding: 'utf8' });
  if (r.error) return null; // not a Debian system: nothing to check against
  const installed = new Set(
    r.stdout
      .split('\n')
      .filter((l) => l.endsWith(' install ok installed'))
      .map((l) => l.split(' ')[0].replace(/:.*$/, '')),
  );
  return names.filter((n) => !installed.has(n));
}

function aptCommand() {
  if (!existsSync('/usr/bin/apt-get')) return null;
  if (process.getuid?.() === 0) return [];
  const sudo = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
  return sudo.status === 0 ? ['sudo', '-n'] : null;
}

/**
 * The apt-get arguments that install `names` and nothing else: --no-upgrade keeps packages already
 * there (without it apt upgrades perl, systemd… on a developer's machine). Keep in step with .ci/run.
 */
export function aptInstallArgs(names) {
  return ['apt-get', 'install', '-y', '-qq', '--no-upgrade', ...names];
}

/** Installs the missing packages when it can; returns true when all are there. */
export function ensureSystemPackages(names, who = 'setup') {
  const missing = missingPackages(names);
  if (missing === null || missing.length === 0) return true;
  const prefix = aptCommand();
  const line = `apt-get install -y --no-upgrade ${missing.join(' ')}`;
  if (prefix === null) {
    console.error(
      `${who}: missing system packages: ${missing.join(', ')}\n  install them with: sudo ${line}`,
    );
    return false;
  }
  console.log(`${who}: installing ${missing.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => {
    const all = [...prefix, ...args];
    return spawnSync(all[0], all.slice(1), { stdio: 'inherit', env }).status === 0;
  };
  if (!run(['apt-get', 'update', '-qq']) || !run(aptInstallArgs(missing))) {
    console.error(`${who}: apt-get failed; run: sudo ${line}`);
    return false;
  }
  return true;
}

/** Runs `npm ci` when node_modules is missing (a fresh clone); returns true when dependencies are there. */
export function ensureNodeModules(repo, who = 'setup') {
  if (existsSync(join(repo, 'node_modules', '.package-lock.json'))) return true;
  console.log(`${who}: node_modules is missing; running npm ci`);
  return spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: repo, stdio: 'inherit' }).status === 0;
}
