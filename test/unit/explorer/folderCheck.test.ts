import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linkWorkspace, scanFile, type ScannedFile } from '../../../src/core/check';
import { nodeGitPort } from '../../../src/core/check/nodePorts';
import { silentLogger } from '../../../src/core/ports';
import { checkFolder } from '../../../src/extension/views/folderCheck';
import type { FolderState, ScannerHost } from '../../../src/extension/views/workspaceScanner';

describe('explorer: a folder without embedded-tls.json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'etls-folder-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('still gets the git findings for a committed private key', async () => {
    const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { stdio: 'pipe' });
    git('init', '-q');
    const key = join(dir, 'device.key');
    writeFileSync(
      key,
      generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({
        type: 'sec1',
        format: 'pem',
      }),
      { mode: 0o600 },
    );
    git('add', 'device.key');
    const files = new Map<string, ScannedFile>([[key, scanFile(key, new Uint8Array(readFileSync(key)))]]);
    const state = {
      folder: { uri: { scheme: 'file', fsPath: dir }, name: 'ws', index: 0 },
      files,
      model: linkWorkspace([]),
      findings: [],
    } as unknown as FolderState;
    const host: ScannerHost = {
      logger: silentLogger,
      settings: () => ({ discovery: {}, expiryDays: 30, checkEnabled: true }) as never,
      git: () => nodeGitPort,
    };
    await checkFolder(state, host);
    assert.ok(
      state.findings.some((f) => f.code === 'key-tracked-by-git' && f.file === key),
      state.findings.map((f) => f.code).join(', '),
    );
  });
});
