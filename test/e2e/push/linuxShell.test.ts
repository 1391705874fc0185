// linux-shell against a real bash on a pty (through the throttled, fault-injecting proxy), login included.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EtlsError } from '../../../src/core/errors';
import { openSerialLink } from '../../../src/core/node/serialLink';
import { ProxyBoard, type ProxyFaults } from '../../support/push/proxyBoard';
import {
  assertNoSecret,
  cancelSource,
  makeCertFixture,
  pushOver,
  transcript,
  type CertFixture,
} from '../../support/push/fixtures';

const BAUD = 460800;

/** What the console shows after an Enter: its prompt, if it has one. */
async function consoleAnswer(path: string, ms = 1000): Promise<string> {
  const link = await openSerialLink(path, BAUD);
  let text = '';
  link.onData((d) => (text += Buffer.from(d).toString('latin1')));
  try {
    await link.write(Buffer.from('\r'));
    await new Promise((r) => setTimeout(r, ms));
  } finally {
    await link.close();
  }
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
}

describe('e2e: push over linux-shell (real bash on a pty)', function () {
  this.timeout(90000);
  let fx: CertFixture;
  let home: string;
  let board: ProxyBoard | undefined;

  before(() => {
    fx = makeCertFixture();
  });
  after(() => fx.dispose());
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'etls-board-'));
    mkdirSync(join(home, 'certs'));
  });
  afterEach(async () => {
    await board?.dispose();
    board = undefined;
    rmSync(home, { recursive: true, force: true });
  });

  const bash = () =>
    `env -i HOME=${home} PATH=/usr/bin:/bin TERM=vt100 PS1='root@board:~# ' bash --norc --noprofile -i`;
  const sources = (dir = join(home, 'certs')) => [
    { local: fx.certPem, remote: join(dir, 'device.pem'), data: readFileSync(fx.certPem) },
    { local: fx.keyPem, remote: join(dir, 'device.key'), data: readFileSync(fx.keyPem) },
  ];

  async function start(command = bash(), faults?: ProxyFaults): Promise<ProxyBoard> {
    board = await ProxyBoard.start(command, BAUD, faults);
    return board;
  }

  it('uploads through a heredoc, checks sha256sum, moves into place with chmod 600 for the key', async () => {
    const b = await start();
    const log = transcript();
    const report = await pushOver(b.hostPath, 'linux-shell', sources(), { baud: BAUD, logger: log });
    const dir = join(home, 'certs');
    assert.deepEqual(readFileSync(join(dir, 'device.pem')), readFileSync(fx.certPem));
    assert.deepEqual(readFileSync(join(dir, 'device.key')), readFileSync(fx.keyPem));
    assert.equal(statSync(join(dir, 'device.key')).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'device.pem')).mode & 0o777, 0o644);
    assert.deepEqual(readdirSync(dir).sort(), ['device.key', 'device.pem'], 'no temporary files left');
    assert.match(report.files[1]!.verifiedBy, /sha256sum matches, mode 600/);
    assertNoSecret(log.text(), readFileSync(fx.keyPem));
    assert.ok(
      !readdirSync(home).includes('.bash_history') ||
        !readFileSync(join(home, '.bash_history'), 'utf8').includes('MII'),
    );
  });

  it('refuses a ^U in a remote name before sending anything: nothing runs on the board, the next push works', async () => {
    const b = await start();
    // ^U makes readline wipe the typed line: without the check, "cd; touch PWNED" ran whatever the quoting.
    const evil = `${join(home, 'certs')}/x\x15cd;touch PWNED #.pem`;
    await assert.rejects(
      pushOver(
        b.hostPath,
        'linux-shell',
        [{ local: fx.certPem, remote: evil, data: readFileSync(fx.certPem) }],
        {
          baud: BAUD,
        },
      ),
      (e: EtlsError) =>
        e instanceof EtlsError && e.code === 'invalid-argument' && /0x15 \(Ctrl-U\)/.test(e.message),
    );
    assert.equal(b.bytesToBoard, 0, 'not a byte went to the board');
    await pushOver(b.hostPath, 'linux-shell', sources(), { baud: BAUD });
    assert.deepEqual(readFileSync(join(home, 'certs', 'device.pem')), readFileSync(fx.certPem));
    assert.deepEqual(
      readdirSync(home).filter((f) => f.includes('PWNED')),
      [],
      'the command in the name did not run',
    );
    assert.deepEqual(readdirSync(join(home, 'certs')).sort(), ['device.key', 'device.pem']);
  });

  it('recovers a console left with no prompt, echo off and an open heredoc, and puts the prompt back', async () => {
    const b = await start();
    // What a push killed mid-upload leaves behind.
    const link = await openSerialLink(b.hostPath, BAUD);
    await link.write(
      Buffer.from(
        `ETLS_PS1="$PS1"; PS1=''; PS2=''; stty -echo; set +o history\r` +
          `(umask 022; base64 -d > ${join(home, 'certs')}/.device.pem.etls-0badf00d.tmp) <<'ETLS_EOF'\rTUlJQ0\r`,
      ),
    );
    await new Promise((r) => setTimeout(r, 300));
    await link.close();
    const log = transcript();
    await pushOver(b.hostPath, 'linux-shell', sources(), { baud: BAUD, logger: log });
    assert.match(log.text(), /showed no prompt but a shell answered/);
    assert.deepEqual(readFileSync(join(home, 'certs', 'device.key')), readFileSync(fx.keyPem));
    assert.deepEqual(readdirSync(join(home, 'certs')).sort(), ['device.key', 'device.pem']);
    assert.match(await consoleAnswer(b.hostPath), /root@board:~# $/, 'the prompt is back');
  });

  it("shows the board's error, not the echo, when the console cannot turn echo off", async () => {
    // A console whose stty -echo has no effect: every typed line comes back.
    const rc = join(home, 'echo-stays-on.rc');
    writeFileSync(rc, 'stty() { command stty "$@"; command stty echo; }\n');
    const b = await start(bash().replace('--norc', `--rcfile ${rc}`));
    const log = transcript();
    await pushOver(b.hostPath, 'linux-shell', sources(), { baud: BAUD, logger: log });
    assert.deepEqual(readFileSync(join(home, 'certs', 'device.key')), readFileSync(fx.keyPem));
    await assert.rejects(
      pushOver(b.hostPath, 'linux-shell', sources(join(home, 'missing')), { baud: BAUD, logger: log }),
      (e: EtlsError) =>
        e instanceof EtlsError && /No such file or directory/.test(e.message) && !/ETLS/.test(e.message),
    );
    assertNoSecret(log.text(), readFileSync(fx.keyPem));
  });

  it('gives up when the whole push outlasts its deadline, and leaves the console clean', async () => {
    // Every sha256sum answers within the reply timeout, but the four of them take far longer than allowed.
    const rc = join(home, 'slow.rc');
    writeFileSync(rc, `PS1='root@board:~# '; sha256sum() { sleep 1; command sha256sum "$@"; }\n`);
    const b = await start(bash().replace('--norc', `--rcfile ${rc}`));
    const started = Date.now();
    await assert.rejects(
      pushOver(b.hostPath, 'linux-shell', sources(), { baud: BAUD, timeoutMs: 1500, retries: 0 }),
      (e: EtlsError) => e instanceof EtlsError && e.code === 'timeout' && /whole push/.test(e.message),
    );
    // 1500 ms plus twice the wire time, plus the clean-up's wait
    assert.ok(Date.now() - started < 6000, `took ${Date.now() - started} ms`);
    const shown = await consoleAnswer(b.hostPath, 1500);
    assert.match(shown, /root@board:~# $/, `the prompt is back: ${JSON.stringify(shown)}`);
    assert.ok(!readdirSync(join(home, 'certs')).some((f) => f.endsWith('.tmp')), 'no temporary file left');
  });

  it('logs in when the console shows a login prompt', async () => {
    const script = join(home, 'login.sh');
    writeFileSync(
      script,
      `printf 'Debian GNU/Linux 12 board ttyS0\\n\\n'
while :; do
  printf 'board login: '; read -r u; [ -z "$u" ] && continue
  printf 'Password: '; stty -echo; read -r p; stty echo; echo
  if [ "$u" = pi ] && [ "$p" = 's3cret' ]; then exec ${bash()}; fi
  echo 'Login incorrect'
done\n`,
    );
    const b = await start(`bash ${script}`);
    const log = transcript();
    await pushOver(b.hostPath, 'linux-shell', sources(), {
      baud: BAUD,
      logger: log,
      login: { username: 'pi', password: 's3cret' },
    });
    assert.deepEqual(readFileSync(join(home, 'certs', 'device.key')), readFileSync(fx.keyPem));
    assert.ok(!log.text().includes('s3cret'), 'the password is not logged');
  });

  it('asks for credentials when a login prompt shows and none were given', async () => {
    const b = await start(`bash -c "while :; do printf 'board login: '; read -r u; done"`);
    await assert.rejects(
      pushOver(b.hostPath, 'linux-shell', sources(), { baud: BAUD }),
      (e: EtlsError) =>
        e instanceof EtlsError && /asks for a login/.test(e.message) && /--user/.test(e.fix ?? ''),
    );
  });

  it("reports the board's own words when the destination folder is missing", async () => {
    const b = await start();
    await assert.rejects(
      pushOver(b.hostPath, 'linux-shell', sources(join(home, 'missing')), { baud: BAUD }),
      (e: EtlsError) => e instanceof EtlsError && /No such file or directory/.test(e.message),
    );
  });

  it('sends again when a corrupted byte spoils the sha256sum, leaving no temp file', async () => {
    // The first heredoc line is base64 of "-----BEGIN CERTIFICATE-----": its 11th character is a "d";
    // flipping it to "D" keeps valid base64 with wrong bytes, which only the sha256sum can see.
    const b = await start(bash(), {
      toBoard: { after: [{ text: "<<'ETLS_EOF'\r", offset: 10, action: 'corrupt', mask: 0x20 }] },
    });
    const log = transcript();
    await pushOver(b.hostPath, 'linux-shell', sources(), { baud: BAUD, logger: log });
    assert.deepEqual(readFileSync(join(home, 'certs', 'device.pem')), readFileSync(fx.certPem));
    assert.match(log.text(), /SHA-256 differs from the local file; sending it again/);
    assert.deepEqual(readdirSync(join(home, 'certs')).sort(), ['device.key', 'device.pem']);
  });

  it('fails clearly on a disconnect and leaves the live file alone', async () => {
    writeFileSync(join(home, 'certs', 'device.pem'), 'old');
    const b = await start(bash(), { toBoard: { disconnectAt: 900 } });
    await assert.rejects(
      pushOver(b.hostPath, 'linux-shell', sources(), { baud: BAUD, timeoutMs: 1500 }),
      (e: EtlsError) => e instanceof EtlsError && ['link', 'timeout'].includes(e.code),
    );
    assert.equal(readFileSync(join(home, 'certs', 'device.pem'), 'utf8'), 'old');
  });

  it('paces the upload to the line rate and stops on cancellation, cleaning up its temp file', async () => {
    const b = await start();
    const cancel = cancelSource();
    const progress: string[] = [];
    const started = Date.now();
    // At 9600 baud the 3.6 KB upload takes seconds: cancel once a few lines have gone out.
    const onProgress = (m: string) => {
      progress.push(m);
      if (progress.length === 4) cancel.cancel();
    };
    await assert.rejects(
      pushOver(b.hostPath, 'linux-shell', sources(), {
        baud: 9600,
        cancel,
        progress: { report: (u) => onProgress(u.message ?? '') },
      }),
      (e: EtlsError) => e instanceof EtlsError && e.code === 'cancelled',
    );
    assert.ok(
      progress.some((m) => / of \d+\.\d KB, about \d+ s left/.test(m)),
      progress.join('\n'),
    );
    // 4 lines of 77 bytes at 90 % of 960 bytes/s cannot go out in less than ~0.3 s
    assert.ok(Date.now() - started >= 250);
    const dir = join(home, 'certs');
    for (let i = 0; i < 100 && readdirSync(dir).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(readdirSync(dir), [], 'the temporary file is removed');
  });
});
