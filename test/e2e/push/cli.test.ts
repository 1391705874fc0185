// The built CLI (dist/cli.js): `etls push` against the simulated CC3235 and the C receiver, and `etls ports`.
import { strict as assert } from 'node:assert';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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

  it('lists ports as JSON', async () => {
    const r = await etls(['ports', '--json']);
    assert.equal(r.code, 0, r.err);
    assert.ok(Array.isArray(JSON.parse(r.out)));
  });
});
