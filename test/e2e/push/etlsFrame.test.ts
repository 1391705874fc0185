// etls-frame against the C reference receiver, built with gcc, on socat ptys (POSIX and fake SimpleLink storage).
import { strict as assert } from 'node:assert';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EtlsError } from '../../../src/core/errors';
import { ProxyBoard, type ProxyFaults } from '../../support/push/proxyBoard';
import { buildReceiver, type ReceiverBuild } from '../../support/push/receiverBuild';
import { ptyPair } from '../../support/push/ptyPair';
import {
  assertNoSecret,
  cancelSource,
  makeCertFixture,
  pushOver,
  transcript,
  type CertFixture,
} from '../../support/push/fixtures';

const BAUD = 921600;
/** Any sanitizer report ends the program with an error; leaks are reported too. */
const sanitizerEnv = {
  ASAN_OPTIONS: 'abort_on_error=0:halt_on_error=1:detect_leaks=1:exitcode=86',
  UBSAN_OPTIONS: 'halt_on_error=1:print_stacktrace=1:exitcode=87',
};

function assertNoSanitizerReport(stderr: string): void {
  assert.doesNotMatch(
    stderr,
    /AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:/,
    stderr,
  );
}

describe('e2e: push over etls-frame (C receiver)', function () {
  this.timeout(90000);
  let fx: CertFixture;
  let rx: ReceiverBuild;
  let root: string;
  let board: ProxyBoard | undefined;

  before(async () => {
    fx = makeCertFixture();
    rx = await buildReceiver();
  });
  after(() => {
    fx.dispose();
  });
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'etls-rx-root-'));
  });
  afterEach(async () => {
    await board?.dispose();
    board = undefined;
    rmSync(root, { recursive: true, force: true });
  });

  const sources = () => [
    { local: fx.certPem, remote: 'device.pem', data: readFileSync(fx.certPem) },
    { local: fx.keyPem, remote: 'device.key', data: readFileSync(fx.keyPem) },
  ];

  async function start(faults?: ProxyFaults, exe = rx.posix, env = ''): Promise<ProxyBoard> {
    board = await ProxyBoard.start(`${env}${exe} --tty {TTY} --root ${root}`, BAUD, faults);
    return board;
  }

  it('builds with gcc -Wall -Wextra -Werror (all backends) and passes its C unit tests', () => {
    const out = execFileSync(rx.tests, { encoding: 'utf8', timeout: 30000 });
    assert.match(out, /all checks passed/);
    const storage = execFileSync(rx.storageTests, { encoding: 'utf8', timeout: 30000 });
    assert.match(storage, /storage-posix: all checks passed/);
  });

  it('passes its C tests under AddressSanitizer and UndefinedBehaviorSanitizer', () => {
    for (const exe of [rx.sanitized.tests, rx.sanitized.storageTests]) {
      const r = spawnSync(exe, {
        encoding: 'utf8',
        timeout: 60000,
        env: { ...process.env, ...sanitizerEnv },
      });
      assert.equal(r.status, 0, `${exe} failed:\n${r.stdout}\n${r.stderr}`);
      assertNoSanitizerReport(r.stderr);
      assert.match(r.stdout, /all checks passed/);
    }
  });

  it('receives pushes and refusals under the sanitizers without a report', async () => {
    const ptys = await ptyPair();
    let stderr = '';
    const receiver = spawn(rx.sanitized.posix, ['--tty', ptys.paths[1]!, '--root', root], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...sanitizerEnv },
    });
    receiver.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => receiver.once('exit', (code) => r(code)));
    try {
      await pushOver(ptys.paths[0]!, 'etls-frame', sources(), { baud: BAUD });
      assert.deepEqual(readFileSync(join(root, 'device.key')), readFileSync(fx.keyPem));
      for (const remote of ['../escape.pem', 'no/such/dir/x.pem']) {
        await assert.rejects(
          pushOver(ptys.paths[0]!, 'etls-frame', [{ local: 'x', remote, data: fx.certDer }], { baud: BAUD }),
          EtlsError,
        );
      }
      const big = Buffer.alloc(70 * 1024, 0x41);
      await assert.rejects(
        pushOver(ptys.paths[0]!, 'etls-frame', [{ local: 'x', remote: 'big', data: big }], { baud: BAUD }),
        /at most 65536/,
      );
    } finally {
      // The receiver ends when its line goes away; a sanitizer report would end it with an error instead.
      await ptys.dispose();
    }
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('hung'), 20000))]);
    if (code === 'hung') receiver.kill('SIGKILL');
    assertNoSanitizerReport(stderr);
    assert.equal(code, 0, stderr);
  });

  it('refuses a symbolic link planted at its temporary name and leaves the file outside alone', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'etls-rx-outside-'));
    try {
      writeFileSync(join(outside, 'victim'), 'precious');
      symlinkSync(join(outside, 'victim'), join(root, '.device.pem.etls.tmp'));
      mkdirSync(join(root, 'certs'));
      const b = await start();
      await assert.rejects(
        pushOver(b.hostPath, 'etls-frame', sources().slice(0, 1), { baud: BAUD }),
        (e: EtlsError) =>
          e instanceof EtlsError && /refused a symbolic link/.test(e.message) && /remove/.test(e.fix ?? ''),
      );
      assert.equal(readFileSync(join(outside, 'victim'), 'utf8'), 'precious');
      assert.ok(!existsSync(join(root, 'device.pem')));
      // a linked folder below the root is not followed either
      symlinkSync(outside, join(root, 'linked'));
      await assert.rejects(
        pushOver(b.hostPath, 'etls-frame', [{ local: 'x', remote: 'linked/victim', data: fx.certDer }], {
          baud: BAUD,
        }),
        /refused a symbolic link/,
      );
      assert.equal(readFileSync(join(outside, 'victim'), 'utf8'), 'precious');
      // the next push to a clean name works
      await pushOver(
        b.hostPath,
        'etls-frame',
        [{ local: 'x', remote: 'certs/device.der', data: fx.certDer }],
        {
          baud: BAUD,
        },
      );
      assert.deepEqual(readFileSync(join(root, 'certs', 'device.der')), fx.certDer);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('stores the files through the POSIX backend, verified and renamed into place', async () => {
    const b = await start();
    const log = transcript();
    const report = await pushOver(b.hostPath, 'etls-frame', sources(), { baud: BAUD, logger: log });
    assert.deepEqual(readFileSync(join(root, 'device.pem')), readFileSync(fx.certPem));
    assert.deepEqual(readFileSync(join(root, 'device.key')), readFileSync(fx.keyPem));
    assert.equal(statSync(join(root, 'device.key')).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(root).sort(), ['device.key', 'device.pem']);
    assert.match(report.files[0]!.verifiedBy, /SHA-256/);
    assertNoSecret(log.text(), readFileSync(fx.keyPem));
  });

  for (const [name, faults] of [
    ['a dropped byte', { toBoard: { drop: [700] } }],
    ['corrupted bytes both ways', { toBoard: { corrupt: [1500, 2900] }, toHost: { corrupt: [20] } }],
    ['a stall', { toBoard: { stall: { at: 900, ms: 1500 } } }],
  ] as [string, ProxyFaults][]) {
    it(`recovers from ${name} by sending again`, async () => {
      const b = await start(faults);
      await pushOver(b.hostPath, 'etls-frame', sources(), { baud: BAUD });
      assert.deepEqual(readFileSync(join(root, 'device.key')), readFileSync(fx.keyPem));
    });
  }

  it('fails clearly on a disconnect mid-file and leaves the live file alone', async () => {
    writeFileSync(join(root, 'device.pem'), 'old');
    const b = await start({ toBoard: { disconnectAt: 800 } });
    await assert.rejects(
      pushOver(b.hostPath, 'etls-frame', sources(), { baud: BAUD, timeoutMs: 1500 }),
      (e: EtlsError) => e instanceof EtlsError && ['link', 'timeout'].includes(e.code),
    );
    assert.equal(readFileSync(join(root, 'device.pem'), 'utf8'), 'old');
  });

  it('on cancellation makes the receiver drop its temporary file at once', async () => {
    // The acknowledgements stall after HELLO's, so the transfer is still open when the user stops.
    const b = await start({ toHost: { stall: { at: 30, ms: 4000 } } });
    const cancel = cancelSource();
    setTimeout(() => cancel.cancel(), 300);
    await assert.rejects(
      pushOver(b.hostPath, 'etls-frame', sources(), { baud: BAUD, cancel }),
      (e: EtlsError) => e instanceof EtlsError && e.code === 'cancelled',
    );
    for (let i = 0; i < 20 && readdirSync(root).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(readdirSync(root), [], 'no temporary file left on the board');
  });

  it("turns the receiver's ERR into a plain sentence (folder missing)", async () => {
    const b = await start();
    await assert.rejects(
      pushOver(
        b.hostPath,
        'etls-frame',
        [{ local: 'x', remote: 'no/such/dir/device.pem', data: readFileSync(fx.certPem) }],
        {
          baud: BAUD,
        },
      ),
      (e: EtlsError) => e instanceof EtlsError && /could not create the file/.test(e.message) && !!e.fix,
    );
  });

  it('refuses a path that climbs out of the storage root', async () => {
    const b = await start();
    await assert.rejects(
      pushOver(
        b.hostPath,
        'etls-frame',
        [{ local: 'x', remote: '../escape.pem', data: readFileSync(fx.certPem) }],
        { baud: BAUD },
      ),
      (e: EtlsError) => e instanceof EtlsError && /does not accept this file name/.test(e.message),
    );
    assert.ok(!existsSync(join(root, '..', 'escape.pem')));
  });

  it('stores through the SimpleLink sl_Fs* backend (host fake) with a failsafe commit', async () => {
    const b = await start(undefined, rx.simplelink);
    await pushOver(
      b.hostPath,
      'etls-frame',
      [{ local: fx.certPem, remote: '/cert/device.der', data: fx.certDer }],
      { baud: BAUD },
    );
    assert.deepEqual(readFileSync(join(root, 'cert_device.der')), fx.certDer);
    assert.deepEqual(readdirSync(root), ['cert_device.der']);
  });

  it('keeps the old file when SimpleLink storage fails mid-file (failsafe abort)', async () => {
    writeFileSync(join(root, 'cert_device.der'), 'old');
    const b = await start(undefined, rx.simplelink, 'env FAKE_SL_FAIL_WRITE=2 ');
    const big = Buffer.concat([fx.certDer, fx.certDer]);
    await assert.rejects(
      pushOver(b.hostPath, 'etls-frame', [{ local: 'x', remote: '/cert/device.der', data: big }], {
        baud: BAUD,
      }),
      (e: EtlsError) => e instanceof EtlsError && /storage is full/.test(e.message),
    );
    assert.equal(readFileSync(join(root, 'cert_device.der'), 'utf8'), 'old');
    assert.deepEqual(readdirSync(root), ['cert_device.der']);
  });
});
