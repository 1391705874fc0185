// Builds X.509 v3 certificates and PKCS#10 requests for the development PKI (RFC 5280, RFC 2986).
import { randomBytes, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';
import { EtlsError } from '../errors';
import * as A from './asn1';
import { isRsa, keyIdentifier, signatureAlgorithm, signStructure, spkiDer } from './keys';

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  extensionRequest: '1.2.840.113549.1.9.14',
};

export interface NameSpec {
  commonName: string;
  organization?: string;
  organizationalUnit?: string;
}

export type CertificateProfile = 'root-ca' | 'intermediate-ca' | 'server' | 'client';

export interface Issuer {
  /** The issuer's subject Name, as DER taken from its certificate. */
  name: Uint8Array;
  privateKey: KeyObject;
  keyId: Uint8Array;
}

export interface CertificateSpec {
  profile: CertificateProfile;
  subject: NameSpec;
  publicKey: KeyObject;
  /** Omit for a self-signed root: then `selfSigningKey` signs. */
  issuer?: Issuer;
  selfSigningKey?: KeyObject;
  notBefore: Date;
  notAfter: Date;
  dnsNames?: string[];
  ipAddresses?: string[];
  /** Path length for a CA; root CAs with an intermediate below get 1, intermediates 0. */
  pathLength?: number;
}

/** RDNs least specific first, as openssl writes `/O=.../CN=...`. */
export function encodeName(n: NameSpec): A.Asn1 {
  const rdn = (type: string, value: string) => A.set([A.seq([A.oid(type), A.utf8(value)])]);
  const rdns: A.Asn1[] = [];
  if (n.organization) rdns.push(rdn(OID.organization, n.organization));
  if (n.organizationalUnit) rdns.push(rdn(OID.organizationalUnit, n.organizationalUnit));
  rdns.push(rdn(OID.commonName, n.commonName));
  return A.seq(rdns);
}

/** 16 random bytes, positive, never starting with a zero byte, so every serial has the same length. */
export function randomSerial(): Uint8Array {
  const b = new Uint8Array(randomBytes(16));
  b[0] = (b[0]! & 0x7f) | 0x40;
  return b;
}

export function ipBytes(ip: string): Uint8Array {
  const v = isIP(ip);
  if (v === 4) return new Uint8Array(ip.split('.').map(Number));
  if (v !== 6)
    throw new EtlsError(
      'invalid-argument',
      `"${ip}" is not an IPv4 or IPv6 address`,
      'Write it as 192.168.1.10 or fd00::10.',
    );
  let text = ip;
  const tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    tail.push(...v4[1]!.split('.').map(Number));
    text = text.slice(0, -v4[1]!.length) + '0:0';
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const groups = (s: string | undefined) => (s ? s.split(':').filter((g) => g !== '') : []);
  const h = groups(head);
  const r = groups(rest);
  const all = rest === undefined ? h : [...h, ...Array<string>(8 - h.length - r.length).fill('0'), ...r];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    const n = parseInt(g, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  });
  if (tail.length) out.set(tail, 12);
  return out;
}

export function checkDnsName(name: string): void {
  if (
    !/^(\*\.)?[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*\.?$/.test(name) ||
    name.length > 253
  )
    throw new EtlsError(
      'invalid-argument',
      `"${name}" is not a valid DNS name`,
      'Use letters, digits, hyphens and dots, e.g. broker.local.',
    );
}

/** "localhost, 127.0.0.1 broker.local" → its items: commas and white space both separate. */
export function splitList(text: string): string[] {
  return text
    .split(/[,\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);
}

/** A broker address as devices dial it: an IPv4/IPv6 literal or a DNS name. */
export function checkHost(host: string): void {
  if (isIP(host)) return;
  checkDnsName(host);
}

/**
 * subjectAltName entries for names as the user typed them: an IP literal given as a name becomes an
 * IP SAN (a DNS SAN "192.168.1.20" matches nothing a client dials), duplicates go.
 */
export function sanEntries(names: string[], ips: string[] = []): { dns: string[]; ips: string[] } {
  const dns: string[] = [];
  const addrs: string[] = [];
  const seenIp = new Set<string>();
  const addIp = (ip: string) => {
    const key = Array.from(ipBytes(ip)).join('.');
    if (!seenIp.has(key)) {
      seenIp.add(key);
      addrs.push(ip);
    }
  };
  for (const n of names) {
    if (isIP(n)) addIp(n);
    else if (!dns.some((d) => d.toLowerCase() === n.toLowerCase())) dns.push(n);
  }
  for (const ip of ips) addIp(ip);
  return { dns, ips: addrs };
}

/** Named bits → DER BIT STRING content (trailing zero bits dropped, unused-bit count first). */
function namedBits(bitIndexes: number[]): A.Asn1 {
  const max = Math.max(...bitIndexes);
  const bytes = new Uint8Array(Math.floor(max / 8) + 1);
  for (const i of bitIndexes) bytes[i >> 3]! |= 0x80 >> (i & 7);
  const unused = 7 - (max & 7);
  return forge.asn1.create(
    forge.asn1.Class.UNIVERSAL,
    forge.asn1.Type.BITSTRING,
    false,
    String.fromCharCode(unused) + A.toBinary(bytes),
  );
}

const extension = (oid: string, critical: boolean, value: A.Asn1): A.Asn1 =>
  A.seq([A.oid(oid), ...(critical ? [A.bool(true)] : []), A.octetsOf(value)]);

function generalNames(dns: string[], ips: string[]): A.Asn1 {
  return A.seq([
    ...dns.map((d) => A.implicitBytes(2, d)),
    ...ips.map((ip) => A.implicitBytes(7, A.toBinary(ipBytes(ip)))),
  ]);
}

function extensionsFor(
  spec: CertificateSpec,
  subjectKeyId: Uint8Array,
  authorityKeyId: Uint8Array,
): A.Asn1[] {
  const ca = spec.profile === 'root-ca' || spec.profile === 'intermediate-ca';
  const exts: A.Asn1[] = [];
  const bc = ca ? [A.bool(true), ...(spec.pathLength !== undefined ? [A.int(spec.pathLength)] : [])] : [];
  exts.push(extension(OID.basicConstraints, true, A.seq(bc)));
  // digitalSignature(0), keyEncipherment(2) for RSA key transport, keyCertSign(5), cRLSign(6).
  const usage = ca ? [0, 5, 6] : isRsa(spec.publicKey) ? [0, 2] : [0];
  exts.push(extension(OID.keyUsage, true, namedBits(usage)));
  if (!ca)
    exts.push(
      extension(
        OID.extKeyUsage,
        false,
        A.seq([A.oid(spec.profile === 'server' ? OID.serverAuth : OID.clientAuth)]),
      ),
    );
  const { dns, ips } = sanEntries(spec.dnsNames ?? [], spec.ipAddresses ?? []);
  if (dns.length + ips.length > 0) exts.push(extension(OID.subjectAltName, false, generalNames(dns, ips)));
  exts.push(extension(OID.subjectKeyIdentifier, false, A.octets(subjectKeyId)));
  exts.push(
    extension(OID.authorityKeyIdentifier, false, A.seq([A.implicitBytes(0, A.toBinary(authorityKeyId))])),
  );
  return exts;
}

/** A signed certificate in DER. */
export function buildCertificate(spec: CertificateSpec): Uint8Array {
  for (const d of spec.dnsNames ?? []) checkHost(d);
  const spki = spkiDer(spec.publicKey);
  const subjectKeyId = keyIdentifier(spki);
  const signer = spec.issuer?.privateKey ?? spec.selfSigningKey;
  if (!signer) throw new EtlsError('invalid-argument', 'a certificate needs an issuer or a self-signing key');
  const subjectName = encodeName(spec.subject);
  const issuerName = spec.issuer ? A.raw(spec.issuer.name) : subjectName;
  const tbs = A.seq([
    A.explicit(0, A.int(2)),
    A.intBytes(randomSerial()),
    signatureAlgorithm(signer),
    issuerName,
    A.seq([A.time(spec.notBefore), A.time(spec.notAfter)]),
    subjectName,
    A.raw(spki),
    A.explicit(3, A.seq(extensionsFor(spec, subjectKeyId, spec.issuer?.keyId ?? subjectKeyId))),
  ]);
  return signStructure(tbs, signer);
}

export interface CsrSpec {
  subject: NameSpec;
  privateKey: KeyObject;
  publicKey: KeyObject;
  dnsNames?: string[];
  ipAddresses?: string[];
}

/** A signed PKCS#10 request in DER; SANs go in an extensionRequest attribute. */
export function buildCsr(spec: CsrSpec): Uint8Array {
  for (const d of spec.dnsNames ?? []) checkHost(d);
  const { dns, ips } = sanEntries(spec.dnsNames ?? [], spec.ipAddresses ?? []);
  const attributes =
    dns.length + ips.length > 0
      ? [
          A.seq([
            A.oid(OID.extensionRequest),
            A.set([A.seq([extension(OID.subjectAltName, false, generalNames(dns, ips))])]),
          ]),
        ]
      : [];
  const info = A.seq([
    A.int(0),
    encodeName(spec.subject),
    A.raw(spkiDer(spec.publicKey)),
    forge.asn1.create(forge.asn1.Class.CONTEXT_SPECIFIC, 0, true, attributes),
  ]);
  return signStructure(info, spec.privateKey);
}

/** The pieces of an existing CA certificate needed to sign with it. */
export function issuerFromCertificate(
  certDer: Uint8Array,
  privateKey: KeyObject,
): Issuer & { notAfter: Date } {
  let tbs: A.Asn1[];
  try {
    tbs = A.kids(A.kids(A.decode(certDer))[0]);
  } catch {
    throw new EtlsError(
      'malformed',
      'the CA certificate is damaged',
      'Recreate the PKI with etls pki init --force.',
    );
  }
  // tbs: [0] version, serial, sigAlg, issuer, validity, subject, spki, ...
  const subject = tbs[5];
  const spki = tbs[6];
  const validity = A.kids(tbs[4]);
  if (!subject || !spki || validity.length !== 2)
    throw new EtlsError('malformed', 'the CA certificate is not an X.509 v3 certificate');
  const end = validity[1]!;
  const notAfter =
    end.type === forge.asn1.Type.UTCTIME
      ? forge.asn1.utcTimeToDate(String(end.value))
      : forge.asn1.generalizedTimeToDate(String(end.value));
  return { name: A.encode(subject), privateKey, keyId: keyIdentifier(A.encode(spki)), notAfter };
}
