// The folder route: names the drive takes, names that would leave the folder, and the guarded write.
import { strict as assert } from 'node:assert';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EtlsError } from '../../../src/core/errors';
import { nodeFileSystem } from '../../../src/core/node/fileSystem';
import { silentLogger } from '../../../src/core/ports';
import { folderNameProblem, folderTarget, pushToFolder } from '../../../src/core/push/folder';

const fixtures = join(__dirname, '../../fixtures');
const cert = () => readFileSync(join(fixtures, 'x509/ca.pem'));
const keyBytes = () => readFileSync(join(fixtures, 'x509/ec-pkcs8.key'));

describe('push/folder: certificates onto a drive the board reads', () => {
  let root: string;
  let drive: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'etls-folder-'));
    drive = join(root, 'drive');
    mkdirSync(drive);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('8.3 names: takes CA.PEM and certs/DEVICE.DER, refuses long names and two dots', () => {
    assert.equal(folderNameProblem('CA.PEM', '8.3'), undefined);
    assert.equal(folderNameProblem('device.der', '8.3'), undefined);
    assert.match(folderNameProblem('device-cert.pem', '8.3')!, /not an 8\.3 name/);
    assert.match(folderNameProblem('ca.cert.pem', '8.3')!, /not an 8\.3 name/);
    assert.match(folderNameProblem('CA.PEMX', '8.3')!, /not an 8\.3 name/);
    assert.equal(folderNameProblem('device-cert.pem', 'long'), undefined);
    assert.match(folderNameProblem('a:b.pem', 'long')!, /refuse the characters/);
    assert.match(folderNameProblem('ca.pem.', 'long')!, /trailing dot/);
  });

  it('a REMOTE with .. cannot leave the folder; a leading / means the top of the drive', () => {
    for (const remote of ['../escape.pem', 'certs/../../escape.pem', '..', '..\\escape.pem', 'a/../b.pem']) {
      assert.throws(
        () => folderTarget(drive, remote, 'ca.pem'),
        (e: EtlsError) => e.code === 'refused' && /leads out of/.test(e.message),
        remote,
      );
    }
    assert.equal(folderTarget(drive, 'certs/ca.pem', 'ca.pem'), join(drive, 'certs/ca.pem'));
    assert.equal(folderTarget(drive, '/etc/passwd', 'ca.pem'), join(drive, 'etc/passwd'));
  });

  it('writes, re-reads and verifies every file; refuses an escaping name before writing anything', async () => {
    await assert.rejects(
      pushToFolder(
        [
          { local: 'ca.pem', remote: 'ca.pem', data: cert() },
          { local: 'x.pem', remote: '../x.pem', data: cert() },
        ],
        { fs: nodeFileSystem, to: drive, logger: silentLogger },
      ),
      (e: EtlsError) => e.code === 'refused',
    );
    assert.deepEqual(readdirSync(drive), [], 'nothing written');
    assert.ok(!existsSync(join(root, 'x.pem')));
    const r = await pushToFolder([{ local: 'ca.pem', remote: 'certs/ca.pem', data: cert() }], {
      fs: nodeFileSystem,
      to: drive,
      logger: silentLogger,
    });
    assert.deepEqual(readFileSync(join(drive, 'certs/ca.pem')), cert());
    assert.match(r.files[0]!.verifiedBy, /fsynced, renamed, read back: SHA-256 matches/);
    // Again: the same bytes are there already.
    const again = await pushToFolder([{ local: 'ca.pem', remote: 'certs/ca.pem', data: cert() }], {
      fs: nodeFileSystem,
      to: drive,
      logger: silentLogger,
    });
    assert.match(again.files[0]!.verifiedBy, /already there/);
  });

  it('does not follow a link on the drive out of the folder', async () => {
    const outside = join(root, 'outside');
    mkdirSync(outside);
    symlinkSync(outside, join(drive, 'certs'));
    await assert.rejects(
      pushToFolder([{ local: 'ca.pem', remote: 'certs/ca.pem', data: cert() }], {
        fs: nodeFileSystem,
        to: drive,
        logger: silentLogger,
      }),
      (e: EtlsError) => e.code === 'refused',
    );
    assert.deepEqual(readdirSync(outside), []);
  });

  it('8.3 mode refuses a long name with the reason; keys get mode 0600 and are replaced only with force', async () => {
    await assert.rejects(
      pushToFolder([{ local: 'ca.pem', remote: 'device-cert.pem', data: cert() }], {
        fs: nodeFileSystem,
        to: drive,
        names: '8.3',
        logger: silentLogger,
      }),
      (e: EtlsError) =>
        e.code === 'invalid-argument' && /not an 8\.3 name.*nothing was written/.test(e.message),
    );
    writeFileSync(join(drive, 'DEVICE.KEY'), 'an older key\n-----BEGIN PRIVATE KEY-----\n');
    await assert.rejects(
      pushToFolder([{ local: 'device.key', remote: 'DEVICE.KEY', data: keyBytes() }], {
        fs: nodeFileSystem,
        to: drive,
        names: '8.3',
        logger: silentLogger,
      }),
      (e: EtlsError) => e.code === 'refused' && /private key/.test(e.message),
    );
    await pushToFolder([{ local: 'device.key', remote: 'DEVICE.KEY', data: keyBytes() }], {
      fs: nodeFileSystem,
      to: drive,
      names: '8.3',
      force: true,
      logger: silentLogger,
    });
    assert.deepEqual(readFileSync(join(drive, 'DEVICE.KEY')), keyBytes());
    assert.equal(lstatSync(join(drive, 'DEVICE.KEY')).mode & 0o777, 0o600);
  });
});
