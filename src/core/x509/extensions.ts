// The certificate extensions a firmware developer needs: SAN, basicConstraints, key usages, key ids.
import { children, decodeOid, DerError, readElement, TAG, toHex, value, type DerElement } from './der';
import { EXTENDED_KEY_USAGES, KEY_USAGE_BITS, OID } from './oids';
import type { CertificateInfo, SubjectAltName } from './types';

const latin1 = new TextDecoder('latin1');

export function formatIp(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join('.');
  if (b.length !== 16) return `#${toHex(b)}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i]! << 8) | b[i + 1]!);
  // RFC 5952: compress the longest run of two or more zero groups.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

export function decodeGeneralNames(buf: Uint8Array, seq: DerElement): SubjectAltName[] {
  const out: SubjectAltName[] = [];
  for (const gn of children(buf, seq)) {
    const v = value(buf, gn);
    switch (gn.tag) {
      case 0x82:
        out.push({ type: 'dns', value: latin1.decode(v) });
        break;
      case 0x87:
        out.push({ type: 'ip', value: formatIp(v) });
        break;
      case 0x86:
        out.push({ type: 'uri', value: latin1.decode(v) });
        break;
      case 0x81:
        out.push({ type: 'email', value: latin1.decode(v) });
        break;
      default:
        out.push({ type: 'other', value: `[${gn.tag & 0x1f}] ${toHex(v)}` });
    }
  }
  return out;
}

type ExtensionFields = Pick<
  CertificateInfo,
  | 'subjectAltNames'
  | 'basicConstraints'
  | 'keyUsage'
  | 'extendedKeyUsage'
  | 'subjectKeyIdentifier'
  | 'authorityKeyIdentifier'
>;

/** Reads a SEQUENCE OF Extension into the fields the model keeps; unknown extensions are ignored. */
export function decodeExtensions(buf: Uint8Array, extsSeq: DerElement): ExtensionFields {
  const out: ExtensionFields = { subjectAltNames: [] };
  if (extsSeq.tag !== TAG.SEQUENCE) throw new DerError('malformed', 'extensions have the wrong type');
  for (const ext of children(buf, extsSeq)) {
    const parts = children(buf, ext);
    const oidEl = parts[0];
    if (!oidEl || oidEl.tag !== TAG.OID) throw new DerError('malformed', 'extension without an identifier');
    const critical = parts[1]?.tag === TAG.BOOLEAN && buf[parts[1].valueStart] !== 0;
    const octets = parts[parts.length - 1];
    if (!octets || octets.tag !== TAG.OCTET_STRING)
      throw new DerError('malformed', 'extension without a value');
    const inner = (): DerElement => readElement(buf, octets.valueStart, octets.end);
    const oid = decodeOid(buf, oidEl);
    try {
      decodeExtension(buf, oid, critical, inner, out);
    } catch (e) {
      // A damaged extension value does not make the certificate unreadable: OpenSSL decodes
      // extension values only when they are used, and so does a TLS stack for the ones it ignores.
      if (!(e instanceof DerError)) throw e;
    }
  }
  return out;
}

function decodeExtension(
  buf: Uint8Array,
  oid: string,
  critical: boolean,
  inner: () => DerElement,
  out: ExtensionFields,
): void {
  {
    switch (oid) {
      case OID.subjectAltName:
        out.subjectAltNames = decodeGeneralNames(buf, inner());
        break;
      case OID.basicConstraints: {
        const fields = children(buf, inner());
        let ca = false;
        let pathLength: number | undefined;
        for (const f of fields) {
          if (f.tag === TAG.BOOLEAN) ca = buf[f.valueStart] !== 0;
          else if (f.tag === TAG.INTEGER) pathLength = Number.parseInt(toHex(value(buf, f)) || '0', 16);
        }
        out.basicConstraints = pathLength === undefined ? { ca, critical } : { ca, pathLength, critical };
        break;
      }
      case OID.keyUsage: {
        const bits = value(buf, inner());
        const names: string[] = [];
        for (let i = 0; i < KEY_USAGE_BITS.length; i++) {
          const byte = bits[1 + (i >> 3)];
          if (byte !== undefined && byte & (0x80 >> (i & 7))) names.push(KEY_USAGE_BITS[i]!);
        }
        out.keyUsage = names;
        break;
      }
      case OID.extKeyUsage:
        out.extendedKeyUsage = children(buf, inner()).map((o) => {
          const usage = decodeOid(buf, o);
          return EXTENDED_KEY_USAGES[usage] ?? usage;
        });
        break;
      case OID.subjectKeyIdentifier:
        out.subjectKeyIdentifier = toHex(value(buf, inner()));
        break;
      case OID.authorityKeyIdentifier: {
        const keyId = children(buf, inner()).find((f) => f.tag === 0x80);
        if (keyId) out.authorityKeyIdentifier = toHex(value(buf, keyId));
        break;
      }
      default:
        break;
    }
  }
}
