// Regenerates the error tables of `etls explain` from the libraries' own headers, so the numbers are exact.
//
//   node scripts/explainCatalog.mjs --src DIR [--mbedtls3 GITDIR] [--check]
//
// DIR holds the unpacked Debian bookworm source packages (apt-get source mbedtls bearssl wolfssl):
//   mbedtls_2.28.3-1.dsc + mbedtls-2.28.3/, bearssl_0.6+dfsg.1-3.dsc + bearssl-0.6+dfsg.1/,
//   wolfssl_5.5.4-2+deb12u2.dsc + wolfssl-5.5.4/
// GITDIR is a clone (bare is fine) of github.com/Mbed-TLS/mbedtls with the v3.6.6 tag.
// --check compares with the committed tables instead of writing them, and exits 1 on a difference.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const OUT = resolve(import.meta.dirname, '..', 'src', 'core', 'explain', 'catalog');
const MBEDTLS3_TAG = 'v3.6.6';

function arg(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function sha256(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The .dsc and orig tarball checksums of one source package, so the table names what it came from. */
function debianSource(dir, prefix) {
  const files = readdirSync(dir).filter((f) => f.startsWith(prefix) && /\.(dsc|orig\.tar\.\w+)$/.test(f));
  if (!files.length) throw new Error(`${dir}: no ${prefix}*.dsc / orig tarball (run apt-get source)`);
  return Object.fromEntries(files.sort().map((f) => [f, sha256(join(dir, f))]));
}

/** Strips doxygen markers and folds a comment into one line. */
function oneLine(comment) {
  return comment
    .replace(/^\/\*\*?<?|\*\/$/g, '')
    .replace(/\\brief\s*/g, '')
    .replace(/\\c\s+/g, '')
    .replace(/\n\s*\*?/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** `/** text *\/` then `#define NAME value`, or `#define NAME value /**< text *\/`. */
function parseDefines(text, namePattern, file) {
  const out = [];
  const re = new RegExp(
    String.raw`(?:(\/\*\*(?:[^*]|\*(?!\/))*\*\/)[ \t]*\n)?[ \t]*#define[ \t]+(${namePattern})[ \t]+\(?(-?(?:0x[0-9A-Fa-f]+|\d+))\)?[ \t]*(\/\*\*<(?:[^*]|\*(?!\/))*\*\/)?`,
    'g',
  );
  for (const m of text.matchAll(re)) {
    const value =
      Number.parseInt(m[3].replace('-', ''), m[3].includes('0x') ? 16 : 10) * (m[3].startsWith('-') ? -1 : 1);
    out.push({ value, name: m[2], meaning: oneLine(m[4] ?? m[1] ?? ''), file });
  }
  return out;
}

/** `NAME = -123, /* text *\/` inside the enums of wolfSSL's error headers. */
function parseEnum(text, file) {
  const out = [];
  for (const m of text.matchAll(/^\s*([A-Z][A-Z0-9_]+)\s*=\s*(-\d+)\s*,?\s*(?:\/\*\s*(.*?)\s*\*\/)?/gm))
    out.push({ value: Number(m[2]), name: m[1], meaning: (m[3] ?? '').replace(/\s+/g, ' ').trim(), file });
  return out;
}

function mbedtlsHeaders(read, list) {
  const rows = [];
  for (const f of list.filter((f) => f.endsWith('.h') && !f.includes('compat-1.3'))) {
    rows.push(...parseDefines(read(f), 'MBEDTLS_ERR_[A-Z0-9_]+', f.replace(/^.*include\//, '')));
  }
  return rows.filter((r) => r.value < 0);
}

function mbedtls(src, git) {
  const dir2 = join(src, 'mbedtls-2.28.3', 'include', 'mbedtls');
  const v2 = mbedtlsHeaders(
    (f) => readFileSync(join(dir2, f), 'latin1'),
    readdirSync(dir2).map((f) => f),
  ).map((r) => ({ ...r, file: `mbedtls/${r.file}` }));
  let v3 = [];
  let v3src;
  if (git) {
    const sh = (...a) => execFileSync('git', ['-C', git, ...a], { encoding: 'latin1', maxBuffer: 1 << 26 });
    const files = sh('ls-tree', '--name-only', `${MBEDTLS3_TAG}:include/mbedtls`).split('\n').filter(Boolean);
    v3 = mbedtlsHeaders((f) => sh('show', `${MBEDTLS3_TAG}:include/mbedtls/${f}`), files).map((r) => ({
      ...r,
      file: `mbedtls/${r.file}`,
    }));
    v3src = {
      repository: 'https://github.com/Mbed-TLS/mbedtls',
      tag: MBEDTLS3_TAG,
      commit: sh('rev-parse', `${MBEDTLS3_TAG}^{commit}`).trim(),
    };
  }
  // One row per (name, value); the versions column says where it holds.
  const key = (r) => `${r.name}=${r.value}`;
  const rows = new Map();
  for (const r of v2) rows.set(key(r), { ...r, versions: ['2.28'] });
  for (const r of v3) {
    const had = rows.get(key(r));
    if (had) had.versions.push('3.6');
    else rows.set(key(r), { ...r, versions: ['3.6'] });
  }
  return {
    source: {
      library: 'mbedTLS',
      versions: v3src ? ['2.28.3', MBEDTLS3_TAG.slice(1)] : ['2.28.3'],
      debian: { package: 'mbedtls 2.28.3-1 (bookworm)', sha256: debianSource(src, 'mbedtls_') },
      ...(v3src ? { upstream: v3src } : {}),
      extracted: 'the MBEDTLS_ERR_* #defines of include/mbedtls/*.h and their doxygen comments',
    },
    codes: [...rows.values()]
      .sort((a, b) => b.value - a.value || a.name.localeCompare(b.name))
      .map((r) => [r.value, r.name, r.meaning, r.versions.join(',')]),
  };
}

function bearssl(src) {
  const dir = join(src, 'bearssl-0.6+dfsg.1', 'inc');
  const rows = ['bearssl_ssl.h', 'bearssl_x509.h'].flatMap((f) =>
    parseDefines(readFileSync(join(dir, f), 'latin1'), 'BR_ERR_[A-Z0-9_]+', f),
  );
  return {
    source: {
      library: 'BearSSL',
      versions: ['0.6'],
      debian: { package: 'bearssl 0.6+dfsg.1-3 (bookworm)', sha256: debianSource(src, 'bearssl_') },
      extracted: 'the BR_ERR_* #defines of inc/bearssl_ssl.h and inc/bearssl_x509.h',
    },
    codes: rows.sort((a, b) => a.value - b.value).map((r) => [r.value, r.name, r.meaning, '0.6']),
  };
}

function wolfssl(src) {
  const base = join(src, 'wolfssl-5.5.4', 'wolfssl');
  const rows = [
    ...parseEnum(readFileSync(join(base, 'wolfcrypt', 'error-crypt.h'), 'latin1'), 'error-crypt.h'),
    ...parseEnum(readFileSync(join(base, 'error-ssl.h'), 'latin1'), 'error-ssl.h'),
  ].filter((r) => !/^(MAX_CODE_E|WC_LAST_E|MIN_CODE_E|WOLFSSL_LAST_E|WOLFSSL_FATAL_ERROR)$/.test(r.name));
  return {
    source: {
      library: 'wolfSSL',
      versions: ['5.5.4'],
      debian: { package: 'wolfssl 5.5.4-2+deb12u2 (bookworm)', sha256: debianSource(src, 'wolfssl_') },
      extracted: 'the negative enum values of wolfssl/wolfcrypt/error-crypt.h and wolfssl/error-ssl.h',
    },
    codes: rows.sort((a, b) => b.value - a.value).map((r) => [r.value, r.name, r.meaning, '5.5.4']),
  };
}

const src = arg('src');
if (!src || !existsSync(src)) {
  console.error('usage: node scripts/explainCatalog.mjs --src DIR [--mbedtls3 GITDIR] [--check]');
  process.exit(2);
}
const tables = { mbedtls: mbedtls(src, arg('mbedtls3')), bearssl: bearssl(src), wolfssl: wolfssl(src) };
let differs = false;
for (const [name, table] of Object.entries(tables)) {
  const path = join(OUT, `${name}.json`);
  const text =
    JSON.stringify(table, null, 1).replace(
      /\[\n\s+(-?\d+),\n\s+("[^\n]*"),\n\s+("[^\n]*"),\n\s+("[^\n]*")\n\s+\]/g,
      '[$1, $2, $3, $4]',
    ) + '\n';
  if (process.argv.includes('--check')) {
    const old = existsSync(path) ? readFileSync(path, 'utf8') : '';
    if (old !== text) {
      console.error(`${path} differs from what the sources give`);
      differs = true;
    }
  } else {
    writeFileSync(path, text);
    console.log(`${name}: ${table.codes.length} codes → ${path}`);
  }
}
process.exit(differs ? 1 : 0);
