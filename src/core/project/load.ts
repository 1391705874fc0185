// Finds, reads, validates and saves `embedded-tls.json`.
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { EtlsError } from '../errors';
import { writeGuarded } from '../files/guard';
import type { FileSystemPort } from '../ports';
import { isTargetId, targetIds } from '../targets/ids';
import { PROJECT_FILE_NAME, type LoadedProject, type ProjectFile } from './types';

/** Looks for the project file in `startDir` and its parents; undefined when there is none. */
export async function findProjectFile(fs: FileSystemPort, startDir: string): Promise<string | undefined> {
  let dir = resolve(startDir);
  for (;;) {
    const candidate = join(dir, PROJECT_FILE_NAME);
    if ((await fs.stat(candidate))?.isFile) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Checks the shape a hand-edited file most often gets wrong; the JSON Schema covers the rest in the editor. */
export function validateProject(raw: unknown, path: string): ProjectFile {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new EtlsError('malformed', `${path}: the project file must hold a JSON object`);
  const file = raw as Partial<ProjectFile>;
  const profiles = file.profiles ?? {};
  if (typeof profiles !== 'object' || Array.isArray(profiles))
    throw new EtlsError('malformed', `${path}: "profiles" must be an object of device profiles by name`);
  for (const [name, p] of Object.entries(profiles)) {
    if (typeof p !== 'object' || p === null)
      throw new EtlsError('malformed', `${path}: profile "${name}" must be an object`);
    if (p.target !== undefined && !isTargetId(p.target))
      throw new EtlsError(
        'malformed',
        `${path}: profile "${name}" has unknown target "${String(p.target)}"`,
        `Use one of: ${targetIds.join(', ')}.`,
      );
    const port = p.broker?.port;
    if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535))
      throw new EtlsError(
        'malformed',
        `${path}: profile "${name}" has broker port ${String(port)}, not 1-65535`,
      );
  }
  return { ...file, profiles } as ProjectFile;
}

export async function loadProject(fs: FileSystemPort, path: string): Promise<LoadedProject> {
  const bytes = await fs.readFile(path);
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new EtlsError(
      'malformed',
      `${path} is not valid JSON (${(e as Error).message})`,
      'Fix the syntax; VS Code marks the spot.',
    );
  }
  return { path: resolve(path), dir: dirname(resolve(path)), file: validateProject(raw, path) };
}

/** Saves through a temporary file and a rename, two-space indented with a final newline. */
export async function saveProject(fs: FileSystemPort, project: LoadedProject): Promise<void> {
  await writeGuarded(fs, project.path, JSON.stringify(project.file, null, 2) + '\n', {
    within: project.dir,
    replace: 'anything-but-keys',
  });
}

/** A path from the project file, made absolute against the project folder. */
export function resolveProjectPath(project: LoadedProject, p: string): string {
  return isAbsolute(p) ? p : join(project.dir, p);
}
