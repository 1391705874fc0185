// A FileSystemPort over a Map, for unit tests of the header generator.
import { EtlsError } from '../../../src/core/errors';
import type { FileSystemPort } from '../../../src/core/ports';

export function memoryFs(
  files: Record<string, Uint8Array | string> = {},
): FileSystemPort & { files: Map<string, Uint8Array> } {
  const map = new Map<string, Uint8Array>();
  const put = (p: string, d: Uint8Array | string) =>
    map.set(p, typeof d === 'string' ? new TextEncoder().encode(d) : d);
  for (const [p, d] of Object.entries(files)) put(p, d);
  return {
    files: map,
    async readFile(path) {
      const d = map.get(path);
      if (!d) throw new EtlsError('not-found', `${path}: no such file`);
      return d;
    },
    async writeFileAtomic(path, data) {
      put(path, data);
    },
    async stat(path) {
      const d = map.get(path);
      return d ? { size: d.length, mtimeMs: 0, isFile: true, mode: 0o644 } : undefined;
    },
  };
}
