// Tells DER structures apart by shape: certificate, CSR, CRL, PKCS#7, PKCS#1/PKCS#8/SEC1/DSA keys,
// SPKI, PKCS#12, DH parameters.
import { checkPrimeSync } from 'node:crypto';
import { children, DerError, readElement, smallInteger, TAG, value, type DerElement } from './der';

export type DerKind =
  | 'certificate'
  | 'csr'
  | 'pkcs1-private'
  | 'pkcs8-private'
  | 'encrypted-pkcs8'
  | 'sec1-private'
  | 'spki'
  | 'pkcs1-public'
  | 'pkcs12'
  | 'ec-parameters'
  | 'dsa-private'
  | 'dh-parameters'
  | 'crl'
  | 'pkcs7';

export const DER_KIND_NAMES: Record<DerKind, string> = {
  certificate: 'certificate',
  csr: 'certificate request',
  'pkcs1-private': 'private key',
  'pkcs8-private': 'private key',
  'encrypted-pkcs8': 'encrypted private key',
  'sec1-private': 'private key',
  spki: 'public key',
  'pkcs1-public': 'public key',
  pkcs12: 'PKCS#12 bundle',
  'ec-parameters': 'EC parameters',
  'dsa-private': 'DSA private key',
  'dh-parameters': 'DH parameters',
  crl: 'certificate revocation list',
  pkcs7: 'PKCS#7 bundle',
};

const isTime = (tag: number | undefined) => tag === TAG.UTC_TIME || tag === TAG.GENERALIZED_TIME;

/** DH parameters (p, g[, length]) versus an RSA public key (n, e): p is prime, n never is. */
function isDhParameters(der: Uint8Array, k: DerElement[]): boolean {
  const p = value(der, k[0]!);
  if (p.length < 32) return false;
  // (p, g, privateValueLength): an RSA public key has two fields.
  if (k.length === 3) return value(der, k[2]!).length <= 4;
  if (intOrNaN(der, k[1]!) % 2 === 0) return true; // an RSA exponent is odd
  try {
    return checkPrimeSync(p, { checks: 8 });
  } catch {
    return false;
  }
}

/** Classifies complete DER; throws DerError when it is damaged or unknown. */
export function classifyDer(der: Uint8Array): DerKind {
  const outer = readElement(der, 0);
  if (outer.tag === TAG.OID) return 'ec-parameters';
  if (outer.tag !== TAG.SEQUENCE) throw new DerError('malformed', 'does not start with an ASN.1 SEQUENCE');
  const k = children(der, outer);
  const t = k.map((e) => e.tag);
  if (k.length === 2 && t[0] === TAG.OID && t[1] === 0xa0) return 'pkcs7';
  if (t[0] === TAG.SEQUENCE && t[1] === TAG.SEQUENCE && t[2] === TAG.BIT_STRING && k.length === 3) {
    const body = children(der, k[0]!);
    const b = body.map((e) => e.tag);
    // TBSCertList: [version INTEGER] signature issuer thisUpdate ...; a certificate has a serial
    // number and a validity SEQUENCE where the CRL has a time.
    if (b[0] === TAG.INTEGER ? isTime(b[3]) && b[1] === TAG.SEQUENCE : b[0] === TAG.SEQUENCE && isTime(b[2]))
      return 'crl';
    if (body[0]?.tag === 0xa0 || (body.length >= 6 && body[0]?.tag === TAG.INTEGER)) return 'certificate';
    if (body.length >= 3 && body[0]?.tag === TAG.INTEGER && body[1]?.tag === TAG.SEQUENCE) return 'csr';
  }
  if (k.length === 2 && t[0] === TAG.SEQUENCE && t[1] === TAG.BIT_STRING) return 'spki';
  if (k.length === 2 && t[0] === TAG.SEQUENCE && t[1] === TAG.OCTET_STRING) return 'encrypted-pkcs8';
  if (t[0] === TAG.INTEGER) {
    const version = intOrNaN(der, k[0]!);
    if (version === 3 && t[1] === TAG.SEQUENCE && k.length <= 3) return 'pkcs12';
    if (k.length >= 9 && t.slice(0, 9).every((x) => x === TAG.INTEGER)) return 'pkcs1-private';
    if (k.length === 6 && version === 0 && t.every((x) => x === TAG.INTEGER)) return 'dsa-private';
    if ((k.length === 2 || k.length === 3) && t.every((x) => x === TAG.INTEGER) && isDhParameters(der, k))
      return 'dh-parameters';
    if (k.length === 2 && t[1] === TAG.INTEGER) return 'pkcs1-public';
    if (t[1] === TAG.SEQUENCE && t[2] === TAG.OCTET_STRING) return 'pkcs8-private';
    if (version === 1 && t[1] === TAG.OCTET_STRING) return 'sec1-private';
    // Explicit ECParameters: version 1, fieldID, curve, base point, order[, cofactor].
    if (
      version === 1 &&
      t[1] === TAG.SEQUENCE &&
      t[2] === TAG.SEQUENCE &&
      t[3] === TAG.OCTET_STRING &&
      t[4] === TAG.INTEGER
    )
      return 'ec-parameters';
  }
  throw new DerError(
    'malformed',
    'is DER, but not a certificate, key, request, CRL, PKCS#7 or PKCS#12 structure',
  );
}

function intOrNaN(der: Uint8Array, el: DerElement): number {
  try {
    return smallInteger(der, el);
  } catch {
    return Number.NaN;
  }
}

/** For damaged DER: the best guess at what it was meant to be, from its first bytes. */
export function guessTruncatedKind(der: Uint8Array): string {
  // Certificate: 30 82 xx xx 30 82 xx xx a0 03 02 01 02 ...; keys start SEQUENCE { INTEGER ...
  let p = 0;
  const skipHeader = (at: number): number => {
    const l = der[at + 1];
    if (l === undefined) return der.length;
    return at + 2 + (l & 0x80 ? l & 0x7f : 0);
  };
  if (der[0] !== 0x30) return 'DER object';
  p = skipHeader(0);
  if (der[p] === 0x30) {
    const q = skipHeader(p);
    if (der[q] === 0xa0) return 'certificate';
    if (der[q] === 0x02 && der[q + 1] === 0x01 && der[q + 2] === 0x00 && der[q + 3] === 0x30)
      return 'certificate request';
    if (der[q] === 0x02) return 'certificate';
    if (der[q] === 0x06) return 'encrypted private key';
    return 'DER object';
  }
  if (der[p] === 0x02) {
    if (der[p + 1] === 0x01 && der[p + 2] === 0x03) return 'PKCS#12 bundle';
    return 'private key';
  }
  return 'DER object';
}
