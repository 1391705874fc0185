#!/usr/bin/env node
// Builds the board TLS libraries natively with gcc, from the same pinned sources as the wasm
// engines (wasm/sources.json), so the tests can ask the library's own client what it says about a
// broker: mbedTLS programs/ssl/ssl_client2 (2.28 and 3.6) and BearSSL's brssl. Output goes to a
// cache outside git (.cache/oracles, or $ETLS_ORACLE_DIR); nothing is rebuilt that is there.
//
//   node scripts/native-oracles.mjs [--json] [mbedtls-2.28|mbedtls-3.6|bearssl ...] [--in N] [--out N]
//
// Sources: the Debian orig tarballs scripts/librarySources.mjs fetches and checks by SHA-256
// (mbedtls 2.28.3 and bearssl 0.6 from bookworm, mbedtls 3.6.6 from trixie: the upstream release
// tarball, which carries the framework submodule ssl_client2 needs).
//
// Differences from the wasm engines, on purpose: the native build uses each library's default
// configuration (ssl_client2 needs the file, socket and debug modules the engines leave out; the
// engines add the board's options at run time). Record buffers are compile-time here: each
// --in/--out pair is its own build (MBEDTLS_SSL_IN_CONTENT_LEN/OUT_CONTENT_LEN); BearSSL's brssl
// takes its buffer size at run time (-buf).
import { execFileSync, spawnSync } from 'node:child_process';
import { librarySources, sourceFolder } from './librarySources.mjs';
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const cache = process.env.ETLS_ORACLE_DIR ?? join(root, '.cache/oracles');

/** The libraries there are oracles for, by the names the wasm engines use. */
export const pins = {
  'mbedtls-2.28': { version: librarySources['mbedtls-2.28'].version },
  'mbedtls-3.6': { version: librarySources['mbedtls-3.6'].version },
  bearssl: { version: librarySources.bearssl.version },
};

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

/** The unpacked, checked source tree of a library, shared with the wasm builds (scripts/librarySources.mjs). */
function source(name) {
  const dir = join(sourceFolder(), librarySources[name].dir);
  if (!existsSync(join(dir, '.etls-unpacked'))) {
    // Fetching is asynchronous; the oracle build is not: let the sources script do it.
    const r = spawnSync(process.execPath, [join(root, 'scripts/librarySources.mjs')], { encoding: 'utf8' });
    if (r.status !== 0) fail(`The ${name} sources could not be fetched: ${r.stderr.trim()}`);
  }
  if (name === 'mbedtls-3.6' && !existsSync(join(dir, 'framework/tests/include')))
    fail(`${dir} lacks the framework/ submodule that ssl_client2 is built with; use the release tarball.`);
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
