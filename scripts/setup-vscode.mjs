#!/usr/bin/env node
// Installs a real VS Code (code-server 4.100.3 = VS Code 1.100.3, the minimum engines.vscode) into
// .ci-cache/vscode/ for the integration tier and `npm start`. Idempotent: does nothing when installed.
// Needs Debian's chromium (the browser that drives it), libkrb5-dev (headers for code-server's kerberos
// module) and ripgrep (seeds @vscode/ripgrep, whose postinstall would otherwise download rg from GitHub).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
const RIPGREP_PACKAGE = '1.15.11';
const RIPGREP_ASSET = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const vscodeDir = join(repo, '.ci-cache', 'vscode');
export const codeServerEntry = join(vscodeDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const marker = join(vscodeDir, `.installed-${CODE_SERVER_VERSION}`);

export function isInstalled() {
  if (!existsSync(marker) || !existsSync(codeServerEntry)) return false;
  try {
    const pkg = JSON.parse(
      readFileSync(join(vscodeDir, 'node_modules', 'code-server', 'package.json'), 'utf8'),
    );
    return pkg.version === CODE_SERVER_VERSION;
  } catch {
    return false;
  }
}

function fail(message) {
  console.error(`setup-vscode: ${message}`);
  process.exit(1);
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (r.error) fail(`could not run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} exited with ${r.status}`);
}

export function setupVscode() {
  if (isInstalled()) {
    console.log(`setup-vscode: code-server ${CODE_SERVER_VERSION} already in ${vscodeDir}`);
    return;
  }
  for (const [bin, pkg] of [
    ['/usr/bin/rg', 'ripgrep'],
    ['/usr/bin/chromium', 'chromium'],
    ['/usr/bin/krb5-config', 'libkrb5-dev'],
  ]) {
    if (!existsSync(bin)) fail(`${bin} is missing; install it with: apt-get install -y ${pkg}`);
  }
  const started = Date.now();
  console.log(`setup-vscode: installing code-server ${CODE_SERVER_VERSION} into ${vscodeDir}`);
  rmSync(join(vscodeDir, 'node_modules'), { recursive: true, force: true });
  mkdirSync(vscodeDir, { recursive: true });
  // npm 11 asks for approval of dependencies' install scripts; code-server's postinstall installs VS Code's
  // own modules and argon2 builds its binding: both are needed.
  const manifest = { private: true, allowScripts: { 'code-server': true, argon2: true } };
  writeFileSync(join(vscodeDir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');

  // @vscode/ripgrep looks for its download in os.tmpdir()/vscode-ripgrep-cache-<version>/ first, so a
  // fixed TMPDIR for the whole install plus Debian's rg packed under the expected name avoids GitHub.
  const tmp = join(vscodeDir, 'tmp');
  const cache = join(tmp, `vscode-ripgrep-cache-${RIPGREP_PACKAGE}`);
  const rgDir = join(vscodeDir, 'rgpkg');
  mkdirSync(cache, { recursive: true });
  mkdirSync(rgDir, { recursive: true });
  cpSync('/usr/bin/rg', join(rgDir, 'rg'));
  run('tar', ['czf', join(cache, RIPGREP_ASSET), '-C', rgDir, 'rg']);

  // --unsafe-perm: code-server's postinstall refuses to run as root without it.
  // npm_config_yes=true: node-pty's postinstall runs npx, which would otherwise ask (or refuse on yes=false).
  run(
    'npm',
    ['i', '--no-save', '--no-audit', '--no-fund', '--unsafe-perm', `code-server@${CODE_SERVER_VERSION}`],
    {
      cwd: vscodeDir,
      env: { ...process.env, TMPDIR: tmp, npm_config_yes: 'true', CI: 'true' },
    },
  );
  if (!existsSync(codeServerEntry)) fail(`the install finished but ${codeServerEntry} is missing`);
  writeFileSync(marker, new Date().toISOString() + '\n');
  console.log(`setup-vscode: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) setupVscode();
