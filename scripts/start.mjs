#!/usr/bin/env node
// `npm start`: the quick start's main job (Node, dev machine). Installs what is missing, builds, gives the
// example firmware project examples/esp32-mqtt-tls its development certificates, and opens VS Code with
// the extension on it: the desktop `code` when there is one, otherwise code-server on 127.0.0.1:$PORT.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareExampleCerts } from './exampleCerts.mjs';
import { ensureNodeModules, ensureSystemPackages, startPackages } from './systemDeps.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const example = join(repo, 'examples', 'esp32-mqtt-tls');
/** State of the served VS Code (user data, installed extension, log): gitignored. */
const home = process.env.ETLS_START_HOME
  ? resolve(process.env.ETLS_START_HOME)
  : join(repo, '.ci-cache', 'start');
const say = (m) => console.log(`start: ${m}`);

function fail(message) {
  console.error(`start: ${message}`);
  process.exit(1);
}

/** certs/ is not committed (it holds private keys): made here once with `etls pki init`, kept afterwards. */
function prepareCerts() {
  try {
    const said = prepareExampleCerts(example, { cli: join(repo, 'dist', 'cli.js'), aside: home });
    if (said) say(said);
  } catch (e) {
    fail(e.message);
  }
}

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Packs the built extension (`npm run package`, @vscode/vsce) and installs the .vsix into the served
 * instance's extensions folder, so http://127.0.0.1:PORT/ loads it with no URL payload.
 */
function installExtension(env, codeServerEntry) {
  say('packing the extension');
  const pack = spawnSync('npm', ['run', '--silent', 'package'], { cwd: repo, encoding: 'utf8' });
  if (pack.status !== 0) fail(`npm run package failed:\n${pack.stdout}${pack.stderr}`);
  const vsix = join(repo, 'dist', 'embedded-tls-workbench.vsix');
  const r = spawnSync(
    process.execPath,
    [
      codeServerEntry,
      '--extensions-dir',
      join(home, 'extensions'),
      '--user-data-dir',
      join(home, 'user-data'),
      '--install-extension',
      vsix,
      '--force',
    ],
    { env, encoding: 'utf8' },
  );
  if (r.status !== 0) fail(`code-server could not install ${vsix}:\n${r.stdout}${r.stderr}`);
  say('extension installed into the served VS Code');
}

async function serveCodeServer() {
  const { codeServerEntry, setupVscode } = await import('./setup-vscode.mjs');
  setupVscode();
  const port = Number(process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port <= 0 || port > 65535)
    fail(`PORT=${process.env.PORT} is not a port number`);
  // User data persists between runs (layout, open editors); it lives in the gitignored cache.
  for (const d of ['user-data', 'extensions', 'xdg-config', 'xdg-data', 'xdg-cache']) {
    mkdirSync(join(home, d), { recursive: true });
  }
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: join(home, 'xdg-config'),
    XDG_DATA_HOME: join(home, 'xdg-data'),
    XDG_CACHE_HOME: join(home, 'xdg-cache'),
  };
  for (const k of Object.keys(env)) if (k.startsWith('VSCODE_')) delete env[k];
  installExtension(env, codeServerEntry);
  const logFile = join(home, 'code-server.log');
  const log = openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    [
      codeServerEntry,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--user-data-dir',
      join(home, 'user-data'),
      '--extensions-dir',
      join(home, 'extensions'),
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      // The served instance opens only the example, on this machine: trust it, so nothing is restricted.
      '--disable-workspace-trust',
      example,
    ],
    { env, stdio: ['ignore', log, log], detached: true },
  );
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  process.on('SIGINT', () => {
    stop();
    process.exit(0);
  });
  process.on('SIGTERM', () => {
    stop();
    process.exit(0);
  });
  process.on('exit', stop);
  child.on('exit', (code) => fail(`code-server stopped (exit ${code}); see ${logFile}`));

  const deadline = Date.now() + 60_000;
  for (;;) {
    const text = readFileSync(logFile, 'utf8');
    if (/HTTP server listening/.test(text)) break;
    if (/EADDRINUSE/.test(text)) fail(`port ${port} is in use; choose another with PORT=8081 npm start`);
    if (Date.now() > deadline) fail(`code-server did not start within 60 s; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  // The extension is installed in this instance and the example is its default folder: the plain
  // address is all a browser needs.
  const url = `http://127.0.0.1:${port}/`;
  console.log(`\nVS Code (code-server) with Embedded TLS Workbench on examples/esp32-mqtt-tls is running.`);
  console.log(`Open this address in a browser on this machine:\n\n  ${url}\n`);
  console.log(`Over SSH, forward the port first: ssh -L ${port}:127.0.0.1:${port} <this machine>`);
  console.log(`Log: ${logFile}. Stop with Ctrl-C.`);
}

if (!ensureNodeModules(repo, 'start')) fail('npm ci failed');
if (!ensureSystemPackages(['openssl'], 'start')) fail('openssl is needed for the example certificates');
say('building');
if (spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repo, stdio: 'inherit' }).status !== 0)
  fail('the build failed');
prepareCerts();

const code = process.env.ETLS_CODE ?? 'code';
if (process.env.ETLS_USE_CODE_SERVER !== '1' && hasCommand(code)) {
  say(`opening ${code} --extensionDevelopmentPath=${repo} ${example}`);
  const r = spawnSync(code, ['--new-window', `--extensionDevelopmentPath=${repo}`, example], {
    stdio: 'inherit',
  });
  process.exit(r.status ?? 1);
} else {
  if (!ensureSystemPackages(startPackages, 'start')) fail('code-server needs the packages above');
  await serveCodeServer();
}
