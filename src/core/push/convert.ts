// Turns local certificate and key files into what each target wants: SimpleLink reads DER, keys as PKCS#1.
import { createHash, createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { EtlsError } from '../errors';
import type { PlannedFile, PushKind, PushPlan, PushProtocol, PushSource } from './types';

interface PemBlock {
  label: string;
  der: Buffer;
  headers: string;
}

function pemBlocks(text: string): PemBlock[] {
  const re = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;
  const out: PemBlock[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const body = m[2] ?? '';
    const headers = body.includes(':') ? (body.split(/\r?\n\r?\n/)[0] ?? '') : '';
    const b64 = (headers ? body.slice(headers.length) : body).replace(/[^A-Za-z0-9+/=]/g, '');
    out.push({ label: m[1] ?? '', der: Buffer.from(b64, 'base64'), headers });
  }
  return out;
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function looksLikeText(data: Uint8Array): boolean {
  return Buffer.from(data.subarray(0, 64)).toString('latin1').includes('-----BEGIN ');
}

function keyFromDer(der: Buffer): KeyObject | undefined {
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      return createPrivateKey({ key: der, format: 'der', type });
    } catch {
      // try the next encoding
    }
  }
  return undefined;
}

function isDerCertificate(der: Buffer): boolean {
  try {
    new X509Certificate(der);
    return true;
  } catch {
    return false;
  }
}

/** What the file holds, judged by its content, not its name. */
export function classify(data: Uint8Array): PushKind {
  if (looksLikeText(data)) {
    const labels = pemBlocks(Buffer.from(data).toString('latin1')).map((b) => b.label);
    if (labels.some((l) => l.endsWith('PRIVATE KEY'))) return 'key';
    if (labels.includes('CERTIFICATE')) return 'certificate';
    return 'other';
  }
  const der = Buffer.from(data);
  if (isDerCertificate(der)) return 'certificate';
  if (keyFromDer(der)) return 'key';
  return 'other';
}

function keyToSimpleLink(key: KeyObject): { der: Buffer; form: string } {
  if (key.asymmetricKeyType === 'rsa')
    return { der: key.export({ format: 'der', type: 'pkcs1' }), form: 'DER PKCS#1' };
  if (key.asymmetricKeyType === 'ec')
    return { der: key.export({ format: 'der', type: 'sec1' }), form: 'DER SEC1' };
  throw new EtlsError(
    'unsupported',
    `SimpleLink cannot use ${key.asymmetricKeyType?.toUpperCase() ?? 'this'} keys`,
    'Use an RSA (up to 2048 bits) or EC P-256 key',
  );
}

/** SimpleLink wants DER; a key as PKCS#1 (RSA) or SEC1 (EC). A PEM chain stays PEM (it cannot be one DER). */
function forSimpleLink(src: PushSource): { data: Uint8Array; kind: PushKind; conversion: string } {
  const kind = classify(src.data);
  if (!looksLikeText(src.data)) {
    if (kind !== 'key') return { data: src.data, kind, conversion: '' };
    const key = keyFromDer(Buffer.from(src.data))!;
    const { der, form } = keyToSimpleLink(key);
    return Buffer.compare(der, Buffer.from(src.data)) === 0
      ? { data: src.data, kind, conversion: '' }
      : { data: der, kind, conversion: `DER key → ${form}` };
  }
  const blocks = pemBlocks(Buffer.from(src.data).toString('latin1'));
  const keyBlock = blocks.find((b) => b.label.endsWith('PRIVATE KEY'));
  if (keyBlock) {
    if (keyBlock.label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:.*ENCRYPTED/.test(keyBlock.headers)) {
      throw new EtlsError(
        'encrypted',
        `${src.local} is an encrypted private key; the board needs it unencrypted`,
        `Decrypt a copy: openssl pkey -in ${src.local} -out device.key.der -outform DER (and keep it private)`,
      );
    }
    const key = keyFromDer(keyBlock.der);
    if (!key)
      throw new EtlsError(
        'malformed',
        `${src.local}: the private key cannot be read`,
        'Check the file with `etls inspect`',
      );
    const { der, form } = keyToSimpleLink(key);
    return { data: der, kind: 'key', conversion: `PEM ${keyBlock.label.toLowerCase()} → ${form}` };
  }
  const certs = blocks.filter((b) => b.label === 'CERTIFICATE');
  if (certs.length === 1)
    return { data: certs[0]!.der, kind: 'certificate', conversion: 'PEM certificate → DER' };
  return { data: src.data, kind, conversion: '' };
}

/** Plans a push: converts each file for the protocol's target and fingerprints what will travel. */
export function planPush(protocol: PushProtocol, sources: PushSource[]): PushPlan {
  if (sources.length === 0)
    throw new EtlsError('invalid-argument', 'No files to push', 'Name at least one LOCAL:REMOTE pair');
  const files: PlannedFile[] = sources.map((src) => {
    if (src.data.length === 0)
      throw new EtlsError('empty', `${src.local} is empty`, 'Choose the certificate or key file itself');
    if (!src.remote) throw new EtlsError('invalid-argument', `No destination name for ${src.local}`);
    const c =
      protocol === 'simplelink-at'
        ? forSimpleLink(src)
        : { data: src.data, kind: classify(src.data), conversion: '' };
    return { local: src.local, remote: src.remote, ...c, sha256: sha256Hex(c.data) };
  });
  return { protocol, files, totalBytes: files.reduce((n, f) => n + f.data.length, 0) };
}
