// The folder route with the built CLI: a copy interrupted half way (the process may write no more than
// 4 KB: `ulimit -f 8`, so the write fails with EFBIG part way through the temporary file) leaves the
// board's old file whole and no half-written file, and the next push completes and verifies.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
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

const repo = resolve(__dirname, '../../..');
const cli = join(repo, 'dist/cli.js');

function etls(args: string[], limitBlocks?: number): { code: number; out: string; err: string } {
  const cmd = [process.execPath, cli, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('sh', ['-c', `${limitBlocks ? `ulimit -f ${limitBlocks}; ` : ''}exec ${cmd}`], {
    encoding: 'utf8',
    timeout: 60000,
  });
  return { code: r.status ?? 99, out: r.stdout, err: r.stderr };
}

describe('e2e: etls push --protocol folder (built CLI)', function () {
  this.timeout(60000);
  let dir: string;
  let drive: string;
  let bundle: string;

  before(() => {
    execFileSync(process.execPath, ['esbuild.mjs'], { cwd: repo, stdio: 'pipe' });
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'etls-folder-e2e-'));
    drive = join(dir, 'SDCARD');
    mkdirSync(drive);
    // A CA bundle of about 20 KB: the system's first roots.
    const all = readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8').split(
      /(?<=-----END CERTIFICATE-----\n)/,
    );
    bundle = join(dir, 'roots.pem');
    writeFileSync(bundle, all.slice(0, 12).join(''));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('an interrupted copy leaves the old file whole, no half file; the next push verifies', () => {
    const old = Buffer.from('-----BEGIN CERTIFICATE-----\nthe old bundle\n-----END CERTIFICATE-----\n');
    mkdirSync(join(drive, 'CERTS'));
    writeFileSync(join(drive, 'CERTS', 'ROOTS.PEM'), old);
    assert.ok(readFileSync(bundle).length > 8 * 512 * 2, 'the bundle is larger than the write limit');
    const cut = etls(['push', '--protocol', 'folder', '--to', drive, `${bundle}:CERTS/ROOTS.PEM`], 8);
    assert.equal(cut.code, 1, cut.err);
    assert.match(cut.err, /etls push: .*(too large|EFBIG|large)/i);
    assert.deepEqual(readFileSync(join(drive, 'CERTS', 'ROOTS.PEM')), old, 'the old file is untouched');
    // No temporary file is left half-written beside it.
    assert.deepEqual(readdirSync(join(drive, 'CERTS')), ['ROOTS.PEM']);

    const done = etls([
      'push',
      '--protocol',
      'folder',
      '--to',
      drive,
      '--names',
      '8.3',
      `${bundle}:CERTS/ROOTS.PEM`,
    ]);
    assert.equal(done.code, 0, done.err);
    assert.deepEqual(readFileSync(join(drive, 'CERTS', 'ROOTS.PEM')), readFileSync(bundle));
    assert.match(done.out, /ok {2}.*CERTS\/ROOTS\.PEM.*read back: SHA-256 matches/);
  });

  it('a temporary file a killed copy left behind is removed by the next push', () => {
    writeFileSync(join(drive, '.CA.PEM.0123456789ab.etls-tmp'), 'half a certif');
    const r = etls(['push', '--protocol', 'folder', '--to', drive, `${bundle}:CA.PEM`]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(readdirSync(drive), ['CA.PEM']);
    assert.match(r.err, /removed \.CA\.PEM\.0123456789ab\.etls-tmp, left by an interrupted copy/);
  });

  it('refuses a name that leaves the folder, and a long name under --names 8.3, writing nothing', () => {
    const escape = etls(['push', '--protocol', 'folder', '--to', drive, `${bundle}:../outside.pem`]);
    assert.equal(escape.code, 1);
    assert.match(escape.err, /leads out of .*nothing was written/);
    assert.ok(!existsSync(join(dir, 'outside.pem')));
    const long = etls([
      'push',
      '--protocol',
      'folder',
      '--to',
      drive,
      '--names',
      '8.3',
      `${bundle}:root-bundle.pem`,
    ]);
    assert.equal(long.code, 2);
    assert.match(long.err, /not an 8\.3 name/);
    assert.deepEqual(readdirSync(drive), []);
  });
});
