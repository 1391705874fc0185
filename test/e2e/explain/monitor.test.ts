// `etls monitor` (the built CLI) on a socat pty with a fake ESP32: lines pass unchanged, errors are explained,
// the board resets mid-line and its USB port goes away and comes back, and Ctrl-C ends the monitor cleanly.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSerialLink } from '../../../src/core/node/serialLink';
import type { ByteLinkPort } from '../../../src/core/ports';
import { CLI, REPO, etls, requireBuiltCli } from '../../support/realParts';

/** socat with two pty links at fixed paths, so a restart looks like the board's USB port coming back. */
async function socatAt(a: string, b: string): Promise<ChildProcess> {
  const proc = spawn('socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' });
  await new Promise<void>((resolve, reject) => {
    proc.once('error', (e) =>
      reject(new Error(`socat cannot start (${e.message}); install it: apt-get install socat`)),
    );
    const until = Date.now() + 10_000;
    const poll = () => {
      if (existsSync(a) && existsSync(b)) return resolve();
      if (Date.now() > until) return reject(new Error('socat did not create the ptys in 10 s'));
      setTimeout(poll, 20);
    };
    poll();
  });
  return proc;
}

async function stopSocat(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const gone = new Promise((r) => p.once('exit', r));
  p.kill('SIGKILL');
  await gone;
}

async function waitFor(what: string, check: () => boolean, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const MARK = '  ⮡ etls:';
const withoutNotes = (s: string) =>
  s
    .split('\n')
    .filter((l) => !l.startsWith(MARK))
    .join('\n');

describe('etls monitor over a pty', function () {
  this.timeout(60_000);
  let dir: string;
  let socat: ChildProcess | undefined;
  let board: ByteLinkPort | undefined;
  let monitor: ChildProcess | undefined;

  before(() => requireBuiltCli());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'etls-monitor-'));
  });
  afterEach(async () => {
    if (monitor && monitor.exitCode === null) monitor.kill('SIGKILL');
    await board?.close();
    if (socat) await stopSocat(socat);
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes the board through unchanged, explains errors, survives a reset and a re-enumeration, ends on Ctrl-C', async () => {
    const boardPath = join(dir, 'board');
    const hostPath = join(dir, 'ttyUSB0');
    socat = await socatAt(boardPath, hostPath);
    board = await openSerialLink(boardPath, 115200);
    const log = join(dir, 'session.log');
    monitor = spawn(
      process.execPath,
      [CLI, 'monitor', '--port', hostPath, '--baud', '115200', '--target', 'esp32', '--log', log],
      {
        cwd: REPO,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    monitor.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
    monitor.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
    const exited = new Promise<number | null>((r) => monitor!.once('exit', (code) => r(code)));
    await waitFor('the monitor to open the port', () => /Ctrl-C ends/.test(err));

    let sent = '';
    const send = async (s: string) => {
      sent += s;
      await board!.write(Buffer.from(s, 'utf8'));
    };
    await send('I (312) wifi:connected with home, aid = 1, channel 6\r\n');
    await send('I (4980) MQTT_CLIENT: Sending MQTT CONNECT message, type: 1, id: 0000\r\n');
    await send('E (5123) esp-tls-mbedtls: mbedtls_ssl_handshake returned -0x2700\r\n');
    await send('E (5133) esp-tls: Failed to open new connection\r\n');
    await waitFor('the explanation', () => out.includes('MBEDTLS_ERR_X509_CERT_VERIFY_FAILED'));
    // The explanation comes right after the line it explains, marked.
    assert.match(out, /returned -0x2700\r\n {2}⮡ etls: mbedtls -0x2700 MBEDTLS_ERR_X509_CERT_VERIFY_FAILED/);
    assert.doesNotMatch(out.split('returned -0x2700')[0]!, /etls:/, 'ordinary lines get no note');

    // A reset mid-line, then the USB port goes away (socat dies) and comes back at the same path.
    await send('I (6001) wifi: sta disconn');
    await waitFor('the half line', () => out.endsWith('sta disconn'));
    await board.close();
    board = undefined;
    await stopSocat(socat);
    await waitFor('the monitor to notice', () => /closed \(reset or unplugged\)/.test(err));
    socat = await socatAt(boardPath, hostPath);
    await waitFor('the monitor to reopen', () => /reopened/.test(err));
    board = await openSerialLink(boardPath, 115200);
    await send('ets Jun  8 2016 00:22:57\r\n\r\nrst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\n');
    await send('failed, rc=-2 try again in 5 seconds\r\n');
    await waitFor('the second explanation', () => out.includes('MQTT_CONNECT_FAILED'));

    // Ctrl-C: a clean end with status 0.
    monitor.kill('SIGINT');
    assert.equal(await exited, 0, err);
    assert.equal(withoutNotes(out), sent, "the board's bytes pass through unchanged");
    assert.equal(readFileSync(log, 'utf8'), out, 'the log holds what was shown');
  });

  it('annotates a saved log from standard input with --port -', () => {
    const r = etls(['monitor', '--port', '-', '--target', 'esp8266'], {
      input: 'SSL error: 62\nconnecting...\nfailed, rc=-2 try again in 5 seconds',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /SSL error: 62\n {2}⮡ etls: bearssl 62 BR_ERR_X509_NOT_TRUSTED/);
    assert.match(
      r.stdout,
      /connecting\.\.\.\nfailed, rc=-2 try again in 5 seconds\n {2}⮡ etls: pubsubclient -2 MQTT_CONNECT_FAILED/,
    );
  });

  it('says plainly when the port does not exist', () => {
    const r = etls(['monitor', '--port', join(dir, 'nothing-here')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no such serial port/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });
});
