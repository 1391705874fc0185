// Integration, in a multi-root workspace (the harness's second run): the fixture firmware and a second
// project, "gateway", each with its own embedded-tls.json. Commands must work on the folder the user
// is in, never silently on the first one.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TreeNode } from '../../src/extension/explorer/explorerTree';
import type { ExplorerApi } from '../../src/extension/explorer/explorer';
import { extensionApi, waitFor } from './support';

function filesIn(explorer: ExplorerApi, nodes: TreeNode[] = explorer.getChildren(), depth = 0): string[] {
  if (depth > 4) return [];
  return nodes.flatMap((n) => [
    ...(n.file ? [n.file] : []),
    ...filesIn(explorer, explorer.getChildren(n), depth + 1),
  ]);
}

const labelsOf = (nodes: TreeNode[]) => nodes.map((n) => n.label).join(', ');

describe('multi-root workspace', () => {
  const folder = (name: string) => {
    const f = vscode.workspace.workspaceFolders?.find((x) => x.name === name);
    if (!f) throw new Error(`no workspace folder named ${name}`);
    return f.uri.fsPath;
  };
  const open = async (path: string) =>
    vscode.window.showTextDocument(vscode.Uri.file(path), { viewColumn: vscode.ViewColumn.One });

  before(async () => {
    await extensionApi();
    assert.deepEqual(
      vscode.workspace.workspaceFolders?.map((f) => f.name),
      ['device-firmware', 'gateway'],
    );
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('lists the certificates and keys of both folders in the Certificates view', async () => {
    const { explorer } = await extensionApi();
    const wanted = [
      join(folder('device-firmware'), 'certs', 'device-01.pem'),
      join(folder('gateway'), 'certs', 'gateway.pem'),
      join(folder('gateway'), 'certs', 'gateway.key'),
    ];
    await waitFor(
      () => wanted.every((f) => filesIn(explorer).includes(f)),
      30_000,
      () => `both folders in the tree; it holds ${filesIn(explorer).join(', ')}`,
    );
  });

  it('opens the MQTT panel on the device profile of the folder being edited, with paths from there', async () => {
    const { mqtt } = await extensionApi();
    await open(join(folder('gateway'), 'src', 'app.c'));
    await vscode.commands.executeCommand('embeddedTls.openMqttClient', 'gateway');
    let state = mqtt.state();
    assert.equal(state.form.host, 'gateway.local');
    assert.equal(state.form.caFile, join('certs', 'ca.pem'));
    assert.deepEqual(
      state.profiles.filter((p) => p.source === 'project').map((p) => p.name),
      ['gateway'],
    );
    assert.ok(
      state.files.some((f) => f.role === 'cert' && /device-01/.test(f.summary) && f.fingerprint),
      `the gateway's certificate is read from its own folder: ${JSON.stringify(state.files)}`,
    );

    await open(join(folder('device-firmware'), 'main', 'certs.c'));
    await vscode.commands.executeCommand('embeddedTls.openMqttClient', 'device-01');
    state = mqtt.state();
    assert.deepEqual(
      state.profiles.filter((p) => p.source === 'project').map((p) => p.name),
      ['device-01'],
    );
    assert.equal(state.form.keyFile, join('certs', 'device-01.key'));
  });

  it('imports certificates into the folder of the file being edited', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'etls-import-multi-'));
    try {
      copyFileSync(join(folder('gateway'), 'certs', 'ca.pem'), join(outside, 'fleet-ca.pem'));
      await open(join(folder('gateway'), 'src', 'app.c'));
      const written = await vscode.commands.executeCommand<vscode.Uri[]>('embeddedTls.importCertificates', [
        vscode.Uri.file(join(outside, 'fleet-ca.pem')),
      ]);
      assert.deepEqual(
        written.map((u) => u.fsPath),
        [join(folder('gateway'), 'certs', 'fleet-ca.pem')],
      );
      for (const f of written) rmSync(f.fsPath);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('uses the project file below a folder root when the root has none', async () => {
    const { explorer } = await extensionApi();
    const gateway = folder('gateway');
    const atRoot = join(gateway, 'embedded-tls.json');
    const original = readFileSync(atRoot, 'utf8');
    const project = JSON.parse(original) as { profiles: Record<string, Record<string, unknown>> };
    // Renamed, so only the moved file can be what the view shows; its paths now start one level up.
    const moved = project.profiles['gateway']!;
    for (const role of ['ca', 'cert', 'key']) moved[role] = `../${String(moved[role])}`;
    project.profiles = { 'gateway-fw': moved };
    mkdirSync(join(gateway, 'fw'), { recursive: true });
    writeFileSync(join(gateway, 'fw', 'embedded-tls.json'), JSON.stringify(project, null, 2));
    rmSync(atRoot);
    await vscode.commands.executeCommand('embeddedTls.groupCertificatesByProfile');
    try {
      const profile = await waitFor(
        () => {
          // With several folders the profile grouping starts with one node per folder.
          const inFolder = explorer.getChildren().find((n) => n.label === 'gateway');
          const node = inFolder && explorer.getChildren(inFolder).find((n) => n.label === 'gateway-fw');
          return node && explorer.getChildren(node).length === 3 ? node : undefined;
        },
        30_000,
        () =>
          `the gateway-fw profile with its three files; the tree shows ${explorer
            .getChildren()
            .map((n) => `${n.label} [${labelsOf(explorer.getChildren(n))}]`)
            .join(', ')}`,
      );
      const uses = explorer.getChildren(profile).map((n) => `${n.description?.split(' · ')[0]} ${n.file}`);
      assert.deepEqual(uses.sort(), [
        `ca ${join(gateway, 'certs', 'ca.pem')}`,
        `cert ${join(gateway, 'certs', 'gateway.pem')}`,
        `key ${join(gateway, 'certs', 'gateway.key')}`,
      ]);
    } finally {
      writeFileSync(atRoot, original);
      rmSync(join(gateway, 'fw'), { recursive: true, force: true });
      await vscode.commands.executeCommand('embeddedTls.groupCertificatesByRole');
    }
  });
});
