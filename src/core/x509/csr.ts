// PKCS#10 certificate signing requests.
import {
  children,
  decodeOid,
  DerError,
  expectTag,
  readElement,
  TAG,
  value,
  whole,
  type DerElement,
} from './der';
import { decodeExtensions } from './extensions';
import { decodeName } from './names';
import { OID, SIGNATURE_ALGORITHMS } from './oids';
import { decodeSpki } from './publicKey';
import { signatureVerifies } from './signature';
import type { CsrInfo, SubjectAltName } from './types';

/** The subjectAltName of the extension request attribute, if there is one. */
function requestedNames(der: Uint8Array, attrs: DerElement): SubjectAltName[] {
  for (const attr of children(der, attrs)) {
    const [oidEl, set] = children(der, attr);
    if (oidEl && set && decodeOid(der, oidEl) === OID.extensionRequest) {
      const [exts] = children(der, set);
      if (exts) return decodeExtensions(der, exts).subjectAltNames;
    }
  }
  return [];
}

export function decodeCsr(der: Uint8Array): CsrInfo {
  const outer = readElement(der, 0);
  if (outer.end !== der.length)
    throw new DerError('malformed', 'trailing bytes after the certificate request');
  const [criEl, algEl, sigEl] = children(der, expectTag(outer, TAG.SEQUENCE, 'certificate request'));
  const cri = children(der, expectTag(criEl, TAG.SEQUENCE, 'request body'));
  const subject = decodeName(der, expectTag(cri[1], TAG.SEQUENCE, 'subject'));
  const publicKey = decodeSpki(der, expectTag(cri[2], TAG.SEQUENCE, 'public key info'));
  let subjectAltNames: SubjectAltName[] = [];
  const attrs = cri[3];
  // Damaged attributes do not make the CSR unreadable: OpenSSL decodes them only when used.
  if (attrs && attrs.tag === 0xa0)
    try {
      subjectAltNames = requestedNames(der, attrs);
    } catch (e) {
      if (!(e instanceof DerError)) throw e;
    }
  const [sigOid] = children(der, expectTag(algEl, TAG.SEQUENCE, 'signature algorithm'));
  const oid = decodeOid(der, expectTag(sigOid, TAG.OID, 'signature algorithm'));
  const signatureAlgorithm = SIGNATURE_ALGORITHMS[oid] ?? oid;
  const signatureValid =
    sigEl?.tag === TAG.BIT_STRING &&
    signatureVerifies(signatureAlgorithm, whole(der, criEl!), value(der, sigEl).subarray(1), publicKey);
  return { kind: 'csr', der, subject, subjectAltNames, publicKey, signatureAlgorithm, signatureValid };
}
