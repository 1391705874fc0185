// "Generate C Header…" and "Regenerate C Header" (extension host). The work is
// done by src/core/headers; this file only asks the user and reports.
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { EtlsError } from '../../core/errors';
import {
  headerSettingsFor,
  isGeneratedHeader,
  projectHeaderSpecs,
  readTextIfExists,
  specsFromHeaderFile,
  specFromSettings,
  specsForOutput,
  suggestedHeaderFolder,
  suggestedHeaderName,
  withHeader,
  type HeaderFormat,
  type HeaderLayout,
  type HeaderSpec,
} from '../../core/headers';
import { nodeFileSystem } from '../../core/node/fileSystem';
import { findProjectFile, loadProject, saveProject } from '../../core/project/load';
import type { Services } from '../common/services';
import { showOnDisk, writeAndReport } from './headerWrite';

const LAYOUTS: Array<vscode.QuickPickItem & { layout: HeaderLayout }> = [
  {
    layout: 'c',
    label: 'Plain C',
    detail: 'const byte arrays or NUL-terminated PEM strings, for any toolchain (ESP-IDF, TI, Zephyr, Linux)',
  },
  {
    layout: 'freertos',
    label: 'FreeRTOS aws_clientcredential_keys.h',
    detail: 'keyCLIENT_CERTIFICATE_PEM, keyCLIENT_PRIVATE_KEY_PEM, keyJITR_DEVICE_CERTIFICATE_AUTHORITY_PEM',
  },
  {
    layout: 'coremqtt',
    label: 'coreMQTT demo_config.h',
    detail: 'democonfigROOT_CA_PEM, democonfigCLIENT_CERTIFICATE_PEM, democonfigCLIENT_PRIVATE_KEY_PEM',
  },
  {
    layout: 'arduino',
    label: 'Arduino sketch header',
    detail: 'static const char AWS_CERT_CA[] PROGMEM = R"EOF(...)EOF"; for WiFiClientSecure',
  },
];

type Storage = 'static' | 'split';

const STORAGES: Array<vscode.QuickPickItem & { storage: Storage }> = [
  {
    storage: 'static',
    label: 'static const in the header',
    detail: 'Include it from any number of .c files; no "multiple definition" at link time (--static)',
  },
  {
    storage: 'split',
    label: 'extern declarations in the header, definitions in a .c file',
    detail: 'One copy in flash for the whole firmware; add the .c file to the build (--split)',
  },
];

const FORMATS: Array<vscode.QuickPickItem & { format: HeaderFormat }> = [
  {
    format: 'der',
    label: 'DER byte array',
    detail:
      'const unsigned char NAME[] + NAME_len: mbedtls_x509_crt_parse_der, SimpleLink file writes, BearSSL',
  },
  {
    format: 'pem',
    label: 'PEM string',
    detail: 'NUL-terminated, as mbedTLS and WiFiClientSecure::setCACert expect',
  },
];

async function pickInputs(uri?: vscode.Uri, uris?: vscode.Uri[]): Promise<vscode.Uri[] | undefined> {
  if (uris && uris.length > 0) return uris;
  if (uri) return [uri];
  return vscode.window.showOpenDialog({
    canSelectMany: true,
    openLabel: 'Put in Header',
    title: 'Certificates and keys for the C header',
    filters: { 'Certificates and keys': ['pem', 'crt', 'cer', 'der', 'key'], 'All files': ['*'] },
  });
}

/** Answers that skip the questions: for tests, and for callers that already know them. */
export interface GenerateHeaderOptions {
  layout?: HeaderLayout;
  format?: HeaderFormat;
  output?: vscode.Uri;
  /** Add the header to this profile of the nearest embedded-tls.json without asking. */
  addToProfile?: string;
  /** `static` (the default) or `split`; asked only when the layout is asked too. */
  storage?: Storage;
}

/** Regenerating runs the command a header records, which whoever wrote the repository chose. */
function requireTrust(what: string): void {
  if (!vscode.workspace.isTrusted)
    throw new EtlsError(
      'refused',
      `${what} is not run in Restricted Mode: it follows what the files of this workspace say`,
      'Trust the folder (Manage Workspace Trust), then try again.',
    );
}

/** Where a new header goes by default: the target's convention (ESP-IDF: main/), else beside the first input. */
async function defaultHeaderFolder(firstInput: string): Promise<string> {
  const projectPath = await findProjectFile(nodeFileSystem, dirname(firstInput)).catch(() => undefined);
  if (!projectPath) return dirname(firstInput);
  const project = await loadProject(nodeFileSystem, projectPath).catch(() => undefined);
  const targets = Object.values(project?.file.profiles ?? {}).map((p) => p.target);
  return suggestedHeaderFolder(dirname(projectPath), targets) ?? dirname(firstInput);
}

/**
 * Offers to list a new header in the nearest project file, so tasks, builds and regenerate-on-save
 * keep it current; then regenerates it from there, since its Regenerate line names the project.
 */
async function addToProject(s: Services, spec: HeaderSpec, profileGiven?: string): Promise<void> {
  const path = await findProjectFile(nodeFileSystem, dirname(spec.output));
  if (!path) return;
  const project = await loadProject(nodeFileSystem, path);
  if (specsForOutput(projectHeaderSpecs(project), spec.output).length) return;
  let profile = profileGiven;
  if (!profile) {
    const answer = await vscode.window.showInformationMessage(
      `Add ${vscode.workspace.asRelativePath(spec.output)} to ${vscode.workspace.asRelativePath(path)}, so tasks, builds and regenerate-on-save keep it up to date?`,
      'Add to Project',
    );
    if (answer !== 'Add to Project') return;
    const names = Object.keys(project.file.profiles);
    profile =
      names.length === 1
        ? names[0]
        : await vscode.window.showQuickPick(names.length ? names : ['default'], {
            title: 'Which device profile?',
          });
    if (!profile) return;
  }
  const settings = headerSettingsFor(project, spec);
  const updated = withHeader(project, profile, settings);
  await saveProject(nodeFileSystem, updated);
  const index = updated.file.profiles[profile]!.headers!.length - 1;
  await writeAndReport(s, [specFromSettings(updated, profile, settings, index)], true);
}

async function pickFormat(layout: HeaderLayout): Promise<HeaderFormat | undefined> {
  const order = layout === 'arduino' ? [...FORMATS].reverse() : FORMATS;
  return (await vscode.window.showQuickPick(order, { title: 'What goes into the header' }))?.format;
}

/** The palette command, and the handler the explorer's context menu will call with the clicked files. */
export async function generateHeaderCommand(
  s: Services,
  uri?: vscode.Uri,
  uris?: vscode.Uri[],
  options: GenerateHeaderOptions = {},
): Promise<vscode.Uri | undefined> {
  const inputs = await pickInputs(uri, uris);
  if (!inputs || inputs.length === 0) return undefined;
  const layout =
    options.layout ??
    (
      await vscode.window.showQuickPick(LAYOUTS, {
        title: 'Header layout',
        placeHolder: 'How should the header look?',
      })
    )?.layout;
  if (!layout) return undefined;
  let format = options.format;
  if (!format && (layout === 'c' || layout === 'arduino')) {
    format = await pickFormat(layout);
    if (!format) return undefined;
  }
  let storage = options.storage;
  if (!storage && layout === 'c' && !options.layout) {
    storage = (await vscode.window.showQuickPick(STORAGES, { title: 'How the firmware includes it' }))
      ?.storage;
    if (!storage) return undefined;
  }
  const paths = inputs.map((u) => u.fsPath);
  const output =
    options.output ??
    (await vscode.window.showSaveDialog({
      title: 'Save the C header',
      defaultUri: vscode.Uri.file(
        join(await defaultHeaderFolder(paths[0]!), suggestedHeaderName(layout, paths)),
      ),
      filters: { 'C header': ['h', 'hpp'] },
    }));
  if (!output) return undefined;
  const existing = await readTextIfExists(nodeFileSystem, output.fsPath);
  let force = false;
  if (existing !== undefined && !isGeneratedHeader(existing)) {
    const answer = await vscode.window.showWarningMessage(
      `${vscode.workspace.asRelativePath(output)} exists and was not generated by Embedded TLS. Replace it?`,
      { modal: true },
      'Replace',
    );
    if (answer !== 'Replace') return undefined;
    force = true;
  }
  // The output was picked in the save dialog: it may be anywhere the user chose (no root).
  const spec: HeaderSpec = {
    output: output.fsPath,
    layout,
    inputs: paths.map((path) => ({ path })),
  };
  if (format) spec.format = format;
  if (storage === 'split') spec.split = true;
  await writeAndReport(s, [spec], false, force);
  if (options.addToProfile) await addToProject(s, spec, options.addToProfile);
  else
    void addToProject(s, spec).catch((e: unknown) =>
      s.logger.warn(`adding the header to the project: ${String(e)}`),
    );
  await vscode.window.showTextDocument(output, { preview: false });
  return output;
}

/** Regenerates one generated header (the CodeLens click), from its recorded command or the project file. */
export async function regenerateHeaderCommand(s: Services, uri?: vscode.Uri): Promise<void> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!target)
    throw new EtlsError(
      'invalid-argument',
      'no header is open',
      'Open a header that etls generated, then run this again.',
    );
  requireTrust('Regenerating a header');
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
  if (doc?.isDirty) await doc.save();
  const specs = await specsFromHeaderFile(nodeFileSystem, target.fsPath);
  await showOnDisk(await writeAndReport(s, specs));
  void vscode.window.setStatusBarMessage(
    `Embedded TLS: regenerated ${vscode.workspace.asRelativePath(target)}`,
    4000,
  );
}
