// Finds the certificate, key and source files of a workspace, skipping build output and vendored trees.
import { join, relative, sep } from 'node:path';
import type { DirectoryPort, DiscoveryOptions } from './types';

export const certificateExtensions = ['pem', 'crt', 'cer', 'der', 'key', 'p12', 'pfx', 'csr'];
export const sourceExtensions = ['h', 'c', 'cpp', 'ino'];

/** Build files that embed certificates into ESP-IDF/PlatformIO firmware (checked for EMBED_FILES vs EMBED_TXTFILES). */
export const buildFileNames = ['CMakeLists.txt', 'component.mk', 'platformio.ini'];

export const defaultInclude = [
  `**/*.{${[...certificateExtensions, ...sourceExtensions].join(',')}}`,
  `**/{${buildFileNames.join(',')}}`,
];

/**
 * How many files the Certificates view reads at most (the default of embeddedTls.explorer.maxFiles);
 * `etls check` and `etls inspect FOLDER` stop there too, so a folder like /tmp cannot take minutes.
 */
export const VIEW_MAX_FILES = 5000;

/** Build folders of the toolchains firmware developers use, plus VCS and package folders. */
export const defaultExclude = [
  '**/node_modules/**',
  '**/.git/**',
  '**/.svn/**',
  '**/.hg/**',
  '**/build/**',
  '**/out/**',
  '**/dist/**',
  '**/.pio/**',
  '**/.vscode-test/**',
  '**/cmake-build-*/**',
  '**/managed_components/**',
  '**/Debug/**',
  '**/Release/**',
];

/** One glob to a regular expression: `**` crosses folders, `*` and `?` do not, `{a,b}` alternates. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let inBraces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slashAfter = glob[i + 2] === '/';
        re += slashAfter ? '(?:.*/)?' : '.*';
        i += slashAfter ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      inBraces++;
      re += '(?:';
    } else if (c === '}' && inBraces > 0) {
      inBraces--;
      re += ')';
    } else if (c === ',' && inBraces > 0) re += '|';
    else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, process.platform === 'win32' ? 'i' : '');
}

function compile(globs: string[]): (p: string) => boolean {
  const res = globs.map(globToRegExp);
  return (p) => res.some((r) => r.test(p));
}

/** Whether a path relative to the root (either separator) is a file discovery would report. */
export function isDiscoverable(relativePath: string, options: DiscoveryOptions = {}): boolean {
  const p = relativePath.split(sep).join('/');
  return compile(options.include ?? defaultInclude)(p) && !compile(options.exclude ?? defaultExclude)(p);
}

/** `a/{b,c}` -> `a/b`, `a/c` (one level, enough for the globs here). */
function expandBraces(glob: string): string[] {
  const m = /\{([^{}]*)\}/.exec(glob);
  if (!m) return [glob];
  return m[1]!
    .split(',')
    .flatMap((alt) => expandBraces(glob.slice(0, m.index) + alt + glob.slice(m.index + m[0].length)));
}

/** The include globs as one pattern for `vscode.workspace.findFiles` (one brace group, no nesting). */
export function includeGlob(options: DiscoveryOptions = {}): string {
  const g = (options.include ?? defaultInclude).flatMap(expandBraces);
  return g.length === 1 ? g[0]! : `{${g.join(',')}}`;
}

/** The exclude globs as one pattern for `vscode.workspace.findFiles`. */
export function excludeGlob(options: DiscoveryOptions = {}): string {
  const g = options.exclude ?? defaultExclude;
  return g.length === 1 ? g[0]! : `{${g.join(',')}}`;
}

/**
 * Walks the tree under `root` and returns the absolute paths of matching files, sorted.
 * Excluded folders are pruned, not walked; symbolic links are not followed (no cycles).
 */
export async function discoverFiles(
  root: string,
  options: DiscoveryOptions,
  dir: DirectoryPort,
): Promise<string[]> {
  const include = compile(options.include ?? defaultInclude);
  const exclude = compile(options.exclude ?? defaultExclude);
  const max = options.maxFiles ?? 20_000;
  const found: string[] = [];
  let pending = [root];
  let folders = 0;
  while (pending.length > 0 && found.length < max) {
    folders += pending.length;
    // One folder level at a time, listed concurrently: the walk is I/O bound.
    const listed = await Promise.all(
      pending.map(async (d) => ({ d, entries: await dir.list(d).catch(() => []) })),
    );
    pending = [];
    for (const { d, entries } of listed) {
      for (const e of entries) {
        const abs = join(d, e.name);
        const rel = relative(root, abs).split(sep).join('/');
        if (e.isDirectory) {
          // A folder is pruned when any path inside it would be excluded.
          if (!exclude(`${rel}/`) && !exclude(`${rel}/x`)) pending.push(abs);
        } else if (e.isFile && include(rel) && !exclude(rel)) found.push(abs);
      }
    }
    options.onProgress?.(folders, found.length);
  }
  return found.sort().slice(0, max);
}
