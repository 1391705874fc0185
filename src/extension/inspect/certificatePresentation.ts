// How a certificate, key or CSR reads in the Certificates view and in hovers: label, expiry, key type,
// status and the tooltip text. Host-neutral (no `vscode`), so the unit tests and the benchmark run it in Node.
import { certificateRows, expiryPhrase, isoDate } from '../../core/x509/describe';
import type { FoundObject, PublicKeyDetails, SubjectAltName, X509Object } from '../../core/x509/types';

export type NodeStatus = 'ok' | 'warning' | 'expiring' | 'expired' | 'notYetValid' | 'error' | 'neutral';

const DAY_MS = 86_400_000;

/** `RSA-2048`, `EC P-256`, `Ed25519`; `RSA` alone when the size is unknown (an encrypted legacy key). */
export function keyType(publicKey: PublicKeyDetails | undefined, algorithm?: string): string {
  if (!publicKey) return algorithm && algorithm !== 'unknown' ? algorithm : 'key';
  switch (publicKey.algorithm) {
    case 'RSA':
    case 'RSA-PSS':
    case 'DSA':
      return `${publicKey.algorithm}-${publicKey.bits}`;
    case 'EC':
      return `EC ${publicKey.curve ?? publicKey.bits}`;
    default:
      return publicKey.algorithm;
  }
}

/**
 * "expires in 23 d", "expired 3 d ago", "expires in 5 h", "not valid for 2 d yet": the CLI's phrase,
 * from the same function, so the tree and `etls inspect` give the same count for the same file.
 */
export function expiryText(notBefore: Date, notAfter: Date, now: number): string {
  return expiryPhrase({ notBefore, notAfter }, now);
}

/** The status a certificate's validity dates alone give; the findings of the check can only make it worse. */
export function validityStatus(
  notBefore: Date,
  notAfter: Date,
  now: number,
  warningDays: number,
): NodeStatus {
  if (now < notBefore.getTime()) return 'notYetValid';
  if (now > notAfter.getTime()) return 'expired';
  if (notAfter.getTime() - now <= warningDays * DAY_MS) return 'expiring';
  return 'ok';
}

const rank: Record<NodeStatus, number> = {
  neutral: 0,
  ok: 1,
  warning: 2,
  expiring: 3,
  notYetValid: 4,
  expired: 5,
  error: 6,
};

/** The worse of two statuses. */
export function worse(a: NodeStatus, b: NodeStatus): NodeStatus {
  return rank[a] >= rank[b] ? a : b;
}

/** The name a person recognises an object by: the CN, else the first RDN, else the file name. */
export function objectLabel(o: X509Object, fileName: string): string {
  switch (o.kind) {
    case 'certificate':
    case 'csr':
    case 'trustAnchor':
      return o.subject.commonName ?? (o.subject.rfc4514 || basename(fileName));
    case 'pkcs12': {
      const first = o.contents.find((c) => c.kind === 'certificate');
      return (
        o.friendlyNames[0] ??
        (first?.kind === 'certificate' ? first.subject.commonName : undefined) ??
        basename(fileName)
      );
    }
    default:
      return basename(fileName);
  }
}

/** The short text beside the label: expiry and key type for certificates, format for keys. */
export function objectDescription(o: X509Object, now: number): string {
  switch (o.kind) {
    case 'certificate':
      return `${expiryText(o.notBefore, o.notAfter, now)} · ${keyType(o.publicKey)}`;
    case 'privateKey':
      return [
        o.publicKey || o.algorithm !== 'unknown' ? keyType(o.publicKey, o.algorithm) : '',
        o.format,
        o.encrypted ? 'encrypted' : '',
      ]
        .filter(Boolean)
        .join(' · ');
    case 'publicKey':
      return `${keyType(o.publicKey)} public key`;
    case 'csr':
      return `CSR · ${keyType(o.publicKey)}`;
    case 'pkcs12':
      return o.encrypted && o.contents.length === 0
        ? 'PKCS#12 · locked'
        : `PKCS#12 · ${o.contents.length} items`;
    case 'ecParameters':
      return `EC parameters ${o.curve}`;
    case 'trustAnchor':
      return `trust anchor · ${keyType(o.publicKey)} · ${o.format}`;
    case 'dhParameters':
      return `DH parameters · ${o.bits} bits`;
    case 'crl':
      return `CRL · ${o.revokedSerials.length} revoked · next update ${o.nextUpdate ? isoDate(o.nextUpdate) : 'none'}`;
  }
}

/** Where an object sits: `certs/ca.pem`, `certs/all.pem #2`, `src/creds.h:12 (ca_der)`. */
export function whereText(
  relativePath: string,
  found: Pick<FoundObject, 'index' | 'location'>,
  objectsInFile: number,
): string {
  const loc = found.location;
  if (loc.container === 'c-array' || loc.container === 'c-string') {
    return `${relativePath}:${loc.start.line + 1}${loc.symbol ? ` (${loc.symbol})` : ''}`;
  }
  return objectsInFile > 1 ? `${relativePath} #${found.index + 1}` : relativePath;
}

/**
 * Characters that must not reach Markdown as themselves: line breaks (they end code spans and start
 * blocks), other controls, and the invisible Unicode that reorders or hides text (bidi overrides).
 * They are shown as `\u{..}` instead, so a hostile name stays visible and inert.
 */
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

function visible(text: string): string {
  return text.replace(UNSAFE_CHARS, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

/**
 * Markdown-escapes text that comes from a file (names can hold any character): every ASCII
 * punctuation character that can start Markdown gets a backslash (so no link, image, emphasis, HTML,
 * entity, autolink or icon can start), and line breaks and other controls are shown escaped rather than ending the paragraph.
 */
export function md(text: string): string {
  return visible(text).replace(/[\\`*_{}[\]()#+\-.!|<>~&:@$]/g, (c) => `\\${c}`);
}

/**
 * Text from a file as an inline code span. Inside a code span nothing is Markdown except backticks and
 * line breaks: line breaks are shown escaped, and the fence is one backtick longer than the longest
 * run inside (CommonMark), so the span cannot be closed early.
 */
export function mdCode(text: string): string {
  const safe = visible(text);
  const longest = Math.max(0, ...(safe.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(safe) ? ' ' : '';
  return `${fence}${pad}${safe}${pad}${fence}`;
}

function sanText(sans: SubjectAltName[]): string {
  return sans.map((s) => `${s.type.toUpperCase()}:${s.value}`).join(', ');
}

/**
 * Full details as rows, never key material. A certificate's are the rows `etls inspect` prints (key
 * identifiers, SHA-256 and SHA-1 fingerprints, public-key SHA-256), in the same order and format.
 */
export function detailRows(o: X509Object, now: number = Date.now()): Array<[string, string]> {
  switch (o.kind) {
    case 'certificate':
      return certificateRows(o, now);
    case 'privateKey':
      return [
        ['Key', keyType(o.publicKey, o.algorithm)],
        ['Format', o.format],
        ['Encrypted', o.encrypted ? (o.encryption ?? 'yes') : 'no'],
        ...(o.publicKey ? [['Public key SHA-256', o.publicKey.sha256] as [string, string]] : []),
      ];
    case 'publicKey':
      return [
        ['Key', keyType(o.publicKey)],
        ['Format', o.format],
        ['Public key SHA-256', o.publicKey.sha256],
      ];
    case 'csr':
      return [
        ['Subject', o.subject.rfc4514],
        ['Key', keyType(o.publicKey)],
        ['Signature', `${o.signatureAlgorithm}${o.signatureValid ? '' : ' (does not verify)'}`],
        ...(o.subjectAltNames.length ? [['SANs', sanText(o.subjectAltNames)] as [string, string]] : []),
        ['Public key SHA-256', o.publicKey.sha256],
      ];
    case 'pkcs12':
      return [
        ['Encrypted', o.encrypted ? 'yes' : 'no'],
        [
          'Contents',
          o.contents
            .map((c) =>
              c.kind === 'certificate'
                ? `certificate ${c.subject.commonName ?? c.subject.rfc4514}`
                : `${keyType(c.publicKey, c.algorithm)} private key`,
            )
            .join('; ') || 'locked',
        ],
        ...(o.friendlyNames.length
          ? [['Friendly names', o.friendlyNames.join(', ')] as [string, string]]
          : []),
      ];
    case 'ecParameters':
      return [['Curve', o.curve]];
    case 'trustAnchor':
      return [
        ['Subject', o.subject.rfc4514],
        ['Key', keyType(o.publicKey)],
        ['Arrays', `${o.arrays.join(', ')} (${o.format})`],
        ...(o.publicKey ? [['Public key SHA-256', o.publicKey.sha256] as [string, string]] : []),
      ];
    case 'dhParameters':
      return [
        ['Prime', `${o.bits} bits`],
        ...(o.generator ? [['Generator', String(o.generator)] as [string, string]] : []),
      ];
    case 'crl':
      return [
        ['Issuer', o.issuer.rfc4514],
        ['This update', o.thisUpdate.toISOString()],
        ['Next update', o.nextUpdate ? o.nextUpdate.toISOString() : 'none'],
        ['Revoked', o.revokedSerials.length ? o.revokedSerials.join(', ') : 'none'],
        ['Signature', o.signatureAlgorithm],
        ['SHA-256', o.sha256Fingerprint],
      ];
  }
}

const kindTitle: Record<X509Object['kind'], string> = {
  certificate: 'Certificate',
  privateKey: 'Private key',
  publicKey: 'Public key',
  csr: 'Certificate signing request',
  pkcs12: 'PKCS#12 bundle',
  ecParameters: 'EC parameters',
  trustAnchor: 'Trust anchor',
  dhParameters: 'DH parameters',
  crl: 'Certificate revocation list',
};

/** The tooltip and hover body: a heading, the summary line, the details and any findings. */
export function tooltipMarkdown(
  o: X509Object,
  where: string,
  summary: string,
  findings: string[] = [],
): string {
  const lines = [
    `**${kindTitle[o.kind]}** — ${md(summary)}`,
    '',
    ...detailRows(o).map(([k, v]) => `${md(k)}: ${mdCode(v)}  `),
  ];
  lines.push('', `_${md(where)}_`);
  if (findings.length) lines.push('', ...findings.map((f) => `- ${md(f)}`));
  return lines.join('\n');
}

function basename(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}
