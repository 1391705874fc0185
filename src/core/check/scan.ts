// Reads one discovered file into a ScannedFile: the reader's objects plus the byte-level facts the
// target rules need (PEM or DER on disk, a terminating NUL).
import { extname } from 'node:path';
import type { ReadOptions, ReadResult } from '../x509/types';
import { readObjects } from '../x509/reader';
import type { ScannedFile } from './types';
import { sourceExtensions } from './discover';

/** The x509 reader's signature (`readObjects` in src/core/x509). */
export type ObjectReader = (bytes: Uint8Array, options?: ReadOptions) => ReadResult;

export interface ScanOptions {
  /** Defaults to the core's readObjects. */
  reader?: ObjectReader;
  /** For encrypted keys and PKCS#12; never logged. */
  passphrase?: string;
  mtimeMs?: number;
}

const BEGIN = '-----BEGIN ';

/** Cheap test that a source file may hold an embedded certificate: a PEM line or a DER SEQUENCE header in hex. */
function mayEmbed(text: string): boolean {
  return text.includes(BEGIN) || /0x30\s*,\s*0x8[1-3]/i.test(text);
}

function fileEncoding(path: string, bytes: Uint8Array, head: string): ScannedFile['encoding'] {
  const ext = extname(path).slice(1).toLowerCase();
  if (sourceExtensions.includes(ext)) return 'source';
  if (ext === 'p12' || ext === 'pfx') return 'pkcs12';
  if (head.includes(BEGIN)) return 'PEM';
  // DER starts with a SEQUENCE tag (0x30), as in `30 82` (field notes §5).
  if (bytes[0] === 0x30) return 'DER';
  return 'unknown';
}

export function scanFile(path: string, bytes: Uint8Array, options: ScanOptions = {}): ScannedFile {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, 4096)));
  const encoding = fileEncoding(path, bytes, head);
  const base: ScannedFile = {
    path,
    size: bytes.length,
    encoding,
    endsWithNul: bytes.length > 0 && bytes[bytes.length - 1] === 0,
    objects: [],
    problems: [],
  };
  if (options.mtimeMs !== undefined) base.mtimeMs = options.mtimeMs;
  // Most sources in a firmware tree embed nothing: skip the reader for them.
  if (encoding === 'source' && !mayEmbed(new TextDecoder('latin1').decode(bytes))) return base;
  const reader = options.reader ?? readObjects;
  const readOptions: ReadOptions = { fileName: path };
  if (options.passphrase !== undefined) readOptions.passphrase = options.passphrase;
  const result = reader(bytes, readOptions);
  base.objects = result.objects;
  base.problems = result.problems;
  return base;
}
