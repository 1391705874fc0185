// The core must stay host-neutral: the lint rule that enforces it has to fire.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const REPO = join(__dirname, '..', '..', '..');

async function lint(code: string, file: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: REPO });
  const [result] = await eslint.lintText(code, { filePath: join(REPO, file) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('architecture: src/core is host-neutral', function () {
  this.timeout(60_000);

  it('refuses `vscode` in src/core', async () => {
    const messages = await lint(
      "import * as vscode from 'vscode';\nexport const x = vscode;\n",
      'src/core/x509/probe.ts',
    );
    assert.ok(
      messages.some((m) => m.startsWith('no-restricted-imports') && /host-neutral/.test(m)),
      messages.join('\n'),
    );
  });

  it('refuses the CLI and extension hosts in src/core', async () => {
    const messages = await lint(
      "import { runCli } from '../../cli/main';\nexport const x = runCli;\n",
      'src/core/x509/probe.ts',
    );
    assert.ok(
      messages.some((m) => m.startsWith('no-restricted-imports')),
      messages.join('\n'),
    );
  });

  it('allows `vscode` in src/extension', async () => {
    const messages = await lint(
      "import * as vscode from 'vscode';\nexport const x = vscode;\n",
      'src/extension/probe.ts',
    );
    assert.deepEqual(
      messages.filter((m) => m.startsWith('no-restricted-imports')),
      [],
    );
  });

  it('refuses Node and core imports in the webview bundle', async () => {
    const messages = await lint(
      "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
      'webview/mqtt/probe.ts',
    );
    assert.ok(
      messages.some((m) => m.startsWith('no-restricted-imports')),
      messages.join('\n'),
    );
  });
});
