// Reads the CA, client certificate and key (PEM or DER) into what Node's TLS takes, and checks them
// against each other first, so a wrong pass phrase or a mismatched key is named before any network.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { EtlsError } from '../errors';
import { nameLabel, readObjects, type CertificateInfo, type PrivateKeyInfo } from '../x509';
import type { LocalFacts } from './explain';
import type { TlsMaterial } from './types';

export interface PreparedTls {
  ca?: string[];
  cert?: string;
  /** Decrypted, in memory only: Node's TLS takes PEM text, not a KeyObject. */
  key?: string;
  caCerts: X509Certificate[];
  clientCert?: X509Certificate;
  facts: LocalFacts;
}

// Traditional DSA keys have no Node DER type; 'pkcs1' makes Node refuse them with its own error.
const NODE_TYPE = { 'PKCS#1': 'pkcs1', 'PKCS#8': 'pkcs8', SEC1: 'sec1', DSA: 'pkcs1' } as const;

/** Every certificate in a file (a PEM bundle or one DER certificate), decoded by the shared reader. */
function certificateInfos(name: string, bytes: Uint8Array): CertificateInfo[] {
  const r = readObjects(bytes, { fileName: name });
  const certs = r.objects.map((f) => f.object).filter((o): o is CertificateInfo => o.kind === 'certificate');
  const problem = r.problems[0];
  if (problem)
    throw new EtlsError(
      problem.code,
      `${name}: ${problem.message}`,
      problem.fix ?? 'Pick a PEM or DER certificate file (.pem, .crt, .cer, .der).',
    );
  if (certs.length === 0)
    throw new EtlsError(
      'unrecognized',
      `${name} holds no certificate`,
      'Pick a PEM or DER certificate file (.pem, .crt, .cer, .der).',
    );
  return certs;
}

/** Every certificate in a PEM bundle or one DER certificate. */
export function readCertificates(name: string, bytes: Uint8Array): X509Certificate[] {
  return certificateInfos(name, bytes).map((c) => new X509Certificate(c.der));
}

function privateKeyInfo(name: string, bytes: Uint8Array, passphrase?: string): PrivateKeyInfo {
  const r = readObjects(bytes, { fileName: name, ...(passphrase !== undefined ? { passphrase } : {}) });
  if (r.problems.some((p) => p.code === 'wrong-passphrase'))
    throw new EtlsError(
      'wrong-passphrase',
      `The pass phrase does not open ${name}`,
      'Check the pass phrase; it is case-sensitive.',
    );
  const key = r.objects.map((f) => f.object).find((o): o is PrivateKeyInfo => o.kind === 'privateKey');
  if (!key)
    throw new EtlsError(
      'unrecognized',
      `${name} is not a readable private key`,
      'Pick the device private key in PEM or DER (PKCS#1, PKCS#8 or SEC1).',
    );
  if (!key.der || !key.publicKey)
    throw new EtlsError(
      'encrypted',
      `${name} is encrypted with a pass phrase`,
      'Enter the pass phrase (--passphrase-env VAR in the CLI).',
    );
  return key;
}

/** The private key, decrypted with the pass phrase when it is encrypted. */
export function readPrivateKey(name: string, bytes: Uint8Array, passphrase?: string): KeyObject {
  const key = privateKeyInfo(name, bytes, passphrase);
  return createPrivateKey({ key: Buffer.from(key.der!), format: 'der', type: NODE_TYPE[key.format] });
}

/**
 * The first CN of a distinguished name in Node's one-attribute-per-line form, or the whole name:
 * for the broker's live chain, which arrives as Node certificate objects.
 */
export function commonName(dn: string): string {
  const m = /(?:^|\n)CN=([^\n]+)/.exec(dn);
  return m?.[1] ?? dn.replace(/\n/g, ', ');
}

export function prepareTls(m: TlsMaterial): PreparedTls {
  const facts: LocalFacts = {};
  const out: PreparedTls = { caCerts: [], facts };
  if (m.ca) {
    const infos = certificateInfos(m.ca.name, m.ca.bytes);
    out.caCerts = infos.map((c) => new X509Certificate(c.der));
    out.ca = out.caCerts.map((c) => c.toString());
    facts.caFile = m.ca.name;
    facts.caNames = infos.map((c) => nameLabel(c.subject));
  }
  if (m.cert && !m.key)
    throw new EtlsError(
      'invalid-argument',
      'A client certificate was given without its private key',
      'Set the key file too (--key).',
    );
  if (m.key && !m.cert)
    throw new EtlsError(
      'invalid-argument',
      'A private key was given without its client certificate',
      'Set the certificate file too (--cert).',
    );
  if (m.cert && m.key) {
    const chainInfo = certificateInfos(m.cert.name, m.cert.bytes);
    const chain = chainInfo.map((c) => new X509Certificate(c.der));
    const leaf = chain[0]!;
    out.clientCert = leaf;
    out.cert = chain.map((c) => c.toString()).join('');
    const keyInfo = privateKeyInfo(m.key.name, m.key.bytes, m.passphrase);
    const key = createPrivateKey({
      key: Buffer.from(keyInfo.der!),
      format: 'der',
      type: NODE_TYPE[keyInfo.format],
    });
    out.key = key.export({ type: 'pkcs8', format: 'pem' }).toString();
    if (keyInfo.publicKey!.sha256 !== chainInfo[0]!.publicKey.sha256)
      throw new EtlsError(
        'invalid-argument',
        `${m.key.name} is not the private key of ${m.cert.name}`,
        'Pick the key that was generated with this certificate (their public keys must match).',
      );
    facts.clientCertFile = m.cert.name;
    facts.clientCertName = nameLabel(chainInfo[0]!.subject);
    facts.clientCertIssuer = nameLabel(chainInfo[0]!.issuer);
    if (out.caCerts.length) facts.clientCertIssuerInCaFile = out.caCerts.some((ca) => leaf.checkIssued(ca));
  }
  return out;
}
