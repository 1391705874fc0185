import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linkWorkspace, scanFile, type ScannedFile } from '../../../src/core/check';
import { nodeGitPort } from '../../../src/core/check/nodePorts';
import { silentLogger } from '../../../src/core/ports';
import { checkFolder, loadFolderProject } from '../../../src/extension/explorer/folderCheck';
import type { FolderState, ScannerHost } from '../../../src/extension/explorer/scanState';

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

describe('explorer: which embedded-tls.json a folder uses', () => {
  const dir = mkdtempSync(join(tmpdir(), 'etls-folder-project-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const project = (profile: string) => JSON.stringify({ version: 1, profiles: { [profile]: {} } });
  const stateFor = () =>
    ({
      folder: { uri: { scheme: 'file', fsPath: dir }, name: 'ws', index: 0 },
      files: new Map(),
      model: linkWorkspace([]),
      findings: [],
    }) as unknown as FolderState;
  const nested = join(dir, 'firmware', 'embedded-tls.json');
  const other = join(dir, 'tools', 'embedded-tls.json');

  it('takes the only project file below the root when the root has none', async () => {
    mkdirSync(join(dir, 'firmware'), { recursive: true });
    writeFileSync(nested, project('nested'));
    const state = stateFor();
    await loadFolderProject(state, silentLogger, async () => [nested]);
    assert.deepEqual(Object.keys(state.project?.file.profiles ?? {}), ['nested']);
    assert.equal(state.projectError, undefined);
  });

  it('names the files when several lie below the root, instead of picking one', async () => {
    const state = stateFor();
    await loadFolderProject(state, silentLogger, async () => [other, nested]);
    assert.equal(state.project, undefined);
    assert.match(
      state.projectError ?? '',
      /2 project files \(firmware\/embedded-tls.json, tools\/embedded-tls.json\)/,
    );
  });

  it('prefers the root, without looking below it', async () => {
    writeFileSync(join(dir, 'embedded-tls.json'), project('root'));
    const state = stateFor();
    let looked = false;
    await loadFolderProject(state, silentLogger, async () => {
      looked = true;
      return [nested];
    });
    assert.deepEqual(Object.keys(state.project?.file.profiles ?? {}), ['root']);
    assert.equal(looked, false);
  });
});
