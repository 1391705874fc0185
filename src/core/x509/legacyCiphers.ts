// Decryption for the key encryptions OpenSSL 3 no longer opens by default (single DES, RC2, RC4:
// old tutorials and old exports), and for legacy PEM `DEK-Info` keys. Node's crypto does AES and
// 3DES; node-forge does DES and RC2; RC4 is a few lines. Returns plaintext DER or undefined when
// the scheme is not one of these.
import { createDecipheriv, createHash, pbkdf2Sync } from 'node:crypto';
import forge from 'node-forge';
import { children, decodeOid, readElement, smallInteger, TAG, value, type DerElement } from './der';

const PRF: Record<string, string> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

type Cipher = 'des-cbc' | 'des-ede3-cbc' | 'aes-128-cbc' | 'aes-192-cbc' | 'aes-256-cbc' | 'rc2-cbc';

const PBES2_CIPHERS: Record<string, { cipher: Cipher; keyLength: number }> = {
  '1.3.14.3.2.7': { cipher: 'des-cbc', keyLength: 8 },
  '1.2.840.113549.3.7': { cipher: 'des-ede3-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.2': { cipher: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { cipher: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { cipher: 'aes-256-cbc', keyLength: 32 },
  '1.2.840.113549.3.2': { cipher: 'rc2-cbc', keyLength: 16 },
};

/** PBES1 (PKCS#5 v1.5): digest and cipher; PBKDF1 gives an 8-byte key and an 8-byte IV. */
const PBES1: Record<string, { hash: string; cipher: Cipher }> = {
  '1.2.840.113549.1.5.3': { hash: 'md5', cipher: 'des-cbc' },
  '1.2.840.113549.1.5.10': { hash: 'sha1', cipher: 'des-cbc' },
  '1.2.840.113549.1.5.6': { hash: 'md5', cipher: 'rc2-cbc' },
  '1.2.840.113549.1.5.11': { hash: 'sha1', cipher: 'rc2-cbc' },
};

/** PKCS#12 PBE (RFC 7292 appendix C): key length, and the cipher (RC4 has no IV). */
const PKCS12_PBE: Record<string, { cipher: Cipher | 'rc4'; keyLength: number; rc2Bits?: number }> = {
  '1.2.840.113549.1.12.1.1': { cipher: 'rc4', keyLength: 16 },
  '1.2.840.113549.1.12.1.2': { cipher: 'rc4', keyLength: 5 },
  '1.2.840.113549.1.12.1.3': { cipher: 'des-ede3-cbc', keyLength: 24 },
  '1.2.840.113549.1.12.1.4': { cipher: 'des-ede3-cbc', keyLength: 16 },
  '1.2.840.113549.1.12.1.5': { cipher: 'rc2-cbc', keyLength: 16, rc2Bits: 128 },
  '1.2.840.113549.1.12.1.6': { cipher: 'rc2-cbc', keyLength: 5, rc2Bits: 40 },
};

const binary = (b: Uint8Array) => Buffer.from(b).toString('binary');
const fromBinary = (s: string) => new Uint8Array(Buffer.from(s, 'binary'));

/** RC4, for keys exported with pbeWithSHA1And128BitRC4. */
export function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = new Uint8Array(256).map((_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = new Uint8Array(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 0xff]!;
  }
  return out;
}

/** CBC decryption with the padding checked; undefined when the padding is wrong (wrong pass phrase). */
export function decryptCbc(
  cipher: Cipher,
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
  rc2Bits = key.length * 8,
): Uint8Array | undefined {
  if (cipher === 'des-cbc' || cipher === 'rc2-cbc') {
    const d =
      cipher === 'des-cbc'
        ? forge.cipher.createDecipher('DES-CBC', binary(key))
        : forge.rc2.createDecryptionCipher(binary(key), rc2Bits);
    if (cipher === 'des-cbc') d.start({ iv: binary(iv) } as never);
    else d.start(binary(iv) as never);
    d.update(forge.util.createBuffer(binary(data)));
    if (!d.finish()) return undefined;
    return fromBinary(d.output.getBytes());
  }
  try {
    const d = createDecipheriv(cipher, key, iv);
    return new Uint8Array(Buffer.concat([d.update(data), d.final()]));
  } catch {
    return undefined;
  }
}

/** OpenSSL's EVP_BytesToKey with MD5 and one round, as legacy PEM encryption uses it. */
function bytesToKey(pass: Uint8Array, salt: Uint8Array, length: number): Uint8Array {
  const out: Buffer[] = [];
  let have = 0;
  let prev = Buffer.alloc(0);
  while (have < length) {
    prev = createHash('md5').update(prev).update(pass).update(salt).digest();
    out.push(prev);
    have += prev.length;
  }
  return new Uint8Array(Buffer.concat(out).subarray(0, length));
}

const LEGACY_PEM: Record<string, { cipher: Cipher; keyLength: number }> = {
  'DES-CBC': { cipher: 'des-cbc', keyLength: 8 },
  'DES-EDE3-CBC': { cipher: 'des-ede3-cbc', keyLength: 24 },
  'AES-128-CBC': { cipher: 'aes-128-cbc', keyLength: 16 },
  'AES-192-CBC': { cipher: 'aes-192-cbc', keyLength: 24 },
  'AES-256-CBC': { cipher: 'aes-256-cbc', keyLength: 32 },
  'RC2-CBC': { cipher: 'rc2-cbc', keyLength: 16 },
  'RC2-64-CBC': { cipher: 'rc2-cbc', keyLength: 8 },
  'RC2-40-CBC': { cipher: 'rc2-cbc', keyLength: 5 },
};

/**
 * Decrypts the body of a legacy encrypted PEM block (`DEK-Info: DES-CBC,<iv>`). Returns undefined
 * when the padding is wrong; throws an Error naming the cipher when it is not one of these.
 */
export function decryptLegacyPem(
  dekInfo: string,
  body: Uint8Array,
  passphrase: string,
): Uint8Array | undefined | 'unknown-cipher' {
  const [name = '', ivHex = ''] = dekInfo.split(',').map((s) => s.trim());
  const spec = LEGACY_PEM[name.toUpperCase()];
  if (!spec || !/^[0-9a-fA-F]{16,32}$/.test(ivHex)) return 'unknown-cipher';
  const iv = new Uint8Array(Buffer.from(ivHex, 'hex'));
  const key = bytesToKey(Buffer.from(passphrase, 'utf8'), iv.subarray(0, 8), spec.keyLength);
  return decryptCbc(spec.cipher, key, iv, body);
}

function octets(buf: Uint8Array, el: DerElement | undefined): Uint8Array {
  if (!el || el.tag !== TAG.OCTET_STRING) throw new Error('missing OCTET STRING');
  return value(buf, el);
}

/** PKCS#12 key derivation (RFC 7292 appendix B) with SHA-1; id 1 for the key, 2 for the IV. */
function pkcs12Kdf(pass: string, salt: Uint8Array, id: number, iter: number, n: number): Uint8Array {
  const out = forge.pkcs12.generateKey(pass, forge.util.createBuffer(binary(salt)), id, iter, n);
  return fromBinary(out.getBytes());
}

/**
 * Decrypts an EncryptedPrivateKeyInfo with the schemes above. Returns the PKCS#8 plaintext, undefined
 * when the pass phrase is wrong, or 'unknown-cipher' when the scheme is not one of these.
 */
export function decryptPkcs8(der: Uint8Array, passphrase: string): Uint8Array | undefined | 'unknown-cipher' {
  try {
    const [alg, data] = children(der, readElement(der, 0));
    const [oidEl, params] = children(der, alg!);
    const oid = decodeOid(der, oidEl!);
    const encrypted = octets(der, data);
    const pass = Buffer.from(passphrase, 'utf8');
    if (oid === '1.2.840.113549.1.5.13') {
      const [kdf, scheme] = children(der, params!);
      const [kdfOid, kdfParams] = children(der, kdf!);
      if (decodeOid(der, kdfOid!) !== '1.2.840.113549.1.5.12') return 'unknown-cipher';
      const kp = children(der, kdfParams!);
      const salt = octets(der, kp[0]);
      const iter = smallInteger(der, kp[1]!);
      let keyLength: number | undefined;
      let prf = 'sha1';
      for (const e of kp.slice(2)) {
        if (e.tag === TAG.INTEGER) keyLength = smallInteger(der, e);
        if (e.tag === TAG.SEQUENCE) {
          const p = PRF[decodeOid(der, children(der, e)[0]!)];
          if (!p) return 'unknown-cipher';
          prf = p;
        }
      }
      const [cOid, cParams] = children(der, scheme!);
      const spec = PBES2_CIPHERS[decodeOid(der, cOid!)];
      if (!spec || !cParams) return 'unknown-cipher';
      let iv: Uint8Array;
      let rc2Bits: number | undefined;
      if (spec.cipher === 'rc2-cbc') {
        const rp = children(der, cParams);
        const version = rp.length === 2 ? smallInteger(der, rp[0]!) : 32;
        rc2Bits = version === 160 ? 40 : version === 120 ? 64 : version === 58 ? 128 : version;
        iv = octets(der, rp[rp.length - 1]);
      } else iv = octets(der, cParams);
      const len = keyLength ?? (spec.cipher === 'rc2-cbc' ? (rc2Bits ?? 128) / 8 : spec.keyLength);
      const key = new Uint8Array(pbkdf2Sync(pass, salt, iter, len, prf));
      return decryptCbc(spec.cipher, key, iv, encrypted, rc2Bits);
    }
    const pbes1 = PBES1[oid];
    const p12 = PKCS12_PBE[oid];
    if (!pbes1 && !p12) return 'unknown-cipher';
    const [saltEl, iterEl] = children(der, params!);
    const salt = octets(der, saltEl);
    const iter = smallInteger(der, iterEl!);
    if (pbes1) {
      let d: Buffer = Buffer.concat([pass, salt]);
      for (let i = 0; i < iter; i++) d = createHash(pbes1.hash).update(d).digest();
      return decryptCbc(pbes1.cipher, d.subarray(0, 8), d.subarray(8, 16), encrypted, 64);
    }
    const spec = p12!;
    const key = pkcs12Kdf(passphrase, salt, 1, iter, spec.keyLength);
    if (spec.cipher === 'rc4') return rc4(key, encrypted);
    const iv = pkcs12Kdf(passphrase, salt, 2, iter, 8);
    // Two-key triple DES repeats the first key.
    const full =
      spec.keyLength === 16 && spec.cipher === 'des-ede3-cbc' ? concat(key, key.subarray(0, 8)) : key;
    return decryptCbc(spec.cipher, full, iv, encrypted, spec.rc2Bits);
  } catch {
    return 'unknown-cipher';
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
