// What the C source scanner finds: one certificate or key written into a C/C++ file. Its own file, so
// the scanner (cSource.ts) and the macro expander (cMacros.ts) share it without importing each other.
export interface EmbeddedCandidate {
  container: 'c-array' | 'c-string';
  symbol?: string;
  /** Character offsets of the initialiser or the first and last string literal. */
  start: number;
  end: number;
  /** Byte arrays: the bytes. */
  bytes?: Uint8Array;
  /** Strings: the concatenated, unescaped text (macros defined in the file expanded). */
  text?: string;
  /** Strings assembled from macros: every macro name the literal uses. */
  macros?: string[];
  /** Strings assembled from macros: the names this file does not define as string literals. */
  unresolved?: string[];
  /** Strings assembled from macros whose expansion outgrew the file: not expanded. */
  tooLarge?: boolean;
  /** Strings: the source offset where line `line` (0-based) of `text` was written; -1 past the end. */
  sourceOfLine?: (line: number) => number;
}
