// Builds a header from its spec: reads the inputs through the FileSystemPort, renders, and writes
// only when the text changed, so make and CMake see an unchanged header as up to date.
import { basename, dirname, join } from 'node:path';
import { EtlsError } from '../errors';
import { checkWritable, ensureOutputDir, writeGuarded, type GuardedWrite } from '../files/guard';
import type { FileSystemPort } from '../ports';
import { regenerateCommand, relativePath } from './args';
import { headerEntries, type HeaderEntry, type LoadedInput } from './entries';
import { renderHeader } from './render';
import { readHeaderInput } from './sources';
import { validateSpec, type HeaderSpec } from './spec';

export interface GeneratedFile {
  /** Absolute path. */
  path: string;
  text: string;
}

export interface GeneratedHeader {
  spec: HeaderSpec;
  files: GeneratedFile[];
  entries: HeaderEntry[];
  holdsPrivateKey: boolean;
}

/** Renders a header from inputs already in memory; `generateHeader` and the benchmark use it. */
export function buildHeader(
  spec: HeaderSpec,
  inputs: Array<{ path: string; bytes: Uint8Array }>,
): GeneratedHeader {
  validateSpec(spec);
  const fileName = basename(spec.output);
  if (/["\n\r\\]/.test(fileName))
    throw new EtlsError(
      'invalid-argument',
      `the output name ${JSON.stringify(fileName)} cannot be #included`,
    );
  const dir = dirname(spec.output);
  const loaded: LoadedInput[] = spec.inputs.map((input, i) => {
    const relPath = relativePath(dir, input.path);
    return {
      ...(input.name ? { name: input.name } : {}),
      ...(input.format ? { format: input.format } : {}),
      relPath,
      data: readHeaderInput(inputs[i]!.bytes, relPath),
    };
  });
  const entries = headerEntries(spec, loaded);
  const files = renderHeader(spec, entries, { fileName, regenerate: regenerateCommand(spec) }).map((f) => ({
    path: join(dir, f.fileName),
    text: f.text,
  }));
  return { spec, files, entries, holdsPrivateKey: entries.some((e) => e.holdsPrivateKey) };
}

/** Reads every input of `spec` and renders the header, without writing anything. */
export async function generateHeader(fs: FileSystemPort, spec: HeaderSpec): Promise<GeneratedHeader> {
  const inputs = await Promise.all(
    spec.inputs.map(async (i) => ({ path: i.path, bytes: await fs.readFile(i.path) })),
  );
  return buildHeader(spec, inputs);
}

export type FileState = 'written' | 'unchanged';

export interface WriteHeaderOptions {
  /** Replace an existing file etls did not generate (`--force`, or the user said Replace). Never a key. */
  force?: boolean;
}

/**
 * Writes each file that differs from what is on disk; returns what happened to each. Inside
 * `spec.root` only; an existing file is replaced only when etls generated it (or with `force`),
 * and a key never. Every file of a header (OUT.h and OUT.c) is checked before any is written.
 */
export async function writeHeader(
  fs: FileSystemPort,
  header: GeneratedHeader,
  options: WriteHeaderOptions = {},
): Promise<Array<{ path: string; state: FileState }>> {
  const rules: GuardedWrite = {
    within: header.spec.root,
    replace: options.force ? 'anything-but-keys' : 'generated',
    // A header that holds a key is as secret as the key file.
    secret: header.holdsPrivateKey,
    forceHint: 'Pass --force to replace it, or choose another output (-o).',
  };
  const results: Array<{ path: string; state: FileState }> = [];
  const pending: GeneratedFile[] = [];
  for (const f of header.files) {
    await checkWritable(fs, f.path, rules);
    if ((await readTextIfExists(fs, f.path)) === f.text) results.push({ path: f.path, state: 'unchanged' });
    else pending.push(f);
  }
  // Build systems point -o into a fresh build folder (CMake's binary dir): create it.
  if (pending.length) await ensureOutputDir(fs, dirname(header.spec.output), header.spec.root);
  for (const f of pending) {
    await writeGuarded(fs, f.path, f.text, rules);
    results.push({ path: f.path, state: 'written' });
  }
  return results.sort(
    (a, b) =>
      header.files.findIndex((f) => f.path === a.path) - header.files.findIndex((f) => f.path === b.path),
  );
}

export async function readTextIfExists(fs: FileSystemPort, path: string): Promise<string | undefined> {
  const st = await fs.stat(path);
  if (!st?.isFile) return undefined;
  return new TextDecoder().decode(await fs.readFile(path));
}
