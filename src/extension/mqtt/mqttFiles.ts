// What the MQTT panel shows about the CA, certificate and key files: a one-line summary and a
// fingerprint. The bytes stay in the extension host.
import { stat } from 'node:fs/promises';
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

/** Which fields a file's objects fit: a private key, a CA (CA:TRUE or self-signed), a device certificate. */
export function rolesOfObjects(all: X509Object[]): FileRole[] {
  const roles: FileRole[] = [];
  if (first(all, 'privateKey')) roles.push('key');
  const cert = first(all, 'certificate');
  if (cert?.kind === 'certificate') roles.push(cert.isCA || cert.selfSigned ? 'ca' : 'cert');
  return roles;
}

/** Which field a file belongs in when it is sent to the panel from the explorer. */
export async function roleOf(absolutePath: string): Promise<FileRole | undefined> {
  const bytes = await nodeFileSystem.readFile(absolutePath);
  return rolesOfObjects(
    readObjects(bytes, { fileName: basename(absolutePath) }).objects.map((f) => f.object),
  )[0];
}

/** Certificates and keys are a few KB; a larger file in the pickers' globs is not one of them. */
const MAX_CANDIDATE_BYTES = 256 * 1024;
const roleCache = new Map<string, { stamp: string; roles: FileRole[] }>();

/**
 * The fields a workspace file fits, for the pickers (so the CA picker lists CA certificates, the key
 * picker keys); remembered per file until it changes. Unreadable or unrecognised files fit none.
 */
export async function candidateRoles(absolutePath: string): Promise<FileRole[]> {
  try {
    const st = await stat(absolutePath);
    const stamp = `${st.size}:${st.mtimeMs}`;
    const cached = roleCache.get(absolutePath);
    if (cached?.stamp === stamp) return cached.roles;
    let roles: FileRole[] = [];
    if (st.isFile() && st.size <= MAX_CANDIDATE_BYTES) {
      const bytes = await nodeFileSystem.readFile(absolutePath);
      roles = rolesOfObjects(
        readObjects(bytes, { fileName: basename(absolutePath) }).objects.map((f) => f.object),
      );
    }
    roleCache.set(absolutePath, { stamp, roles });
    return roles;
  } catch {
    return [];
  }
}
