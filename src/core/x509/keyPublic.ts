// The public half of a private key, read straight from its DER: RSA keys carry n and e, and
// SEC1 EC keys normally carry their public point. Microseconds, where a full key import through
// OpenSSL costs a millisecond; undefined sends the caller to Node's crypto instead.
import { children, decodeOid, readElement, TAG, whole, type DerElement } from './der';
import { OID } from './oids';
import type { PrivateKeyFormat } from './types';

const RSA_ALG = Uint8Array.from([
  0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
]);
const EC_OID = Uint8Array.from([0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]);
const DSA_OID = Uint8Array.from([0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01]);

function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const len = parts.reduce((n, p) => n + p.length, 0);
  const head =
    len < 0x80
      ? [tag, len]
      : len < 0x100
        ? [tag, 0x81, len]
        : len < 0x10000
          ? [tag, 0x82, len >> 8, len & 0xff]
          : [tag, 0x83, len >> 16, (len >> 8) & 0xff, len & 0xff];
  const out = new Uint8Array(head.length + len);
  out.set(head, 0);
  let p = head.length;
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}

/** SPKI of an RSAPrivateKey (PKCS#1) element. */
function rsaSpki(buf: Uint8Array, key: DerElement): Uint8Array | undefined {
  const f = children(buf, key);
  if (f.length < 9 || f.slice(0, 9).some((e) => e.tag !== TAG.INTEGER)) return undefined;
  const rsaPublic = tlv(TAG.SEQUENCE, whole(buf, f[1]!), whole(buf, f[2]!));
  return tlv(TAG.SEQUENCE, RSA_ALG, tlv(TAG.BIT_STRING, Uint8Array.of(0), rsaPublic));
}

/** SPKI of an ECPrivateKey (SEC1) element; `curve` is the OID element when the key omits it. */
function ecSpki(buf: Uint8Array, key: DerElement, curve?: Uint8Array): Uint8Array | undefined {
  const f = children(buf, key);
  let params = curve;
  let point: Uint8Array | undefined;
  for (const e of f) {
    if (e.tag === 0xa0) params = whole(buf, readElement(buf, e.valueStart, e.end));
    if (e.tag === 0xa1) {
      const bits = readElement(buf, e.valueStart, e.end);
      if (bits.tag === TAG.BIT_STRING) point = whole(buf, bits);
    }
  }
  if (!params || params[0] !== TAG.OID || !point) return undefined;
  return tlv(TAG.SEQUENCE, tlv(TAG.SEQUENCE, EC_OID, params), point);
}

/** SPKI of a traditional DSA private key: version, p, q, g, y, x. */
function dsaSpki(buf: Uint8Array, key: DerElement): Uint8Array | undefined {
  const f = children(buf, key);
  if (f.length !== 6 || f.some((e) => e.tag !== TAG.INTEGER)) return undefined;
  const params = tlv(TAG.SEQUENCE, whole(buf, f[1]!), whole(buf, f[2]!), whole(buf, f[3]!));
  return tlv(
    TAG.SEQUENCE,
    tlv(TAG.SEQUENCE, DSA_OID, params),
    tlv(TAG.BIT_STRING, Uint8Array.of(0), whole(buf, f[4]!)),
  );
}

/** SubjectPublicKeyInfo DER for an unencrypted private key, or undefined when it must be derived. */
export function spkiFromPrivateKey(der: Uint8Array, format: PrivateKeyFormat): Uint8Array | undefined {
  const outer = readElement(der, 0);
  if (outer.end !== der.length || outer.tag !== TAG.SEQUENCE) return undefined;
  if (format === 'PKCS#1') return rsaSpki(der, outer);
  if (format === 'SEC1') return ecSpki(der, outer);
  if (format === 'DSA') return dsaSpki(der, outer);
  const [, alg, octets] = children(der, outer);
  if (!alg || alg.tag !== TAG.SEQUENCE || !octets || octets.tag !== TAG.OCTET_STRING) return undefined;
  const [oidEl, paramsEl] = children(der, alg);
  if (!oidEl || oidEl.tag !== TAG.OID) return undefined;
  const inner = readElement(der, octets.valueStart, octets.end);
  if (inner.end !== octets.end || inner.tag !== TAG.SEQUENCE) return undefined;
  const oid = decodeOid(der, oidEl);
  if (oid === OID.rsaEncryption) return rsaSpki(der, inner);
  if (oid === OID.ecPublicKey && paramsEl?.tag === TAG.OID) return ecSpki(der, inner, whole(der, paramsEl));
  return undefined;
}
