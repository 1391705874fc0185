// wifinina-roots and wifi101-roots against the simulated FirmwareUpdater sketch on socat pty pairs:
// the built CLI for the acceptance checks, the core engine for the faults. openssl is the oracle for
// what a certificate's DER and PEM are. One file past 300 lines: both modules share the certificates
// openssl makes once for the suite and the simulator's set-up.
import { strict as assert } from 'node:assert';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EtlsError } from '../../../src/core/errors';
import { openSerialLink } from '../../../src/core/node/serialLink';
import { neverCancelled, systemClock } from '../../../src/core/ports';
import { executePush, planModuleRoots, rootsFromFiles, type PushReport } from '../../../src/core/push';
import {
  ninaArea,
  parseWincStore,
  wincStore,
  WINC_PATTERN_V1,
  type ModuleProtocol,
} from '../../../src/core/push/moduleRoots';
import { FirmwareUpdaterBoard, type FirmwareUpdaterOptions } from '../../support/push/firmwareUpdaterBoard';
import { transcript, type Transcript } from '../../support/push/fixtures';

const repo = resolve(__dirname, '../../..');
const cli = join(repo, 'dist/cli.js');
const BAUD = 921600;
const ISRG_X1 = join(repo, 'test/fixtures/push/ISRG_Root_X1.pem');
const ISRG_X2 = join(repo, 'test/fixtures/push/ISRG_Root_X2.pem');

function etls(args: string[], cwd = repo): Promise<{ code: number; out: string; err: string; ms: number }> {
  const started = Date.now();
  return new Promise((done) => {
    const child = execFile(process.execPath, [cli, ...args], { timeout: 60000, cwd }, (e, out, err) =>
      done({ code: e ? Number((e as { code?: number }).code ?? 99) : 0, out, err, ms: Date.now() - started }),
    );
    child.stdin?.end();
  });
}

function der(pemPath: string): Buffer {
  return execFileSync('openssl', ['x509', '-in', pemPath, '-outform', 'DER']);
}

/** The DER of every certificate in PEM text, by openssl (the oracle). */
function certsIn(pemText: string): Buffer[] {
  const blocks = pemText.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n/g) ?? [];
  return blocks.map((b) => execFileSync('openssl', ['x509', '-outform', 'DER'], { input: b }));
}

describe('e2e: push root certificates into Arduino Wi-Fi modules (simulated FirmwareUpdater sketch)', function () {
  this.timeout(90000);
  let dir: string;
  let devCaDer: string;
  let devCaPem: string;
  let otherCaDer: string;
  let ecCaPem: string;
  let board: FirmwareUpdaterBoard | undefined;

  before(() => {
    execFileSync(process.execPath, ['esbuild.mjs'], { cwd: repo, stdio: 'pipe' });
    dir = mkdtempSync(join(tmpdir(), 'etls-modules-'));
    const ca = (name: string, key: string[]) => {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          ...key,
          '-nodes',
          '-days',
          '3650',
          '-keyout',
          join(dir, `${name}.key`),
          '-out',
          join(dir, `${name}.pem`),
          '-subj',
          `/O=Example Lab/CN=${name} Mosquitto CA`,
          '-addext',
          'basicConstraints=critical,CA:TRUE',
        ],
        { stdio: 'pipe' },
      );
      execFileSync('openssl', [
        'x509',
        '-in',
        join(dir, `${name}.pem`),
        '-outform',
        'DER',
        '-out',
        join(dir, `${name}.der`),
      ]);
    };
    ca('dev-ca', ['rsa:2048']);
    ca('other-ca', ['rsa:2048']);
    ca('ec-ca', ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256']);
    devCaDer = join(dir, 'dev-ca.der');
    devCaPem = join(dir, 'dev-ca.pem');
    otherCaDer = join(dir, 'other-ca.der');
    ecCaPem = join(dir, 'ec-ca.pem');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    await board?.dispose();
    board = undefined;
  });

  async function start(kind: 'nina' | 'winc', o?: FirmwareUpdaterOptions): Promise<FirmwareUpdaterBoard> {
    board = await FirmwareUpdaterBoard.start(kind, BAUD, o);
    return board;
  }

  async function pushCore(
    protocol: ModuleProtocol,
    files: string[],
    o: { merge?: boolean; timeoutMs?: number; logger?: Transcript } = {},
  ): Promise<PushReport> {
    const link = await openSerialLink(board!.hostPath, BAUD);
    try {
      const plan = planModuleRoots(
        protocol,
        rootsFromFiles(files.map((f) => ({ local: f, data: readFileSync(f) }))),
      );
      return await executePush(plan, {
        link,
        baud: BAUD,
        logger: o.logger ?? transcript(),
        progress: { report: () => {} },
        cancel: neverCancelled,
        clock: systemClock,
        ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
        ...(o.merge ? { merge: true } : {}),
      });
    } finally {
      await link.close();
    }
  }

  describe('wifinina-roots', () => {
    it('the acceptance check: leaves exactly those two certificates as PEM at 0x10000, NUL-ended, MD5-verified', async () => {
      const b = await start('nina');
      const r = await etls(['push', '--port', b.hostPath, '--protocol', 'wifinina-roots', ISRG_X1, devCaDer]);
      assert.equal(r.code, 0, r.err);
      const stored = certsIn(b.textAt(0x10000));
      assert.equal(stored.length, 2, b.textAt(0x10000).slice(0, 200));
      assert.deepEqual(stored[0], der(ISRG_X1));
      assert.deepEqual(stored[1], readFileSync(devCaDer));
      // Exactly the PEM text, nothing else before the NUL.
      assert.match(b.textAt(0x10000), /^-----BEGIN CERTIFICATE-----\n[\s\S]*-----END CERTIFICATE-----\n$/);
      // Said before writing that the module's roots are replaced, and how to keep them.
      assert.match(r.err, /replaces every root certificate on the WiFiNINA module[^\n]*--merge/);
      assert.match(r.out, /ok {2}.*ISRG_Root_X1\.pem.*MD5 of \d+ bytes at 0x10000 matches/);
      assert.ok(!b.overflow);
      assert.ok(
        b.requests.some((q) => q.cmd === 0x04 && q.address === 0x10000),
        'asked for the MD5 at 0x10000',
      );
    });

    it('the acceptance check: a programmer that refuses the second write makes the push exit non-zero', async () => {
      const b = await start('nina', { refuseWrite: 2 });
      const r = await etls(['push', '--port', b.hostPath, '--protocol', 'wifinina-roots', ISRG_X1, devCaDer]);
      assert.notEqual(r.code, 0);
      assert.equal(r.code, 1);
      assert.match(r.err, /refused block 2 of \d+ .*root store is now incomplete/);
      assert.doesNotMatch(r.out, /^ok/m);
      assert.ok(!b.requests.some((q) => q.cmd === 0x04), 'no MD5 after a refused write');
    });

    it('tells the user to upload the FirmwareUpdater sketch when nothing answers HELLO, within the --timeout bound', async () => {
      const b = await start('nina', { silent: true });
      const r = await etls([
        'push',
        '--port',
        b.hostPath,
        '--protocol',
        'wifinina-roots',
        '--timeout',
        '800',
        devCaDer,
      ]);
      assert.equal(r.code, 1);
      assert.match(r.err, /did not answer HELLO: the FirmwareUpdater sketch is not running/);
      assert.match(r.err, /File > Examples > WiFiNINA > Tools > FirmwareUpdater/);
      assert.match(r.err, /arduino-cli compile --upload/);
      assert.ok(r.ms < 20000, `took ${r.ms} ms`);
    });

    it('names another sketch that talks instead of answering HELLO', async () => {
      await start('nina', { chatter: 'Hello from my sketch\r\n' });
      await assert.rejects(pushCore('wifinina-roots', [devCaDer], { timeoutMs: 500 }), (e: EtlsError) =>
        /not as the FirmwareUpdater sketch does \(it said "Hello from my sketch/.test(e.message),
      );
    });

    it('--merge on the real sketch (which cannot READ) stops before erasing anything', async () => {
      const b = await start('nina');
      b.flash.fill(0, 0x10000, 0x10000 + 4096);
      b.flash.write(readFileSync(ISRG_X1, 'latin1'), 0x10000, 'latin1');
      await assert.rejects(
        pushCore('wifinina-roots', [devCaDer], { merge: true }),
        (e: EtlsError) =>
          /cannot read the module \(it answers ER to READ\).*nothing was written/.test(e.message) &&
          /roots\.pem/.test(e.fix ?? ''),
      );
      assert.ok(!b.requests.some((q) => q.cmd === 0x03 || q.cmd === 0x02), 'no ERASE or WRITE');
      assert.equal(certsIn(b.textAt(0x10000)).length, 1, 'the old roots are untouched');
    });

    it('--merge with a programmer that can READ keeps the current roots and drops duplicates by SHA-256', async () => {
      const b = await start('nina', { canRead: true });
      const old = ninaArea(
        rootsFromFiles([
          { local: 'x', data: readFileSync(ISRG_X1) },
          { local: 'y', data: readFileSync(otherCaDer) },
        ]),
        1024,
      );
      old.copy(b.flash, 0x10000);
      const log = transcript();
      const report = await pushCore('wifinina-roots', [devCaDer, ISRG_X1], { merge: true, logger: log });
      const stored = certsIn(b.textAt(0x10000));
      assert.deepEqual(stored, [der(ISRG_X1), readFileSync(otherCaDer), readFileSync(devCaDer)]);
      assert.equal(report.moduleRoots?.length, 3);
      assert.match(log.text(), /2 root\(s\) on the module, 2 given, 1 duplicate\(s\) dropped/);
    });

    it('catches a block corrupted on its way to the flash by the MD5', async () => {
      await start('nina', { corruptWrite: 1 });
      await assert.rejects(
        pushCore('wifinina-roots', [ISRG_X1, devCaDer]),
        (e: EtlsError) => e.code === 'verify-failed' && /MD5 .* differs/.test(e.message),
      );
    });

    it('honours a smaller maximum payload: every WRITE fits it and the area is padded to it', async () => {
      const b = await start('nina', { maxPayload: 256 });
      await pushCore('wifinina-roots', [ISRG_X1]);
      const writes = b.requests.filter((q) => q.cmd === 0x02);
      assert.ok(
        writes.length > 4 && writes.every((q) => q.length === 256),
        JSON.stringify(writes.slice(0, 3)),
      );
      assert.deepEqual(certsIn(b.textAt(0x10000)), [der(ISRG_X1)]);
    });

    it('fails clearly, never as success, when the board disappears mid-way', async () => {
      await start('nina', { toBoard: { disconnectAt: 2500 } });
      await assert.rejects(
        pushCore('wifinina-roots', [ISRG_X1, devCaDer], { timeoutMs: 1000 }),
        (e: EtlsError) => e instanceof EtlsError && ['link', 'timeout'].includes(e.code),
      );
    });

    it('refuses a private key given as a root before touching the board', async () => {
      const b = await start('nina');
      await assert.rejects(
        pushCore('wifinina-roots', [join(dir, 'dev-ca.key')]),
        (e: EtlsError) =>
          e.code === 'refused' &&
          /private key; only certificates go into the module's root store/.test(e.message),
      );
      assert.equal(b.requests.length, 0);
    });

    it('records the module roots in the profile after a verified push with --profile', async () => {
      const b = await start('nina');
      const project = mkdtempSync(join(tmpdir(), 'etls-modules-project-'));
      try {
        execFileSync('cp', [devCaPem, join(project, 'ca.pem')]);
        const file = join(project, 'embedded-tls.json');
        writeFileSync(
          file,
          JSON.stringify({
            profiles: {
              mkr: {
                target: 'wifinina',
                ca: 'ca.pem',
                push: { protocol: 'wifinina-roots', port: b.hostPath, baud: BAUD },
              },
            },
          }),
        );
        const r = await etls(['push', '--profile', 'mkr'], project);
        assert.equal(r.code, 0, r.err);
        const saved = JSON.parse(readFileSync(file, 'utf8'));
        assert.deepEqual(
          saved.profiles.mkr.push.moduleRoots.map((x: { sha256: string }) => x.sha256),
          [
            execFileSync('openssl', ['x509', '-in', devCaPem, '-noout', '-fingerprint', '-sha256'])
              .toString()
              .split('=')[1]!
              .trim()
              .replace(/:/g, '')
              .toLowerCase(),
          ],
        );
      } finally {
        rmSync(project, { recursive: true, force: true });
      }
    });
  });

  describe('wifi101-roots', () => {
    /** A module as Arduino ships it: the 19.5+ store with one root. */
    function factoryFlash(): Buffer {
      const flash = Buffer.alloc(0x80000, 0xff);
      wincStore(rootsFromFiles([{ local: 'x', data: readFileSync(ISRG_X1) }]), 'v1').copy(flash, 0x4000);
      return flash;
    }

    it('writes the 19.5+ store (pattern, count, RSA entries) at 0x4000 and verifies it by reading back', async () => {
      const b = await start('winc', { flash: factoryFlash() });
      const r = await etls(['push', '--port', b.hostPath, '--protocol', 'wifi101-roots', devCaPem, ISRG_X1]);
      assert.equal(r.code, 0, r.err);
      const store = b.flash.subarray(0x4000, 0x5000);
      assert.deepEqual(store.subarray(0, 16), WINC_PATTERN_V1);
      assert.equal(store.readUInt32LE(16), 2);
      const { entries } = parseWincStore(store);
      assert.equal(entries.length, 2);
      // The modulus of dev-ca, as openssl prints it, is in the first entry after its 44-byte header.
      const modulus = execFileSync('openssl', ['x509', '-in', devCaPem, '-noout', '-modulus'])
        .toString()
        .trim()
        .split('=')[1]!;
      assert.equal(
        entries[0]!
          .subarray(44, 44 + 256)
          .toString('hex')
          .toUpperCase(),
        modulus,
      );
      assert.match(r.err, /replaces every root certificate on the WiFi101 module/);
      assert.match(r.out, /read back \d+ bytes at 0x04000, v1 format/);
    });

    it('keeps the 19.4 format when the module has it', async () => {
      const flash = Buffer.alloc(0x80000, 0xff);
      wincStore(rootsFromFiles([{ local: 'x', data: readFileSync(ISRG_X1) }]), 'v0').copy(flash, 0x4000);
      const b = await start('winc', { flash });
      await pushCore('wifi101-roots', [devCaDer]);
      assert.equal(parseWincStore(b.flash.subarray(0x4000, 0x5000)).format, 'v0');
    });

    it('refuses an ECDSA root with the reason and what to do, writing nothing', async () => {
      const b = await start('winc', { flash: factoryFlash() });
      const r = await etls(['push', '--port', b.hostPath, '--protocol', 'wifi101-roots', ISRG_X2]);
      assert.equal(r.code, 2, 'a root the module cannot use is a bad argument');
      assert.match(
        r.err,
        /EC key; the WiFi101 \(ATWINC1500\) module verifies servers against RSA roots only/,
      );
      assert.match(r.err, /ISRG Root X1 \(not X2\)/);
      assert.equal(b.requests.length, 0);
      assert.throws(
        () =>
          planModuleRoots('wifi101-roots', rootsFromFiles([{ local: ecCaPem, data: readFileSync(ecCaPem) }])),
        /RSA roots only/,
      );
    });

    it('--merge reads the whole store, keeps its entries and drops the duplicate', async () => {
      const b = await start('winc', { flash: factoryFlash() });
      const report = await pushCore('wifi101-roots', [ISRG_X1, devCaDer], { merge: true });
      const { entries } = parseWincStore(b.flash.subarray(0x4000, 0x5000));
      assert.equal(entries.length, 2);
      assert.equal(report.moduleRoots?.length, 2);
      // The entry that was there already is named by the certificate given for it, for the record.
      assert.equal(report.moduleRoots![0]!.subject, 'ISRG Root X1');
      assert.equal(
        report.moduleRoots![0]!.sha256,
        '96bcec06264976f37460779acf28c5a7cfe8a3c0aae11a8ffcee05c0bddf08c6',
      );
    });

    it('refuses a store that would not fit its 4 KB sector before erasing', async () => {
      const b = await start('winc', { flash: factoryFlash() });
      const many: string[] = [];
      for (let i = 0; i < 14; i++) {
        const f = join(dir, `many-${i}.pem`);
        // One key, fourteen names: fourteen entries (the store tells roots apart by name).
        execFileSync(
          'openssl',
          [
            'req',
            '-x509',
            '-key',
            join(dir, 'dev-ca.key'),
            '-days',
            '30',
            '-out',
            f,
            '-subj',
            `/CN=many ${i}`,
          ],
          { stdio: 'pipe' },
        );
        many.push(f);
      }
      await assert.rejects(
        pushCore('wifi101-roots', many),
        (e: EtlsError) => e.code === 'too-large' && /holds 4096/.test(e.message),
      );
      assert.ok(!b.requests.some((q) => q.cmd === 0x03));
    });

    it('a refused write mid-way exits non-zero', async () => {
      const b = await start('winc', { flash: factoryFlash(), maxPayload: 128, refuseWrite: 3 });
      const r = await etls(['push', '--port', b.hostPath, '--protocol', 'wifi101-roots', devCaDer, ISRG_X1]);
      assert.equal(r.code, 1);
      assert.match(r.err, /refused block 3 of \d+/);
    });

    it('a dropped reply during the read-back fails as a timeout within the bound, not as success', async () => {
      // v10000, the payload size, the 16-byte head read, the erase and write acks: byte 60 is in the read-back.
      await start('winc', { flash: factoryFlash(), toHost: { disconnectAt: 60 } });
      await assert.rejects(
        pushCore('wifi101-roots', [devCaDer], { timeoutMs: 800 }),
        (e: EtlsError) => e instanceof EtlsError && ['link', 'timeout'].includes(e.code),
      );
    });
  });
});
