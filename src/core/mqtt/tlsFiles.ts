// Reads the CA, client certificate and key (PEM or DER) into what Node's TLS takes, and checks them
// against each other first, so a wrong pass phrase or a mismatched key is named before any network.
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { EtlsError } from '../errors';
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

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function text(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('latin1');
}

function isPem(bytes: Uint8Array): boolean {
  return text(bytes.subarray(0, 4096)).includes('-----BEGIN ');
}

/** Every certificate in a PEM bundle or one DER certificate. */
export function readCertificates(name: string, bytes: Uint8Array): X509Certificate[] {
  const der = !isPem(bytes);
  const blocks = der ? [Buffer.from(bytes)] : (text(bytes).match(PEM_CERT) ?? []);
  if (blocks.length === 0)
    throw new EtlsError(
      'unrecognized',
      `${name} holds no certificate`,
      'Pick a PEM or DER certificate file (.pem, .crt, .cer, .der).',
    );
  return blocks.map((b) => {
    try {
      return new X509Certificate(b);
    } catch {
      throw new EtlsError(
        'malformed',
        `${name} is not a readable certificate`,
        'Check that the file is a certificate in PEM or DER, not a key or a CSR.',
      );
    }
  });
}

/** The private key, decrypted with the pass phrase when it is encrypted. */
export function readPrivateKey(name: string, bytes: Uint8Array, passphrase?: string): KeyObject {
  const buf = Buffer.from(bytes);
  const pem = isPem(bytes);
  const encrypted = pem && /ENCRYPTED/.test(text(bytes));
  if (encrypted && !passphrase)
    throw new EtlsError(
      'encrypted',
      `${name} is encrypted with a pass phrase`,
      'Enter the pass phrase (--passphrase-env VAR in the CLI).',
    );
  const attempts: Parameters<typeof createPrivateKey>[0][] = pem
    ? [{ key: buf, format: 'pem', passphrase }]
    : [
        { key: buf, format: 'der', type: 'pkcs8' },
        { key: buf, format: 'der', type: 'pkcs1' },
        { key: buf, format: 'der', type: 'sec1' },
        { key: buf, format: 'der', type: 'pkcs8', passphrase },
      ];
  for (const a of attempts) {
    try {
      return createPrivateKey(a);
    } catch (e) {
      const code = (e as { code?: string }).code ?? '';
      if (encrypted || /BAD_DECRYPT|bad decrypt/i.test(code + String((e as Error).message)))
        throw new EtlsError(
          'wrong-passphrase',
          `The pass phrase does not open ${name}`,
          'Check the pass phrase; it is case-sensitive.',
        );
    }
  }
  throw new EtlsError(
    'unrecognized',
    `${name} is not a readable private key`,
    'Pick the device private key in PEM or DER (PKCS#1, PKCS#8 or SEC1).',
  );
}

/** The first CN of a distinguished name in Node's one-attribute-per-line form, or the whole name. */
export function commonName(dn: string): string {
  const m = /(?:^|\n)CN=([^\n]+)/.exec(dn);
  return m?.[1] ?? dn.replace(/\n/g, ', ');
}

export function prepareTls(m: TlsMaterial): PreparedTls {
  const facts: LocalFacts = {};
  const out: PreparedTls = { caCerts: [], facts };
  if (m.ca) {
    out.caCerts = readCertificates(m.ca.name, m.ca.bytes);
    out.ca = out.caCerts.map((c) => c.toString());
    facts.caFile = m.ca.name;
    facts.caNames = out.caCerts.map((c) => commonName(c.subject));
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
    const chain = readCertificates(m.cert.name, m.cert.bytes);
    const leaf = chain[0]!;
    out.clientCert = leaf;
    out.cert = chain.map((c) => c.toString()).join('');
    const key = readPrivateKey(m.key.name, m.key.bytes, m.passphrase);
    out.key = key.export({ type: 'pkcs8', format: 'pem' }).toString();
    const fromKey = createPublicKey(key).export({ type: 'spki', format: 'der' });
    const fromCert = leaf.publicKey.export({ type: 'spki', format: 'der' });
    if (!Buffer.from(fromKey).equals(Buffer.from(fromCert)))
      throw new EtlsError(
        'invalid-argument',
        `${m.key.name} is not the private key of ${m.cert.name}`,
        'Pick the key that was generated with this certificate (their public keys must match).',
      );
    facts.clientCertFile = m.cert.name;
    facts.clientCertName = commonName(leaf.subject);
    facts.clientCertIssuer = commonName(leaf.issuer);
    if (out.caCerts.length) facts.clientCertIssuerInCaFile = out.caCerts.some((ca) => leaf.checkIssued(ca));
  }
  return out;
}
