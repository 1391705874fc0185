// Reads one discovered file into a ScannedFile: the reader's objects plus the byte-level facts the
// target rules need (PEM or DER on disk, a terminating NUL).
import { basename, extname } from 'node:path';
import type { ReadOptions, ReadResult } from '../x509/types';
import { readObjects } from '../x509/reader';
import type { ScannedFile } from './types';
import { buildFileNames, sourceExtensions } from './discover';

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

/**
 * Cheap test that a source file may hold an embedded certificate: a PEM line, or a SEQUENCE tag in a
 * byte list (short DER such as an EC key `0x30, 0x77` and BearSSL DN arrays too, or decimal `{ 48,`).
 */
function mayEmbed(text: string): boolean {
  return text.includes(BEGIN) || /0x30\s*,|\{\s*48\s*,/i.test(text);
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

const CMAKE_KEYWORDS =
  /^(SRCS|SRC_DIRS|INCLUDE_DIRS|PRIV_INCLUDE_DIRS|REQUIRES|PRIV_REQUIRES|EMBED_TXTFILES|EMBED_FILES|LDFRAGMENTS|WHOLE_ARCHIVE|EXCLUDE_SRCS|KCONFIG|KCONFIG_PROJBUILD)$/;

/**
 * The files a build file embeds as binary: `EMBED_FILES` in idf_component_register,
 * `target_add_binary_data(... BINARY)` (the default), `COMPONENT_EMBED_FILES` and
 * PlatformIO's `board_build.embed_files`. Their TEXT variants append the NUL mbedTLS needs.
 */
export function binaryEmbeds(name: string, text: string): string[] {
  const out: string[] = [];
  const noComments = text.replace(/#.*$/gm, '');
  if (name === 'CMakeLists.txt') {
    for (const m of noComments.matchAll(/idf_component_register\s*\(([^)]*)\)/g)) {
      let inEmbed = false;
      for (const tok of m[1]!.split(/\s+/).filter(Boolean)) {
        if (CMAKE_KEYWORDS.test(tok)) inEmbed = tok === 'EMBED_FILES';
        else if (inEmbed) out.push(tok.replace(/^"|"$/g, ''));
      }
    }
    for (const m of noComments.matchAll(/target_add_binary_data\s*\(([^)]*)\)/g)) {
      const args = m[1]!.split(/\s+/).filter(Boolean);
      if (args[1] && !args.includes('TEXT')) out.push(args[1].replace(/^"|"$/g, ''));
    }
  } else if (name === 'component.mk') {
    for (const m of noComments.matchAll(/^\s*COMPONENT_EMBED_FILES\s*[:+]?=\s*(.*)$/gm))
      out.push(...m[1]!.split(/\s+/).filter(Boolean));
  } else {
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const m = /^\s*board_build\.embed_files\s*=\s*(.*)$/.exec(lines[i]!);
      if (!m) continue;
      if (m[1]!.trim()) out.push(m[1]!.trim());
      // Continuation lines are indented.
      for (let j = i + 1; j < lines.length && /^\s+\S/.test(lines[j]!); j++) out.push(lines[j]!.trim());
    }
  }
  return out;
}

export function scanFile(path: string, bytes: Uint8Array, options: ScanOptions = {}): ScannedFile {
  const name = basename(path);
  if (buildFileNames.includes(name)) {
    const text = new TextDecoder().decode(bytes);
    const lines = text.split(/\r?\n/).map((l) => l.replace(/#.*$/, ''));
    const embeds = binaryEmbeds(name, text).map((file) => ({
      file,
      line: Math.max(
        0,
        lines.findIndex((l) => l.includes(file)),
      ),
    }));
    return {
      path,
      size: bytes.length,
      encoding: 'build',
      endsWithNul: false,
      objects: [],
      problems: [],
      binaryEmbeds: embeds,
    };
  }
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
