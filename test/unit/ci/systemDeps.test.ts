import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const repo = join(__dirname, '..', '..', '..');

async function scriptPackages(): Promise<string[]> {
  const url = pathToFileURL(join(repo, 'scripts', 'systemDeps.mjs')).href;
  const mod = (await import(url)) as { systemPackages: string[]; startPackages: string[] };
  return mod.systemPackages;
}

describe('system packages', () => {
  it('.ci/run installs the same Debian packages that scripts/systemDeps.mjs checks for', async () => {
    const ciRun = readFileSync(join(repo, '.ci', 'run'), 'utf8');
    const m = /^packages=\(([^)]*)\)/m.exec(ciRun);
    assert.ok(m?.[1], '.ci/run has no packages=(...) line');
    const ci = m[1].trim().split(/\s+/).sort();
    assert.deepEqual(ci, [...(await scriptPackages())].sort());
  });

  it('npm start needs only packages that CI installs too', async () => {
    const url = pathToFileURL(join(repo, 'scripts', 'systemDeps.mjs')).href;
    const { systemPackages, startPackages } = (await import(url)) as {
      systemPackages: string[];
      startPackages: string[];
    };
    for (const p of startPackages) assert.ok(systemPackages.includes(p), p);
  });

  it('installs with --no-upgrade, like .ci/run, so nothing already installed is upgraded', async () => {
    const url = pathToFileURL(join(repo, 'scripts', 'systemDeps.mjs')).href;
    const { aptInstallArgs } = (await import(url)) as { aptInstallArgs: (n: string[]) => string[] };
    const args = aptInstallArgs(['socat']);
    assert.deepEqual(args.slice(0, 2), ['apt-get', 'install']);
    assert.ok(args.includes('--no-upgrade'), args.join(' '));
    assert.equal(args.at(-1), 'socat');
    const ciRun = readFileSync(join(repo, '.ci', 'run'), 'utf8');
    assert.match(ciRun, /apt-get install [^\n]*--no-upgrade/);
    // The script builds its command in one place: no other apt-get install line to drift.
    const script = readFileSync(join(repo, 'scripts', 'systemDeps.mjs'), 'utf8');
    assert.doesNotMatch(script, /'install', '-y', '-qq', \.\.\.missing/);
  });
});
