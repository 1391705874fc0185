// Builds the board TLS engines (wasm/ABI.md) to wasm/dist/*.wasm with Debian's clang, lld and
// wasi-libc, reproducibly: same sources + same toolchain = same bytes (test/unit/stacks/wasmBuild.test.ts).
//   node scripts/build-wasm.mjs [--out DIR] [--only mbedtls-2.28,...] [--fetch] [--digests]
// Sources are never committed: they are found under $ETLS_WASM_SRC or ~/.cache/etls/wasm-src
// (scripts/librarySources.mjs fetches them; one directory per library, as wasm/sources.json names it) and checked against the
// pinned tree digest before anything is compiled.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { libraryArchive, librarySource, sourceFolder } from './librarySources.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sources = JSON.parse(readFileSync(join(root, 'wasm/sources.json'), 'utf8'));

/** One entry per engine: which pinned source, which shim, which config. */
export const engines = {
  'mbedtls-2.28': {
    source: 'mbedtls-2.28',
    shim: 'wasm/mbedtls/shim.c',
    includes: ['wasm/mbedtls'],
    defines: ['MBEDTLS_USER_CONFIG_FILE="etls_config_2_28.h"'],
    libDir: 'library',
    libInclude: 'include',
  },
  'mbedtls-3.6': {
    source: 'mbedtls-3.6',
    shim: 'wasm/mbedtls/shim.c',
    includes: ['wasm/mbedtls'],
    defines: ['MBEDTLS_USER_CONFIG_FILE="etls_config_3_6.h"'],
    libDir: 'library',
    libInclude: 'include',
  },
};

const cflags = ['--target=wasm32-wasi', '-Oz', '-ffunction-sections', '-fdata-sections', '-fno-ident'];
const ldflags = [
  '--target=wasm32-wasi',
  '-mexec-model=reactor',
  '-Wl,--gc-sections',
  '-Wl,--strip-all',
  '-Wl,-z,stack-size=262144',
];

export function sourceRoots() {
  return [sourceFolder()];
}

function walk(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** SHA-256 over sorted '<sha256>  <path>' lines of every file under `dirs` (relative to `base`). */
export function treeDigest(base, dirs) {
  const lines = dirs
    .flatMap((d) => walk(join(base, d)))
    .map((f) => `${createHash('sha256').update(readFileSync(f)).digest('hex')}  ${relative(base, f)}`)
    .sort();
  return createHash('sha256')
    .update(lines.join('\n') + '\n')
    .digest('hex');
}

/**
 * Downloads and unpacks a pinned source into ~/.cache/etls/wasm-src (CI, or `--fetch`); the tree
 * digest decides whether it is the pinned one, whatever archive it came in.
 */
export async function fetchSource(name) {
  await librarySource(name);
  return locateSource(name);
}

/** The source directory of a pinned library, checked; or a sentence saying what is missing. */
export function locateSource(name) {
  const s = sources[name];
  for (const r of sourceRoots()) {
    const dir = join(r, s.dir);
    if (!existsSync(join(dir, s.treeDirs[0]))) continue;
    const digest = treeDigest(dir, s.treeDirs);
    if (s.treeSha256 && digest !== s.treeSha256)
      return {
        error: `${dir} is not ${name} ${s.version} as pinned (tree ${digest}, want ${s.treeSha256}).`,
      };
    return { dir, digest };
  }
  return {
    error:
      `The ${name} ${s.version} sources are not here. Get ${s.archive} (${s.origin}; ${s.archiveUrl}), ` +
      `unpack it so that ${s.dir}/ sits in one of: ${sourceRoots().join(', ')}.`,
  };
}

export function toolchainProblem() {
  const r = spawnSync('clang', ['--target=wasm32-wasi', '-print-file-name=libc.a'], { encoding: 'utf8' });
  if (r.error || r.status !== 0)
    return 'clang is not installed (apt-get install clang lld wasi-libc libclang-rt-dev-wasm32).';
  if (!existsSync(r.stdout.trim()) || !r.stdout.includes('wasm32'))
    return 'clang has no wasm32-wasi libc (apt-get install wasi-libc libclang-rt-dev-wasm32).';
  if (spawnSync('wasm-ld', ['--version']).error) return 'wasm-ld is missing (apt-get install lld).';
  return null;
}

function run(cmd, args, cwd) {
  return new Promise((resolveRun, reject) => {
    const p = spawn(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) =>
      code === 0 ? resolveRun() : reject(new Error(`${cmd} ${args.slice(-3).join(' ')} failed:\n${err}`)),
    );
  });
}

async function pool(jobs, width) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) await jobs[next++]();
    }),
  );
}

/** Builds one engine into `outDir`; returns the output path. */
export async function buildEngine(name, outDir, workDir) {
  const e = engines[name];
  let src = locateSource(e.source);
  if (src.error) src = await fetchSource(e.source);
  if (src.error) throw new Error(src.error);
  const objDir = join(workDir, name);
  mkdirSync(objDir, { recursive: true });
  const libFiles = readdirSync(join(src.dir, e.libDir))
    .filter((f) => f.endsWith('.c'))
    .sort()
    .map((f) => join(src.dir, e.libDir, f));
  const files = [...libFiles, join(root, e.shim)];
  // Paths must not leak into the output: map both trees to fixed names.
  const common = [
    ...cflags,
    `-ffile-prefix-map=${src.dir}=/src/${e.source}`,
    `-ffile-prefix-map=${root}=/etls`,
    ...e.includes.map((i) => `-I${join(root, i)}`),
    `-I${join(src.dir, e.libInclude)}`,
    `-I${join(src.dir, e.libDir)}`,
    ...e.defines.map((d) => `-D${d}`),
  ];
  const objs = files.map((f, i) => join(objDir, `${String(i).padStart(3, '0')}.o`));
  await pool(
    files.map((f, i) => () => run('clang', [...common, '-c', f, '-o', objs[i]], objDir)),
    Math.max(1, Number(process.env.ETLS_WASM_JOBS ?? 2)),
  );
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, `${name}.wasm`);
  const tmp = `${out}.tmp`;
  await run('clang', [...ldflags, ...objs, '-o', tmp], objDir);
  renameSync(tmp, out);
  return out;
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (k) => {
    const i = args.indexOf(k);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const outDir = resolve(opt('--out') ?? join(root, 'wasm/dist'));
  const only = opt('--only')?.split(',') ?? [...Object.keys(engines), 'bearssl-0.6'];
  const problem = toolchainProblem();
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
  const work = join(process.env.TMPDIR ?? tmpdir(), `etls-wasm-build-${process.pid}`);
  for (const name of only) {
    if (name === 'bearssl-0.6') {
      // BearSSL's sources are laid out differently: wasm/bearssl/build.mjs knows them.
      const { buildBearssl } = await import('../wasm/bearssl/build.mjs');
      await libraryArchive('bearssl');
      const r = buildBearssl({ src: sourceFolder(), out: join(outDir, 'bearssl-0.6.wasm') });
      console.log(`${relative(process.cwd(), r.out)}  ${r.bytes} bytes  sha256 ${r.sha256}`);
      continue;
    }
    if (!engines[name]) {
      console.error(`Unknown engine ${name}; engines: ${Object.keys(engines).join(', ')}`);
      process.exit(2);
    }
    const out = await buildEngine(name, outDir, work);
    const bytes = readFileSync(out);
    console.log(
      `${relative(process.cwd(), out)}  ${statSync(out).size} bytes  sha256 ${createHash('sha256').update(bytes).digest('hex')}`,
    );
  }
  spawnSync('rm', ['-rf', work]);
  if (args.includes('--digests')) {
    for (const name of Object.keys(sources).filter((k) => !k.startsWith('$'))) {
      const s = locateSource(name);
      console.log(name, s.digest ?? s.error);
    }
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
