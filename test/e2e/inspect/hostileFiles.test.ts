// The built `etls` on hostile files: a PKCS#12 asking for 2^31-1 MAC iterations, /dev/zero, a FIFO,
// a folder of folders. Each run has a hang guard (the acceptance bounds): it must end, with the exit
// status and the sentence a user needs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, REPO, requireBuiltCli, requireTool, scratchDir } from '../../support/realParts';
import { certAndKey, exportP12, hugeMacP12 } from '../../support/hostileKdf';

/** The built CLI with a hard deadline: a run that does not end in time fails instead of hanging. */
function etlsWithin(seconds: number, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: seconds * 1000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Date.now() - started;
  assert.equal(
    r.signal,
    null,
    `etls ${args.join(' ')} did not end within ${seconds} s (killed after ${ms} ms)`,
  );
  return r;
}

describe('etls on hostile files (e2e)', function () {
  this.timeout(120_000);
  const dir = scratchDir('hostile');
  const cwd = dir.path;

  before(() => {
    requireTool('openssl');
    requireTool('mkfifo');
    requireBuiltCli();
    writeFileSync(join(cwd, 'hostile.p12'), hugeMacP12(cwd));
  });
  after(() => dir.remove());

  it('inspect on the 2^31 PKCS#12 ends in under 5 s, exit 1, naming the iteration count and the way out', () => {
    const r = etlsWithin(5, ['inspect', 'hostile.p12'], cwd);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /2147483647 iterations/);
    assert.match(r.stdout, /--allow-slow-kdf/);
    const j = etlsWithin(5, ['inspect', '--json', 'hostile.p12'], cwd);
    const [entry] = JSON.parse(j.stdout) as Array<{ code: string; error: string }>;
    assert.equal(entry?.code, 'too-costly');
  });

  it('check in a folder holding it ends in under 5 s and reports it', () => {
    const ws = join(cwd, 'ws');
    mkdirSync(ws, { recursive: true });
    writeFileSync(join(ws, 'device.p12'), hugeMacP12(cwd));
    const r = etlsWithin(5, ['check', '--json', '--no-git', ws], cwd);
    const out = JSON.parse(r.stdout) as { files: number; findings: Array<{ message: string }> };
    assert.equal(out.files, 1);
    assert.ok(
      out.findings.some((f) => /2147483647 iterations/.test(f.message)),
      JSON.stringify(out.findings),
    );
  });

  it('convert refuses it too, and a bundle just over the limit opens with --max-kdf-iterations', () => {
    const r = etlsWithin(5, ['convert', 'hostile.p12', '--to', 'pem', '-o', 'out'], cwd);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /2147483647 iterations/);
    writeFileSync(join(cwd, 'slow.p12'), exportP12(cwd, ['-iter', '450000'], 'pw'));
    const env = { P12_PASS: 'pw' };
    const refused = etlsWithin(60, ['inspect', 'slow.p12', '--passphrase-env', 'P12_PASS'], cwd, env);
    assert.equal(refused.status, 1);
    assert.match(refused.stdout, /450000 iterations/);
    const opened = etlsWithin(
      60,
      ['inspect', 'slow.p12', '--passphrase-env', 'P12_PASS', '--max-kdf-iterations', '1000000'],
      cwd,
      env,
    );
    assert.equal(opened.status, 0, opened.stdout + opened.stderr);
    assert.match(opened.stdout, /CN=hostile-kdf/);
    const converted = etlsWithin(
      60,
      [
        'convert',
        'slow.p12',
        '--to',
        'pem',
        '-o',
        'slow-out',
        '--passphrase-env',
        'P12_PASS',
        '--allow-slow-kdf',
      ],
      cwd,
      env,
    );
    assert.equal(converted.status, 0, converted.stderr);
    assert.match(readFileSync(join(cwd, 'slow-out.pem'), 'utf8'), /BEGIN CERTIFICATE/);
  });

  it('a PKCS#12 locked with a password that was not given exits 1, like any unread object', () => {
    writeFileSync(join(cwd, 'locked.p12'), exportP12(cwd, [], 'secret'));
    const r = etlsWithin(20, ['inspect', 'locked.p12'], cwd);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /locked with a password/);
    const opened = etlsWithin(20, ['inspect', 'locked.p12', '--passphrase-env', 'P'], cwd, { P: 'secret' });
    assert.equal(opened.status, 0, opened.stdout);
  });

  it('inspect /dev/zero and a FIFO end with a sentence and exit 1, reading nothing', () => {
    const zero = etlsWithin(5, ['inspect', '/dev/zero'], cwd);
    assert.equal(zero.status, 1);
    assert.match(zero.stdout, /\/dev\/zero is a character device, not a file/);
    spawnSync('mkfifo', [join(cwd, 'pipe.pem')]);
    const fifo = etlsWithin(5, ['inspect', 'pipe.pem'], cwd);
    assert.equal(fifo.status, 1);
    assert.match(fifo.stdout, /named pipe \(FIFO\), not a file/);
  });

  it('a 20 MB file is refused from its size, before it is read', () => {
    writeFileSync(join(cwd, 'huge.pem'), Buffer.alloc(20 * 1024 * 1024, 0x41));
    const r = etlsWithin(10, ['inspect', 'huge.pem'], cwd);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /huge\.pem is 20\.0 MB; .* so it was not read/);
  });

  it('inspect FOLDER walks subfolders, skips node_modules and build, and reads a folder named x.c as a folder', () => {
    const { cert } = certAndKey(cwd);
    const tree = join(cwd, 'tree');
    for (const d of ['a/b', 'x.c', 'node_modules/m', 'build']) mkdirSync(join(tree, d), { recursive: true });
    for (const f of ['a/b/deep.pem', 'x.c/inside.crt', 'node_modules/m/vendored.pem', 'build/out.pem'])
      writeFileSync(join(tree, f), readFileSync(cert));
    const r = etlsWithin(20, ['inspect', '--json', 'tree'], cwd);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const files = (JSON.parse(r.stdout) as Array<{ file: string }>).map((e) => e.file).sort();
    assert.deepEqual(files, [join('tree', 'a', 'b', 'deep.pem'), join('tree', 'x.c', 'inside.crt')]);
    mkdirSync(join(cwd, 'nothing', 'sub'), { recursive: true });
    const empty = etlsWithin(20, ['inspect', 'nothing'], cwd);
    assert.equal(empty.status, 1);
    assert.match(empty.stderr, /no certificate, key or C source files in this folder/);
  });

  it('check without a project file stops at --max-files and says what it scanned', () => {
    const { cert } = certAndKey(cwd);
    const ws = join(cwd, 'many');
    for (let i = 0; i < 12; i++) {
      mkdirSync(join(ws, `d${i}`), { recursive: true });
      writeFileSync(join(ws, `d${i}`, 'c.pem'), readFileSync(cert));
    }
    mkdirSync(join(ws, 'node_modules', 'x'), { recursive: true });
    writeFileSync(join(ws, 'node_modules', 'x', 'c.pem'), readFileSync(cert));
    const all = etlsWithin(20, ['check', '--no-git', ws], cwd);
    assert.match(
      all.stderr,
      new RegExp(`etls check: 12 files under ${ws.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, no project file`),
    );
    assert.doesNotMatch(all.stderr, /stopped after/);
    const capped = etlsWithin(20, ['check', '--no-git', '--max-files', '5', ws], cwd);
    assert.match(capped.stderr, /etls check: 5 files under/);
    assert.match(capped.stderr, /stopped after 5 files; name a smaller folder/);
  });
});

describe('etls command-line conventions (e2e)', function () {
  this.timeout(120_000);
  const dir = scratchDir('conventions');

  before(() => {
    requireTool('head');
    requireBuiltCli();
  });
  after(() => dir.remove());

  it('every command answers --help with its usage on stdout, exit 0', () => {
    const names = ['inspect', 'check', 'header', 'pki', 'convert', 'probe', 'broker', 'push', 'ports'];
    for (const name of names) {
      const r = etlsWithin(20, [name, '--help'], dir.path);
      assert.equal(r.status, 0, `${name}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`etls ${name}`), name);
      assert.equal(r.stderr, '', name);
    }
    assert.equal(etlsWithin(20, ['pki', 'init', '-h'], dir.path).status, 0);
  });

  it('--version prints the version in package.json', () => {
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    const r = etlsWithin(20, ['--version'], dir.path);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, `${version}\n`);
  });

  it('output piped into head that closes early ends quietly, without a stack trace', () => {
    const { cert } = certAndKey(dir.path);
    writeFileSync(join(dir.path, 'bundle.pem'), readFileSync(cert, 'utf8').repeat(3000));
    const errFile = join(dir.path, 'stderr.txt');
    const r = spawnSync(
      'sh',
      ['-c', `"${process.execPath}" "${CLI}" inspect bundle.pem 2>"${errFile}" | head -n 1`],
      { cwd: dir.path, encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' },
    );
    assert.equal(r.signal, null);
    assert.equal(r.stdout.split('\n')[0], 'bundle.pem');
    const stderr = readFileSync(errFile, 'utf8');
    assert.doesNotMatch(stderr, /EPIPE|Unhandled|at /);
    assert.equal(stderr, '');
  });
});
