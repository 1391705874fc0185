#!/usr/bin/env node
// Builds the board TLS libraries natively with gcc, from the same pinned sources as the wasm
// engines (wasm/sources.json), so the tests can ask the library's own client what it says about a
// broker: mbedTLS programs/ssl/ssl_client2 (2.28 and 3.6) and BearSSL's brssl. Output goes to a
// cache outside git (.cache/oracles, or $ETLS_ORACLE_DIR); nothing is rebuilt that is there.
//
//   node scripts/native-oracles.mjs [--json] [mbedtls-2.28|mbedtls-3.6|bearssl ...] [--in N] [--out N]
//
// Sources, each checked before use:
//   mbedtls 2.28.3, bearssl 0.6: Debian bookworm source packages (`apt-get source --download-only`,
//     needs a deb-src entry; .ci/run adds one), checked by the orig tarball's SHA-256.
//   mbedtls 3.6.6: the upstream release tarball (it carries the framework submodule ssl_client2
//     needs), or $ETLS_MBEDTLS36_SRC (an unpacked tree), checked by the SHA-256 of library/ and
//     include/ computed as in wasm/sources.json (treeSha256), since upstream signs no tarball.
//
// Differences from the wasm engines, on purpose: the native build uses each library's default
// configuration (ssl_client2 needs the file, socket and debug modules the engines leave out; the
// engines add the board's options at run time). Record buffers are compile-time here: each
// --in/--out pair is its own build (MBEDTLS_SSL_IN_CONTENT_LEN/OUT_CONTENT_LEN); BearSSL's brssl
// takes its buffer size at run time (-buf).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const cache = process.env.ETLS_ORACLE_DIR ?? join(root, '.cache/oracles');
const srcDir = join(cache, 'src');

export const pins = {
  'mbedtls-2.28': {
    version: '2.28.3',
    deb: { pkg: 'mbedtls', version: '2.28.3-1', orig: 'mbedtls_2.28.3.orig.tar.gz' },
    sha256: '3b4953aa55a681e084d31892d9904cc5328d6b4958ea57b90ae4b4f94ae69a8d',
    // The orig tarball unpacks to the upstream GitHub archive's folder name.
    unpacked: 'Mbed-TLS-mbedtls-8f97ca5',
  },
  'mbedtls-3.6': {
    version: '3.6.6',
    url: 'https://github.com/Mbed-TLS/mbedtls/releases/download/mbedtls-3.6.6/mbedtls-3.6.6.tar.bz2',
    archive: 'mbedtls-3.6.6.tar.bz2',
    treeSha256: 'f75eec8ef8e8de3bc37304c8a5917a16ffe8617a97e0acb916d4bcd1afca770f',
    unpacked: 'mbedtls-3.6.6',
  },
  bearssl: {
    version: '0.6',
    deb: { pkg: 'bearssl', version: '0.6+dfsg.1-3', orig: 'bearssl_0.6+dfsg.1.orig.tar.xz' },
    sha256: '102a625bd8f6155260867a50c508df8d8c3f796985dd744df1a68e5cd1a79004',
    unpacked: 'bearssl-0.6',
  },
};

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : [],
  );
}

/** As wasm/sources.json's treeSha256: sorted "<sha256>  <path>" lines over the listed folders. */
export function treeDigest(base, dirs) {
  const lines = dirs
    .flatMap((d) => walk(join(base, d)))
    .map((f) => `${sha256(f)}  ${relative(base, f)}`)
    .sort();
  return createHash('sha256')
    .update(lines.join('\n') + '\n')
    .digest('hex');
}

function run(cmd, args, opts = {}) {
  try {
    return execFileSync(cmd, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 << 20,
      ...opts,
    }).toString();
  } catch (e) {
    const err = /** @type {{stderr?: Buffer, message: string}} */ (e);
    throw new Error(
      `${cmd} ${args.slice(0, 4).join(' ')} failed: ${err.stderr?.toString().slice(-2000) ?? err.message}`,
    );
  }
}

function fail(sentence) {
  throw new Error(sentence);
}

/** The unpacked, checked source tree of a library (fetched once into the cache). */
function source(name) {
  const pin = pins[name];
  const dir = join(srcDir, pin.unpacked);
  if (existsSync(join(dir, '.etls-verified'))) return dir;
  mkdirSync(srcDir, { recursive: true });
  if (pin.deb) {
    const archive = join(srcDir, pin.deb.orig);
    if (!existsSync(archive)) {
      try {
        run('apt-get', ['source', '--download-only', `${pin.deb.pkg}=${pin.deb.version}`], { cwd: srcDir });
      } catch (e) {
        fail(
          `Could not fetch the Debian source of ${pin.deb.pkg} ${pin.deb.version}: add "deb-src http://deb.debian.org/debian bookworm main" to /etc/apt/sources.list.d/ and run apt-get update (.ci/run does). ${/** @type {Error} */ (e).message}`,
        );
      }
    }
    const got = sha256(archive);
    if (got !== pin.sha256)
      fail(`${archive} has SHA-256 ${got}, not the pinned ${pin.sha256}; delete it and retry.`);
    rmSync(dir, { recursive: true, force: true });
    run('tar', ['xf', archive, '-C', srcDir]);
  } else {
    const given = process.env.ETLS_MBEDTLS36_SRC;
    if (given) {
      rmSync(dir, { recursive: true, force: true });
      cpSync(given, dir, { recursive: true });
    } else {
      const archive = join(srcDir, pin.archive);
      if (!existsSync(archive)) {
        try {
          run('curl', ['-fsSL', '--retry', '3', '-o', `${archive}.part`, pin.url]);
          renameSync(`${archive}.part`, archive);
        } catch (e) {
          fail(
            `Could not download ${pin.url} (${/** @type {Error} */ (e).message.split('\n')[0]}). Without network, set ETLS_MBEDTLS36_SRC to an unpacked mbedtls-3.6.6 tree with its framework/ submodule.`,
          );
        }
      }
      rmSync(dir, { recursive: true, force: true });
      run('tar', ['xjf', archive, '-C', srcDir]);
    }
    const got = treeDigest(dir, ['library', 'include']);
    if (got !== pin.treeSha256)
      fail(`${dir} is not mbedTLS ${pin.version} as pinned (tree ${got}, want ${pin.treeSha256}).`);
    if (!existsSync(join(dir, 'framework/tests/include')))
      fail(`${dir} lacks the framework/ submodule that ssl_client2 is built with; use the release tarball.`);
  }
  if (!existsSync(dir)) fail(`Unpacking ${name} did not give ${dir}.`);
  run('touch', [join(dir, '.etls-verified')]);
  return dir;
}

const jobs = ['-j', '2'];

/** Builds (once) and returns the path of the oracle client for a library and record-buffer pair. */
export function buildOracle(name, inLen = 16384, outLen = 16384) {
  if (!(name in pins)) fail(`No oracle for "${name}". Valid: ${Object.keys(pins).join(', ')}.`);
  const variant = name === 'bearssl' ? name : `${name}-in${inLen}-out${outLen}`;
  const out = join(cache, variant);
  const bin = join(out, name === 'bearssl' ? 'brssl' : 'ssl_client2');
  if (existsSync(bin)) return bin;
  const src = source(name);
  const work = join(cache, `${variant}.build`);
  rmSync(work, { recursive: true, force: true });
  cpSync(src, work, { recursive: true });
  mkdirSync(out, { recursive: true });
  if (name === 'bearssl') {
    run('make', [...jobs, 'build/brssl'], { cwd: work });
    cpSync(join(work, 'build/brssl'), `${bin}.part`);
  } else {
    const cflags = `-O2 -DMBEDTLS_SSL_IN_CONTENT_LEN=${inLen} -DMBEDTLS_SSL_OUT_CONTENT_LEN=${outLen}`;
    run('make', [...jobs, '-C', 'library', `CFLAGS=${cflags}`], { cwd: work });
    if (name === 'mbedtls-2.28') {
      run('make', ['-C', 'programs', 'ssl/ssl_client2', `CFLAGS=${cflags}`], { cwd: work });
    } else {
      // 3.6's programs/Makefile first builds the whole test framework (which needs python and the
      // generated test data); ssl_client2 needs only these helpers.
      const helpers = [
        'tests/src',
        'tests/src/test_helpers',
        'framework/tests/src',
        'framework/tests/src/drivers',
      ]
        .filter((d) => existsSync(join(work, d)))
        .flatMap((d) =>
          readdirSync(join(work, d))
            .filter((f) => f.endsWith('.c'))
            .map((f) => join(d, f)),
        );
      run(
        'gcc',
        [
          ...cflags.split(' '),
          ...[
            'include',
            'library',
            'programs/test',
            'framework/tests/programs',
            'tests/include',
            'framework/tests/include',
          ].map((i) => `-I${i}`),
          '-o',
          'programs/ssl/ssl_client2',
          'programs/ssl/ssl_client2.c',
          'programs/ssl/ssl_test_lib.c',
          'programs/test/query_config.c',
          ...helpers,
          'library/libmbedtls.a',
          'library/libmbedx509.a',
          'library/libmbedcrypto.a',
        ],
        { cwd: work },
      );
    }
    cpSync(join(work, 'programs/ssl/ssl_client2'), `${bin}.part`);
  }
  renameSync(`${bin}.part`, bin);
  rmSync(work, { recursive: true, force: true });
  return bin;
}

function main(argv) {
  const json = argv.includes('--json');
  const num = (flag, dflt) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? Number(argv[i + 1]) : dflt;
  };
  const inLen = num('--in', 16384);
  const outLen = num('--out', 16384);
  const skip = new Set([argv.indexOf('--in') + 1, argv.indexOf('--out') + 1].filter((i) => i > 0));
  const names = argv.filter((a, i) => !a.startsWith('--') && !skip.has(i));
  const built = {};
  for (const name of names.length ? names : Object.keys(pins)) built[name] = buildOracle(name, inLen, outLen);
  if (json) process.stdout.write(JSON.stringify(built) + '\n');
  else for (const [name, bin] of Object.entries(built)) process.stdout.write(`${name}: ${bin}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`native-oracles: ${/** @type {Error} */ (e).message}\n`);
    process.exit(1);
  }
}
