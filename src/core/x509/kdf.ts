// Key derivations a file asks for (PKCS#12 MAC and PBE, PBKDF2, scrypt) are work the file's author
// chooses: a 1 KB bundle can ask for 2^31 iterations, hours of hashing. Each derivation is costed
// from its parameters before it runs, against a per-file budget, and refused with a sentence when
// the budget is spent; the user lifts the limit explicitly (--allow-slow-kdf, --max-kdf-iterations).
import * as nodeCrypto from 'node:crypto';
import { pbkdf2Sync } from 'node:crypto';
import forge from 'node-forge';
import { EtlsError } from '../errors';
import { children, decodeOid, readElement, TAG, value, type DerElement } from './der';

/** The iteration counts one file may make etls compute without being asked. */
export interface KdfLimits {
  /**
   * PBKDF2 iterations (and scrypt N·r·p) summed over every derivation in one file: native crypto,
   * roughly 0.3–0.4 µs an iteration with SHA-256.
   */
  iterations: number;
  /**
   * PKCS#12 (RFC 7292 appendix B) iterations summed over one file: the MAC and the legacy 3DES/RC2
   * encryption. Each iteration is one hash call from JavaScript, about five times slower than
   * a PBKDF2 iteration.
   */
  pkcs12Iterations: number;
}

/**
 * The defaults pass every real file seen: OpenSSL writes 2048 iterations (MAC and PBKDF2), Java
 * keytool 10000 (older JDKs 50000 for encryption and 100000 for the MAC), newer tools up to 600000
 * PBKDF2 iterations (two encrypted parts: 1.2 million). At these limits a hostile file costs about
 * a second of CPU at most.
 */
export const DEFAULT_KDF_LIMITS: Readonly<KdfLimits> = { iterations: 2_000_000, pkcs12Iterations: 400_000 };

/** No limit: the user asked to open the file whatever it costs. */
export const UNLIMITED_KDF: Readonly<KdfLimits> = { iterations: Infinity, pkcs12Iterations: Infinity };

/**
 * scrypt's memory (128·N·r bytes) above which OpenSSL, and so Node, refuses to derive the key
 * (OpenSSL's default `maxmem`, 32 MiB).
 */
export const SCRYPT_MAX_MEMORY = 32 * 1024 * 1024;

/** The limits the CLI options ask for: --allow-slow-kdf, or --max-kdf-iterations N for both counts. */
export function kdfLimitsFrom(allowSlow: boolean, maxIterations?: number): KdfLimits | undefined {
  if (allowSlow) return { ...UNLIMITED_KDF };
  if (maxIterations === undefined) return undefined;
  return { iterations: maxIterations, pkcs12Iterations: maxIterations };
}

type KdfKind = 'pbkdf2' | 'pkcs12';

const OPEN_ANYWAY =
  'If you trust this file, open it anyway with etls inspect or etls convert and --allow-slow-kdf (it may take long)';

/** Work spent so far in one file, against its limits. */
class KdfBudget {
  private spent = { pbkdf2: 0, pkcs12: 0 };
  constructor(readonly limits: KdfLimits) {}

  charge(kind: KdfKind, iterations: number, what: string): void {
    const limit = kind === 'pbkdf2' ? this.limits.iterations : this.limits.pkcs12Iterations;
    const total = this.spent[kind] + iterations;
    if (total > limit) {
      const others = this.spent[kind] > 0 ? ` (${total} with the derivations before it)` : '';
      throw new EtlsError(
        'too-costly',
        `not opened: ${what} asks for ${iterations} iterations of key derivation${others}, more than the ${limit} etls computes without being asked, because a file can ask for hours of work`,
        `${OPEN_ANYWAY}, or raise the limit with --max-kdf-iterations ${Math.max(total, iterations)}`,
      );
    }
    this.spent[kind] = total;
  }
}

let current: KdfBudget | undefined;

/**
 * Runs `fn` (synchronous) with one budget for every derivation inside it: one file, one budget.
 * Nested calls share the outer budget unless they name limits of their own.
 */
export function withKdfBudget<T>(limits: KdfLimits | undefined, fn: () => T): T {
  if (current && !limits) return fn();
  const saved = current;
  current = new KdfBudget(limits ?? DEFAULT_KDF_LIMITS);
  try {
    return fn();
  } finally {
    current = saved;
  }
}

/** Charges a derivation to the current file's budget (a fresh default one outside withKdfBudget). */
export function chargeKdf(kind: KdfKind, iterations: number, what: string): void {
  (current ?? new KdfBudget(DEFAULT_KDF_LIMITS)).charge(kind, iterations, what);
}

const OIDS = {
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  scrypt: '1.3.6.1.4.1.11591.4.11',
  pkcs12Pbe: '1.2.840.113549.1.12.1.',
  pbes1: '1.2.840.113549.1.5.',
};

function integerValue(der: Uint8Array, el: DerElement | undefined): number {
  if (!el || el.tag !== TAG.INTEGER)
    throw new EtlsError('malformed', 'a key-derivation parameter is missing');
  let v = value(der, el);
  while (v.length > 1 && v[0] === 0) v = v.subarray(1);
  // Past 2^48 the exact count does not matter: it is refused either way.
  if (v.length > 6) return Number.MAX_SAFE_INTEGER;
  return v.reduce((n, b) => n * 256 + b, 0);
}

/**
 * Charges the derivations an encryption AlgorithmIdentifier (PKCS#8 EncryptedPrivateKeyInfo, PKCS#12
 * EncryptedData) asks for, before anything is derived. Unknown schemes are left to the decoder.
 */
export function chargeEncryptionAlgorithm(der: Uint8Array, alg: DerElement, what: string): void {
  const [oidEl, params] = children(der, alg);
  if (!oidEl || oidEl.tag !== TAG.OID || !params) return;
  const oid = decodeOid(der, oidEl);
  if (oid === OIDS.pbes2) {
    const [kdf] = children(der, params);
    const [kdfOidEl, kdfParams] = kdf ? children(der, kdf) : [];
    if (!kdfOidEl || !kdfParams) return;
    const kdfOid = decodeOid(der, kdfOidEl);
    const p = children(der, kdfParams);
    if (kdfOid === OIDS.pbkdf2) chargeKdf('pbkdf2', integerValue(der, p[1]), `${what} (PBKDF2)`);
    else if (kdfOid === OIDS.scrypt)
      chargeScrypt(integerValue(der, p[1]), integerValue(der, p[2]), integerValue(der, p[3]), what);
  } else if (oid.startsWith(OIDS.pkcs12Pbe)) {
    // Key and IV: two derivations.
    chargeKdf('pkcs12', 2 * integerValue(der, children(der, params)[1]), `${what} (PKCS#12 PBE)`);
  } else if (oid.startsWith(OIDS.pbes1)) {
    chargeKdf('pbkdf2', integerValue(der, children(der, params)[1]), `${what} (PBES1)`);
  }
}

/** scrypt: refused past OpenSSL's memory cap (it would fail anyway), else charged N·r·p. */
export function chargeScrypt(n: number, r: number, p: number, what: string): void {
  const memory = 128 * n * r;
  if (memory > SCRYPT_MAX_MEMORY)
    throw new EtlsError(
      'unsupported',
      `${what} uses scrypt with N=${n}, r=${r}, which needs ${Math.round(memory / 1048576)} MiB; OpenSSL (and so etls) derives scrypt keys with at most ${SCRYPT_MAX_MEMORY / 1048576} MiB, so this is not a pass-phrase problem`,
      'Re-encrypt the key with smaller parameters in the tool that made it, e.g. openssl pkcs8 -topk8 -scrypt (N=16384, r=8: 16 MiB)',
    );
  chargeKdf('pbkdf2', n * r * p, `${what} (scrypt N=${n}, r=${r}, p=${p})`);
}

/** Charges a PKCS#8 EncryptedPrivateKeyInfo's derivation; damaged structures are left to the decoder. */
export function chargeEncryptedPkcs8(der: Uint8Array, what = 'the encrypted private key'): void {
  let alg: DerElement | undefined;
  try {
    [alg] = children(der, readElement(der, 0));
  } catch {
    return;
  }
  if (alg && alg.tag === TAG.SEQUENCE) chargeEncryptionAlgorithm(der, alg, what);
}

const FORGE_DIGESTS: Record<string, string> = {
  sha1: 'sha1',
  sha224: 'sha224',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
  'sha512/256': 'sha512-256',
  md5: 'md5',
};

/** One-shot native hashing (Node 20.12+, 21.7+); VS Code's older Electron may lack it. */
const oneShotHash = (nodeCrypto as { hash?: (alg: string, data: Buffer, encoding: 'buffer') => Buffer }).hash;

/**
 * RFC 7292 appendix B.2, the PKCS#12 key derivation, with Node's native hash: about twice as fast
 * as forge's JavaScript. `password` is forge's (UTF-16BE plus two zero bytes; none when null).
 * Exported for the test that holds it equal to forge's.
 */
export function pkcs12KeyNative(
  password: string | null | undefined,
  salt: Buffer,
  id: number,
  iterations: number,
  n: number,
  digest: string,
  u: number,
  v: number,
  hash: (alg: string, data: Buffer) => Buffer = (a, d) => oneShotHash!(a, d, 'buffer'),
): Buffer {
  const pass = Buffer.alloc(password === null || password === undefined ? 0 : 2 * password.length + 2);
  for (let i = 0; password && i < password.length; i++) pass.writeUInt16BE(password.charCodeAt(i), 2 * i);
  const repeat = (b: Buffer) => {
    const out = Buffer.alloc(v * Math.ceil(b.length / v));
    for (let i = 0; i < out.length; i++) out[i] = b[i % b.length]!;
    return out;
  };
  const I = Buffer.concat([repeat(salt), repeat(pass)]);
  const D = Buffer.alloc(v, id);
  const blocks: Buffer[] = [];
  for (let done = 0; done < n; done += u) {
    let a: Buffer = Buffer.concat([D, I]);
    for (let r = 0; r < iterations; r++) a = hash(digest, a);
    blocks.push(a);
    // I_j = (I_j + B + 1) mod 2^(8v), B = A repeated to v bytes.
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k]! + a[k % u]! + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(blocks).subarray(0, n);
}

type Pkcs12KeyFn = (
  password: string | null | undefined,
  salt: forge.util.ByteBuffer,
  id: number,
  iter: number,
  n: number,
  md?: forge.md.MessageDigest,
) => forge.util.ByteBuffer;
type Pbkdf2Fn = (p: string, s: string, c: number, dkLen: number, md?: unknown) => string;

/**
 * Runs node-forge code (PKCS#12 opening) with every derivation it makes charged first, PBKDF2 and
 * the PKCS#12 derivation done by Node's native crypto (forge's PBKDF2 hashes in JavaScript when
 * handed a digest object: about 15 times slower).
 */
export function withGuardedForge<T>(fn: () => T): T {
  const p12 = forge.pkcs12 as unknown as { generateKey: Pkcs12KeyFn };
  const pbe = (forge.pki as unknown as { pbe: { generatePkcs12Key: Pkcs12KeyFn } }).pbe;
  const pkcs5 = forge.pkcs5 as unknown as { pbkdf2: Pbkdf2Fn };
  const saved = {
    generateKey: p12.generateKey,
    generatePkcs12Key: pbe.generatePkcs12Key,
    pbkdf2: pkcs5.pbkdf2,
  };
  const pkcs12Key =
    (inner: Pkcs12KeyFn): Pkcs12KeyFn =>
    (password, salt, id, iter, n, md) => {
      chargeKdf(
        'pkcs12',
        iter,
        id === 3 ? 'the PKCS#12 integrity check (MAC)' : 'an encrypted part of the PKCS#12 file',
      );
      const digest = FORGE_DIGESTS[md?.algorithm ?? 'sha1'];
      if (!oneShotHash || !digest) return inner(password, salt, id, iter, n, md);
      const u = md?.digestLength ?? 20;
      const v = md?.blockLength ?? 64;
      const key = pkcs12KeyNative(password, Buffer.from(salt.bytes(), 'binary'), id, iter, n, digest, u, v);
      return forge.util.createBuffer(key.toString('binary'));
    };
  p12.generateKey = pkcs12Key(saved.generateKey);
  pbe.generatePkcs12Key = pkcs12Key(saved.generatePkcs12Key);
  pkcs5.pbkdf2 = (p, s, c, dkLen, md) => {
    chargeKdf('pbkdf2', c, 'an encrypted part of the PKCS#12 file (PBKDF2)');
    const name =
      md === undefined || md === null
        ? 'sha1'
        : typeof md === 'string'
          ? md
          : FORGE_DIGESTS[(md as { algorithm?: string }).algorithm ?? ''];
    if (!name) return saved.pbkdf2(p, s, c, dkLen, md);
    return pbkdf2Sync(Buffer.from(p, 'utf8'), Buffer.from(s, 'binary'), c, dkLen, name).toString('binary');
  };
  try {
    return fn();
  } finally {
    p12.generateKey = saved.generateKey;
    pbe.generatePkcs12Key = saved.generatePkcs12Key;
    pkcs5.pbkdf2 = saved.pbkdf2;
  }
}
