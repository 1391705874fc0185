// A decoder failure as a sentence a firmware developer can act on: which element of a damaged DER
// object declares a wrong length, or how much of a cut-short object is there.
import { EtlsError } from '../errors';
import { contentsEndAtData, DerError, findLengthDamage, readElement, type LengthDamage } from './der';

const TAG_NAMES: Record<number, string> = {
  0x02: 'INTEGER',
  0x03: 'BIT STRING',
  0x04: 'OCTET STRING',
  0x06: 'OBJECT IDENTIFIER',
  0x30: 'SEQUENCE',
  0x31: 'SET',
};

const CERT_FIELDS = [
  'version',
  'serial number',
  'signature algorithm',
  'issuer',
  'validity',
  'subject',
  'public key',
  'extensions',
];

/** "the subject (SEQUENCE at byte 171)": the element, named where the structure is known. */
function elementName(d: LengthDamage, what: string, der: Uint8Array): string {
  const tag =
    TAG_NAMES[d.tag] ??
    (d.tag >= 0xa0 && d.tag <= 0xbf ? `[${d.tag & 0x1f}]` : `tag 0x${d.tag.toString(16)}`);
  let name = '';
  if (what === 'certificate' && d.path[0] === 0 && d.path.length >= 2) {
    // tbsCertificate starts with the optional [0] version; count fields from the version.
    let hasVersion = true;
    try {
      const tbs = readElement(der, readElement(der, 0).valueStart);
      hasVersion = der[tbs.valueStart] === 0xa0;
    } catch {
      /* keep the default */
    }
    name = CERT_FIELDS[d.path[1]! + (hasVersion ? 0 : 1)] ?? '';
    if (d.path.length > 2 && name) name = `an element inside the ${name}`;
  } else if (what === 'certificate' && d.path.length === 1)
    name = ['certificate body', 'signature algorithm', 'signature'][d.path[0]!] ?? '';
  const at = `${tag} at byte ${d.offset}`;
  return name ? `${name.startsWith('an ') ? name : `the ${name}`} (${at})` : `the ${at}`;
}

/** Turns a decoder failure into a sentence; `what` names the expected object. */
export function explainFailure(
  e: unknown,
  what: string,
  raw: boolean,
  der?: Uint8Array,
): { code: EtlsError['code']; message: string; fix?: string } {
  const prefix = raw && !what.startsWith('DER') ? 'DER ' : '';
  if (e instanceof EtlsError) return { code: e.code, message: e.message, ...(e.fix ? { fix: e.fix } : {}) };
  if (e instanceof DerError && e.kind === 'truncated' && der) {
    const damage = findLengthDamage(der);
    if (damage && damage.path.length > 0)
      return {
        code: 'malformed',
        message: `${prefix}${what} is damaged: ${elementName(damage, what, der)} declares ${damage.declared} bytes where the element around it leaves ${damage.room}; the data is all there, but that length field is wrong`,
        fix: 'Export or convert it again from its source; editing by hand usually breaks such lengths.',
      };
    if (damage && contentsEndAtData(der))
      return {
        code: 'malformed',
        message: `${prefix}${what} is damaged: its outer length says ${damage.declared} bytes, but it has ${damage.room} and its contents end there; the outer length field is wrong`,
        fix: 'Export or convert it again from its source; editing by hand usually breaks such lengths.',
      };
  }
  if (
    e instanceof DerError &&
    e.kind === 'truncated' &&
    e.declared !== undefined &&
    e.available !== undefined
  ) {
    return {
      code: 'truncated',
      message: `${prefix}${what} truncated: ${e.available} of ${e.declared} bytes`,
      fix: 'The data was cut short: copy or download it again, or paste the whole array.',
    };
  }
  if (e instanceof DerError)
    return { code: 'malformed', message: `${prefix}${what} is damaged (${e.message})` };
  return { code: 'malformed', message: `${what} could not be decoded` };
}
