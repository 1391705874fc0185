// Reads back what a generated header says about itself: how to regenerate it, and for each array
// its source and the SHA-256 the source had. The editor's CodeLens and `--check` use it.
import { parseCommentValue, splitArgs } from './cText';
import { GENERATED_MARK } from './render';

export interface ManifestEntry {
  /** The array or macro name. */
  symbol: string;
  /** 0-based line of its declaration or #define. */
  line: number;
  /** The source path as written, relative to the header's folder. */
  source: string;
  sha256: string;
}

export interface HeaderManifest {
  /** The words of the recorded `etls header ...` command, without `etls header`. */
  regenerateArgs: string[];
  entries: ManifestEntry[];
}

const SOURCE = /^ \* Source: {2}(.+?)(?: \(PEM block \d+ of \d+\))?$/;
const SHA = /^ \* SHA-256: ([0-9a-f]{64})$/;
const DECL = /^(?:#define|(?:extern |static )?const (?:unsigned )?char) ([A-Za-z_][A-Za-z0-9_]*)/;
const REGENERATE = /^ \* Regenerate \(in this folder\): etls header ?(.*)$/;

/** True when the text starts like a header `etls header` wrote. */
export function isGeneratedHeader(text: string): boolean {
  // The mark is on the second line, after the file name.
  const secondLine = text.slice(0, 2000).split('\n', 2)[1] ?? '';
  return text.startsWith('/*') && secondLine.includes(GENERATED_MARK);
}

/** The manifest, or undefined when the text is not a generated header. */
export function readManifest(text: string): HeaderManifest | undefined {
  if (!isGeneratedHeader(text)) return undefined;
  const lines = text.split('\n');
  const manifest: HeaderManifest = { regenerateArgs: [], entries: [] };
  let pending: { source: string; sha256?: string } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const regen = REGENERATE.exec(line);
    if (regen && i < 5) {
      manifest.regenerateArgs = splitArgs(regen[1]!);
      continue;
    }
    const source = SOURCE.exec(line);
    if (source) {
      pending = { source: parseCommentValue(source[1]!) };
      continue;
    }
    const sha = SHA.exec(line);
    if (sha && pending) {
      pending.sha256 = sha[1]!;
      continue;
    }
    const decl = DECL.exec(line);
    if (decl && pending?.sha256) {
      manifest.entries.push({ symbol: decl[1]!, line: i, source: pending.source, sha256: pending.sha256 });
      pending = undefined;
    }
  }
  return manifest;
}

/** True when a header etls generated holds a private key (it says so at the top); for the project check. */
export function isPrivateKeyHeader(text: string): boolean {
  return isGeneratedHeader(text) && text.slice(0, 1000).includes('WARNING: this holds a PRIVATE KEY');
}
