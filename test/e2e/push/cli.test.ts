// The built CLI (dist/cli.js): `etls push` against the simulated CC3235 and the C receiver, and `etls ports`.
import { strict as assert } from 'node:assert';
import { execFile, execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openSerialLink } from '../../../src/core/node/serialLink';
import { ProxyBoard } from '../../support/push/proxyBoard';
import { ptyPair, type SocatPtys } from '../../support/push/ptyPair';
import { buildReceiver, type ReceiverBuild } from '../../support/push/receiverBuild';
import { SimpleLinkBoard } from '../../support/push/simplelinkBoard';
import { makeCertFixture, type CertFixture } from '../../support/push/fixtures';

const repo = resolve(__dirname, '../../..');
const cli = join(repo, 'dist/cli.js');

function etls(
  args: string[],
  env: Record<string, string> = {},
  cwd = repo,
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      [cli, ...args],
      { env: { ...process.env, ...env }, timeout: 60000, cwd },
      (e, out, err) => done({ code: e ? Number((e as { code?: number }).code ?? 99) : 0, out, err }),
    );
    child.stdin?.end();
  });
}

/** A bash console on a pty behind a throttled wire, with a certs folder in its home. */
async function bashBoard(
  baud: number,
): Promise<{ board: ProxyBoard; home: string; dispose(): Promise<void> }> {
  const home = mkdtempSync(join(tmpdir(), 'etls-cli-board-'));
  mkdirSync(join(home, 'certs'));
  const board = await ProxyBoard.start(
    `env -i HOME=${home} PATH=/usr/bin:/bin TERM=vt100 PS1='root@board:~# ' bash --norc --noprofile -i`,
    baud,
  );
  return {
    board,
    home,
    async dispose() {
      await board.dispose();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** What the console shows after an Enter: its prompt, if it has one. */
async function consoleAnswer(path: string): Promise<string> {
  const link = await openSerialLink(path, 115200);
  let text = '';
  link.onData((d) => (text += Buffer.from(d).toString('latin1')));
  try {
    await link.write(Buffer.from('\r'));
    await new Promise((r) => setTimeout(r, 1500));
  } finally {
    await link.close();
  }
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
}

describe('e2e: etls push / etls ports (built CLI)', function () {
  this.timeout(120000);
  let fx: CertFixture;
  let rx: ReceiverBuild;

  before(async () => {
    execFileSync(process.execPath, ['esbuild.mjs'], { cwd: repo, stdio: 'pipe' });
    fx = makeCertFixture();
    rx = await buildReceiver();
  });
  after(() => {
    fx.dispose();
  });

  it('pushes to the etls-frame receiver and exits 0 once verified', async () => {
    const root = mkdtempSync(join(tmpdir(), 'etls-cli-rx-'));
    let ptys: SocatPtys | undefined;
    const receiver = await (async () => {
      ptys = await ptyPair();
      return spawn(rx.posix, ['--tty', ptys.paths[1]!, '--root', root], { stdio: 'ignore' });
    })();
    try {
      const r = await etls([
        'push',
        '--port',
        ptys!.paths[0]!,
        '--protocol',
        'etls-frame',
        '--baud',
        '921600',
        `${fx.certPem}:device.pem`,
        `${fx.keyPem}:device.key`,
      ]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^ok {2}.*device\.key.*SHA-256/m);
      assert.match(r.out, /pushed 2 file\(s\)/);
      assert.deepEqual(readFileSync(join(root, 'device.key')), readFileSync(fx.keyPem));
    } finally {
      receiver.kill('SIGKILL');
      await ptys?.dispose();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('takes port, protocol, baud and files from a device profile (--profile)', async () => {
    const project = mkdtempSync(join(tmpdir(), 'etls-cli-project-'));
    const board = await SimpleLinkBoard.start(921600);
    try {
      writeFileSync(
        join(project, 'embedded-tls.json'),
        JSON.stringify({
          version: 1,
          profiles: {
            lab: {
              target: 'cc3235',
              push: {
                protocol: 'simplelink-at',
                port: board.hostPath,
                baud: 921600,
                files: [
                  { local: fx.certPem, remote: '/cert/device.der' },
                  { local: fx.keyPem, remote: '/cert/device.key' },
                ],
              },
            },
          },
        }),
      );
      const r = await etls(['push', '--profile', 'lab'], {}, project);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(board.files.get('/cert/device.key'), fx.keyDerPkcs1);
      const missing = await etls(['push', '--profile', 'nope'], {}, project);
      assert.equal(missing.code, 2);
      assert.match(missing.err, /Profile "nope" has no push section/);
    } finally {
      await board.dispose();
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('pushes DER to the simulated CC3235 and reports JSON', async () => {
    const board = await SimpleLinkBoard.start(921600);
    try {
      const r = await etls([
        'push',
        '--port',
        board.hostPath,
        '--protocol',
        'simplelink-at',
        '--baud',
        '921600',
        '--json',
        `${fx.certPem}:/cert/device.der`,
      ]);
      assert.equal(r.code, 0, r.err);
      const report = JSON.parse(r.out) as { ok: boolean; files: { remote: string; bytes: number }[] };
      assert.equal(report.ok, true);
      assert.equal(report.files[0]!.bytes, fx.certDer.length);
      assert.deepEqual(board.files.get('/cert/device.der'), fx.certDer);
    } finally {
      await board.dispose();
    }
  });

  it('exits 1 with the SimpleLink error explained, no stack trace', async () => {
    const board = await SimpleLinkBoard.start(921600, { errorReply: { command: 'FileClose', code: -457 } });
    try {
      const r = await etls([
        'push',
        '--port',
        board.hostPath,
        '--protocol',
        'simplelink-at',
        '--baud',
        '921600',
        `${fx.certPem}:/cert/device.der`,
      ]);
      assert.equal(r.code, 1);
      assert.match(r.err, /certificate file on the board is bad.*\(-457\)/);
      assert.doesNotMatch(r.err, /\bat .*\.(js|ts):\d+/);
    } finally {
      await board.dispose();
    }
  });

  it('exits 2 on bad arguments and on a missing port', async () => {
    const bad = await etls(['push', '--port', '/dev/null', '--protocol', 'xmodem', 'a:b']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--protocol must be one of simplelink-at, linux-shell, etls-frame/);
    const missing = await etls([
      'push',
      '--port',
      join(tmpdir(), 'etls-no-such-port'),
      '--protocol',
      'etls-frame',
      `${fx.certPem}:x`,
    ]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.err, /no such serial port.*etls ports/);
  });

  it('SIGTERM mid-transfer (no TTY) cleans up the console before exiting; the next push works', async () => {
    const b = await bashBoard(9600);
    try {
      const pairs = [
        `${fx.certPem}:${join(b.home, 'certs', 'device.pem')}`,
        `${fx.keyPem}:${join(b.home, 'certs', 'device.key')}`,
      ];
      const child = spawn(
        process.execPath,
        [cli, 'push', '--port', b.board.hostPath, '--protocol', 'linux-shell', '--baud', '9600', ...pairs],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      // The 3 KB upload takes about 4 s at 9600 baud: stop it once progress shows.
      for (let i = 0; i < 100 && !/ of \d+\.\d KB/.test(err); i++)
        await new Promise((r) => setTimeout(r, 100));
      assert.match(err, / of \d+\.\d KB/, 'the upload was under way');
      const signalled = Date.now();
      child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('hung'), 10000))]);
      if (code === 'hung') child.kill('SIGKILL');
      assert.equal(code, 143, err);
      assert.ok(Date.now() - signalled < 6000);
      assert.match(err, /SIGTERM: stopping and leaving the board's console clean/);
      assert.doesNotMatch(err, /\bat .*\.(js|ts):\d+/);
      assert.match(await consoleAnswer(b.board.hostPath), /root@board:~# $/, 'prompt and echo are back');
      assert.ok(
        !readdirSync(join(b.home, 'certs')).some((f) => f.endsWith('.tmp')),
        'no temporary file left',
      );
      const again = await etls([
        'push',
        '--port',
        b.board.hostPath,
        '--protocol',
        'linux-shell',
        '--baud',
        '9600',
        ...pairs,
      ]);
      assert.equal(again.code, 0, again.err);
      assert.deepEqual(readFileSync(join(b.home, 'certs', 'device.key')), readFileSync(fx.keyPem));
    } finally {
      await b.dispose();
    }
  });

  it('refuses a ^U in a remote name from embedded-tls.json and sends nothing to the board', async () => {
    const b = await bashBoard(115200);
    const project = mkdtempSync(join(tmpdir(), 'etls-cli-project-'));
    try {
      const profile = (remote: string) =>
        JSON.stringify({
          version: 1,
          profiles: {
            lab: {
              target: 'linux',
              push: {
                protocol: 'linux-shell',
                port: b.board.hostPath,
                files: [{ local: fx.certPem, remote }],
              },
            },
          },
        });
      writeFileSync(
        join(project, 'embedded-tls.json'),
        profile(`${b.home}/certs/x\u0015cd;touch PWNED #.pem`),
      );
      const r = await etls(['push', '--profile', 'lab'], {}, project);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, /holds 0x15 \(Ctrl-U\) at position \d+; nothing was sent/);
      assert.doesNotMatch(r.err, /\x15/, 'the control character is not printed raw');
      assert.equal(b.board.bytesToBoard, 0);
      writeFileSync(join(project, 'embedded-tls.json'), profile(`${b.home}/certs/device.pem`));
      const ok = await etls(['push', '--profile', 'lab'], {}, project);
      assert.equal(ok.code, 0, ok.err);
      assert.ok(existsSync(join(b.home, 'certs', 'device.pem')));
      assert.deepEqual(
        readdirSync(b.home).filter((f) => f.includes('PWNED')),
        [],
        'nothing ran on the board',
      );
    } finally {
      await b.dispose();
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('lists ports as JSON', async () => {
    const r = await etls(['ports', '--json']);
    assert.equal(r.code, 0, r.err);
    assert.ok(Array.isArray(JSON.parse(r.out)));
  });
});
