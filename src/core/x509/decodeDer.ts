// One DER structure of a known kind (certificate, CSR, key, parameters, CRL, PKCS#12) decoded into an
// X509Object; the reader finds the kind, this file dispatches to the decoders.
import { createPublicKey } from 'node:crypto';
import { EtlsError } from '../errors';
import { decodeCertificate } from './certificate';
import { decodeCrl } from './crl';
import { decodeCsr } from './csr';
import { children, decodeOid, DerError, integerBits, readElement, smallInteger, TAG } from './der';
import type { DerKind } from './detect';
import { CURVES } from './oids';
import { decodePkcs12 } from './pkcs12';
import { decodeEncryptedPkcs8, decodePlainPrivateKey } from './privateKey';
import { decodeSpkiDer, explicitCurve } from './publicKey';
import type { DhParametersInfo, X509Object } from './types';

/** PKCS#3 DHParameter (p, g, [length]) or X9.42 DomainParameters (p, g, q, ...). */
function decodeDhParameters(der: Uint8Array): DhParametersInfo {
  const outer = readElement(der, 0);
  if (outer.end !== der.length) throw new DerError('malformed', 'trailing bytes after the DH parameters');
  const [p, g] = children(der, outer);
  if (p?.tag !== TAG.INTEGER || g?.tag !== TAG.INTEGER)
    throw new DerError('malformed', 'DH parameters lack the prime and generator');
  const info: DhParametersInfo = { kind: 'dhParameters', bits: integerBits(der, p) };
  try {
    info.generator = smallInteger(der, g);
  } catch {
    /* a large generator (X9.42) is not shown */
  }
  return info;
}

/** Decodes one DER structure of a known kind. */
export function decodeDerAs(kind: DerKind, der: Uint8Array, passphrase?: string): X509Object {
  switch (kind) {
    case 'certificate':
      return decodeCertificate(der);
    case 'csr':
      return decodeCsr(der);
    case 'pkcs1-private':
      return decodePlainPrivateKey(der, 'PKCS#1');
    case 'pkcs8-private':
      return decodePlainPrivateKey(der, 'PKCS#8');
    case 'sec1-private':
      return decodePlainPrivateKey(der, 'SEC1');
    case 'encrypted-pkcs8':
      return decodeEncryptedPkcs8(der, passphrase);
    case 'spki':
      return { kind: 'publicKey', format: 'SPKI', publicKey: decodeSpkiDer(der) };
    case 'pkcs1-public': {
      const spki = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'pkcs1' }).export({
        type: 'spki',
        format: 'der',
      });
      return { kind: 'publicKey', format: 'PKCS#1', publicKey: decodeSpkiDer(new Uint8Array(spki)) };
    }
    case 'pkcs12':
      return decodePkcs12(der, passphrase);
    case 'ec-parameters': {
      const el = readElement(der, 0);
      if (el.tag === TAG.SEQUENCE) return { kind: 'ecParameters', curve: explicitCurve(der, el).curve };
      const oid = decodeOid(der, el);
      return { kind: 'ecParameters', curve: CURVES[oid]?.name ?? oid };
    }
    case 'dsa-private':
      return decodePlainPrivateKey(der, 'DSA');
    case 'dh-parameters':
      return decodeDhParameters(der);
    case 'crl':
      return decodeCrl(der);
    case 'pkcs7':
      throw new EtlsError(
        'unsupported',
        'a PKCS#7 bundle holds several objects',
        'Read it with readObjects, which lists each certificate.',
      );
  }
}
