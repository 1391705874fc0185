// Builds wasm/dist/bearssl-0.6.wasm: BearSSL 0.6 (Debian's source package, checked by SHA-256) and
// the ABI shim beside this file, with Debian's clang, lld and wasi-libc. Same inputs, same bytes.
//
//   node wasm/bearssl/build.mjs [--src DIR] [--out FILE]
//
// DIR holds bearssl_0.6+dfsg.1.orig.tar.xz (`node scripts/librarySources.mjs` fetches it); without --src
// it is looked for in $ETLS_WASM_SRC, else ~/.cache/etls/wasm-src.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceFolder } from '../../scripts/librarySources.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

/** The pinned source, as recorded in wasm/SOURCES.md. */
export const BEARSSL_SOURCE = {
  version: '0.6',
  debianVersion: '0.6+dfsg.1-3',
  archive: 'bearssl_0.6+dfsg.1.orig.tar.xz',
  sha256: '102a625bd8f6155260867a50c508df8d8c3f796985dd744df1a68e5cd1a79004',
  topDir: 'bearssl-0.6',
};

export const BEARSSL_OUTPUT = 'bearssl-0.6.wasm';

const SHIM = ['shim.c', 'options.c', 'x509.c'];

// config.h switches (src/config.h): no OS entropy or clock of BearSSL's own, the host gives both
// through WASI random_get/clock_time_get; no x86/POWER/ARM assembly paths on wasm32.
const DEFINES = [
  'BR_USE_URANDOM=0',
  'BR_USE_WIN32_RAND=0',
  'BR_USE_UNIX_TIME=0',
  'BR_USE_WIN32_TIME=0',
  'BR_RDRAND=0',
  'BR_AES_X86NI=0',
  'BR_SSE2=0',
  'BR_POWER8=0',
];

/** The folder holding the pinned archive, or undefined. */
export function locateBearsslSource() {
  const folder = sourceFolder();
  return existsSync(join(folder, BEARSSL_SOURCE.archive)) ? folder : undefined;
}

function sha256(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function cFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...cFiles(p));
    else if (name.endsWith('.c')) out.push(p);
  }
  return out;
}

/**
 * Verifies the archive, unpacks it in a scratch folder, compiles and links. Returns the output path
 * and size. Throws with a plain sentence when the archive is missing or its checksum differs.
 */
export function buildBearssl({ src, out = join(HERE, '..', 'dist', BEARSSL_OUTPUT), log = () => {} }) {
  const archive = join(src, BEARSSL_SOURCE.archive);
  let sum;
  try {
    sum = sha256(archive);
  } catch {
    throw new Error(`${archive} is missing: run \`node scripts/librarySources.mjs\` to fetch it`);
  }
  if (sum !== BEARSSL_SOURCE.sha256)
    throw new Error(`${archive}: SHA-256 ${sum}, expected ${BEARSSL_SOURCE.sha256} (wasm/SOURCES.md)`);

  const work = mkdtempSync(join(tmpdir(), 'etls-bearssl-build-'));
  try {
    execFileSync('tar', ['-xJf', archive, '-C', work]);
    const top = join(work, BEARSSL_SOURCE.topDir);
    // The library plus tools/errors.c, whose table gives etls_last_error_text brssl's own words.
    const sources = [
      ...cFiles(join(top, 'src')),
      join(top, 'tools', 'errors.c'),
      ...SHIM.map((f) => join(HERE, f)),
    ];
    const tmpOut = `${out}.tmp`;
    mkdirSync(dirname(out), { recursive: true });
    const args = [
      '--target=wasm32-wasi',
      '-mexec-model=reactor',
      '-Os',
      '-ffunction-sections',
      '-fdata-sections',
      // No build paths in the output, whatever folder it was built in.
      `-ffile-prefix-map=${work}=.`,
      `-ffile-prefix-map=${HERE}=.`,
      ...DEFINES.map((d) => `-D${d}`),
      '-I',
      join(top, 'inc'),
      '-I',
      join(top, 'src'),
      '-I',
      join(top, 'tools'),
      ...sources.map((s) => relative(work, s)),
      '-Wl,--gc-sections',
      '-Wl,--strip-all',
      '-Wl,-z,stack-size=65536',
      '-o',
      tmpOut,
    ];
    log(`clang ${sources.length} files -> ${out}`);
    execFileSync('clang', args, { cwd: work, stdio: ['ignore', 'inherit', 'inherit'] });
    renameSync(tmpOut, out);
    return { out, bytes: statSync(out).size, sha256: sha256(out) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function arg(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const src = arg('src') ?? locateBearsslSource();
  if (!src) {
    console.error(
      `${BEARSSL_SOURCE.archive} not found: run \`node scripts/librarySources.mjs\` to fetch it, or pass --src DIR`,
    );
    process.exit(2);
  }
  try {
    const r = buildBearssl({ src: resolve(src), out: arg('out') && resolve(arg('out')), log: console.log });
    console.log(`${r.out}: ${r.bytes} bytes, sha256 ${r.sha256}`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
