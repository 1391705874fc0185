// Loads the CA, certificate and key files named by path through the host's file system.
import { basename } from 'node:path';
import type { FileSystemPort } from '../ports';
import type { TlsMaterial } from './types';

export interface TlsPaths {
  ca?: string;
  cert?: string;
  key?: string;
}

/** Reads each named file; a missing file rejects with the file system's EtlsError ('not-found'). */
export async function loadTlsMaterial(
  fs: FileSystemPort,
  paths: TlsPaths,
  passphrase?: string,
): Promise<TlsMaterial> {
  const read = async (p: string | undefined) =>
    p ? { name: basename(p), bytes: await fs.readFile(p) } : undefined;
  const [ca, cert, key] = await Promise.all([read(paths.ca), read(paths.cert), read(paths.key)]);
  return { ca, cert, key, passphrase };
}
