// SubjectPublicKeyInfo: algorithm, size, curve and the SHA-256 that matches keys, CSRs and certificates.
import { createHash } from 'node:crypto';
import {
  children,
  decodeOid,
  DerError,
  expectTag,
  integerBits,
  integerHex,
  readElement,
  TAG,
  whole,
  type DerElement,
} from './der';
import { CURVES, KEY_ALGORITHMS } from './oids';
import type { PublicKeyDetails } from './types';

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Group orders of the curves met with explicit parameters, to name them. */
const EXPLICIT_CURVE_ORDERS: Record<string, string> = {
  ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551: 'P-256',
  fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141: 'secp256k1',
  ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973: 'P-384',
  '1ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409':
    'P-521',
  ffffffffffffffffffffffffffff16a2e0b8f03e13dd29455c5c2a3d: 'P-224',
  a9fb57dba1eea9bc3e660a909d838d718c397aa3b561a6f7901e0e82974856a7: 'brainpoolP256r1',
};

/**
 * Size and name of a curve given by explicit ECParameters (version, fieldID, curve, base, order,
 * cofactor): the size is the group order's, as OpenSSL reports it.
 */
export function explicitCurve(buf: Uint8Array, params: DerElement): { bits: number; curve: string } {
  const f = children(buf, params);
  const order = f[4];
  if (!order || order.tag !== TAG.INTEGER)
    throw new DerError('malformed', 'EC parameters lack the group order');
  const known = EXPLICIT_CURVE_ORDERS[integerHex(buf, order)];
  return {
    bits: integerBits(buf, order),
    curve: known ? `${known} (explicit parameters)` : 'explicit parameters',
  };
}

/** Decodes an SPKI element found inside a larger structure. */
export function decodeSpki(buf: Uint8Array, spkiEl: DerElement): PublicKeyDetails {
  expectTag(spkiEl, TAG.SEQUENCE, 'public key info');
  const [algEl, keyEl] = children(buf, spkiEl);
  const alg = expectTag(algEl, TAG.SEQUENCE, 'public key algorithm');
  const bits = expectTag(keyEl, TAG.BIT_STRING, 'public key');
  const [oidEl, paramEl] = children(buf, alg);
  const oid = decodeOid(buf, expectTag(oidEl, TAG.OID, 'public key algorithm'));
  const algorithm = KEY_ALGORITHMS[oid] ?? 'unknown';
  const spki = whole(buf, spkiEl);
  const details: PublicKeyDetails = { algorithm, bits: 0, spki, sha256: sha256Hex(spki) };
  const keyStart = bits.valueStart + 1; // skip the unused-bits octet
  switch (algorithm) {
    case 'RSA':
    case 'RSA-PSS': {
      const rsa = readElement(buf, keyStart, bits.end);
      const [n] = children(buf, expectTag(rsa, TAG.SEQUENCE, 'RSA public key'));
      details.bits = integerBits(buf, expectTag(n, TAG.INTEGER, 'RSA modulus'));
      break;
    }
    case 'EC': {
      if (paramEl?.tag === TAG.OID) {
        const curveOid = decodeOid(buf, paramEl);
        const curve = CURVES[curveOid];
        details.curve = curve?.name ?? curveOid;
        details.bits = curve?.bits ?? Math.max(0, ((bits.end - keyStart - 1) / 2) * 8);
      } else if (paramEl?.tag === TAG.SEQUENCE) {
        Object.assign(details, explicitCurve(buf, paramEl));
      } else {
        details.curve = 'implicit parameters';
        details.bits = Math.max(0, ((bits.end - keyStart - 1) / 2) * 8);
      }
      break;
    }
    case 'Ed25519':
    case 'X25519':
      details.bits = 255;
      break;
    case 'Ed448':
    case 'X448':
      details.bits = 448;
      break;
    case 'DSA':
    case 'DH': {
      const params = paramEl ? children(buf, paramEl) : [];
      if (params[0]) details.bits = integerBits(buf, params[0]);
      break;
    }
    default:
      break;
  }
  return details;
}

/** Decodes a standalone DER SPKI (a PUBLIC KEY block). */
export function decodeSpkiDer(der: Uint8Array): PublicKeyDetails {
  const el = readElement(der, 0);
  if (el.end !== der.length) throw new DerError('malformed', 'trailing bytes after the public key');
  return decodeSpki(der, el);
}

/** Human label of a key: "RSA-2048", "EC P-256", "Ed25519". */
export function keyLabel(k: { algorithm: string; bits: number; curve?: string }): string {
  if (k.algorithm === 'EC') return `EC ${k.curve ?? k.bits}`;
  if (k.algorithm === 'RSA' || k.algorithm === 'RSA-PSS' || k.algorithm === 'DSA' || k.algorithm === 'DH')
    return `${k.algorithm}-${k.bits}`;
  return k.algorithm;
}
