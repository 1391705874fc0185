import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkWorkspace } from '../../../src/core/check/workspace';
import type { DirectoryPort, GitPort } from '../../../src/core/check/types';
import type { FileSystemPort } from '../../../src/core/ports';
import { EtlsError } from '../../../src/core/errors';
import { FIXTURES } from './fixtures';

/** An in-memory workspace under /ws: file system and directory ports over one Map. */
function memory(files: Record<string, Uint8Array | string>): {
  fs: FileSystemPort;
  dir: DirectoryPort;
  reads: string[];
} {
  const data = new Map(
    Object.entries(files).map(([k, v]) => [
      `/ws/${k}`,
      typeof v === 'string' ? new TextEncoder().encode(v) : v,
    ]),
  );
  const reads: string[] = [];
  return {
    reads,
    fs: {
      async readFile(p) {
        reads.push(p);
        const d = data.get(p);
        if (!d) throw new EtlsError('not-found', `${p}: no such file`);
        return d;
      },
      async writeFileAtomic() {
        throw new Error('the check never writes');
      },
      async stat(p) {
        const d = data.get(p);
        if (d) return { size: d.length, mtimeMs: 0, isFile: true, mode: 0o600 };
        return [...data.keys()].some((k) => k.startsWith(p + '/'))
          ? { size: 0, mtimeMs: 0, isFile: false, mode: 0o755 }
          : undefined;
      },
    },
    dir: {
      async list(d) {
        const names = new Map<string, boolean>();
        for (const k of data.keys())
          if (k.startsWith(d + '/')) {
            const rest = k.slice(d.length + 1);
            names.set(rest.split('/')[0]!, !rest.includes('/'));
          }
        return [...names].map(([name, isFile]) => ({ name, isFile, isDirectory: !isFile }));
      },
    },
  };
}

const fixture = (n: string) => new Uint8Array(readFileSync(join(FIXTURES, n)));

describe('checkWorkspace', () => {
  it('discovers, reads, links and checks, with the project found in the root', async () => {
    const m = memory({
      'embedded-tls.json': JSON.stringify({
        profiles: { d: { ca: 'certs/ca.pem', cert: 'certs/device.pem', key: 'certs/broker.key' } },
      }),
      'certs/ca.pem': fixture('ca.pem'),
      'certs/device.pem': fixture('device.pem'),
      'certs/broker.key': fixture('broker.key'),
      'node_modules/x/ca.pem': fixture('ca.pem'),
      'README.md': 'hello',
    });
    const r = await checkWorkspace('/ws', { fs: m.fs, dir: m.dir });
    assert.equal(r.project?.path, '/ws/embedded-tls.json');
    assert.deepEqual([...r.model.files.keys()].sort(), [
      '/ws/certs/broker.key',
      '/ws/certs/ca.pem',
      '/ws/certs/device.pem',
    ]);
    assert.deepEqual(
      r.findings.map((f) => f.code),
      ['key-mismatch'],
    );
    assert.ok(!m.reads.some((p) => p.includes('node_modules')));
  });

  it('checks files a profile names even when discovery excludes them', async () => {
    const m = memory({
      'embedded-tls.json': JSON.stringify({ profiles: { d: { ca: 'build/ca.pem' } } }),
      'build/ca.pem': fixture('ca.pem'),
    });
    const r = await checkWorkspace('/ws', { fs: m.fs, dir: m.dir });
    assert.ok(r.model.files.has('/ws/build/ca.pem'));
    assert.deepEqual(r.findings, []);
  });

  it('asks git once per question, for every candidate file, before the files are parsed', async () => {
    const calls: string[] = [];
    const git: GitPort = {
      isRepository: async () => (calls.push('repo'), true),
      tracked: async (_r, paths) => (
        calls.push(`tracked:${paths.length}`),
        new Set(paths.filter((p) => p.endsWith('.key')))
      ),
      ignored: async (_r, paths) => (calls.push(`ignored:${paths.length}`), new Set()),
    };
    const m = memory({ 'a.key': fixture('device.key'), 'b.pem': fixture('ca.pem'), 'notes.c': 'int x;' });
    const r = await checkWorkspace('/ws', { fs: m.fs, dir: m.dir, git });
    assert.deepEqual(calls, ['repo', 'tracked:3', 'ignored:3']);
    assert.deepEqual(
      r.findings.map((f) => [f.code, f.file]),
      [['key-tracked-by-git', '/ws/a.key']],
    );
  });

  it('reports a huge or unreadable file without reading it into memory', async () => {
    const m = memory({ 'firmware.der': new Uint8Array(10), 'locked.pem': fixture('ca.pem') });
    const fs: FileSystemPort = {
      ...m.fs,
      stat: async (p) =>
        p.endsWith('firmware.der') ? { size: 2 ** 31, mtimeMs: 0, isFile: true, mode: 0o644 } : m.fs.stat(p),
      readFile: async (p) => {
        if (p.endsWith('locked.pem'))
          throw new EtlsError('io', `${p}: permission denied`, 'Check the file owner and mode (ls -l).');
        return m.fs.readFile(p);
      },
    };
    const r = await checkWorkspace('/ws', { fs, dir: m.dir });
    assert.deepEqual(
      r.findings.map((f) => [f.code, f.file]),
      [
        ['file-unreadable', '/ws/firmware.der'],
        ['file-unreadable', '/ws/locked.pem'],
      ],
    );
    assert.match(r.findings[0]!.message, /2048\.0 MB/);
    assert.match(r.findings[1]!.message, /permission denied\. Check the file owner/);
    assert.ok(!m.reads.includes('/ws/firmware.der'));
  });
});
