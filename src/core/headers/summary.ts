// The one-line description of what a header input holds, from the certificate model's reader.
// Every summary in a header comes from `summarize`, so the header and `etls inspect` agree.
import { classifyDer, describeObject, decodeDerAs, type DerKind } from '../x509';

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

const LABELS: Partial<Record<DerKind, string>> = {
  certificate: 'CERTIFICATE',
  csr: 'CERTIFICATE REQUEST',
  'pkcs1-private': 'RSA PRIVATE KEY',
  'pkcs8-private': 'PRIVATE KEY',
  'encrypted-pkcs8': 'ENCRYPTED PRIVATE KEY',
  'sec1-private': 'EC PRIVATE KEY',
  spki: 'PUBLIC KEY',
  'pkcs1-public': 'RSA PUBLIC KEY',
};

function data(der: Uint8Array, pemLabel?: string): InputSummary {
  return {
    kind: 'data',
    isCA: false,
    text: pemLabel ? `PEM block "${pemLabel}"` : `${der.length} bytes, not a certificate or key`,
  };
}

/**
 * Describes one DER object; `pemLabel` is the PEM label it came from, if any. Binary that is
 * neither a certificate nor a key is "data": a DER array may still carry it.
 */
export function summarize(der: Uint8Array, pemLabel?: string): InputSummary {
  // Arbitrary binary (firmware blobs, the benchmark's megabyte) is not worth a parse attempt.
  if (der[0] !== 0x30) return data(der, pemLabel);
  let kind: DerKind;
  try {
    kind = classifyDer(der);
  } catch {
    return data(der, pemLabel);
  }
  const label = LABELS[kind];
  try {
    const o = decodeDerAs(kind, der);
    const text = describeObject(o);
    switch (o.kind) {
      case 'certificate':
        return { kind: 'certificate', isCA: o.isCA, text, ...(label ? { label } : {}) };
      case 'privateKey':
      case 'publicKey':
      case 'csr':
        return { kind: o.kind, isCA: false, text, ...(label ? { label } : {}) };
      default:
        return { kind: 'data', isCA: false, text };
    }
  } catch {
    // Encrypted PKCS#8 without a pass phrase still is a private key for the header's warning.
    if (kind === 'encrypted-pkcs8')
      return {
        kind: 'privateKey',
        isCA: false,
        text: 'encrypted private key, PKCS#8',
        label: 'ENCRYPTED PRIVATE KEY',
      };
    return data(der, pemLabel);
  }
}
