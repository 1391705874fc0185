// Private keys: PKCS#1, PKCS#8 (plain or encrypted), SEC1, traditional DSA, and legacy
// `Proc-Type: 4,ENCRYPTED` PEM.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { EtlsError } from '../errors';
import { children, decodeOid, readElement, TAG, type DerElement } from './der';
import { chargeEncryptedPkcs8 } from './kdf';
import { CIPHERS, KEY_ALGORITHMS, OID } from './oids';
import { spkiFromPrivateKey } from './keyPublic';
import { decryptLegacyPem, decryptPkcs8 } from './legacyCiphers';
import { toPem } from './pem';
import { decodeSpkiDer } from './publicKey';
import type { KeyAlgorithm, PrivateKeyFormat, PrivateKeyInfo } from './types';

export const ENCRYPTED_KEY_MESSAGE = 'this private key is encrypted with a pass phrase';
export const ENCRYPTED_KEY_FIX =
  'Give the pass phrase, or convert it to an unencrypted key (etls convert --passphrase-env VAR).';

const NODE_TYPE: Record<Exclude<PrivateKeyFormat, 'DSA'>, 'pkcs1' | 'pkcs8' | 'sec1'> = {
  'PKCS#1': 'pkcs1',
  'PKCS#8': 'pkcs8',
  SEC1: 'sec1',
};

/** Node reads traditional DSA keys only as PEM. */
function importPlain(der: Uint8Array, format: PrivateKeyFormat): KeyObject {
  if (format === 'DSA') return createPrivateKey({ key: toPem('DSA PRIVATE KEY', der), format: 'pem' });
  return createPrivateKey({ key: Buffer.from(der), format: 'der', type: NODE_TYPE[format] });
}

const CONVERT_FIX =
  'Re-encrypt it with AES: openssl pkcs8 -topk8 -v2 aes-256-cbc -provider legacy -provider default -in KEY -out NEW.key';

function publicDetails(key: KeyObject) {
  return decodeSpkiDer(new Uint8Array(createPublicKey(key).export({ type: 'spki', format: 'der' })));
}

export function wrongPassphrase(): EtlsError {
  return new EtlsError(
    'wrong-passphrase',
    'the pass phrase does not open this private key',
    'Check the pass phrase; keys made by openssl ask for it at creation.',
  );
}

/**
 * Why Node could not open an encrypted key whose container was read and a pass phrase was given.
 * A cipher OpenSSL 3 dropped (RC2, DES, RC4 under PBES1) is named as such. Anything else is the
 * pass phrase: usually AES-CBC's padding check fails, but about one time in 300 the padding of the
 * garbage looks right and the decoder fails instead ("unsupported", "header too long", ...).
 */
export function encryptedKeyFailure(e: unknown, encryption?: string): EtlsError {
  const code = (e as { code?: string })?.code ?? '';
  if (code === 'ERR_OSSL_EVP_UNSUPPORTED' || code === 'ERR_OSSL_EVP_UNSUPPORTED_ALGORITHM')
    return unsupportedCipher(encryption);
  return wrongPassphrase();
}

function unsupportedCipher(encryption?: string): EtlsError {
  return new EtlsError(
    'unsupported',
    `this private key is encrypted with ${encryption ?? 'a cipher'} that OpenSSL 3 no longer opens by default`,
    CONVERT_FIX,
  );
}

/** An unencrypted key in DER, in the format its structure says. */
export function decodePlainPrivateKey(der: Uint8Array, format: PrivateKeyFormat): PrivateKeyInfo {
  let spki: Uint8Array | undefined;
  try {
    spki = spkiFromPrivateKey(der, format);
  } catch {
    spki = undefined; // damaged: let Node's import give the verdict below
  }
  if (spki) {
    const publicKey = decodeSpkiDer(spki);
    return { kind: 'privateKey', format, encrypted: false, algorithm: publicKey.algorithm, publicKey, der };
  }
  let key: KeyObject;
  try {
    key = importPlain(der, format);
  } catch {
    throw new EtlsError(
      'malformed',
      `the ${format} private key structure is damaged`,
      'Export the key again from its source.',
    );
  }
  const publicKey = publicDetails(key);
  return { kind: 'privateKey', format, encrypted: false, algorithm: publicKey.algorithm, publicKey, der };
}

function pbesDescription(der: Uint8Array, alg: DerElement): string {
  const [oidEl, params] = children(der, alg);
  const oid = oidEl ? decodeOid(der, oidEl) : '';
  if (oid === OID.pbes2 && params) {
    const [, scheme] = children(der, params);
    const [cipherOid] = scheme ? children(der, scheme) : [];
    const cipher = cipherOid ? decodeOid(der, cipherOid) : '';
    return `PKCS#8 PBES2 ${CIPHERS[cipher] ?? cipher}`;
  }
  return `PKCS#8 ${CIPHERS[oid] ?? oid}`;
}

/** An ENCRYPTED PRIVATE KEY (PKCS#8 EncryptedPrivateKeyInfo); decrypted when a pass phrase is given. */
export function decodeEncryptedPkcs8(der: Uint8Array, passphrase?: string): PrivateKeyInfo {
  const outer = readElement(der, 0);
  const [alg] = children(der, outer);
  const encryption = alg && alg.tag === TAG.SEQUENCE ? pbesDescription(der, alg) : 'PKCS#8';
  if (passphrase === undefined)
    return { kind: 'privateKey', format: 'PKCS#8', encrypted: true, encryption, algorithm: 'unknown' };
  chargeEncryptedPkcs8(der);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8', passphrase });
  } catch (e) {
    const failure = encryptedKeyFailure(e, encryption);
    if (failure.code !== 'unsupported') throw failure;
    // DES, RC2 and RC4 schemes that OpenSSL 3 keeps in its legacy provider.
    const plain = decryptPkcs8(der, passphrase);
    if (plain === 'unknown-cipher') throw failure;
    return openedKey(plain, 'PKCS#8', encryption);
  }
  const plain = new Uint8Array(key.export({ type: 'pkcs8', format: 'der' }));
  const publicKey = publicDetails(key);
  return {
    kind: 'privateKey',
    format: 'PKCS#8',
    encrypted: true,
    encryption,
    algorithm: publicKey.algorithm,
    publicKey,
    der: plain,
  };
}

/** A key decrypted here: plaintext that does not decode means the pass phrase was wrong. */
function openedKey(
  plain: Uint8Array | undefined,
  format: PrivateKeyFormat,
  encryption: string,
): PrivateKeyInfo {
  if (!plain) throw wrongPassphrase();
  let key: PrivateKeyInfo;
  try {
    key = decodePlainPrivateKey(plain, format);
  } catch {
    throw wrongPassphrase();
  }
  return { ...key, encrypted: true, encryption };
}

/** A legacy OpenSSL-encrypted PEM key (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: DES-CBC,...`). */
export function decodeLegacyEncrypted(
  body: Uint8Array,
  label: string,
  dekInfo: string,
  passphrase?: string,
): PrivateKeyInfo {
  const format: PrivateKeyFormat = label.startsWith('EC')
    ? 'SEC1'
    : label.startsWith('DSA')
      ? 'DSA'
      : 'PKCS#1';
  const algorithm: KeyAlgorithm = label.startsWith('EC') ? 'EC' : label.startsWith('DSA') ? 'DSA' : 'RSA';
  const encryption = `legacy PEM ${dekInfo.split(',')[0]?.trim() ?? 'encryption'}`;
  if (passphrase === undefined) return { kind: 'privateKey', format, encrypted: true, encryption, algorithm };
  const plain = decryptLegacyPem(dekInfo, body, passphrase);
  if (plain === 'unknown-cipher') throw unsupportedCipher(encryption);
  return openedKey(plain, format, encryption);
}

/** The algorithm named inside a PKCS#8 PrivateKeyInfo, without parsing the key. */
export function pkcs8Algorithm(der: Uint8Array): KeyAlgorithm {
  try {
    const [, alg] = children(der, readElement(der, 0));
    const [oid] = alg ? children(der, alg) : [];
    return (oid && KEY_ALGORITHMS[decodeOid(der, oid)]) || 'unknown';
  } catch {
    return 'unknown';
  }
}
