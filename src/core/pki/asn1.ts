// DER building blocks for certificates, CSRs and PKCS#12, on node-forge's ASN.1 encoder.
// forge only encodes here; every signature is made by Node's crypto (native, RSA and ECDSA alike).
import forge from 'node-forge';

export type Asn1 = forge.asn1.Asn1;

// The class and tag numbers of X.680 as plain numbers, and node-forge reached only inside functions:
// loading this module does not load node-forge (the extension loads it on first use).
const U = 0; // asn1.Class.UNIVERSAL
const T = {
  BOOLEAN: 1,
  INTEGER: 2,
  BITSTRING: 3,
  OCTETSTRING: 4,
  NULL: 5,
  OID: 6,
  UTF8: 12,
  SEQUENCE: 16,
  SET: 17,
  IA5STRING: 22,
  UTCTIME: 23,
  GENERALIZEDTIME: 24,
} as const;

export function toBinary(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('binary');
}

export function fromBinary(binary: string): Uint8Array {
  return new Uint8Array(Buffer.from(binary, 'binary'));
}

export function encode(node: Asn1): Uint8Array {
  return fromBinary(forge.asn1.toDer(node).getBytes());
}

/** Parses DER; throws forge's error on malformed input (callers turn it into an EtlsError). */
export function decode(der: Uint8Array): Asn1 {
  // The typings only know the old boolean argument; forge 1.x takes these options.
  const options = { strict: true, parseAllBytes: true, decodeBitStrings: false } as unknown as boolean;
  return forge.asn1.fromDer(forge.util.createBuffer(toBinary(der)), options);
}

/** Embeds already-encoded DER (an SPKI from Node, a name from a CA certificate) as a node. */
export function raw(der: Uint8Array): Asn1 {
  return decode(der);
}

export const seq = (items: Asn1[]): Asn1 => forge.asn1.create(U, T.SEQUENCE, true, items);
export const set = (items: Asn1[]): Asn1 => forge.asn1.create(U, T.SET, true, items);
export const oid = (dotted: string): Asn1 =>
  forge.asn1.create(U, T.OID, false, forge.asn1.oidToDer(dotted).getBytes());
export const nul = (): Asn1 => forge.asn1.create(U, T.NULL, false, '');
export const bool = (v: boolean): Asn1 => forge.asn1.create(U, T.BOOLEAN, false, v ? '\xff' : '\x00');
export const octets = (bytes: Uint8Array): Asn1 =>
  forge.asn1.create(U, T.OCTETSTRING, false, toBinary(bytes));
export const octetsOf = (node: Asn1): Asn1 =>
  forge.asn1.create(U, T.OCTETSTRING, false, forge.asn1.toDer(node).getBytes());
export const utf8 = (s: string): Asn1 => forge.asn1.create(U, T.UTF8, false, forge.util.encodeUtf8(s));
export const ia5 = (s: string): Asn1 => forge.asn1.create(U, T.IA5STRING, false, s);
/** BIT STRING with no unused bits. */
export const bits = (bytes: Uint8Array): Asn1 =>
  forge.asn1.create(U, T.BITSTRING, false, '\x00' + toBinary(bytes));
/** An explicit context tag [n] around one node. */
export const explicit = (n: number, node: Asn1): Asn1 =>
  forge.asn1.create(forge.asn1.Class.CONTEXT_SPECIFIC, n, true, [node]);
/** An implicit primitive context tag [n] with raw content. */
export const implicitBytes = (n: number, content: string): Asn1 =>
  forge.asn1.create(forge.asn1.Class.CONTEXT_SPECIFIC, n, false, content);

export function int(n: number): Asn1 {
  return forge.asn1.create(U, T.INTEGER, false, forge.asn1.integerToDer(n).getBytes());
}

/** A positive INTEGER from big-endian bytes (a leading zero is added when the high bit is set). */
export function intBytes(bytes: Uint8Array): Asn1 {
  let b = toBinary(bytes).replace(/^\x00+(?=[\s\S])/, '');
  if (b.charCodeAt(0) & 0x80) b = '\x00' + b;
  return forge.asn1.create(U, T.INTEGER, false, b);
}

/** UTCTime until 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5); seconds, Zulu. */
export function time(d: Date): Asn1 {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  return d.getUTCFullYear() < 2050
    ? forge.asn1.create(U, T.UTCTIME, false, iso.slice(2))
    : forge.asn1.create(U, T.GENERALIZEDTIME, false, iso);
}

/** Children of a constructed node (empty for primitives). */
export function kids(node: Asn1 | undefined): Asn1[] {
  return node && Array.isArray(node.value) ? (node.value as Asn1[]) : [];
}
