// "Copy Connection Snippet…" and "Export Node-RED Config" (extension host): the core's snippets and
// Node-RED flow for a profile of embedded-tls.json, and a CodeLens on each profile that offers them.
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { writeGuarded } from '../../core/files/guard';
import { nodeFileSystem } from '../../core/node/fileSystem';
import { loadProject } from '../../core/project/load';
import { PROJECT_FILE_NAME, type LoadedProject } from '../../core/project/types';
import {
  buildSnippet,
  isSnippetKind,
  nodeRedFlow,
  SNIPPET_KINDS,
  snippetKindsFor,
  type Snippet,
  type SnippetKind,
} from '../../core/snippets';
import { locateProjectFile } from '../common/projectLocator';
import type { Services } from '../common/services';

export interface SnippetCommandOptions {
  /** Skip the kind picker (tests, CodeLens arguments). */
  kind?: string;
  /** Do not open the snippet in an editor after copying it. */
  quiet?: boolean;
}

async function projectAndProfile(
  profileArg: string | undefined,
  projectUri: vscode.Uri | undefined,
): Promise<{ project: LoadedProject; profile: string } | undefined> {
  const path = await locateProjectFile({
    ...(projectUri ? { hint: projectUri } : {}),
    ask: 'Which project file?',
  });
  if (!path) {
    void vscode.window.showWarningMessage(
      `Embedded TLS: no ${PROJECT_FILE_NAME} in this workspace. Create a development PKI first; it makes one with a profile.`,
    );
    return undefined;
  }
  const project = await loadProject(nodeFileSystem, path);
  const names = Object.keys(project.file.profiles);
  if (profileArg && project.file.profiles[profileArg]) return { project, profile: profileArg };
  if (names.length === 0) {
    void vscode.window.showWarningMessage(
      `Embedded TLS: ${vscode.workspace.asRelativePath(path)} has no profiles yet.`,
    );
    return undefined;
  }
  if (names.length === 1) return { project, profile: names[0]! };
  const pick = await vscode.window.showQuickPick(
    names.map((n) => ({
      label: n,
      description: project.file.profiles[n]!.broker?.host ?? '',
      detail: project.file.profiles[n]!.target ?? '',
    })),
    { placeHolder: 'Which device profile?', ignoreFocusOut: true },
  );
  return pick ? { project, profile: pick.label } : undefined;
}

async function pickKind(project: LoadedProject, profile: string): Promise<SnippetKind | undefined> {
  const order = snippetKindsFor(project.file.profiles[profile]?.target);
  const pick = await vscode.window.showQuickPick(
    order.map((k) => ({
      label: SNIPPET_KINDS[k].label,
      description: k,
      detail: SNIPPET_KINDS[k].detail,
      snippetKind: k,
    })),
    {
      placeHolder: `Connection code for profile "${profile}": which target?`,
      ignoreFocusOut: true,
      matchOnDescription: true,
    },
  );
  return pick?.snippetKind;
}

/** Builds the snippet, copies it to the clipboard, and offers it in an editor; returns it for the tests. */
export async function copyConnectionSnippet(
  s: Services,
  profileArg?: string,
  projectUri?: vscode.Uri,
  options: SnippetCommandOptions = {},
): Promise<Snippet | undefined> {
  const where = await projectAndProfile(profileArg, projectUri);
  if (!where) return undefined;
  const kind =
    options.kind && isSnippetKind(options.kind) ? options.kind : await pickKind(where.project, where.profile);
  if (!kind) return undefined;
  const snippet = await buildSnippet(nodeFileSystem, where.project, where.profile, kind);
  await vscode.env.clipboard.writeText(snippet.text);
  for (const n of snippet.notes) s.output.info(`${where.profile}/${kind}: ${n}`);
  s.output.info(`Copied the ${SNIPPET_KINDS[kind].label} snippet of profile "${where.profile}".`);
  if (!options.quiet) {
    const open = 'Open in Editor';
    const note = snippet.notes.length ? ` ${snippet.notes[0]}` : '';
    void vscode.window
      .showInformationMessage(
        `Copied the ${SNIPPET_KINDS[kind].label} snippet for "${where.profile}".${note}`,
        open,
      )
      .then(async (choice) => {
        if (choice !== open) return;
        const doc = await vscode.workspace.openTextDocument({
          content: snippet.text,
          language: snippet.language,
        });
        await vscode.window.showTextDocument(doc);
      });
  }
  return snippet;
}

/** Writes the Node-RED flow where the user says (or `target`, for the tests); returns the path. */
export async function exportNodeRedConfig(
  s: Services,
  profileArg?: string,
  projectUri?: vscode.Uri,
  target?: vscode.Uri,
): Promise<string | undefined> {
  const where = await projectAndProfile(profileArg, projectUri);
  if (!where) return undefined;
  const flow = await nodeRedFlow(nodeFileSystem, where.project, where.profile);
  const uri =
    target ??
    (await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(join(where.project.dir, `node-red-${where.profile}.json`)),
      filters: { 'Node-RED flow': ['json'] },
      title: `Export profile "${where.profile}" as a Node-RED flow`,
    }));
  if (!uri) return undefined;
  // The save dialog asked before replacing; a key is never replaced all the same.
  await writeGuarded(nodeFileSystem, uri.fsPath, flow.text, { replace: 'anything-but-keys' });
  s.output.info(`Wrote the Node-RED flow of profile "${where.profile}" to ${uri.fsPath}.`);
  if (!target)
    void vscode.window.showInformationMessage(
      `Wrote ${vscode.workspace.asRelativePath(uri)}: import it in Node-RED (Menu > Import). The tls-config node reads the files from ${dirname(flow.nodes.find((n) => n['type'] === 'tls-config')?.['ca'] as string)}.`,
    );
  return uri.fsPath;
}

/** The two lenses above each profile of embedded-tls.json. */
export function registerSnippetLens(s: Services): void {
  const provider: vscode.CodeLensProvider = {
    provideCodeLenses(doc) {
      let names: string[];
      try {
        names = Object.keys(
          (JSON.parse(doc.getText()) as { profiles?: Record<string, unknown> }).profiles ?? {},
        );
      } catch {
        return [];
      }
      const text = doc.getText();
      const start = Math.max(text.indexOf('"profiles"'), 0);
      return names.flatMap((name) => {
        const m = new RegExp(
          `${JSON.stringify(name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:\\s*\\{`,
        ).exec(text.slice(start));
        if (!m) return [];
        const range = new vscode.Range(doc.positionAt(start + m.index), doc.positionAt(start + m.index));
        return [
          new vscode.CodeLens(range, {
            title: '$(code) Copy Connection Snippet…',
            command: 'embeddedTls.copyConnectionSnippet',
            arguments: [name, doc.uri],
          }),
          new vscode.CodeLens(range, {
            title: '$(export) Export Node-RED Config',
            command: 'embeddedTls.exportNodeRedConfig',
            arguments: [name, doc.uri],
          }),
        ];
      });
    },
  };
  s.context.subscriptions.push(
    vscode.languages.registerCodeLensProvider({ pattern: `**/${PROJECT_FILE_NAME}` }, provider),
  );
}
