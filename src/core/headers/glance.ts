// A quick look at a DER certificate for a header's comment: names, expiry, CA flag. It skips the
// full decode's signature check and key parsing, which would dominate `etls header` over a
// folder of root certificates; the wording matches describeObject.
import {
  children,
  decodeTime,
  expectTag,
  readElement,
  TAG,
  value,
  whole,
  type DerElement,
} from '../x509/der';
import { decodeName, nameLabel } from '../x509/names';
import { isoDate } from '../x509';

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** basicConstraints (2.5.29.19) says CA:TRUE; the other extensions are not needed for a summary. */
function isCertificateAuthority(der: Uint8Array, extensions: DerElement): boolean {
  for (const ext of children(der, extensions)) {
    const parts = children(der, ext);
    const oid = parts[0] && value(der, parts[0]);
    if (!oid || oid.length !== 3 || oid[0] !== 0x55 || oid[1] !== 0x1d || oid[2] !== 0x13) continue;
    const wrapped = parts[parts.length - 1]!;
    const inner = value(der, expectTag(wrapped, TAG.OCTET_STRING, 'basicConstraints'));
    const first = children(inner, readElement(inner, 0))[0];
    return first?.tag === TAG.BOOLEAN && value(inner, first)[0] !== 0;
  }
  return false;
}

/** The one-line summary and CA flag of a certificate; throws on DER that is not one. */
export function glanceCertificate(der: Uint8Array): { text: string; isCA: boolean } {
  const cert = readElement(der, 0);
  const [tbsEl] = children(der, expectTag(cert, TAG.SEQUENCE, 'certificate'));
  const tbs = children(der, expectTag(tbsEl, TAG.SEQUENCE, 'certificate body'));
  const i = tbs[0]?.tag === 0xa0 ? 1 : 0;
  const issuerEl = expectTag(tbs[i + 2], TAG.SEQUENCE, 'issuer');
  const subjectEl = expectTag(tbs[i + 4], TAG.SEQUENCE, 'subject');
  const [, notAfterEl] = children(der, expectTag(tbs[i + 3], TAG.SEQUENCE, 'validity'));
  const notAfter = decodeTime(der, expectTag(notAfterEl, notAfterEl?.tag ?? -1, 'expiry'));
  const subject = decodeName(der, subjectEl);
  const extWrapper = tbs.slice(i + 6).find((e) => e.tag === 0xa3);
  const isCA = extWrapper
    ? isCertificateAuthority(der, readElement(der, extWrapper.valueStart, extWrapper.end))
    : false;
  const who =
    subject.commonName !== undefined ? `CN=${subject.commonName}` : subject.rfc4514 || '(no subject)';
  const by = sameBytes(whole(der, issuerEl), whole(der, subjectEl))
    ? 'self-signed'
    : `issued by ${nameLabel(decodeName(der, issuerEl))}`;
  return {
    text: `${isCA ? 'CA certificate' : 'certificate'} ${who}, ${by}, expires ${isoDate(notAfter)}`,
    isCA,
  };
}
