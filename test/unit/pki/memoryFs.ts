// A FileSystemPort in memory for the PKI unit tests: records modes and write counts.
import type { FileSystemPort } from '../../../src/core/ports';
import { EtlsError } from '../../../src/core/errors';

export interface MemoryFs extends FileSystemPort {
  files: Map<string, { data: Uint8Array; mode: number; writes: number }>;
  text(path: string): string;
}

export function memoryFs(): MemoryFs {
  const files = new Map<string, { data: Uint8Array; mode: number; writes: number }>();
  return {
    files,
    text: (p) => new TextDecoder().decode(files.get(p)!.data),
    async readFile(path) {
      const f = files.get(path);
      if (!f) throw new EtlsError('not-found', `${path}: no such file`);
      return f.data;
    },
    async writeFileAtomic(path, data, options) {
      const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
      files.set(path, {
        data: bytes,
        mode: options?.mode ?? 0o644,
        writes: (files.get(path)?.writes ?? 0) + 1,
      });
    },
    async stat(path) {
      const f = files.get(path);
      return f ? { size: f.data.length, mtimeMs: f.writes, isFile: true, mode: f.mode } : undefined;
    },
    async ensureDir() {},
  };
}
