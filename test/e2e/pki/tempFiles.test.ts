// A `pki init` killed half way (kill -9) must not leave a key where `git add .` picks it up: the
// .gitignore is written first and lists the temporary files' pattern, and the next run removes
// the temporary files of ours it finds (and nothing else). Real git, the built CLI.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, etls, removeDir, requireBuiltCli, tempDir, tool } from './helpers';

function git(cwd: string, ...args: string[]): string {
  const r = tool('git', ['-C', cwd, ...args]);
  if (r.code !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.toString();
}

const KEY =
  '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n';

describe('e2e: pki init and its temporary files', function () {
  this.timeout(120_000);
  let work: string | undefined;
  before(() => {
    requireBuiltCli();
    if (tool('sh', ['-c', 'command -v git']).code !== 0)
      throw new Error('git is not installed (apt-get install git)');
    work = tempDir('pki-temp');
    git(work, 'init', '-q');
  });
  after(() => removeDir(work));

  it('lists *.etls-tmp in .gitignore, and the next run removes only our own leftovers', async () => {
    const out = join(work!, 'certs');
    const args = ['pki', 'init', '--out', out, '--broker-host', 'broker.local', '--device', 'd1'];
    const first = await etls(args);
    assert.equal(first.code, 0, first.stderr);
    assert.match(readFileSync(join(out, '.gitignore'), 'utf8'), /^\*\.etls-tmp$/m);

    // What a run killed between creating a temporary key and renaming it leaves behind.
    const leftover = '.d1.key.0123456789ab.etls-tmp';
    writeFileSync(join(out, leftover), KEY, { mode: 0o600 });
    writeFileSync(join(out, 'notes.tmp'), 'mine');
    const untracked = git(work!, 'status', '--porcelain', '--untracked-files=all');
    assert.doesNotMatch(untracked, /etls-tmp|\.key/, untracked);

    const again = await etls([...args, '--force']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(existsSync(join(out, leftover)), false, 'the leftover temporary key is removed');
    assert.equal(readFileSync(join(out, 'notes.tmp'), 'utf8'), 'mine', 'a file of the user is kept');
  });

  it('a run killed with -9 leaves no key git would add', async () => {
    const out = join(work!, 'killed');
    const devices = Array.from({ length: 60 }, (_, i) => ['--device', `dev-${i}`]).flat();
    const child = spawn(process.execPath, [
      CLI,
      'pki',
      'init',
      '--out',
      out,
      '--broker-host',
      'broker.local',
      '--key-type',
      'p256',
      ...devices,
    ]);
    // Kill it as soon as it has started writing.
    const started = Date.now();
    while (!existsSync(out) || readdirSync(out).length < 3) {
      if (Date.now() - started > 60_000) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const untracked = git(work!, 'status', '--porcelain', '--untracked-files=all')
      .split('\n')
      .filter((l) => l.includes('killed/'));
    const exposed = untracked.filter((l) => /\.key|etls-tmp|\.tmp$/.test(l));
    assert.deepEqual(exposed, [], `git would add: ${exposed.join(', ')}`);
  });
});
