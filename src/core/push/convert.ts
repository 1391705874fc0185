// Turns local certificate and key files into what each target wants: SimpleLink reads DER, keys as
// PKCS#1 (RSA) or SEC1 (EC). What a file holds comes from the shared certificate reader.
import { createPrivateKey } from 'node:crypto';
import { EtlsError } from '../errors';
import { readObjects, sha256Hex, type FoundObject, type PrivateKeyInfo } from '../x509';
import { checkRemoteName } from './remoteName';
import type { PlannedFile, PushKind, PushPlan, PushProtocol, PushSource } from './types';

export { sha256Hex };

// Traditional DSA keys have no Node DER type; 'pkcs1' makes Node refuse them with its own error.
const NODE_TYPE = { 'PKCS#1': 'pkcs1', 'PKCS#8': 'pkcs8', SEC1: 'sec1', DSA: 'pkcs1' } as const;

function kindOf(objects: FoundObject[]): PushKind {
  if (objects.some((f) => f.object.kind === 'privateKey')) return 'key';
  if (objects.some((f) => f.object.kind === 'certificate')) return 'certificate';
  return 'other';
}

/** What the file holds, judged by its content, not its name. */
export function classify(data: Uint8Array): PushKind {
  return kindOf(readObjects(data).objects);
}

/** The key as SimpleLink reads it: DER PKCS#1 for RSA, DER SEC1 for EC. */
function keyToSimpleLink(key: PrivateKeyInfo, local: string): { der: Uint8Array; form: 'PKCS#1' | 'SEC1' } {
  if (key.encrypted)
    throw new EtlsError(
      'encrypted',
      `${local} is an encrypted private key; the board needs it unencrypted`,
      `Decrypt a copy: openssl pkey -in ${local} -out device.key.der -outform DER (and keep it private)`,
    );
  const form = key.algorithm === 'RSA' ? 'PKCS#1' : key.algorithm === 'EC' ? 'SEC1' : undefined;
  if (!form || !key.der)
    throw new EtlsError(
      'unsupported',
      `SimpleLink cannot use ${key.algorithm === 'unknown' ? 'this' : key.algorithm} keys`,
      'Use an RSA (up to 2048 bits) or EC P-256 key',
    );
  if (key.format === form) return { der: key.der, form };
  const node = createPrivateKey({ key: Buffer.from(key.der), format: 'der', type: NODE_TYPE[key.format] });
  const der =
    form === 'PKCS#1'
      ? node.export({ format: 'der', type: 'pkcs1' })
      : node.export({ format: 'der', type: 'sec1' });
  return { der: new Uint8Array(der), form };
}

/** SimpleLink wants DER; a key as PKCS#1 (RSA) or SEC1 (EC). A PEM chain stays PEM (it cannot be one DER). */
function forSimpleLink(src: PushSource): { data: Uint8Array; kind: PushKind; conversion: string } {
  const { objects, problems } = readObjects(src.data, { fileName: src.local });
  const found = objects.find((f) => f.object.kind === 'privateKey');
  if (found) {
    const { der, form } = keyToSimpleLink(found.object as PrivateKeyInfo, src.local);
    const from =
      found.encoding === 'PEM'
        ? `PEM ${(found.location.pemLabel ?? 'private key').toLowerCase()}`
        : 'DER key';
    const unchanged = found.encoding === 'DER' && (found.object as PrivateKeyInfo).format === form;
    return unchanged
      ? { data: src.data, kind: 'key', conversion: '' }
      : { data: der, kind: 'key', conversion: `${from} → DER ${form}` };
  }
  if (problems.some((p) => p.location?.pemLabel?.endsWith('PRIVATE KEY')))
    throw new EtlsError(
      'malformed',
      `${src.local}: the private key cannot be read`,
      'Check the file with `etls inspect`',
    );
  const certs = objects.filter((f) => f.object.kind === 'certificate');
  if (certs.length === 1 && certs[0]!.encoding === 'PEM' && certs[0]!.object.kind === 'certificate')
    return { data: certs[0]!.object.der, kind: 'certificate', conversion: 'PEM certificate → DER' };
  return { data: src.data, kind: kindOf(objects), conversion: '' };
}

/** Plans a push: converts each file for the protocol's target and fingerprints what will travel. */
export function planPush(protocol: PushProtocol, sources: PushSource[]): PushPlan {
  if (sources.length === 0)
    throw new EtlsError('invalid-argument', 'No files to push', 'Name at least one LOCAL:REMOTE pair');
  const files: PlannedFile[] = sources.map((src) => {
    if (src.data.length === 0)
      throw new EtlsError('empty', `${src.local} is empty`, 'Choose the certificate or key file itself');
    if (!src.remote) throw new EtlsError('invalid-argument', `No destination name for ${src.local}`);
    checkRemoteName(src.remote, src.local);
    const c =
      protocol === 'simplelink-at'
        ? forSimpleLink(src)
        : { data: src.data, kind: classify(src.data), conversion: '' };
    return { local: src.local, remote: src.remote, ...c, sha256: sha256Hex(c.data) };
  });
  return { protocol, files, totalBytes: files.reduce((n, f) => n + f.data.length, 0) };
}
