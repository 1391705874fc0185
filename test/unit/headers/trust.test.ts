// Regenerating a header follows what the workspace's files say, so VS Code offers it only in a
// trusted workspace: the manifest hides the command in Restricted Mode, the command refuses, and
// the CodeLens points to workspace trust instead.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const REPO = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  contributes: { menus: Record<string, Array<{ command: string; when?: string }>> };
  capabilities: { untrustedWorkspaces: { supported: unknown; description: string } };
};
const source = (p: string) => readFileSync(join(REPO, p), 'utf8');

describe('header regeneration needs a trusted workspace', () => {
  it('the palette offers Regenerate C Header only when the workspace is trusted', () => {
    const entry = manifest.contributes.menus['commandPalette']!.find(
      (m) => m.command === 'embeddedTls.regenerateHeader',
    );
    assert.match(entry?.when ?? '', /\bisWorkspaceTrusted\b/);
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.match(manifest.capabilities.untrustedWorkspaces.description, /headers are not regenerated/);
  });

  it('the command checks workspace trust before reading the header, and the CodeLens follows it', () => {
    const generator = source('src/extension/headers/headerGenerator.ts');
    const command = generator.slice(generator.indexOf('export async function regenerateHeaderCommand'));
    const trust = command.indexOf("requireTrust('Regenerating a header')");
    assert.ok(trust > 0 && trust < command.indexOf('specsFromHeaderFile('), 'trust is checked first');
    assert.match(generator, /if \(!vscode\.workspace\.isTrusted\)\s*throw new EtlsError\(\s*'refused'/);
    const lens = source('src/extension/headers/headerCodeLens.ts');
    assert.match(lens, /trusted \? 'embeddedTls\.regenerateHeader' : 'workbench\.trust\.manage'/);
  });
});
