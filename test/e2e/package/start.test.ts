// e2e: `npm start` on a machine without the desktop `code`: it serves code-server with the packed
// extension installed and prints only the plain address, which loads the workbench on the example.
// Real parts: node, npm, vsce, code-server, openssl (through etls pki init).
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = join(__dirname, '..', '..', '..');
const example = join(repo, 'examples', 'esp32-mqtt-tls');

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => res(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

describe('npm start (code-server)', function () {
  this.timeout(400_000);
  let home = '';
  let child: ChildProcess | undefined;
  let output = '';
  let port = 0;

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'etls-start-'));
    port = await freePort();
    child = spawn(process.execPath, [join(repo, 'scripts', 'start.mjs')], {
      cwd: repo,
      env: { ...process.env, ETLS_USE_CODE_SERVER: '1', PORT: String(port), ETLS_START_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<void>((r) => child!.once('exit', () => r()));
    let poll: NodeJS.Timeout | undefined;
    const ready = new Promise<void>((r) => {
      poll = setInterval(() => {
        if (/Stop with Ctrl-C/.test(output)) r();
      }, 200);
    });
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((r) => (timer = setTimeout(r, 360_000)));
    await Promise.race([ready, exited, limit]);
    // Pending timers would keep mocha's process alive for minutes after the last test.
    clearInterval(poll);
    clearTimeout(timer);
    assert.match(output, /Stop with Ctrl-C/, `npm start did not come up:\n${output}`);
  });

  after(async () => {
    if (child && child.exitCode === null) {
      const gone = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    }
    rmSync(home, { recursive: true, force: true });
  });

  it('prints the plain address only, no long URL with a payload', () => {
    const urls = output.match(/https?:\/\/\S+/g) ?? [];
    assert.deepEqual(urls, [`http://127.0.0.1:${port}/`]);
  });

  it('installs the packed extension into the served instance', () => {
    const entry = join(repo, '.ci-cache', 'vscode', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
    const r = spawnSync(
      process.execPath,
      [entry, '--extensions-dir', join(home, 'extensions'), '--list-extensions', '--show-versions'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^embedded-tls\.embedded-tls-workbench@/m);
  });

  it('serves the workbench at the plain address, on the example', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(res.status, 200);
    // code-server sends the plain address on to its default folder: the example.
    assert.match(decodeURIComponent(res.url), /folder=.*examples\/esp32-mqtt-tls/, res.url);
    assert.match(await res.text(), /workbench/i);
    const log = readFileSync(join(home, 'code-server.log'), 'utf8');
    assert.doesNotMatch(log, /error installing|Failed Installing/i);
  });

  it("gives the example its PKI with etls pki init: the profile's files and a mosquitto.conf", () => {
    const project = JSON.parse(readFileSync(join(example, 'embedded-tls.json'), 'utf8')) as {
      pki?: { dir: string };
      profiles: Record<string, { ca: string; cert: string; key: string }>;
    };
    assert.equal(project.pki?.dir, 'certs');
    for (const p of Object.values(project.profiles))
      for (const f of [p.ca, p.cert, p.key]) assert.ok(existsSync(join(example, f)), `${f} is missing`);
    const conf = readFileSync(join(example, 'certs', 'mosquitto.conf'), 'utf8');
    assert.match(conf, /^require_certificate true$/m);
    const check = spawnSync(process.execPath, [join(repo, 'dist', 'cli.js'), 'check'], {
      cwd: example,
      encoding: 'utf8',
    });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    assert.match(check.stdout + check.stderr, / 0 errors, 0 warnings/);
  });
});
