// V8's code cache for the CLI's bundles (Node 20 has no module.enableCompileCache): a bundle compiled
// once leaves its bytecode in the user's cache folder, and later calls of the same command load that
// instead of parsing and compiling the bundle again. Any doubt about a cache file (not ours, not
// private, damaged, made by another Node) means a normal compile, never an error.
import { createHash } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { Script } from 'node:vm';

/** First bytes of every cache file: the format, then the SHA-256 of the V8 data that follows. */
const MAGIC = Buffer.from('etls-v8-cache-1\n');
const HEADER = MAGIC.length + 32;
/** A cache file larger than this is not one of ours. */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * The per-user folder for the cache: $XDG_CACHE_HOME (only when absolute, as the XDG spec asks) or
 * ~/.cache on Linux, ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows; undefined without a home.
 */
export function cacheFolder(
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  const home = env['HOME'] || env['USERPROFILE'];
  let base: string | undefined;
  if (platform === 'win32') base = env['LOCALAPPDATA'];
  else if (platform === 'darwin') base = home && join(home, 'Library', 'Caches');
  else {
    const xdg = env['XDG_CACHE_HOME'];
    base = xdg && isAbsolute(xdg) ? xdg : home && join(home, '.cache');
  }
  return base && isAbsolute(base) ? join(base, 'etls', 'v8-code-cache') : undefined;
}

/** Owned by this user and writable by nobody else: only then is its content trusted to be ours. */
function private_(st: Stats): boolean {
  if (typeof process.getuid !== 'function') return true;
  return st.uid === process.getuid() && (st.mode & 0o022) === 0;
}

/** The folder and its parent (…/etls) are real folders, ours and private. */
function folderIsSafe(folder: string): boolean {
  try {
    for (const d of [folder, dirname(folder)]) {
      const st = lstatSync(d);
      if (!st.isDirectory() || !private_(st)) return false;
    }
    return true;
  } catch {
    return false;
  }
}

const sha256 = (...parts: (string | Buffer)[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** The V8 data in a cache file, or undefined when the file is missing or cannot be trusted. */
export function readCacheFile(path: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    const st = fstatSync(fd);
    if (!st.isFile() || !private_(st) || st.size <= HEADER || st.size > MAX_CACHE_BYTES) return undefined;
    const buf = Buffer.allocUnsafe(st.size);
    let at = 0;
    while (at < buf.length) {
      const n = readSync(fd, buf, at, buf.length - at, at);
      if (n === 0) return undefined;
      at += n;
    }
    if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
    const data = buf.subarray(HEADER);
    return sha256(data).equals(buf.subarray(MAGIC.length, HEADER)) ? data : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Writes a cache file inside `folder` (created private if missing): a new temporary file (mode 0600,
 * never an existing one), then a rename over `name`. Older files of the same `prefix` are removed, so
 * the folder holds one file per bundle and command. False when anything refused.
 */
export function writeCacheFile(folder: string, name: string, prefix: string, data: Buffer): boolean {
  if (basename(name) !== name || !name.startsWith(prefix)) return false;
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    if (!folderIsSafe(folder)) return false;
    const tmp = join(folder, `.${name}.${process.pid}.${Date.now()}.tmp`);
    try {
      writeFileSync(tmp, Buffer.concat([MAGIC, sha256(data), data]), { mode: 0o600, flag: 'wx' });
      renameSync(tmp, join(folder, name));
    } catch {
      try {
        unlinkSync(tmp);
      } catch {
        // never created
      }
      return false;
    }
    for (const f of readdirSync(folder))
      if (f !== name && f.startsWith(prefix) && f.endsWith('.bin')) unlinkSync(join(folder, f));
    return true;
  } catch {
    return false;
  }
}

/** The last line esbuild.mjs appends to each CLI bundle: the SHA-256 of the bytes before it. */
const STAMP = /\n\/\/ etls-bundle-sha256: ([0-9a-f]{64})\n?$/;

/**
 * Changes with the bundle's content and with the Node that compiles it. The content is named by the
 * build's stamp (hashing 600 KB on every call would cost more than the cache saves), with the size
 * and modification time beside it for a bundle edited by hand; an unstamped bundle is hashed here.
 */
export function cacheKey(source: string, st: { size: number; mtimeMs: number }): string {
  const content = STAMP.exec(source.slice(-100))?.[1] ?? sha256(source).toString('hex');
  const id = `${process.version} ${process.arch} ${content} ${st.size} ${st.mtimeMs}`;
  return sha256(id).toString('hex').slice(0, 40);
}

interface Compiled {
  file: string;
  script: Script;
  fromCache: boolean;
  /** The cache file to write once the command is done; undefined when there is nothing to write. */
  saveAs?: string;
  prefix: string;
}

/**
 * Loads the CLI's bundles as CommonJS modules, through the code cache in `folder` (no cache when
 * undefined). `tag` names the command being run: each command keeps its own cache of each bundle,
 * holding the functions that command compiled. A bundle's relative `require` of another .js file
 * (the libraries in lib/) goes through the same cache.
 */
export class BundleLoader {
  private readonly modules = new Map<string, unknown>();
  private readonly compiled: Compiled[] = [];
  private readonly folder: string | undefined;

  constructor(
    folder: string | undefined,
    private readonly tag: string,
  ) {
    this.folder = folder && /^[a-z][a-z0-9-]{0,31}$/.test(tag) ? folder : undefined;
  }

  /** The module.exports of the bundle at `file`, evaluated once. */
  load(file: string): unknown {
    file = resolve(file);
    if (this.modules.has(file)) return this.modules.get(file);
    const source = readFileSync(file, 'utf8');
    const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
    const prefix = `${basename(file, '.js')}-${this.tag}-`;
    const name = `${prefix}${cacheKey(source, statSync(file))}.bin`;
    const folder = this.folder && folderIsSafe(this.folder) ? this.folder : undefined;
    const cachedData = folder ? readCacheFile(join(folder, name)) : undefined;
    let script: Script;
    try {
      script = new Script(wrapped, { filename: file, cachedData });
    } catch (e) {
      if (!cachedData) throw e;
      script = new Script(wrapped, { filename: file });
    }
    const fromCache = cachedData !== undefined && !script.cachedDataRejected;
    this.compiled.push({
      file,
      script,
      prefix,
      fromCache,
      saveAs: this.folder && !fromCache ? name : undefined,
    });
    const module = { exports: {} as unknown, id: file, filename: file, loaded: false };
    this.modules.set(file, module.exports);
    try {
      const fn = script.runInThisContext() as (...args: unknown[]) => void;
      fn.call(module.exports, module.exports, this.requireFor(file), module, file, dirname(file));
    } catch (e) {
      this.modules.delete(file);
      throw e;
    }
    module.loaded = true;
    this.modules.set(file, module.exports);
    return module.exports;
  }

  /** Node's require for `file`, except that relative .js files are loaded by this loader. */
  private requireFor(file: string): NodeJS.Require {
    const real = createRequire(file);
    const dir = dirname(file);
    const req = (id: string) => (/^\.\.?\/.*\.js$/.test(id) ? this.load(join(dir, id)) : real(id));
    return Object.assign(req, real);
  }

  /** Each bundle loaded so far, and whether its compiled code came from the cache. */
  loaded(): { file: string; fromCache: boolean }[] {
    return this.compiled.map((c) => ({ file: c.file, fromCache: c.fromCache }));
  }

  /** Writes the cache of every bundle that was compiled from source; call once the command is done. */
  save(): void {
    if (!this.folder) return;
    for (const c of this.compiled) {
      if (!c.saveAs) continue;
      try {
        writeCacheFile(this.folder, c.saveAs, c.prefix, c.script.createCachedData());
      } catch {
        // a cache is an optimisation: never fail the command for it
      }
    }
  }
}
