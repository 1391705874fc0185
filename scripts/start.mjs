#!/usr/bin/env node
// `npm start`: the quick start's main job (Node, dev machine). Installs what is missing, builds, gives the
// example firmware project examples/esp32-mqtt-tls its development certificates, and opens VS Code with
// the extension on it: the desktop `code` when there is one, otherwise code-server on 127.0.0.1:$PORT.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { issueCert, makeCa } from './devCerts.mjs';
import { ensureNodeModules, ensureSystemPackages, startPackages } from './systemDeps.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const example = join(repo, 'examples', 'esp32-mqtt-tls');
const say = (m) => console.log(`start: ${m}`);

function fail(message) {
  console.error(`start: ${message}`);
  process.exit(1);
}

/** certs/ is not committed (it holds private keys): made here once, kept afterwards. */
function prepareExampleCerts() {
  const certs = join(example, 'certs');
  const wanted = ['ca.pem', 'broker.pem', 'broker.key', 'device.pem', 'device.key'];
  if (wanted.every((f) => existsSync(join(certs, f)))) return;
  mkdirSync(certs, { recursive: true });
  const ca =
    existsSync(join(certs, 'ca.pem')) && existsSync(join(certs, 'ca.key'))
      ? { cert: join(certs, 'ca.pem'), key: join(certs, 'ca.key') }
      : makeCa(certs, { subject: '/CN=Example Dev CA/O=Embedded TLS Example' });
  if (!existsSync(join(certs, 'broker.pem'))) {
    issueCert(certs, ca, {
      name: 'broker',
      subject: '/CN=localhost/O=Embedded TLS Example',
      usage: 'server',
      san: ['DNS:localhost', 'IP:127.0.0.1'],
    });
  }
  if (!existsSync(join(certs, 'device.pem'))) {
    issueCert(certs, ca, {
      name: 'device',
      subject: '/CN=esp32-devkit/O=Embedded TLS Example',
      usage: 'client',
    });
  }
  say(`development certificates in ${certs.replace(repo + '/', '')}/`);
}

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

async function serveCodeServer() {
  const { codeServerEntry, setupVscode } = await import('./setup-vscode.mjs');
  setupVscode();
  const port = Number(process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port <= 0 || port > 65535)
    fail(`PORT=${process.env.PORT} is not a port number`);
  // User data persists between runs (workspace trust, layout); it lives in the gitignored cache.
  const home = join(repo, '.ci-cache', 'start');
  for (const d of ['user-data', 'extensions', 'xdg-config', 'xdg-data', 'xdg-cache']) {
    mkdirSync(join(home, d), { recursive: true });
  }
  const logFile = join(home, 'code-server.log');
  const log = openSync(logFile, 'w');
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: join(home, 'xdg-config'),
    XDG_DATA_HOME: join(home, 'xdg-data'),
    XDG_CACHE_HOME: join(home, 'xdg-cache'),
  };
  for (const k of Object.keys(env)) if (k.startsWith('VSCODE_')) delete env[k];
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
  // The extension under development is loaded through the URL, as `code --extensionDevelopmentPath` does.
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${repo}`],
    ['skipWelcome', 'true'],
  ];
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(example)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  console.log(`\nVS Code (code-server) with Embedded TLS Workbench on examples/esp32-mqtt-tls is running.`);
  console.log(`Open this address in a browser on this machine (use 127.0.0.1, not localhost):\n\n  ${url}\n`);
  console.log(`Over SSH, forward the port first: ssh -L ${port}:127.0.0.1:${port} <this machine>`);
  console.log(`Log: ${logFile}. Stop with Ctrl-C.`);
}

if (!ensureNodeModules(repo, 'start')) fail('npm ci failed');
if (!ensureSystemPackages(['openssl'], 'start')) fail('openssl is needed for the example certificates');
say('building');
if (spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repo, stdio: 'inherit' }).status !== 0)
  fail('the build failed');
prepareExampleCerts();

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
