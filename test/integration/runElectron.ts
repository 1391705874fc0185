// Desktop runner for the integration suite (Node, on a machine with internet): downloads VS Code with
// @vscode/test-electron and runs out/test/integration/index.js in it on a fresh fixture workspace.
// CI uses scripts/run-integration.mjs (code-server + Chromium) instead; the suite is the same.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';

/** The minimum engines.vscode, so the suite proves the extension works on the oldest supported version. */
const VSCODE_VERSION = process.env['ETLS_VSCODE_VERSION'] ?? '1.100.3';

async function main(): Promise<number> {
  const repo = resolve(__dirname, '..', '..');
  const workspace = mkdtempSync(join(tmpdir(), 'etls-ws-'));
  try {
    execFileSync(process.execPath, [join(repo, 'test/integration/fixtures/makeWorkspace.mjs'), workspace], {
      stdio: 'inherit',
    });
    await runTests({
      version: VSCODE_VERSION,
      extensionDevelopmentPath: repo,
      extensionTestsPath: join(repo, 'out/test/integration/index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome'],
    });
    return 0;
  } catch (e) {
    console.error(`integration tests failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

void main().then((code) => process.exit(code));
