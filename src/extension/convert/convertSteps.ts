// The steps every conversion command shares: the file to convert, the pass phrase (remembered in
// SecretStorage only when the user asks, never logged) and writing the result after asking before
// anything is replaced.
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { EtlsError } from '../../core/errors';
import { nodeFileSystem } from '../../core/node/fileSystem';
import { isPkcs12, refuseToOverwrite, writeOutputs, type OutputFile } from '../../core/pki';
import type { Services } from '../common/services';

export async function targetUri(
  uri: vscode.Uri | undefined,
  title: string,
  filters?: Record<string, string[]>,
): Promise<vscode.Uri | undefined> {
  if (uri?.scheme === 'file') return uri;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (!uri && active?.scheme === 'file') return active;
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: title,
    ...(filters ? { filters } : {}),
  });
  return picked?.[0];
}

const SECRET_PREFIX = 'embeddedTls.passphrase:';

/** SecretStorage is keyed by the file's path, so a remembered pass phrase never follows other files. */
function secretKey(path: string): string {
  return SECRET_PREFIX + createHash('sha256').update(path).digest('hex');
}

/**
 * Runs `attempt` without a pass phrase, then with a remembered one, then with one typed into a
 * password box (asked again after a wrong one). Offers to remember it afterwards; never logs it.
 */
export async function withPassphrase<T>(
  s: Services,
  path: string,
  attempt: (passphrase?: string) => T,
  given?: string,
): Promise<T | undefined> {
  const needs = (e: unknown) =>
    e instanceof EtlsError && (e.code === 'encrypted' || e.code === 'wrong-passphrase');
  if (given !== undefined) return attempt(given);
  try {
    return attempt(isPkcs12(await nodeFileSystem.readFile(path), path) ? '' : undefined);
  } catch (e) {
    if (!needs(e)) throw e;
  }
  const stored = await s.context.secrets.get(secretKey(path));
  if (stored !== undefined) {
    try {
      return attempt(stored);
    } catch (e) {
      if (!needs(e)) throw e;
      await s.context.secrets.delete(secretKey(path));
    }
  }
  let prompt = `Pass phrase for ${basename(path)}`;
  for (;;) {
    const typed = await vscode.window.showInputBox({
      title: 'Embedded TLS',
      prompt,
      password: true,
      ignoreFocusOut: true,
    });
    if (typed === undefined) return undefined;
    try {
      const result = attempt(typed);
      void vscode.window
        .showInformationMessage(
          `Remember the pass phrase of ${basename(path)} in VS Code's secret storage?`,
          'Remember',
          'Not Now',
        )
        .then((c) => {
          if (c === 'Remember') void s.context.secrets.store(secretKey(path), typed);
        });
      return result;
    } catch (e) {
      if (!needs(e)) throw e;
      prompt = `That pass phrase does not open ${basename(path)}. Try again`;
    }
  }
}

/** Writes the files after asking before anything is replaced; keys get 0600. */
export async function writeConfirmed(
  s: Services,
  files: OutputFile[],
  source?: string,
  force = false,
): Promise<string[]> {
  let replace = force;
  try {
    await refuseToOverwrite(
      nodeFileSystem,
      files.map((f) => f.path),
      force,
    );
  } catch (e) {
    if (!(e instanceof EtlsError && e.code === 'exists')) throw e;
    const replacesSource = source !== undefined && files.some((f) => f.path === source);
    const answer = await vscode.window.showWarningMessage(
      replacesSource ? `Replace ${basename(source!)} with the converted file?` : `${e.message}. Replace?`,
      { modal: true, detail: 'The old file is replaced in one step (written beside it, then renamed).' },
      'Replace',
    );
    if (answer !== 'Replace') return [];
    replace = true;
  }
  await writeOutputs(nodeFileSystem, files, replace);
  for (const f of files) s.logger.info(`Wrote ${f.path}: ${f.role}${f.secret ? ' (mode 0600)' : ''}`);
  const shown = files.map((f) => basename(f.path)).join(', ');
  void vscode.window.showInformationMessage(
    `Wrote ${shown}${files.some((f) => f.secret) ? ' (keys 0600: keep them out of git)' : ''}.`,
  );
  return files.map((f) => f.path);
}
