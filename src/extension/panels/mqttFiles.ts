// What the MQTT panel shows about the CA, certificate and key files: a one-line summary and a
// fingerprint. The bytes stay in the extension host.
import { basename } from 'node:path';
import { nodeFileSystem } from '../../core/node/fileSystem';
import { describeObject, readObjects, type X509Object } from '../../core/x509';
import type { FileInfo, FileRole } from '../../shared/protocol';

function first(objects: X509Object[], kind: X509Object['kind']): X509Object | undefined {
  return objects.find((o) => o.kind === kind);
}

/** Reads a file and summarises it for its role; problems become a sentence, never an exception. */
export async function describeTlsFile(
  role: FileRole,
  displayPath: string,
  absolutePath: string,
): Promise<FileInfo> {
  try {
    const bytes = await nodeFileSystem.readFile(absolutePath);
    const { objects, problems } = readObjects(bytes, { fileName: basename(absolutePath) });
    const all = objects.map((f) => f.object);
    if (role === 'key') {
      const key = first(all, 'privateKey');
      if (!key || key.kind !== 'privateKey')
        return {
          role,
          path: displayPath,
          summary: 'no private key found',
          problem: problems[0]?.message ?? 'This file holds no private key.',
        };
      return {
        role,
        path: displayPath,
        summary: describeObject(key),
        fingerprint: key.publicKey?.sha256,
        problem: key.encrypted ? 'Encrypted: enter the pass phrase.' : undefined,
      };
    }
    const certs = all.filter((o) => o.kind === 'certificate');
    const cert = certs[0];
    if (!cert || cert.kind !== 'certificate')
      return {
        role,
        path: displayPath,
        summary: 'no certificate found',
        problem: problems[0]?.message ?? 'This file holds no certificate.',
      };
    const more = certs.length > 1 ? ` (+${certs.length - 1} more)` : '';
    return {
      role,
      path: displayPath,
      summary: describeObject(cert) + more,
      fingerprint: cert.sha256Fingerprint,
    };
  } catch (e) {
    return {
      role,
      path: displayPath,
      summary: 'unreadable',
      problem: e instanceof Error ? e.message : String(e),
    };
  }
}

/** Which field a file belongs in when it is sent to the panel from the explorer. */
export async function roleOf(absolutePath: string): Promise<FileRole | undefined> {
  const bytes = await nodeFileSystem.readFile(absolutePath);
  const all = readObjects(bytes, { fileName: basename(absolutePath) }).objects.map((f) => f.object);
  if (first(all, 'privateKey')) return 'key';
  const cert = first(all, 'certificate');
  if (cert?.kind === 'certificate') return cert.isCA || cert.selfSigned ? 'ca' : 'cert';
  return undefined;
}
