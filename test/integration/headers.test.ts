// Integration: C headers inside VS Code: the Generate command, the CodeLens and its regenerate
// click, the embeddedTls task type with its problem matcher, and regenerate-on-save.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { extensionApi, fixtureUri, screenshot, waitFor, workspaceDir } from './support';

const FOLDER = 'header-it';

function lensTitles(lenses: vscode.CodeLens[] | undefined): string[] {
  return (lenses ?? []).map((l) => l.command?.title ?? '');
}

async function lenses(uri: vscode.Uri): Promise<string[]> {
  return lensTitles(
    await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri),
  );
}

/** Runs a task and resolves with its process exit code (the end event may come before executeTask returns). */
async function runTask(task: vscode.Task): Promise<number | undefined> {
  const ended = new Map<vscode.TaskExecution, number | undefined>();
  const sub = vscode.tasks.onDidEndTaskProcess((e) => ended.set(e.execution, e.exitCode));
  try {
    const execution = await vscode.tasks.executeTask(task);
    await waitFor(() => ended.has(execution), 60_000, `task "${task.name}" to end`);
    return ended.get(execution);
  } finally {
    sub.dispose();
  }
}

describe('C headers', () => {
  const dir = () => path.join(workspaceDir(), FOLDER);
  const file = (p: string) => path.join(dir(), p);

  before(async () => {
    await extensionApi();
    fs.mkdirSync(file('certs'), { recursive: true });
    fs.copyFileSync(fixtureUri('certs/ca.pem').fsPath, file('certs/ca.pem'));
    fs.copyFileSync(fixtureUri('certs/device-01.pem').fsPath, file('certs/device.pem'));
  });

  after(async () => {
    await vscode.workspace
      .getConfiguration('embeddedTls')
      .update('headers.regenerateOnSave', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir(), { recursive: true, force: true });
  });

  it('Generate C Header… writes the header for the files it is given and opens it', async () => {
    const out = vscode.Uri.file(file('include/certs.h'));
    const ca = vscode.Uri.file(file('certs/ca.pem'));
    const device = vscode.Uri.file(file('certs/device.pem'));
    const result = await vscode.commands.executeCommand<vscode.Uri | undefined>(
      'embeddedTls.generateHeader',
      ca,
      [ca, device],
      {
        layout: 'c',
        format: 'der',
        output: out,
      },
    );
    assert.equal(result?.fsPath, out.fsPath);
    const text = fs.readFileSync(out.fsPath, 'utf8');
    assert.match(text, /^static const unsigned char ca_cert_der\[\] = \{$/m);
    assert.match(text, /^static const unsigned char device_cert_der\[\] = \{$/m);
    await waitFor(
      () => vscode.window.activeTextEditor?.document.uri.fsPath === out.fsPath,
      10_000,
      'the header to open',
    );
  });

  it('Generate C Header… with --split writes extern declarations and the .c file beside the header', async () => {
    const out = vscode.Uri.file(file('include/split.h'));
    const ca = vscode.Uri.file(file('certs/ca.pem'));
    await vscode.commands.executeCommand('embeddedTls.generateHeader', ca, undefined, {
      layout: 'c',
      format: 'der',
      storage: 'split',
      output: out,
    });
    assert.match(fs.readFileSync(out.fsPath, 'utf8'), /^extern const unsigned char ca_cert_der\[\d+\];$/m);
    assert.match(
      fs.readFileSync(file('include/split.c'), 'utf8'),
      /^const unsigned char ca_cert_der\[\] = \{$/m,
    );
  });

  it('shows a CodeLens per array that turns stale when its source changes, and regenerates on click', async () => {
    const out = vscode.Uri.file(file('include/certs.h'));
    await vscode.window.showTextDocument(out);
    const fresh = await waitFor(
      async () => ((await lenses(out)).length >= 2 ? lenses(out) : undefined),
      20_000,
      'lenses',
    );
    assert.ok(
      fresh.some((t) => /from \.\.\/certs\/ca\.pem: up to date/.test(t)),
      fresh.join(' | '),
    );
    assert.ok(fresh.includes('Open source'));
    await screenshot('header-codelens');

    fs.copyFileSync(fixtureUri('certs/broker.pem').fsPath, file('certs/device.pem'));
    const stale = await waitFor(
      async () => ((await lenses(out)).some((t) => /device\.pem: stale/.test(t)) ? lenses(out) : undefined),
      20_000,
      'the device lens to turn stale',
    );
    assert.ok(
      stale.some((t) => /ca\.pem: up to date/.test(t)),
      'the CA lens stays up to date',
    );

    const click = (await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      out,
    ))!.find((l) => /stale/.test(l.command?.title ?? ''))!.command!;
    await vscode.commands.executeCommand(click.command, ...(click.arguments ?? []));
    // The editor reloads the regenerated file from disk, then the lenses follow.
    await waitFor(
      async () => (await lenses(out)).filter((t) => /up to date/.test(t)).length === 2,
      20_000,
      async () =>
        `both lenses to be up to date after the click; lenses: ${(await lenses(out)).join(' | ')}; ` +
        `the editor ${vscode.workspace.textDocuments.find((d) => d.uri.fsPath === out.fsPath)?.getText() === fs.readFileSync(out.fsPath, 'utf8') ? 'shows' : 'does not show'} the file on disk`,
    );
  });

  it('offers Generate and Check tasks whose problems land in the Problems panel', async () => {
    const project = {
      version: 1,
      profiles: {
        it: {
          headers: [
            { output: 'include/project.h', inputs: [{ file: 'certs/ca.pem' }, { file: 'certs/device.pem' }] },
          ],
        },
      },
    };
    fs.writeFileSync(file('embedded-tls.json'), JSON.stringify(project, null, 2));
    const mine = (t: vscode.Task) => t.definition['project'] === `${FOLDER}/embedded-tls.json`;
    const tasks = await waitFor(
      async () => {
        const all = (await vscode.tasks.fetchTasks({ type: 'embeddedTls' })).filter(mine);
        return all.length === 2 ? all : undefined;
      },
      20_000,
      'the two header tasks',
    );
    const generate = tasks.find((t) => !t.definition['check'])!;
    const check = tasks.find((t) => t.definition['check'])!;
    assert.equal(generate.group?.id, vscode.TaskGroup.Build.id);

    assert.equal(await runTask(generate), 0);
    assert.equal(await runTask(check), 0);
    const header = vscode.Uri.file(file('include/project.h'));
    fs.copyFileSync(fixtureUri('certs/device-01.pem').fsPath, file('certs/device.pem'));
    assert.equal(await runTask(check), 1);
    const problems = await waitFor(
      () => {
        const found = vscode.languages
          .getDiagnostics()
          .flatMap(([uri, ds]) =>
            ds.filter((d) => /device_cert_der is stale/.test(d.message)).map((d) => ({ uri, d })),
          );
        return found.length ? found : undefined;
      },
      20_000,
      'the stale problem of include/project.h in the Problems panel',
    );
    const { uri, d } = problems[0]!;
    assert.ok(uri.path.endsWith(`/${FOLDER}/include/project.h`), uri.toString());
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.match(
      fs.readFileSync(header.fsPath, 'utf8').split('\n')[d.range.start.line]!,
      /^static const unsigned char device_cert_der\[\]/,
    );
    assert.equal(await runTask(generate), 0);
    assert.equal(await runTask(check), 0);
  });

  it('regenerates project headers when a source is saved, once the setting is on', async () => {
    await vscode.workspace
      .getConfiguration('embeddedTls')
      .update('headers.regenerateOnSave', true, vscode.ConfigurationTarget.Workspace);
    const header = file('include/project.h');
    // Start from a header that matches its sources.
    fs.copyFileSync(fixtureUri('certs/device-01.pem').fsPath, file('certs/device.pem'));
    await vscode.commands.executeCommand('embeddedTls.regenerateHeader', vscode.Uri.file(header));
    assert.doesNotMatch(fs.readFileSync(header, 'utf8'), /CN=localhost/);
    // Paste another certificate into device.pem in the editor and save it, as a user would.
    const doc = await vscode.workspace.openTextDocument(file('certs/device.pem'));
    const edit = new vscode.WorkspaceEdit();
    const broker = fs.readFileSync(fixtureUri('certs/broker.pem').fsPath, 'utf8');
    edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), broker);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await doc.save());
    await waitFor(
      () => /CN=localhost/.test(fs.readFileSync(header, 'utf8')),
      30_000,
      'the header to be regenerated',
    );
  });

  it('adds a header made with the command to the project file, which then regenerates it', async () => {
    const out = vscode.Uri.file(file('include/extra.h'));
    const ca = vscode.Uri.file(file('certs/ca.pem'));
    await vscode.commands.executeCommand('embeddedTls.generateHeader', ca, undefined, {
      layout: 'c',
      format: 'pem',
      output: out,
      addToProfile: 'it',
    });
    const project = JSON.parse(fs.readFileSync(file('embedded-tls.json'), 'utf8')) as {
      profiles: Record<string, { headers: Array<{ output: string; format?: string }> }>;
    };
    assert.deepEqual(
      project.profiles['it']!.headers.map((h) => [h.output, h.format]),
      [
        ['include/project.h', undefined],
        ['include/extra.h', 'pem'],
      ],
    );
    assert.match(
      fs.readFileSync(out.fsPath, 'utf8'),
      /Regenerate \(in this folder\): etls header --project \.\.\/embedded-tls\.json --profile it/,
    );
  });
});
