// The pinned sources of the board TLS libraries, for the WebAssembly engines (scripts/build-wasm.mjs,
// wasm/bearssl/build.mjs) and the native oracles (scripts/native-oracles.mjs): one place, one
// download, one checksum each. Every archive is the Debian source package's orig tarball, fetched
// from the Debian archive over HTTPS and checked by SHA-256 before it is unpacked.
//   node scripts/librarySources.mjs          fetch and unpack all three into the source folder
// The source folder is $ETLS_WASM_SRC, else ~/.cache/etls/wasm-src. Nothing here is committed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const POOL = 'https://deb.debian.org/debian/pool/main';

/** name -> the orig archive, where Debian keeps it, its SHA-256, and the folder it is unpacked to. */
export const librarySources = {
  'mbedtls-2.28': {
    version: '2.28.3',
    debian: 'mbedtls 2.28.3-1 (bookworm)',
    archive: 'mbedtls_2.28.3.orig.tar.gz',
    url: `${POOL}/m/mbedtls/mbedtls_2.28.3.orig.tar.gz`,
    sha256: '3b4953aa55a681e084d31892d9904cc5328d6b4958ea57b90ae4b4f94ae69a8d',
    // The archive holds the upstream GitHub folder name; it is unpacked under the version's name.
    top: 'Mbed-TLS-mbedtls-8f97ca5',
    dir: 'mbedtls-2.28.3',
  },
  'mbedtls-3.6': {
    version: '3.6.6',
    // The upstream release tarball (with the framework/ submodule ssl_client2 needs), as Debian ships it.
    debian: 'mbedtls 3.6.6-0.1~deb13u1 (trixie)',
    archive: 'mbedtls_3.6.6.orig.tar.bz2',
    url: `${POOL}/m/mbedtls/mbedtls_3.6.6.orig.tar.bz2`,
    sha256: '8fb65fae8dcae5840f793c0a334860a411f884cc537ea290ce1c52bb64ca007a',
    top: 'mbedtls-3.6.6',
    dir: 'mbedtls-3.6.6',
  },
  bearssl: {
    version: '0.6',
    debian: 'bearssl 0.6+dfsg.1-3 (bookworm)',
    archive: 'bearssl_0.6+dfsg.1.orig.tar.xz',
    url: `${POOL}/b/bearssl/bearssl_0.6+dfsg.1.orig.tar.xz`,
    sha256: '102a625bd8f6155260867a50c508df8d8c3f796985dd744df1a68e5cd1a79004',
    top: 'bearssl-0.6',
    dir: 'bearssl-0.6',
  },
};

export function sourceFolder() {
  return process.env.ETLS_WASM_SRC || join(homedir(), '.cache', 'etls', 'wasm-src');
}

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The checked archive of a library in the source folder, downloaded first when it is not there. */
export async function libraryArchive(name, folder = sourceFolder()) {
  const s = librarySources[name];
  if (!s) throw new Error(`No pinned source "${name}". Valid: ${Object.keys(librarySources).join(', ')}.`);
  mkdirSync(folder, { recursive: true });
  const file = join(folder, s.archive);
  if (!existsSync(file)) {
    let res;
    try {
      res = await fetch(s.url, { signal: AbortSignal.timeout(300_000) });
    } catch (e) {
      throw new Error(`Could not download ${s.url}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!res.ok) throw new Error(`Could not download ${s.url}: HTTP ${res.status}`);
    const part = `${file}.part`;
    writeFileSync(part, Buffer.from(await res.arrayBuffer()));
    renameSync(part, file);
  }
  const got = sha256(file);
  if (got !== s.sha256) {
    rmSync(file, { force: true });
    throw new Error(`${file} has SHA-256 ${got}, not the pinned ${s.sha256}; it was removed, run again.`);
  }
  return file;
}

/** The unpacked source tree of a library (fetched and unpacked once), e.g. ~/.cache/etls/wasm-src/mbedtls-3.6.6. */
export async function librarySource(name, folder = sourceFolder()) {
  const s = librarySources[name];
  const dir = join(folder, s.dir);
  const stamp = join(dir, '.etls-unpacked');
  if (existsSync(stamp)) return dir;
  const archive = await libraryArchive(name, folder);
  const work = join(folder, `.unpack-${s.dir}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const r = spawnSync('tar', ['-xf', archive, '-C', work], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tar could not unpack ${archive}: ${r.stderr}`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(join(work, s.top), dir);
  rmSync(work, { recursive: true, force: true });
  writeFileSync(stamp, `${s.sha256}\n`);
  return dir;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const name of Object.keys(librarySources)) {
    const dir = await librarySource(name);
    console.log(`${name}: ${dir}`);
  }
}
