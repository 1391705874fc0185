// BearSSL trust anchors in C sources, as `brssl ta` and the Arduino/ESP8266 tools write them:
// `TA0_DN[]` (the subject name in DER), `TA0_RSA_N[]` + `TA0_RSA_E[]` or `TA0_EC_Q[]`, gathered in a
// `br_x509_trust_anchor TAs[]` table. The arrays are not certificates; together they name a CA
// the board trusts, so they are read as one object instead of as damaged DER.
import type { EmbeddedCandidate } from './cSource';
import { readElement } from './der';
import { decodeName } from './names';
import { decodeSpkiDer } from './publicKey';
import type { PublicKeyDetails, TrustAnchorInfo } from './types';

const PART = /^(\w*?_)(DN|RSA_N|RSA_E|EC_Q)(\d*)$/;

function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}
function tlv(tag: number, body: number[] | Uint8Array): number[] {
  return [tag, ...derLength(body.length), ...body];
}
function integer(bytes: Uint8Array): number[] {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const v = Array.from(bytes.subarray(i));
  return tlv(0x02, v[0]! & 0x80 ? [0, ...v] : v);
}

const RSA_ALGORITHM = [
  0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
];
const EC_PUBLIC_KEY = [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/** Curve OIDs by the size of an uncompressed point (BearSSL trust anchors use these three). */
const EC_CURVES: Record<number, number[]> = {
  65: [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07],
  97: [0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22],
  133: [0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23],
};

/** The SubjectPublicKeyInfo the certificate of this anchor carries, so keys and certificates match. */
function publicKeyOf(parts: Map<string, Uint8Array>): PublicKeyDetails | undefined {
  const n = parts.get('RSA_N');
  const e = parts.get('RSA_E');
  const q = parts.get('EC_Q');
  try {
    if (n && e) {
      const key = tlv(0x30, [...integer(n), ...integer(e)]);
      return decodeSpkiDer(new Uint8Array(tlv(0x30, [...RSA_ALGORITHM, ...tlv(0x03, [0, ...key])])));
    }
    const curve = q && q[0] === 4 ? EC_CURVES[q.length] : undefined;
    if (q && curve) {
      const alg = tlv(0x30, [...EC_PUBLIC_KEY, ...curve]);
      return decodeSpkiDer(new Uint8Array(tlv(0x30, [...alg, ...tlv(0x03, [0, ...q])])));
    }
  } catch {
    /* a key the arrays do not make: the anchor is still named by its DN */
  }
  return undefined;
}

/**
 * Finds BearSSL trust anchors among the byte arrays of a source. For each anchor, its DN array maps
 * to the decoded object (and the offset where its last array ends); its key arrays map to null.
 */
export function bearSslTrustAnchors(
  candidates: EmbeddedCandidate[],
): Map<EmbeddedCandidate, { object: TrustAnchorInfo; end: number } | null> {
  const groups = new Map<string, Map<string, EmbeddedCandidate>>();
  for (const c of candidates) {
    const m = c.bytes && c.symbol ? PART.exec(c.symbol) : null;
    if (!m) continue;
    const key = `${m[1]}#${m[3]}`;
    const g = groups.get(key) ?? new Map<string, EmbeddedCandidate>();
    if (!g.has(m[2]!)) g.set(m[2]!, c);
    groups.set(key, g);
  }
  const out = new Map<EmbeddedCandidate, { object: TrustAnchorInfo; end: number } | null>();
  for (const g of groups.values()) {
    const dn = g.get('DN');
    if (!dn?.bytes || !((g.has('RSA_N') && g.has('RSA_E')) || g.has('EC_Q'))) continue;
    let subject;
    try {
      const el = readElement(dn.bytes, 0);
      if (el.end !== dn.bytes.length) continue;
      subject = decodeName(dn.bytes, el);
    } catch {
      continue; // not a name: leave the arrays to the ordinary reader
    }
    const bytes = new Map([...g].map(([part, c]) => [part, c.bytes!]));
    const publicKey = publicKeyOf(bytes);
    const object: TrustAnchorInfo = {
      kind: 'trustAnchor',
      format: 'BearSSL',
      subject,
      arrays: [...g.values()].map((c) => c.symbol!),
      ...(publicKey ? { publicKey } : {}),
    };
    out.set(dn, { object, end: Math.max(...[...g.values()].map((c) => c.end)) });
    for (const c of g.values()) if (c !== dn) out.set(c, null);
  }
  return out;
}
