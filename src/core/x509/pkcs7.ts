// PKCS#7 / CMS SignedData bundles (.p7b, .p7c, PEM `PKCS7`): the certificates and CRLs they carry.
import { children, decodeOid, DerError, expectTag, readElement, TAG, whole } from './der';
import { OID } from './oids';

export interface Pkcs7Contents {
  certificates: Uint8Array[];
  crls: Uint8Array[];
}

/** The DER of every certificate and CRL in a ContentInfo holding SignedData. */
export function pkcs7Contents(der: Uint8Array): Pkcs7Contents {
  const outer = readElement(der, 0);
  if (outer.end !== der.length) throw new DerError('malformed', 'trailing bytes after the PKCS#7 bundle');
  const [typeEl, wrapper] = children(der, expectTag(outer, TAG.SEQUENCE, 'PKCS#7 content info'));
  const type = decodeOid(der, expectTag(typeEl, TAG.OID, 'PKCS#7 content type'));
  if (type !== OID.pkcs7SignedData)
    throw new DerError(
      'malformed',
      `PKCS#7 content type ${type} is not signed data, which carries certificates`,
    );
  const [signed] = children(der, expectTag(wrapper, 0xa0, 'PKCS#7 content'));
  const fields = children(der, expectTag(signed, TAG.SEQUENCE, 'PKCS#7 signed data'));
  const out: Pkcs7Contents = { certificates: [], crls: [] };
  for (const f of fields) {
    // [0] IMPLICIT certificates, [1] IMPLICIT crls: SETs of certificates and CRLs.
    if (f.tag !== 0xa0 && f.tag !== 0xa1) continue;
    for (const item of children(der, f)) {
      // Other certificate formats ([0]..[3] in CMS) are not X.509 certificates: skip them.
      if (item.tag !== TAG.SEQUENCE) continue;
      (f.tag === 0xa0 ? out.certificates : out.crls).push(whole(der, item));
    }
  }
  return out;
}
