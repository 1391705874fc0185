// C identifiers for generated headers: names that say what an array holds, always legal C99 and C++.

const KEYWORDS = new Set(
  (
    'auto break case char const continue default do double else enum extern float for goto if inline int long ' +
    'register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while ' +
    '_Bool _Complex _Imaginary alignas alignof and asm bool catch class constexpr delete explicit export false ' +
    'friend mutable namespace new noexcept not nullptr operator or private protected public template this throw ' +
    'true try typeid typename using virtual wchar_t xor NULL'
  ).split(' '),
);

/**
 * The default array name for a file, as `xxd -i` derives it but from the file name only
 * (`certs/ca.der` -> `ca_der`). Accents are folded to ASCII (`é` -> `e`) because not every
 * embedded compiler accepts UTF-8 identifiers; a leading digit gets `file_` rather than xxd's
 * `__`, which C reserves for the implementation.
 */
export function identifierFromFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const folded = base.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  let name = folded.replace(/[^A-Za-z0-9_]/g, '_');
  if (name === '') name = 'data';
  return legalize(name);
}

const KIND_WORDS: Record<string, { word: string; synonyms: string[] }> = {
  certificate: { word: 'cert', synonyms: ['cert', 'crt', 'cer', 'certificate'] },
  privateKey: { word: 'key', synonyms: ['key', 'priv', 'private', 'privkey', 'pkey', 'prv'] },
  publicKey: { word: 'pubkey', synonyms: ['pub', 'pubkey', 'public'] },
  csr: { word: 'csr', synonyms: ['csr', 'req', 'request'] },
};

/**
 * The default array name for what a file holds: its name without the extension, what it is, and
 * the form in the header (`certs/device.pem` holding a certificate, as DER -> `device_cert_der`;
 * `device.key` -> `device_key_der`; `ca.pem` -> `ca_cert_der`). A name that already says what it
 * is keeps its word (`device-cert.pem` -> `device_cert_der`, `client.key.der` -> `client_key_der`).
 */
export function identifierForContent(fileName: string, kind: string, form: 'der' | 'pem'): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const stem = base.includes('.') && !base.startsWith('.') ? base.replace(/\.[^.]*$/, '') : base;
  const words = stem
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const k = KIND_WORDS[kind];
  const last = words.split('_').pop()?.toLowerCase() ?? '';
  const parts = [words || 'data'];
  if (k && !k.synonyms.includes(last)) parts.push(k.word);
  parts.push(form);
  return legalize(parts.join('_'));
}

/** Makes any string a legal identifier; used for names that came from file names. */
function legalize(name: string): string {
  if (/^[0-9]/.test(name)) name = `file_${name}`;
  if (KEYWORDS.has(name)) name = `${name}_`;
  return name;
}

/** True when `name` can be used as given: ASCII letters, digits and `_`, no leading digit, not a keyword. */
export function isLegalIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !KEYWORDS.has(name);
}

/** The include guard for an output file name: `certs/aws-keys.h` -> `AWS_KEYS_H`. */
export function includeGuardFor(fileName: string): string {
  const upper = identifierFromFileName(fileName).toUpperCase();
  return /^FILE_[0-9]/.test(upper) ? `H_${upper.slice(5)}` : upper;
}

/** Hands out names, suffixing `_2`, `_3`, ... when two inputs would get the same one. */
export class IdentifierPool {
  private readonly used = new Set<string>();

  /** Reserves `name`, or the first free suffixed form of it. */
  take(name: string): string {
    let candidate = name;
    for (let i = 2; this.used.has(candidate) || this.used.has(`${candidate}_len`); i++)
      candidate = `${name}_${i}`;
    this.used.add(candidate);
    this.used.add(`${candidate}_len`);
    return candidate;
  }

  /** Reserves exactly `name`; false when it is already taken. */
  claim(name: string): boolean {
    if (this.used.has(name)) return false;
    this.used.add(name);
    this.used.add(`${name}_len`);
    return true;
  }
}
