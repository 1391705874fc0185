// Certificate revocation lists (X509 CRL, DER or PEM): issuer, dates and revoked serial numbers.
import { createHash } from 'node:crypto';
import { children, decodeOid, decodeTime, DerError, expectTag, integerHex, readElement, TAG } from './der';
import { decodeName } from './names';
import { SIGNATURE_ALGORITHMS } from './oids';
import type { CrlInfo } from './types';

const isTime = (tag: number | undefined) => tag === TAG.UTC_TIME || tag === TAG.GENERALIZED_TIME;

export function decodeCrl(der: Uint8Array): CrlInfo {
  const outer = readElement(der, 0);
  if (outer.end !== der.length) throw new DerError('malformed', 'trailing bytes after the CRL');
  const [tbsEl, sigAlgEl] = children(der, expectTag(outer, TAG.SEQUENCE, 'CRL'));
  const tbs = children(der, expectTag(tbsEl, TAG.SEQUENCE, 'CRL body'));
  let i = tbs[0]?.tag === TAG.INTEGER ? 1 : 0;
  expectTag(tbs[i++], TAG.SEQUENCE, 'CRL signature algorithm');
  const issuer = decodeName(der, expectTag(tbs[i++], TAG.SEQUENCE, 'CRL issuer'));
  const thisEl = tbs[i++];
  if (!thisEl || !isTime(thisEl.tag)) throw new DerError('malformed', 'CRL thisUpdate is missing');
  const thisUpdate = decodeTime(der, thisEl);
  let nextUpdate: Date | undefined;
  if (isTime(tbs[i]?.tag)) nextUpdate = decodeTime(der, tbs[i++]!);
  const revokedSerials: string[] = [];
  if (tbs[i]?.tag === TAG.SEQUENCE)
    for (const entry of children(der, tbs[i]!)) {
      const [serial] = children(der, entry);
      revokedSerials.push(integerHex(der, expectTag(serial, TAG.INTEGER, 'revoked serial number')));
    }
  const [sigOid] = children(der, expectTag(sigAlgEl, TAG.SEQUENCE, 'CRL signature algorithm'));
  const oid = decodeOid(der, expectTag(sigOid, TAG.OID, 'CRL signature algorithm'));
  const crl: CrlInfo = {
    kind: 'crl',
    der,
    issuer,
    thisUpdate,
    revokedSerials,
    signatureAlgorithm: SIGNATURE_ALGORITHMS[oid] ?? oid,
    sha256Fingerprint: createHash('sha256').update(der).digest('hex'),
  };
  if (nextUpdate) crl.nextUpdate = nextUpdate;
  return crl;
}
