#!/usr/bin/env node
// Runs the integration suite inside a real VS Code (Node, CI and dev machines without a desktop VS Code):
// code-server 4.100.3 from .ci-cache/vscode, its workbench opened in Debian's headless Chromium through
// playwright-core, the extension under development loaded from this repo and out/test/integration/index.js
// as extensionTestsPath. Exit status: 0 all passed, 1 tests failed, 2 the harness itself failed.
//
// It runs four times: in the fixture folder, in a multi-root workspace of that folder and a second
// firmware project (the suites titled "multi-root workspace"), in the example project as `npm start`
// prepares it (the suites titled "example project"), and in a folder of hostile files (the suites titled
// "hostile workspace", see test/integration/fixtures/makeHostileWorkspace.mjs).
// ETLS_INTEGRATION_LAYOUT=folder, multi-root, example or hostile runs one of them.
//
// Also serves the suite's screenshot requests (see test/integration/support.ts) and always saves a final
// screenshot of the workbench to test-results/screenshots/workbench.png.
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { chromium } from 'playwright-core';
import { codeServerEntry, isInstalled, setupVscode } from './setup-vscode.mjs';
import { makeWorkspace } from '../test/integration/fixtures/makeWorkspace.mjs';
import { prepareExampleCerts } from './exampleCerts.mjs';
import { makeHostileWorkspace } from '../test/integration/fixtures/makeHostileWorkspace.mjs';
import { startBenchProbe } from './benchProbe.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const testsEntry = join(repo, 'out', 'test', 'integration', 'index.js');
const screenshotsDir = join(repo, 'test-results', 'screenshots');
const overallTimeoutMs = Number(process.env.ETLS_INTEGRATION_TIMEOUT_MS ?? 6 * 60_000);
const chromiumPath = process.env.ETLS_CHROMIUM ?? '/usr/bin/chromium';
const keepRun = process.env.ETLS_KEEP_RUN === '1';
const updateDocs = process.env.ETLS_UPDATE_SCREENSHOTS === '1';
/** A prepared workspace to open instead of the generated fixture (bench/explorerVsCode uses it). */
const workspaceSource = process.env.ETLS_INTEGRATION_WORKSPACE;
/** bench/mqttPanelLoad: where to write the browser's samples (see scripts/benchProbe.mjs). */
const benchProbeFile = process.env.ETLS_BENCH_PROBE;

const t0 = Date.now();
const log = (...a) => console.log(`[integration ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class HarnessError extends Error {}

/** Workbench chatter on the console that says nothing about the suite (no internet, no gallery). */
const workbenchNoise = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\]/,
  /^ChatSessionStore:/,
  /open-vsx\.org/,
];

/** The running code-server, so a Ctrl-C can stop it too. */
let activeServer;

async function waitFor(fn, ms, what) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await fn();
    if (v) return v;
    await sleep(200);
  }
  throw new HarnessError(`timed out after ${Math.round(ms / 1000)} s waiting for ${what}`);
}

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/** Scratch folders so code-server and Chromium leave nothing in the real HOME or /tmp. */
function makeRunDir() {
  const run = mkdtempSync(join(tmpdir(), 'etls-it-'));
  const dirs = {
    run,
    home: join(run, 'home'),
    tmp: join(run, 'tmp'),
    xdgConfig: join(run, 'xdg-config'),
    xdgData: join(run, 'xdg-data'),
    xdgCache: join(run, 'xdg-cache'),
    userData: join(run, 'user-data'),
    extensions: join(run, 'extensions'),
    requests: join(run, 'requests'),
    // The folder name shows in the explorer and in screenshots.
    workspace: join(run, 'device-firmware'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(
    join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.colorTheme': 'Default Dark Modern',
        'workbench.tips.enabled': false,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        'chat.disableAIFeatures': true,
        'window.commandCenter': false,
        // The fixture is no git repository; the built-in git extension only adds noise to the log.
        'git.enabled': false,
      },
      null,
      2,
    ),
  );
  writeFileSync(join(run, 'config.yaml'), 'auth: none\n');
  return dirs;
}

function cleanEnv(extra) {
  const env = { ...process.env, ...extra };
  // Inherited VS Code variables (a terminal inside VS Code) would point code-server at the wrong IPC.
  for (const k of Object.keys(env))
    if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') delete env[k];
  return env;
}

function startCodeServer(dirs, port, layout) {
  const args = [
    codeServerEntry,
    '--config',
    join(dirs.run, 'config.yaml'),
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--user-data-dir',
    dirs.userData,
    '--extensions-dir',
    dirs.extensions,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    layout.open,
  ];
  // The extension host inherits this environment: ETLS_TEST_STATS (the totals file) passes through as is.
  const env = cleanEnv({
    HOME: dirs.home,
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: dirs.xdgCache,
    ETLS_SCREENSHOT_REQUESTS: dirs.requests,
    // test/integration/index.ts runs the suites written for this layout.
    ETLS_INTEGRATION_LAYOUT: layout.name,
  });
  // detached: its own process group, so the extension host and its children die with it.
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const server = { child, output: '', exited: false };
  child.stdout.on('data', (d) => (server.output += d));
  child.stderr.on('data', (d) => (server.output += d));
  child.on('exit', () => (server.exited = true));
  return server;
}

/** Stops code-server's whole process group; resolves once it is gone (SIGKILL after 5 s). */
async function killGroup(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const signal = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      // already gone
    }
  };
  const gone = new Promise((r) => child.once('exit', r));
  signal('SIGTERM');
  if ((await Promise.race([gone.then(() => true), sleep(5000).then(() => false)])) === false)
    signal('SIGKILL');
  // Stragglers in the group (the extension host) get no grace period.
  signal('SIGKILL');
}

async function takeScreenshot(page, name) {
  mkdirSync(screenshotsDir, { recursive: true });
  const file = join(screenshotsDir, `${name}.png`);
  await page.screenshot({ path: file });
  if (updateDocs) {
    mkdirSync(join(repo, 'docs', 'images'), { recursive: true });
    copyFileSync(file, join(repo, 'docs', 'images', `${name}.png`));
  }
  log(`screenshot ${file}${updateDocs ? ' (and docs/images)' : ''}`);
}

/** Answers one pending screenshot request from the suite, if there is one. */
async function serveScreenshotRequest(page, dirs, failures) {
  const request = join(dirs.requests, 'request.json');
  if (!existsSync(request)) return;
  let name = 'unnamed';
  try {
    name = JSON.parse(readFileSync(request, 'utf8')).name;
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`bad screenshot name ${JSON.stringify(name)}`);
    // A webview the test just opened is an iframe still loading: let every frame finish first.
    await Promise.all(
      page.frames().map((f) => f.waitForLoadState('load', { timeout: 5000 }).catch(() => {})),
    );
    await sleep(300);
    await takeScreenshot(page, name);
  } catch (e) {
    failures.push(`screenshot ${name}: ${e.message}`);
  } finally {
    rmSync(request, { force: true });
  }
}

/**
 * The workspaces the suite runs in: one folder (the fixture firmware), then a multi-root workspace of
 * that folder and a second firmware, for the suites that test which folder or project a command takes.
 */
const LAYOUTS = {
  folder: (dirs) => {
    if (workspaceSource) cpSync(workspaceSource, dirs.workspace, { recursive: true });
    else makeWorkspace(dirs.workspace);
    return { name: 'folder', open: dirs.workspace, query: `folder=${encodeURIComponent(dirs.workspace)}` };
  },
  'multi-root': (dirs) => {
    makeWorkspace(dirs.workspace);
    const gateway = join(dirs.run, 'gateway');
    makeGatewayFolder(dirs.workspace, gateway);
    const file = join(dirs.run, 'fleet.code-workspace');
    writeFileSync(file, JSON.stringify({ folders: [{ path: dirs.workspace }, { path: gateway }] }, null, 2));
    return { name: 'multi-root', open: file, query: `workspace=${encodeURIComponent(file)}` };
  },
  // The example a new user opens after `npm start`: a copy of examples/esp32-mqtt-tls whose certs/ is
  // made the way npm start makes it (etls pki init), for the suites titled "example project".
  example: (dirs) => {
    const dir = join(dirs.run, 'esp32-mqtt-tls');
    const source = join(repo, 'examples', 'esp32-mqtt-tls');
    cpSync(source, dir, { recursive: true, filter: (src) => src !== join(source, 'certs') });
    prepareExampleCerts(dir, { cli: join(repo, 'dist', 'cli.js'), aside: join(dirs.run, 'old-certs') });
    return { name: 'example', open: dir, query: `folder=${encodeURIComponent(dir)}` };
  },
  // A cloned repository that once froze the editor: the view must fill in and the editor stay responsive.
  hostile: (dirs) => {
    makeHostileWorkspace(dirs.workspace);
    return { name: 'hostile', open: dirs.workspace, query: `folder=${encodeURIComponent(dirs.workspace)}` };
  },
};

/** A second, smaller firmware project: its own embedded-tls.json and certificates (copies of the fixture's). */
function makeGatewayFolder(fixture, dir) {
  mkdirSync(join(dir, 'certs'), { recursive: true });
  mkdirSync(join(dir, 'src'), { recursive: true });
  copyFileSync(join(fixture, 'certs', 'ca.pem'), join(dir, 'certs', 'ca.pem'));
  copyFileSync(join(fixture, 'certs', 'device-01.pem'), join(dir, 'certs', 'gateway.pem'));
  copyFileSync(join(fixture, 'certs', 'device-01.key'), join(dir, 'certs', 'gateway.key'));
  writeFileSync(join(dir, 'src', 'app.c'), 'int app_main(void) { return 0; }\n');
  const project = {
    version: 1,
    profiles: {
      gateway: {
        broker: { host: 'gateway.local', port: 8883 },
        ca: 'certs/ca.pem',
        cert: 'certs/gateway.pem',
        key: 'certs/gateway.key',
      },
    },
  };
  writeFileSync(join(dir, 'embedded-tls.json'), JSON.stringify(project, null, 2) + '\n');
}

async function main() {
  if (!existsSync(testsEntry))
    throw new HarnessError(`${testsEntry} is missing: build first (node esbuild.mjs)`);
  const only = process.env.ETLS_INTEGRATION_LAYOUT ?? (workspaceSource ? 'folder' : undefined);
  if (only && !LAYOUTS[only])
    throw new HarnessError(`ETLS_INTEGRATION_LAYOUT=${only}: use ${Object.keys(LAYOUTS).join(', ')}`);
  let worst = 0;
  for (const name of only ? [only] : Object.keys(LAYOUTS)) {
    log(`layout: ${name}`);
    worst = Math.max(worst, await runLayout(name));
  }
  return worst;
}

async function runLayout(layoutName) {
  if (!existsSync(chromiumPath)) {
    throw new HarnessError(`${chromiumPath} is missing: install it with apt-get install -y chromium`);
  }
  if (!isInstalled()) setupVscode();

  const hostTmp = process.env.TMPDIR;
  const dirs = makeRunDir();
  const suffix = layoutName === 'folder' ? '' : `-${layoutName}`;
  let server;
  let browser;
  let exitCode = null;
  const harnessFailures = [];
  try {
    const layout = LAYOUTS[layoutName](dirs);
    let port;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      server = startCodeServer(dirs, port, layout);
      activeServer = server;
      log(`code-server pid ${server.child.pid} on 127.0.0.1:${port}`);
      await waitFor(
        () => /HTTP server listening/.test(server.output) || server.exited,
        90_000,
        'code-server',
      );
      if (!server.exited) break;
      if (attempt === 3 || !/EADDRINUSE/.test(server.output)) {
        throw new HarnessError(`code-server did not start:\n${server.output.slice(-3000)}`);
      }
    }

    // playwright puts Chromium's temporary profile in os.tmpdir(): keep that inside the run folder too
    // (until the run ends: the next layout makes its run folder in the machine's own).
    process.env.TMPDIR = dirs.tmp;
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      env: cleanEnv({
        HOME: dirs.home,
        TMPDIR: dirs.tmp,
        XDG_CONFIG_HOME: dirs.xdgConfig,
        XDG_CACHE_HOME: dirs.xdgCache,
      }),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // The extension host's console (mocha's reporter) and the run's result arrive through these two hooks.
    await page.exposeFunction('codeAutomationLog', (_type, args) => {
      const text = Array.isArray(args) ? format(...args) : String(args);
      if (!workbenchNoise.some((re) => re.test(text))) console.log(text);
    });
    await page.exposeFunction('codeAutomationExit', (code) => {
      exitCode = code;
    });
    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(repo)],
      ['extensionTestsPath', remote(testsEntry)],
      ['skipWelcome', 'true'],
    ];
    const url =
      `http://127.0.0.1:${port}/?${layout.query}` + `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    const deadline = Date.now() + overallTimeoutMs;
    await page.goto(url, { timeout: 90_000 });
    await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    log('workbench loaded; running the suite');
    const stopProbe = benchProbeFile
      ? await startBenchProbe(page, process.pid, benchProbeFile, dirs.requests)
      : () => {};

    while (exitCode === null) {
      if (Date.now() > deadline) {
        throw new HarnessError(`the suite did not finish within ${Math.round(overallTimeoutMs / 1000)} s`);
      }
      if (server.exited)
        throw new HarnessError(`code-server exited during the run:\n${server.output.slice(-3000)}`);
      await serveScreenshotRequest(page, dirs, harnessFailures);
      await sleep(200);
    }
    stopProbe();
    log(`suite finished with exit code ${exitCode}`);
    await takeScreenshot(page, `workbench${suffix}`);
  } catch (e) {
    harnessFailures.push(e instanceof HarnessError ? e.message : (e.stack ?? String(e)));
    try {
      const page = browser?.contexts()[0]?.pages()[0];
      if (page) await takeScreenshot(page, `workbench-failure${suffix}`);
    } catch {
      // the browser is gone; the message above says why
    }
  } finally {
    if (hostTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = hostTmp;
    await browser?.close().catch(() => {});
    await killGroup(server?.child);
    if (server) {
      mkdirSync(join(repo, 'test-results'), { recursive: true });
      writeFileSync(join(repo, 'test-results', `code-server${suffix}.log`), server.output);
    }
    if (keepRun) log(`kept the run folder ${dirs.run}`);
    else rmSync(dirs.run, { recursive: true, force: true, maxRetries: 3 });
  }

  if (harnessFailures.length > 0) {
    for (const f of harnessFailures) console.error(`integration harness: ${f}`);
    console.error(`code-server output: test-results/code-server${suffix}.log`);
    return exitCode && exitCode !== 0 ? 1 : 2;
  }
  return exitCode === 0 ? 0 : 1;
}

let finished = false;
// Last resort for any way out (an uncaught error, a closed stdout): never leave code-server running.
process.on('exit', () => {
  const pid = activeServer?.child.pid;
  if (pid && activeServer.child.exitCode === null) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (!finished) console.error(`integration: ${sig}, stopping`);
    void killGroup(activeServer?.child).finally(() => process.exit(130));
  });
}
main()
  .then((code) => {
    finished = true;
    log(code === 0 ? 'passed' : 'FAILED');
    process.exit(code);
  })
  .catch((e) => {
    console.error(`integration harness: ${e instanceof HarnessError ? e.message : (e.stack ?? e)}`);
    process.exit(2);
  });
