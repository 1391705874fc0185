// Integration: connection snippets inside VS Code: the CodeLens on each profile of embedded-tls.json,
// "Copy Connection Snippet…" with its target picker (to the clipboard), and "Export Node-RED Config".
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { extensionApi, fixtureUri, waitFor, workspaceDir } from './support';

interface SnippetResult {
  kind: string;
  text: string;
  notes: string[];
}

describe('Connection snippets', () => {
  const project = () => fixtureUri('embedded-tls.json');
  const written: string[] = [];

  before(async () => {
    await extensionApi();
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const f of written) fs.rmSync(f, { force: true });
  });

  it('offers Copy Connection Snippet… and Export Node-RED Config above each profile', async () => {
    await vscode.window.showTextDocument(project());
    const titles = await waitFor(
      async () => {
        const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
          'vscode.executeCodeLensProvider',
          project(),
        );
        const t = (lenses ?? []).map((l) => l.command?.title ?? '');
        return t.some((x) => x.includes('Copy Connection Snippet')) ? t : undefined;
      },
      20_000,
      'the snippet CodeLens',
    );
    assert.ok(
      titles.some((t) => t.includes('Export Node-RED Config')),
      titles.join(' | '),
    );
    const lens = (
      await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', project())
    ).find((l) => l.command?.command === 'embeddedTls.copyConnectionSnippet');
    assert.deepEqual(lens?.command?.arguments?.[0], 'device-01');
  });

  it('copies the mosquitto_pub script of the profile to the clipboard', async () => {
    await vscode.env.clipboard.writeText('');
    const snippet = await vscode.commands.executeCommand<SnippetResult>(
      'embeddedTls.copyConnectionSnippet',
      'device-01',
      project(),
      { kind: 'mosquitto_pub', quiet: true },
    );
    assert.equal(snippet.kind, 'mosquitto_pub');
    assert.match(
      snippet.text,
      /mosquitto_pub -h localhost -p 8883 .*--cafile certs\/ca\.pem --cert certs\/device-01\.pem --key certs\/device-01\.key/,
    );
    assert.equal(await vscode.env.clipboard.readText(), snippet.text);
  });

  it('gives the ESP-IDF snippet with the names etls header writes, and says how to write that header', async () => {
    const snippet = await vscode.commands.executeCommand<SnippetResult>(
      'embeddedTls.copyConnectionSnippet',
      'device-01',
      project(),
      { kind: 'esp-idf', quiet: true },
    );
    assert.equal(snippet.kind, 'esp-idf');
    assert.match(snippet.text, /\.verification\.certificate = ca_cert_pem,/);
    assert.match(snippet.notes.join('\n'), /etls header --format pem -o main\/certs\.h certs\/ca\.pem/);
    assert.equal(await vscode.env.clipboard.readText(), snippet.text);
  });

  it('Export Node-RED Config writes a tls-config and an mqtt-broker node for the profile', async () => {
    const target = vscode.Uri.file(path.join(workspaceDir(), 'node-red-it.json'));
    written.push(target.fsPath);
    const out = await vscode.commands.executeCommand<string>(
      'embeddedTls.exportNodeRedConfig',
      'device-01',
      project(),
      target,
    );
    assert.equal(out, target.fsPath);
    const nodes = JSON.parse(fs.readFileSync(target.fsPath, 'utf8')) as Array<Record<string, unknown>>;
    const tls = nodes.find((n) => n['type'] === 'tls-config');
    const broker = nodes.find((n) => n['type'] === 'mqtt-broker');
    assert.equal(tls?.['verifyservercert'], true);
    assert.equal(tls?.['ca'], fixtureUri('certs/ca.pem').fsPath);
    assert.equal(broker?.['tls'], tls?.['id']);
    assert.equal(broker?.['broker'], 'localhost');
    assert.equal(broker?.['port'], 8883);
  });
});
