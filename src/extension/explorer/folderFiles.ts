// How the workspace scanner reads files: the worker reads and decodes each one with its time budget, a
// file it was stopped on becomes a finding, and local folders are walked by the core's discovery.
import { readFile, stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import {
  discoverFiles,
  excludeGlob,
  includeGlob,
  type DiscoveryOptions,
  type ScannedFile,
} from '../../core/check';
import { nodeDirectoryPort } from '../../core/check/nodePorts';
import type { LoggerPort } from '../../core/ports';
import { DEFAULT_MAX_BYTES } from '../../core/x509';
import { notRead, tooLarge } from './scanFiles';
import type { Outcome, ScanPool } from './scanPool';

/** The file's bytes: Node's fs for local folders (no round trip through the main process), else workspace.fs. */
export async function readBytes(uri: vscode.Uri): Promise<Uint8Array> {
  return uri.scheme === 'file' ? readFile(uri.fsPath) : vscode.workspace.fs.readFile(uri);
}

/** A newer scan took over: the result is dropped. */
export const CANCELLED = Symbol('cancelled');
export type Cancelled = typeof CANCELLED;

/**
 * One file, read and decoded by the worker. Local files are read there too; remote ones here
 * (through workspace.fs), after a size check. CANCELLED when a newer scan took over.
 */
export async function scanOne(
  pool: ScanPool,
  logger: LoggerPort,
  uri: vscode.Uri,
  signal?: AbortSignal,
): Promise<ScannedFile | undefined | Cancelled> {
  const file = uri.fsPath;
  if (uri.scheme === 'file')
    return fromOutcome(pool, logger, file, undefined, await pool.run({ kind: 'scan', path: file }, signal));
  try {
    const size = (await vscode.workspace.fs.stat(uri)).size;
    if (size > DEFAULT_MAX_BYTES) return tooLarge(file, size);
    const bytes = await readBytes(uri);
    return fromOutcome(pool, logger, file, size, await pool.run({ kind: 'scan', path: file, bytes }, signal));
  } catch {
    // Gone between the event and the read, or unreadable: the next event brings it back.
    return undefined;
  }
}

/** A file the worker was stopped on becomes a finding ("not read: took too long"), never a hang. */
export async function fromOutcome(
  pool: ScanPool,
  logger: LoggerPort,
  file: string,
  size: number | undefined,
  o: Outcome,
): Promise<ScannedFile | undefined | Cancelled> {
  if (o.status === 'cancelled') return CANCELLED;
  if (o.status === 'done') return o.value.kind === 'scan' ? o.value.scanned : undefined;
  const bytes =
    size ??
    (await stat(file).then(
      (s) => s.size,
      () => 0,
    ));
  if (o.status === 'timeout') logger.warn(`${file} was not read: it took longer than ${o.budgetMs} ms`);
  else logger.warn(`${file} was not read: ${o.message}`);
  return notRead(file, bytes, o.status === 'timeout' ? 'timeout' : 'failed', pool.budgetMs);
}

/**
 * Local folders are walked by the core's discovery, as `etls check` walks them: the same files in
 * both, and no search process. Remote file systems go through workspace.findFiles.
 */
export async function discoverFolder(
  folder: vscode.WorkspaceFolder,
  discovery: DiscoveryOptions,
): Promise<vscode.Uri[]> {
  if (folder.uri.scheme === 'file')
    return (await discoverFiles(folder.uri.fsPath, discovery, nodeDirectoryPort)).map((p) =>
      vscode.Uri.file(p),
    );
  return vscode.workspace.findFiles(
    new vscode.RelativePattern(folder, includeGlob(discovery)),
    new vscode.RelativePattern(folder, excludeGlob(discovery)),
    discovery.maxFiles,
  );
}
