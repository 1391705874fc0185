// One call for hosts that do not cache: discover, read, link and check a workspace.
import { EtlsError } from '../errors';
import { findProjectFile, loadProject } from '../project/load';
import { DEFAULT_MAX_BYTES } from '../x509/reader';
import type { ReadProblem } from '../x509/types';
import type { LoadedProject } from '../project/types';
import type { FileSystemPort } from '../ports';
import { discoverFiles } from './discover';
import { profileUses } from './model';
import { linkWorkspace } from './model';
import { scanFile, type ObjectReader } from './scan';
import { checkProject } from './check';
import { isInside } from './rules/git';
import type {
  CheckOptions,
  GitPort,
  DirectoryPort,
  DiscoveryOptions,
  Finding,
  ScannedFile,
  WorkspaceModel,
} from './types';

export interface CheckWorkspaceOptions extends CheckOptions {
  /** The project file; default: `embedded-tls.json` found in the root or its parents. */
  projectPath?: string;
  discovery?: DiscoveryOptions;
  fs: FileSystemPort;
  dir: DirectoryPort;
  reader?: ObjectReader;
  /** Files read at once; default 32. */
  concurrency?: number;
  /** Called after each file is read and scanned, with the count so far and the total. */
  onRead?: (done: number, total: number) => void;
}

export interface CheckWorkspaceResult {
  project?: LoadedProject;
  model: WorkspaceModel;
  findings: Finding[];
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Files that may hold a private key, by name: asked about before they are read. */
const SECRET_CANDIDATE = /\.(key|pem|der|p12|pfx|h|c|cpp|ino)$/i;

/**
 * Starts the two git queries for every candidate file at once, so they run in their own
 * processes while this one reads and parses; the check then gets its answers from the cache.
 */
function prefetchGit(git: GitPort, root: string, paths: string[]): GitPort {
  const candidates = paths.filter((p) => SECRET_CANDIDATE.test(p) && isInside(root, p));
  const known = new Set(candidates);
  const repo = git.isRepository(root);
  const tracked = repo.then((r) => (r ? git.tracked(root, candidates) : new Set<string>()));
  const ignored = repo.then((r) => (r ? git.ignored(root, candidates) : new Set<string>()));
  // Failures surface when the check asks, not as unhandled rejections now.
  tracked.catch(() => {});
  ignored.catch(() => {});
  const answer = async (cached: Promise<Set<string>>, ask: () => Promise<Set<string>>, asked: string[]) => {
    if (!asked.every((p) => known.has(p))) return ask();
    const set = await cached;
    return new Set(asked.filter((p) => set.has(p)));
  };
  return {
    isRepository: (r) => (r === root ? repo : git.isRepository(r)),
    tracked: (r, asked) =>
      r === root ? answer(tracked, () => git.tracked(r, asked), asked) : git.tracked(r, asked),
    ignored: (r, asked) =>
      r === root ? answer(ignored, () => git.ignored(r, asked), asked) : git.ignored(r, asked),
  };
}

/** A file discovered but not read (too large, unreadable): its one problem, and no objects. */
export function unreadable(path: string, size: number, problem: Omit<ReadProblem, 'index'>): ScannedFile {
  return {
    path,
    size,
    encoding: 'unknown',
    endsWithNul: false,
    objects: [],
    problems: [{ index: 0, ...problem }],
  };
}

export async function checkWorkspace(
  root: string,
  options: CheckWorkspaceOptions,
): Promise<CheckWorkspaceResult> {
  const projectPath = options.projectPath ?? (await findProjectFile(options.fs, root));
  const project = projectPath ? await loadProject(options.fs, projectPath) : undefined;
  const discovered = await discoverFiles(root, options.discovery ?? {}, options.dir);
  // Files a profile names are checked even when the globs leave them out (a cert under build/).
  const paths = new Set(discovered);
  for (const p of profileUses(project).keys()) if ((await options.fs.stat(p))?.isFile) paths.add(p);
  const gitRoot = options.root ?? project?.dir ?? root;
  const git = options.git ? prefetchGit(options.git, gitRoot, [...paths]) : undefined;
  const readOne = async (path: string): Promise<ScannedFile | undefined> => {
    try {
      // A certificate file is a few KB; a 2 GB firmware image named .der is not read into memory.
      const size = (await options.fs.stat(path))?.size;
      if (size !== undefined && size > DEFAULT_MAX_BYTES)
        return unreadable(path, size, {
          code: 'too-large',
          message: `the file is ${(size / 1048576).toFixed(1)} MB; certificate and key files are a few KB`,
          fix: 'Check that this is the right file, or exclude it from discovery.',
        });
      const bytes = await options.fs.readFile(path);
      return scanFile(path, bytes, options.reader ? { reader: options.reader } : {});
    } catch (e) {
      // Vanished between listing and reading: a profile's file-not-found rule reports it.
      if (!(e instanceof EtlsError) || e.code === 'not-found') return undefined;
      return unreadable(path, 0, { code: e.code, message: e.message, ...(e.fix ? { fix: e.fix } : {}) });
    }
  };
  let done = 0;
  const scanned = await mapLimited([...paths], options.concurrency ?? 32, async (path) => {
    const file = await readOne(path);
    options.onRead?.(++done, paths.size);
    return file;
  });
  const model = linkWorkspace(
    scanned.filter((s): s is ScannedFile => !!s),
    project,
  );
  const checkOptions: CheckOptions = { ...options, root: gitRoot };
  if (git) checkOptions.git = git;
  if (project && options.projectText === undefined)
    checkOptions.projectText = new TextDecoder().decode(await options.fs.readFile(project.path));
  const findings = await checkProject(project ? { model, project } : { model }, checkOptions);
  const result: CheckWorkspaceResult = { model, findings };
  if (project) result.project = project;
  return result;
}
