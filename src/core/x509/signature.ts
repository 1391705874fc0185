// Signature checks straight on the DER: cheaper than building a Node X509Certificate per check.
import { createPublicKey, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { children, readElement, value, whole } from './der';

/** The digest each signature algorithm uses; null for the Edwards curves, which hash internally. */
export const SIGNATURE_HASH: Record<string, string | null> = {
  md5WithRSAEncryption: 'md5',
  sha1WithRSAEncryption: 'sha1',
  sha224WithRSAEncryption: 'sha224',
  sha256WithRSAEncryption: 'sha256',
  sha384WithRSAEncryption: 'sha384',
  sha512WithRSAEncryption: 'sha512',
  'ecdsa-with-SHA1': 'sha1',
  'ecdsa-with-SHA224': 'sha224',
  'ecdsa-with-SHA256': 'sha256',
  'ecdsa-with-SHA384': 'sha384',
  'ecdsa-with-SHA512': 'sha512',
  Ed25519: null,
  Ed448: null,
};

const keys = new Map<string, KeyObject>();

/** The public key for an SPKI, cached by its hash (CA keys verify many certificates). */
export function publicKeyObject(spki: Uint8Array, sha256: string): KeyObject {
  let k = keys.get(sha256);
  if (!k) {
    k = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    if (keys.size > 4096) keys.clear();
    keys.set(sha256, k);
  }
  return k;
}

/**
 * True when `signature` over `signed` verifies with the key. Algorithms without an entry above
 * (RSA-PSS, DSA) fall back to Node's X509Certificate when the whole certificate is given.
 */
export function signatureVerifies(
  algorithm: string,
  signed: Uint8Array,
  signature: Uint8Array,
  key: { spki: Uint8Array; sha256: string },
  wholeCertificate?: Uint8Array,
): boolean {
  try {
    const hash = SIGNATURE_HASH[algorithm];
    if (hash !== undefined) return verify(hash, signed, publicKeyObject(key.spki, key.sha256), signature);
    if (!wholeCertificate) return false;
    return new X509Certificate(wholeCertificate).verify(publicKeyObject(key.spki, key.sha256));
  } catch {
    return false;
  }
}

/** True when `issuer`'s key made `cert`'s signature (the step of a chain check). */
export function certificateSignedBy(
  cert: { der: Uint8Array; signatureAlgorithm: string },
  issuer: { publicKey: { spki: Uint8Array; sha256: string } },
): boolean {
  const [tbs, signature] = tbsAndSignature(cert.der);
  return signatureVerifies(cert.signatureAlgorithm, tbs, signature, issuer.publicKey, cert.der);
}

function tbsAndSignature(der: Uint8Array): [Uint8Array, Uint8Array] {
  const [tbsEl, , sigEl] = children(der, readElement(der, 0));
  return [whole(der, tbsEl!), value(der, sigEl!).subarray(1)];
}
