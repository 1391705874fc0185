// X.509 certificates from DER: every field the explorer, the checks and the CLI show.
import { createHash } from 'node:crypto';
import {
  children,
  decodeOid,
  decodeTime,
  DerError,
  expectTag,
  integerHex,
  readElement,
  smallInteger,
  TAG,
  whole,
} from './der';
import { decodeExtensions } from './extensions';
import { decodeName, sameName } from './names';
import { SIGNATURE_ALGORITHMS } from './oids';
import { decodeSpki } from './publicKey';
import type { CertificateInfo } from './types';

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function decodeCertificate(der: Uint8Array): CertificateInfo {
  const cert = readElement(der, 0);
  if (cert.end !== der.length) throw new DerError('malformed', 'trailing bytes after the certificate');
  const [tbsEl, sigAlgEl, sigEl] = children(der, expectTag(cert, TAG.SEQUENCE, 'certificate'));
  const tbs = children(der, expectTag(tbsEl, TAG.SEQUENCE, 'certificate body'));
  expectTag(sigAlgEl, TAG.SEQUENCE, 'signature algorithm');
  expectTag(sigEl, TAG.BIT_STRING, 'signature');
  let i = 0;
  let version = 1;
  if (tbs[0]?.tag === 0xa0) {
    const [v] = children(der, tbs[0]);
    version = smallInteger(der, expectTag(v, TAG.INTEGER, 'version')) + 1;
    i = 1;
  }
  const serialEl = expectTag(tbs[i], TAG.INTEGER, 'serial number');
  expectTag(tbs[i + 1], TAG.SEQUENCE, 'signature algorithm');
  const issuer = decodeName(der, expectTag(tbs[i + 2], TAG.SEQUENCE, 'issuer'));
  const [nb, na] = children(der, expectTag(tbs[i + 3], TAG.SEQUENCE, 'validity'));
  if (!nb || !na) throw new DerError('malformed', 'validity is incomplete');
  const subjectEl = expectTag(tbs[i + 4], TAG.SEQUENCE, 'subject');
  const subject = decodeName(der, subjectEl);
  const publicKey = decodeSpki(der, expectTag(tbs[i + 5], TAG.SEQUENCE, 'public key info'));
  const extWrapper = tbs.slice(i + 6).find((e) => e.tag === 0xa3);
  const ext = extWrapper
    ? decodeExtensions(der, readElement(der, extWrapper.valueStart, extWrapper.end))
    : { subjectAltNames: [] };
  const [sigOidEl] = children(der, sigAlgEl!);
  const sigOid = decodeOid(der, expectTag(sigOidEl, TAG.OID, 'signature algorithm'));

  const info: CertificateInfo = {
    kind: 'certificate',
    der,
    version,
    subject,
    issuer,
    serialNumber: integerHex(der, serialEl),
    notBefore: decodeTime(der, nb),
    notAfter: decodeTime(der, na),
    publicKey,
    signatureAlgorithm: SIGNATURE_ALGORITHMS[sigOid] ?? sigOid,
    sha1Fingerprint: createHash('sha1').update(der).digest('hex'),
    sha256Fingerprint: createHash('sha256').update(der).digest('hex'),
    selfSigned: false,
    isCA: ext.basicConstraints?.ca === true,
    ...ext,
  };
  // OpenSSL's notion (EXFLAG_SS): the names match and the key identifiers, when present, agree.
  // Checking the signature here would cost a P-384 verification per root; chains use certificateSignedBy.
  info.selfSigned =
    (bytesEqual(whole(der, tbs[i + 2]!), whole(der, subjectEl)) || sameName(issuer, subject)) &&
    (ext.authorityKeyIdentifier === undefined ||
      ext.subjectKeyIdentifier === undefined ||
      ext.authorityKeyIdentifier === ext.subjectKeyIdentifier);
  return info;
}
