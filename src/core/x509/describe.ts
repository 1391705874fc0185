// One-line summaries and a readable multi-line report of decoded objects.
import { nameLabel } from './names';
import { keyLabel } from './publicKey';
import type { CertificateInfo, FoundObject, X509Object } from './types';

export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** E.g. "certificate CN=device-01, issued by Dev CA, expires 2027-03-01"; "RSA-2048 private key, PKCS#1". */
export function describeObject(o: X509Object): string {
  switch (o.kind) {
    case 'certificate': {
      const who =
        o.subject.commonName !== undefined
          ? `CN=${o.subject.commonName}`
          : o.subject.rfc4514 || '(no subject)';
      const by = o.selfSigned ? 'self-signed' : `issued by ${nameLabel(o.issuer)}`;
      return `${o.isCA ? 'CA certificate' : 'certificate'} ${who}, ${by}, expires ${isoDate(o.notAfter)}`;
    }
    case 'privateKey': {
      const what = o.publicKey ? keyLabel(o.publicKey) : o.algorithm === 'unknown' ? '' : o.algorithm;
      const enc = o.encrypted ? (o.publicKey ? ', encrypted' : ', encrypted with a pass phrase') : '';
      return `${what ? what + ' ' : ''}private key, ${o.format}${enc}`;
    }
    case 'publicKey':
      return `${keyLabel(o.publicKey)} public key, ${o.format}`;
    case 'csr':
      return `certificate request CN=${o.subject.commonName ?? '(none)'}, ${keyLabel(o.publicKey)}${o.signatureValid ? '' : ', signature does not verify'}`;
    case 'pkcs12': {
      if (o.contents.length === 0 && o.encrypted) return 'PKCS#12 bundle, locked with a password';
      const certs = o.contents.filter((c) => c.kind === 'certificate').length;
      const keys = o.contents.length - certs;
      return `PKCS#12 bundle with ${certs} certificate${certs === 1 ? '' : 's'} and ${keys} key${keys === 1 ? '' : 's'}`;
    }
    case 'ecParameters':
      return `EC parameters ${o.curve}`;
    case 'trustAnchor':
      return `trust anchor ${nameLabel(o.subject)}${o.publicKey ? `, ${keyLabel(o.publicKey)}` : ''} (${o.format})`;
    case 'dhParameters':
      return `DH parameters, ${o.bits}-bit prime${o.generator ? `, generator ${o.generator}` : ''}`;
    case 'crl': {
      const n = o.revokedSerials.length;
      return `CRL of ${nameLabel(o.issuer)}, ${n} revoked certificate${n === 1 ? '' : 's'}, ${o.nextUpdate ? `next update ${isoDate(o.nextUpdate)}` : 'no next update'}`;
    }
  }
}

const DAY = 86_400_000;

/**
 * Whole days in a span of time, counted down (824 days and 23 hours is 824 days): the one count the
 * CLI, the tree, the viewers and the checks show, so they agree on the same file at the same moment.
 */
export function wholeDays(ms: number): number {
  return Math.floor(Math.abs(ms) / DAY);
}

function span(ms: number): string {
  if (Math.abs(ms) < DAY) return `${Math.max(1, Math.round(Math.abs(ms) / 3_600_000))} h`;
  return `${wholeDays(ms)} d`;
}

/** "expires in 23 d" / "expired 3 d ago" / "not valid for 2 d yet"; hours under a day ("expires in 5 h"). */
export function expiryPhrase(c: Pick<CertificateInfo, 'notBefore' | 'notAfter'>, now: number): string {
  if (now < c.notBefore.getTime()) return `not valid for ${span(c.notBefore.getTime() - now)} yet`;
  const left = c.notAfter.getTime() - now;
  return left >= 0 ? `expires in ${span(left)}` : `expired ${span(left)} ago`;
}

/** Fingerprints and key identifiers as openssl prints them: upper-case hex pairs joined by colons. */
export function colonHex(hex: string): string {
  return hex.toUpperCase().replace(/(..)(?=.)/g, '$1:');
}

/**
 * A certificate's details as label/value rows: the CLI prints them, the Inspect view, the binary
 * viewer and the tree's tooltip show the same rows, so every host reads the same.
 */
export function certificateRows(c: CertificateInfo, now: number): Array<[string, string]> {
  const rows: Array<[string, string]> = [
    ['Subject', c.subject.rfc4514 || '(empty)'],
    ['Issuer', `${c.issuer.rfc4514 || '(empty)'}${c.selfSigned ? '  (self-signed)' : ''}`],
    ['Serial', c.serialNumber],
    ['Valid', `${c.notBefore.toISOString()} to ${c.notAfter.toISOString()} (${expiryPhrase(c, now)})`],
    ['Key', `${keyLabel(c.publicKey)}, signed with ${c.signatureAlgorithm}`],
  ];
  if (c.subjectAltNames.length)
    rows.push(['SANs', c.subjectAltNames.map((s) => `${s.type.toUpperCase()}:${s.value}`).join(', ')]);
  if (c.basicConstraints)
    rows.push([
      'CA',
      `${c.basicConstraints.ca ? 'yes' : 'no'}${c.basicConstraints.pathLength !== undefined ? `, path length ${c.basicConstraints.pathLength}` : ''}`,
    ]);
  if (c.keyUsage) rows.push(['Key usage', c.keyUsage.join(', ')]);
  if (c.extendedKeyUsage) rows.push(['Ext. usage', c.extendedKeyUsage.join(', ')]);
  if (c.subjectKeyIdentifier) rows.push(['Subject key id', colonHex(c.subjectKeyIdentifier)]);
  if (c.authorityKeyIdentifier) rows.push(['Authority key id', colonHex(c.authorityKeyIdentifier)]);
  rows.push(
    ['SHA-256', colonHex(c.sha256Fingerprint)],
    ['SHA-1', colonHex(c.sha1Fingerprint)],
    ['Public key SHA-256', c.publicKey.sha256],
  );
  return rows;
}

/** "Subject:      value", "Subject key id:   value": the CLI's aligned columns. */
function reportLine([label, value]: [string, string]): string {
  const head = `${label}:`;
  const width = head.length < 14 ? 14 : head.length < 18 ? 18 : head.length + 1;
  return head.padEnd(width) + value;
}

function certificateLines(c: CertificateInfo, now: number): string[] {
  return certificateRows(c, now).map(reportLine);
}

/** The readable report of one object, in the spirit of `openssl x509 -text` but short. */
export function objectReport(o: X509Object, now: number): string[] {
  switch (o.kind) {
    case 'certificate':
      return certificateLines(o, now);
    case 'privateKey': {
      const lines = [
        `Format:       ${o.format}${o.encrypted ? `, encrypted (${o.encryption ?? 'pass phrase'})` : ''}`,
      ];
      if (o.publicKey)
        lines.push(`Key:          ${keyLabel(o.publicKey)}`, `Public key SHA-256: ${o.publicKey.sha256}`);
      else
        lines.push(
          'Key:          this private key is encrypted with a pass phrase; give the pass phrase (--passphrase-env VAR) or convert it to see more',
        );
      return lines;
    }
    case 'publicKey':
      return [
        `Format:       ${o.format}`,
        `Key:          ${keyLabel(o.publicKey)}`,
        `Public key SHA-256: ${o.publicKey.sha256}`,
      ];
    case 'csr':
      return [
        `Subject:      ${o.subject.rfc4514 || '(empty)'}`,
        `Key:          ${keyLabel(o.publicKey)}, signed with ${o.signatureAlgorithm}${o.signatureValid ? '' : ' (signature does NOT verify)'}`,
        ...(o.subjectAltNames.length
          ? [`SANs:         ${o.subjectAltNames.map((s) => `${s.type.toUpperCase()}:${s.value}`).join(', ')}`]
          : []),
        `Public key SHA-256: ${o.publicKey.sha256}`,
      ];
    case 'pkcs12':
      if (o.contents.length === 0 && o.encrypted)
        return ['Locked: give the password (--passphrase-env VAR) to see what it holds'];
      return o.contents.flatMap((c, i) => [
        `[${i}] ${describeObject(c)}`,
        ...objectReport(c, now).map((l) => '    ' + l),
      ]);
    case 'ecParameters':
      return [`Curve:        ${o.curve}`];
    case 'trustAnchor':
      return [
        `Subject:      ${o.subject.rfc4514 || '(empty)'}`,
        `Key:          ${o.publicKey ? keyLabel(o.publicKey) : 'not readable from the key arrays'}`,
        ...(o.publicKey ? [`Public key SHA-256: ${o.publicKey.sha256}`] : []),
        `Arrays:       ${o.arrays.join(', ')} (${o.format} br_x509_trust_anchor)`,
      ];
    case 'dhParameters':
      return [`Prime:        ${o.bits} bits`, ...(o.generator ? [`Generator:    ${o.generator}`] : [])];
    case 'crl':
      return [
        `Issuer:       ${o.issuer.rfc4514 || '(empty)'}`,
        `This update:  ${o.thisUpdate.toISOString()}`,
        `Next update:  ${o.nextUpdate ? o.nextUpdate.toISOString() : 'none'}`,
        `Revoked:      ${o.revokedSerials.length ? o.revokedSerials.join(', ') : 'none'}`,
        `Signature:    ${o.signatureAlgorithm}`,
        `SHA-256:      ${colonHex(o.sha256Fingerprint)}`,
      ];
  }
}

/** Where an object was found, for humans: "PEM block 2 (line 31)", "C array device_cert_der (line 12)". */
export function whereFound(f: Pick<FoundObject, 'location' | 'index'>): string {
  const l = f.location;
  const line = `line ${l.start.line + 1}`;
  switch (l.container) {
    case 'pem':
      return `PEM ${l.pemLabel ?? 'block'} (${line})`;
    case 'c-array':
      return `C array ${l.symbol ?? '(unnamed)'} (${line})`;
    case 'c-string':
      return `C string ${l.symbol ?? '(unnamed)'} (${line})`;
    default:
      return 'DER';
  }
}
