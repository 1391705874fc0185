// How a certificate, key or CSR reads in the Certificates view and in hovers: label, expiry, key type,
// status and the tooltip text. Host-neutral (no `vscode`), so the unit tests and the benchmark run it in Node.
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

/** "expires in 23 d", "expired 3 d ago", "expires in 5 h", "valid in 2 d" (not yet valid). */
export function expiryText(notBefore: Date, notAfter: Date, now: number): string {
  if (now < notBefore.getTime()) return `valid in ${span(notBefore.getTime() - now)}`;
  const left = notAfter.getTime() - now;
  return left >= 0 ? `expires in ${span(left)}` : `expired ${span(-left)} ago`;
}

function span(ms: number): string {
  if (ms < DAY_MS) return `${Math.max(1, Math.round(ms / 3_600_000))} h`;
  return `${Math.floor(ms / DAY_MS)} d`;
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
    case 'dhParameters':
      return `DH parameters · ${o.bits} bits`;
    case 'crl':
      return `CRL · ${o.revokedSerials.length} revoked · next update ${o.nextUpdate ? date(o.nextUpdate) : 'none'}`;
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

/** Markdown-escapes text that comes from a certificate (names can hold any character). */
export function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}

function sanText(sans: SubjectAltName[]): string {
  return sans.map((s) => `${s.type.toUpperCase()}:${s.value}`).join(', ');
}

function date(d: Date): string {
  return d
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

/** Full details as Markdown rows (`**Name** value`), never key material. */
export function detailRows(o: X509Object): Array<[string, string]> {
  switch (o.kind) {
    case 'certificate':
      return [
        ['Subject', o.subject.rfc4514],
        ['Issuer', o.issuer.rfc4514 + (o.selfSigned ? ' (self-signed)' : '')],
        ['Valid', `${date(o.notBefore)} – ${date(o.notAfter)}`],
        ['Key', keyType(o.publicKey)],
        ['Signature', o.signatureAlgorithm],
        ['Serial', o.serialNumber],
        ...(o.subjectAltNames.length ? [['SAN', sanText(o.subjectAltNames)] as [string, string]] : []),
        ...(o.basicConstraints
          ? [
              [
                'CA',
                o.basicConstraints.ca
                  ? `yes${o.basicConstraints.pathLength !== undefined ? `, path length ${o.basicConstraints.pathLength}` : ''}`
                  : 'no',
              ] as [string, string],
            ]
          : []),
        ...(o.keyUsage?.length ? [['Key usage', o.keyUsage.join(', ')] as [string, string]] : []),
        ...(o.extendedKeyUsage?.length
          ? [['Extended key usage', o.extendedKeyUsage.join(', ')] as [string, string]]
          : []),
        ['SHA-256', o.sha256Fingerprint],
      ];
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
        ['SHA-256', o.publicKey.sha256],
      ];
    case 'csr':
      return [
        ['Subject', o.subject.rfc4514],
        ['Key', keyType(o.publicKey)],
        ['Signature', `${o.signatureAlgorithm}${o.signatureValid ? '' : ' (does not verify)'}`],
        ...(o.subjectAltNames.length ? [['SAN', sanText(o.subjectAltNames)] as [string, string]] : []),
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
    case 'dhParameters':
      return [
        ['Prime', `${o.bits} bits`],
        ...(o.generator ? [['Generator', String(o.generator)] as [string, string]] : []),
      ];
    case 'crl':
      return [
        ['Issuer', o.issuer.rfc4514],
        ['This update', date(o.thisUpdate)],
        ['Next update', o.nextUpdate ? date(o.nextUpdate) : 'none'],
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
    ...detailRows(o).map(([k, v]) => `${md(k)}: \`${v.replace(/`/g, "'")}\`  `),
  ];
  lines.push('', `_${md(where)}_`);
  if (findings.length) lines.push('', ...findings.map((f) => `- ${md(f)}`));
  return lines.join('\n');
}

function basename(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}
