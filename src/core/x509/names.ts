// Distinguished names: structured attributes and the RFC 4514 string, most-specific RDN first.
import { children, decodeOid, decodeString, DerError, toHex, whole, type DerElement, TAG } from './der';
import { ATTRIBUTE_NAMES } from './oids';
import type { DistinguishedName, NameAttribute } from './types';

const STRING_TAGS = new Set<number>([
  TAG.UTF8,
  TAG.PRINTABLE,
  TAG.T61,
  TAG.IA5,
  TAG.NUMERIC,
  TAG.VISIBLE,
  TAG.UNIVERSAL,
  TAG.BMP,
]);

/** RFC 4514 §2.4 escaping. */
export function escapeRfc4514(v: string): string {
  let s = v.replace(/[\\"+,;<>]/g, (c) => '\\' + c).replace(/\0/g, '\\00');
  if (s.startsWith('#') || s.startsWith(' ')) s = '\\' + s;
  if (s.endsWith(' ') && s.length > 1 && !s.endsWith('\\ ')) s = s.slice(0, -1) + '\\ ';
  return s;
}

export function decodeName(buf: Uint8Array, nameEl: DerElement): DistinguishedName {
  if (nameEl.tag !== TAG.SEQUENCE) throw new DerError('malformed', 'name has the wrong type');
  const attributes: NameAttribute[] = [];
  const rdnStrings: string[] = [];
  for (const rdn of children(buf, nameEl)) {
    if (rdn.tag !== TAG.SET)
      throw new DerError('malformed', 'relative distinguished name has the wrong type');
    const parts: string[] = [];
    for (const atv of children(buf, rdn)) {
      const [typeEl, valueEl] = children(buf, atv);
      if (!typeEl || typeEl.tag !== TAG.OID || !valueEl)
        throw new DerError('malformed', 'name attribute is incomplete');
      const oid = decodeOid(buf, typeEl);
      const type = ATTRIBUTE_NAMES[oid] ?? oid;
      if (STRING_TAGS.has(valueEl.tag)) {
        const value = decodeString(buf, valueEl);
        attributes.push({ type, oid, value });
        parts.push(`${type}=${escapeRfc4514(value)}`);
      } else {
        // Upper-case hex, as OpenSSL prints values that are not strings.
        const hex = '#' + toHex(whole(buf, valueEl)).toUpperCase();
        attributes.push({ type, oid, value: hex });
        parts.push(`${type}=${hex}`);
      }
    }
    // Most-specific first, as OpenSSL prints RFC 2253 names: reverse within multi-valued RDNs too.
    rdnStrings.push(parts.reverse().join('+'));
  }
  let commonName: string | undefined;
  for (const a of attributes) if (a.type === 'CN') commonName = a.value;
  const dn: DistinguishedName = { rfc4514: rdnStrings.reverse().join(','), attributes };
  if (commonName !== undefined) dn.commonName = commonName;
  return dn;
}

/** A short human label: the CN, else O/OU, else the RFC 4514 string. */
export function nameLabel(dn: DistinguishedName): string {
  if (dn.commonName) return dn.commonName;
  const o = dn.attributes.find((a) => a.type === 'OU') ?? dn.attributes.find((a) => a.type === 'O');
  return o?.value ?? (dn.rfc4514 || '(empty name)');
}

/**
 * An attribute value as names are compared (RFC 5280 §7.1, as OpenSSL does it): leading and
 * trailing white space removed, inner runs folded to one space, ASCII letters in lower case.
 */
function canonicalValue(v: string): string {
  return v
    .replace(/[\t\n\v\f\r ]+/g, ' ')
    .trim()
    .replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** A key that is equal for two names that match as issuer and subject ("PolarSSL" = "Polarssl"). */
export function nameKey(dn: DistinguishedName): string {
  return dn.attributes.map((a) => `${a.oid}=${canonicalValue(a.value)}`).join('\u0000');
}

/** Whether two names are the same name, as certificate path validation compares them. */
export function sameName(a: DistinguishedName, b: DistinguishedName): boolean {
  return a.rfc4514 === b.rfc4514 || nameKey(a) === nameKey(b);
}
