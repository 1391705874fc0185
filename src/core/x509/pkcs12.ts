// PKCS#12 (.p12/.pfx) bundles, opened with node-forge, which reads both the legacy 3DES and the
// OpenSSL 3 default AES-256/PBKDF2 encodings.
import forge from 'node-forge';
import { EtlsError, isEtlsError } from '../errors';
import { decodeCertificate } from './certificate';
import { withGuardedForge } from './kdf';
import { decodePlainPrivateKey } from './privateKey';
import type { CertificateInfo, Pkcs12Info, PrivateKeyInfo } from './types';

function toBytes(binary: string): Uint8Array {
  return new Uint8Array(Buffer.from(binary, 'binary'));
}

/**
 * forge re-encodes the certificates and keys it models (and cannot model EC ones). While opening,
 * make its model builders decline, so every bag keeps its original ASN.1 and fingerprints come
 * from the original bytes.
 */
function open(der: Uint8Array, password: string): forge.pkcs12.Pkcs12Pfx {
  const pki = forge.pki as unknown as Record<string, unknown>;
  const saved = [pki['certificateFromAsn1'], pki['privateKeyFromAsn1']];
  const decline = () => {
    throw new Error('raw');
  };
  pki['certificateFromAsn1'] = decline;
  pki['privateKeyFromAsn1'] = decline;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(der).toString('binary')), {
      strict: false,
      parseAllBytes: false,
    } as never);
    return withGuardedForge(() => forge.pkcs12.pkcs12FromAsn1(asn1, false, password));
  } finally {
    [pki['certificateFromAsn1'], pki['privateKeyFromAsn1']] = saved;
  }
}

function isMacFailure(e: unknown): boolean {
  return /mac|password|invalid|decrypt/i.test((e as Error)?.message ?? '');
}

/** Opens the bundle with the pass phrase, or with the empty one when none is given. */
export function decodePkcs12(der: Uint8Array, passphrase?: string): Pkcs12Info {
  let pfx: forge.pkcs12.Pkcs12Pfx;
  try {
    pfx = open(der, passphrase ?? '');
  } catch (e) {
    if (isEtlsError(e)) throw e; // a refused key derivation says so itself
    if (!isMacFailure(e))
      throw new EtlsError(
        'malformed',
        'the PKCS#12 file is damaged or uses an encoding this reader does not know',
      );
    if (passphrase === undefined) return { kind: 'pkcs12', encrypted: true, contents: [], friendlyNames: [] };
    throw new EtlsError(
      'wrong-passphrase',
      'the password does not open this PKCS#12 file',
      'Check the export password.',
    );
  }
  const locked = passphrase !== undefined && passphrase !== '';
  const contents: Array<CertificateInfo | PrivateKeyInfo> = [];
  const friendlyNames: string[] = [];
  for (const safe of pfx.safeContents) {
    for (const bag of safe.safeBags) {
      const name = bag.attributes?.['friendlyName']?.[0];
      if (typeof name === 'string' && !friendlyNames.includes(name)) friendlyNames.push(name);
      if (!bag.asn1) continue;
      const raw = toBytes(forge.asn1.toDer(bag.asn1).getBytes());
      if (bag.type === forge.pki.oids['certBag']) contents.push(decodeCertificate(raw));
      else if (bag.type === forge.pki.oids['pkcs8ShroudedKeyBag'] || bag.type === forge.pki.oids['keyBag'])
        contents.push({ ...decodePlainPrivateKey(raw, 'PKCS#8'), encrypted: locked });
    }
  }
  return { kind: 'pkcs12', encrypted: locked, contents, friendlyNames };
}
