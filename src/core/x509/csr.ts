// PKCS#10 certificate signing requests.
import { createPublicKey, verify } from 'node:crypto';
import { children, decodeOid, DerError, expectTag, readElement, TAG, value, whole } from './der';
import { decodeExtensions } from './extensions';
import { decodeName } from './names';
import { OID, SIGNATURE_ALGORITHMS } from './oids';
import { decodeSpki } from './publicKey';
import type { CsrInfo, SubjectAltName } from './types';

const HASH_OF: Record<string, string | null> = {
  sha1WithRSAEncryption: 'sha1',
  sha224WithRSAEncryption: 'sha224',
  sha256WithRSAEncryption: 'sha256',
  sha384WithRSAEncryption: 'sha384',
  sha512WithRSAEncryption: 'sha512',
  'ecdsa-with-SHA1': 'sha1',
  'ecdsa-with-SHA224': 'sha224',
  'ecdsa-with-SHA256': 'sha256',
  'ecdsa-with-SHA384': 'sha384',
  'ecdsa-with-SHA512': 'sha512',
  Ed25519: null,
  Ed448: null,
};

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
  if (attrs && attrs.tag === 0xa0) {
    for (const attr of children(der, attrs)) {
      const [oidEl, set] = children(der, attr);
      if (oidEl && set && decodeOid(der, oidEl) === OID.extensionRequest) {
        const [exts] = children(der, set);
        if (exts) subjectAltNames = decodeExtensions(der, exts).subjectAltNames;
      }
    }
  }
  const [sigOid] = children(der, expectTag(algEl, TAG.SEQUENCE, 'signature algorithm'));
  const oid = decodeOid(der, expectTag(sigOid, TAG.OID, 'signature algorithm'));
  const signatureAlgorithm = SIGNATURE_ALGORITHMS[oid] ?? oid;
  let signatureValid = false;
  const hash = HASH_OF[signatureAlgorithm];
  if (hash !== undefined && sigEl?.tag === TAG.BIT_STRING) {
    try {
      const key = createPublicKey({ key: Buffer.from(publicKey.spki), format: 'der', type: 'spki' });
      signatureValid = verify(hash, whole(der, criEl!), key, value(der, sigEl).subarray(1));
    } catch {
      signatureValid = false;
    }
  }
  return { kind: 'csr', der, subject, subjectAltNames, publicKey, signatureAlgorithm, signatureValid };
}
