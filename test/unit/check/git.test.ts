import { strict as assert } from 'node:assert';
import type { GitPort } from '../../../src/core/check/types';
import { check, codes, deviceSet, file, key, project } from './fixtures';

function git(o: { repo?: boolean; tracked?: string[]; ignored?: string[] }): GitPort & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    isRepository: async () => o.repo ?? true,
    tracked: async (_root, paths) => (
      asked.push(paths),
      new Set(paths.filter((p) => o.tracked?.includes(p)))
    ),
    ignored: async (_root, paths) => new Set(paths.filter((p) => o.ignored?.includes(p))),
  };
}

describe('rules: secrets in git', () => {
  const files = () => [...deviceSet(), file('other.key', [key({ keyId: 'k2' })])];

  it('reports a tracked key as an error with an untrack fix, an unignored key as a warning', async () => {
    const g = git({ tracked: ['/ws/device.key'] });
    const { findings } = await check(files(), undefined, { git: g, root: '/ws' });
    assert.deepEqual(codes(findings), ['key-not-ignored', 'key-tracked-by-git']);
    const tracked = findings.find((f) => f.code === 'key-tracked-by-git')!;
    assert.equal(tracked.severity, 'error');
    assert.equal(tracked.fix?.kind, 'untrack-key');
    const unignored = findings.find((f) => f.code === 'key-not-ignored')!;
    assert.equal(unignored.file, '/ws/other.key');
    assert.deepEqual(unignored.fix?.args['pattern'], '/other.key');
    assert.deepEqual(unignored.fix?.args['gitignore'], '/ws/.gitignore');
    assert.deepEqual(g.asked, [['/ws/device.key', '/ws/other.key']], 'one batch for every key file');
  });

  it('is quiet for ignored keys, outside a repository, and without a root or port', async () => {
    assert.deepEqual(
      (
        await check(files(), undefined, {
          git: git({ ignored: ['/ws/device.key', '/ws/other.key'] }),
          root: '/ws',
        })
      ).findings,
      [],
    );
    assert.deepEqual(
      (await check(files(), undefined, { git: git({ repo: false }), root: '/ws' })).findings,
      [],
    );
    assert.deepEqual((await check(files(), undefined, { git: git({}) })).findings, []);
  });

  it('leaves out key files outside the work tree (git would refuse the whole batch)', async () => {
    const g = git({});
    const outside = file('x.key', [key({ keyId: 'k3' })]);
    outside.path = '/elsewhere/x.key';
    const { findings } = await check([...files(), outside], undefined, { git: g, root: '/ws' });
    assert.deepEqual(g.asked, [['/ws/device.key', '/ws/other.key']]);
    assert.ok(!findings.some((f) => f.file === '/elsewhere/x.key'));
  });

  it('says nothing when git cannot answer', async () => {
    const broken: GitPort = {
      ...git({}),
      ignored: async () => Promise.reject(new Error('git check-ignore failed')),
    };
    assert.deepEqual((await check(files(), undefined, { git: broken, root: '/ws' })).findings, []);
  });

  it('uses the project folder as the root by default', async () => {
    const { findings } = await check(files(), project({}), { git: git({}) });
    assert.deepEqual(codes(findings), ['key-not-ignored', 'key-not-ignored']);
  });

  it('warns about keys embedded in tracked sources (no gitignore fix)', async () => {
    const src = file('src/creds.h', [key()], { encoding: 'source' });
    src.objects[0]!.location.container = 'c-string';
    const { findings } = await check([src], undefined, {
      git: git({ tracked: ['/ws/src/creds.h'] }),
      root: '/ws',
    });
    assert.deepEqual(codes(findings), ['key-tracked-by-git']);
    assert.equal(findings[0]!.severity, 'warning');
    assert.equal(findings[0]!.fix, undefined);
  });
});

describe('rules: Linux key permissions', () => {
  it('warns about a key readable by others on a Linux target, with a chmod fix', async () => {
    const p = project({ d: { target: 'linux', cert: 'device.pem', key: 'device.key' } });
    const stat = async (path: string) => (path === '/ws/device.key' ? { mode: 0o644 } : undefined);
    const { findings } = await check(deviceSet(), p, { stat });
    assert.deepEqual(codes(findings), ['target-key-permissions']);
    assert.deepEqual(findings[0]!.fix?.args, { file: '/ws/device.key', mode: 0o600 });
    const ok = await check(deviceSet(), p, { stat: async () => ({ mode: 0o600 }) });
    assert.deepEqual(ok.findings, []);
    const esp = await check(deviceSet(), project({ d: { target: 'esp32', key: 'device.key' } }), { stat });
    assert.deepEqual(esp.findings, []);
  });
});
