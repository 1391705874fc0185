// The one-line description of what a header input holds. Every summary in a header comes from
// `summarize`, so switching to another decoder touches only this file.
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';

export type InputKind = 'certificate' | 'privateKey' | 'publicKey' | 'csr' | 'data';

export interface InputSummary {
  kind: InputKind;
  /** e.g. "certificate CN=device-01, issued by Dev CA, expires 2027-03-01". */
  text: string;
  /** basicConstraints CA:TRUE; decides the role in the FreeRTOS, coreMQTT and Arduino layouts. */
  isCA: boolean;
  /** The PEM label this object has, or would get when converted from DER. */
  label?: string;
}

const CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

function keyText(key: KeyObject, encoding: string): string {
  const type = key.asymmetricKeyType ?? 'unknown';
  const d = key.asymmetricKeyDetails ?? {};
  const what =
    type === 'rsa' || type === 'rsa-pss'
      ? `RSA-${d.modulusLength ?? '?'}`
      : type === 'ec'
        ? `EC ${CURVES[d.namedCurve ?? ''] ?? d.namedCurve ?? ''}`.trim()
        : type === 'ed25519'
          ? 'Ed25519'
          : type.toUpperCase();
  return `${what} ${key.type === 'private' ? 'private' : 'public'} key, ${encoding}`;
}

function commonName(dn: string): string | undefined {
  const cn = dn
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('CN='));
  return cn?.slice(3);
}

function certificateSummary(der: Buffer): InputSummary | undefined {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    return undefined;
  }
  const subject = commonName(cert.subject) ?? cert.subject.split('\n').join(', ');
  const issuer = commonName(cert.issuer) ?? cert.issuer.split('\n').join(', ');
  const expires = new Date(cert.validTo);
  const date = Number.isNaN(expires.getTime()) ? cert.validTo : expires.toISOString().slice(0, 10);
  const by = cert.subject === cert.issuer ? 'self-signed' : `issued by ${issuer}`;
  const ca = cert.ca ? 'CA ' : '';
  return {
    kind: 'certificate',
    label: 'CERTIFICATE',
    isCA: cert.ca,
    text: `${ca}certificate CN=${subject}, ${by}, expires ${date}`,
  };
}

function privateKeySummary(der: Buffer): InputSummary | undefined {
  for (const [type, name, label] of [
    ['pkcs8', 'PKCS#8', 'PRIVATE KEY'],
    ['pkcs1', 'PKCS#1', 'RSA PRIVATE KEY'],
    ['sec1', 'SEC1', 'EC PRIVATE KEY'],
  ] as const) {
    try {
      const key = createPrivateKey({ key: der, format: 'der', type });
      return { kind: 'privateKey', label, isCA: false, text: keyText(key, name) };
    } catch {
      // not this encoding; try the next
    }
  }
  return undefined;
}

function publicKeySummary(der: Buffer): InputSummary | undefined {
  for (const [type, name, label] of [
    ['spki', 'SPKI', 'PUBLIC KEY'],
    ['pkcs1', 'PKCS#1', 'RSA PUBLIC KEY'],
  ] as const) {
    try {
      return {
        kind: 'publicKey',
        label,
        isCA: false,
        text: keyText(createPublicKey({ key: der, format: 'der', type }), name),
      };
    } catch {
      // not this encoding
    }
  }
  return undefined;
}

/**
 * Describes one DER object; `pemLabel` is the PEM label it came from, if any. Binary that is
 * neither a certificate nor a key is "data": a DER array may still carry it.
 */
export function summarize(der: Uint8Array, pemLabel?: string): InputSummary {
  const buf = Buffer.from(der.buffer, der.byteOffset, der.byteLength);
  if (pemLabel === 'ENCRYPTED PRIVATE KEY')
    return { kind: 'privateKey', isCA: false, text: 'encrypted private key, PKCS#8' };
  if (pemLabel?.endsWith('CERTIFICATE REQUEST'))
    return { kind: 'csr', isCA: false, text: 'certificate signing request' };
  if (!pemLabel && der[0] !== 0x30)
    return { kind: 'data', isCA: false, text: `${der.length} bytes, not a certificate or key` };
  // Certificates first: it is the common case and the cheapest to rule out for keys.
  if (!pemLabel || pemLabel.includes('CERTIFICATE')) {
    const cert = certificateSummary(buf);
    if (cert) return cert;
  }
  if (!pemLabel || pemLabel.includes('PRIVATE KEY')) {
    const key = privateKeySummary(buf);
    if (key) return key;
  }
  if (!pemLabel || pemLabel.includes('PUBLIC KEY')) {
    const key = publicKeySummary(buf);
    if (key) return key;
  }
  if (pemLabel?.includes('PRIVATE KEY'))
    return { kind: 'privateKey', isCA: false, text: `${pemLabel.toLowerCase()}` };
  return {
    kind: 'data',
    isCA: false,
    text: pemLabel ? `PEM block "${pemLabel}"` : `${der.length} bytes, not a certificate or key`,
  };
}
