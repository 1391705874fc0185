// Integration: the extension activates by itself on a workspace holding certificates and registers
// every command its manifest contributes. Runs inside VS Code's extension host.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, extensionApi, waitFor } from './support';

interface ManifestCommand {
  command: string;
  category?: string;
}

describe('activation', () => {
  it('activates on its own because the workspace contains certificate files', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    // Nothing in the suite has touched the extension yet: only the workspaceContains event can activate it.
    await waitFor(() => ext.isActive, 60_000, 'the extension to activate');
    const events = (ext.packageJSON as { activationEvents?: string[] }).activationEvents ?? [];
    assert.ok(!events.includes('*'), 'the extension must not activate on "*"');
  });

  it('returns its API from activate()', async () => {
    const api = await extensionApi();
    assert.ok(api.services, 'activate() should return the shared services');
  });

  it('registers every contributed command under the Embedded TLS category', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const contributed = (ext.packageJSON as { contributes?: { commands?: ManifestCommand[] } }).contributes
      ?.commands;
    assert.ok(contributed && contributed.length > 0, 'the manifest contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const c of contributed) {
      assert.match(c.command, /^embeddedTls\.[a-z][A-Za-z0-9.]*$/, `command id ${c.command}`);
      assert.equal(c.category, 'Embedded TLS', `category of ${c.command}`);
      assert.ok(registered.has(c.command), `${c.command} is contributed but not registered`);
    }
  });
});
