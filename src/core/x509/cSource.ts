// Finds certificates and keys pasted into C/C++ sources: byte-array initialisers `{0x30, 0x82, ...}`
// and PEM string literals, including concatenated `"...\n"` lines, macros and C++ raw strings.
// One linear pass, a small tokenizer: comments, string literals (raw strings, adjacent-literal
// concatenation), char literals, preprocessor lines with continuations, and brace initialisers
// with numeric items. No search runs twice over the same text, so hostile input stays linear.
// Over 300 lines: the tokenizer is one loop over shared state; the lexical helpers are in cLexical.ts,
// macro expansion in cMacros.ts.
import { MAX_MACROS, resolveMacros, type StringPart } from './cMacros';
import type { EmbeddedCandidate } from './cCandidate';
import {
  byteValue,
  firstAfter,
  isDelimiterChar,
  isIdentChar,
  isIdentStart,
  isSpace,
  lineMapper,
  MAX_DELIMITER,
  rawClosers,
  unescapeC,
} from './cLexical';

export type { EmbeddedCandidate } from './cCandidate';

/** Identifiers written after a declarator that are not its name (placement and section attributes). */
const QUALIFIERS = new Set([
  'PROGMEM',
  'PROGMEM_LATE',
  'ICACHE_RODATA_ATTR',
  'ICACHE_RAM_ATTR',
  'DRAM_ATTR',
  'RODATA_ATTR',
  'EXT_RAM_ATTR',
  'const',
  'volatile',
  'constexpr',
]);
/** Words that may stand before a string literal without being a macro. */
const KEYWORDS = new Set([
  'return',
  'case',
  'else',
  'do',
  'throw',
  'sizeof',
  'goto',
  'co_return',
  'co_yield',
]);
const STRING_PREFIXES = new Set(['L', 'u', 'U', 'u8']);
const RAW_PREFIXES = new Set(['R', 'LR', 'uR', 'UR', 'u8R']);
interface Run {
  start: number;
  end: number;
  parts: StringPart[];
  symbol: string | undefined;
  /** Per literal: where its text starts in the run's text, where its content starts in the source, raw or not. */
  spans: number[];
  macros: number;
}

interface ByteList {
  start: number;
  bytes: Uint8Array;
  n: number;
  symbol: string | undefined;
}

interface Declaration {
  depth: number;
  parens: number;
  /** The array name (an identifier followed by `[`) and the last plain identifier, at paren level 0. */
  arrayName: string | undefined;
  nameIdent: string | undefined;
  /** After `=`: the name the initialiser belongs to, and the brace depth of that `=`. */
  symbol: string | undefined;
  symbolDepth: number;
}

export function scanCSource(src: string): EmbeddedCandidate[] {
  const n = src.length;
  const found: Array<EmbeddedCandidate & { parts?: StringPart[] }> = [];
  const defines = new Map<string, StringPart[]>();
  let closers: Map<string, number[]> | undefined;

  let lineStart = true; // only blanks since the last newline: a `#` starts a directive
  let define: { name: string; parts: StringPart[]; pure: boolean; outer: Declaration } | undefined;
  let d: Declaration = {
    depth: 0,
    parens: 0,
    arrayName: undefined,
    nameIdent: undefined,
    symbol: undefined,
    symbolDepth: 0,
  };
  let prev: { word: string; start: number; end: number } | undefined; // the previous token, if a word
  let run: Run | undefined;
  let list: ByteList | undefined;

  const flush = () => {
    if (!run) return;
    const r = run;
    run = undefined;
    let own = '';
    let hasMacro = false;
    for (const p of r.parts)
      if (typeof p === 'string') own += p;
      else hasMacro = true;
    if (!own.includes('-----BEGIN ')) return;
    const c: EmbeddedCandidate & { parts?: StringPart[] } = {
      container: 'c-string',
      start: r.start,
      end: r.end,
      text: own,
    };
    if (r.symbol) c.symbol = r.symbol;
    if (r.macros > MAX_MACROS) {
      c.tooLarge = true;
      c.macros = r.parts.filter((p): p is { macro: string } => typeof p !== 'string').map((p) => p.macro);
    } else if (hasMacro) c.parts = r.parts;
    else c.sourceOfLine = lineMapper(own, r.spans);
    found.push(c);
  };
  let runText = 0; // length of the run's literal text so far
  const addPart = (part: StringPart, start: number, end: number) => {
    if (!run) {
      run = { start, end, parts: [], symbol: define ? define.name : d.symbol, spans: [], macros: 0 };
      runText = 0;
    }
    if (typeof part !== 'string' && ++run.macros > MAX_MACROS) {
      run.end = end;
      return;
    }
    run.parts.push(part);
    run.end = end;
  };
  /** A literal from `start` to `end`; `raw` is the offset of a raw string's first content character. */
  const addString = (start: number, end: number, text: string, raw = -1) => {
    if (!run && prev && !KEYWORDS.has(prev.word)) addPart({ macro: prev.word }, prev.start, prev.end);
    addPart(text, start, end);
    run!.spans.push(runText, raw >= 0 ? raw : start, raw >= 0 ? 1 : 0);
    runText += text.length;
    define?.parts.push(text);
    prev = undefined;
    list = undefined;
  };
  /** Any token other than a string literal or an identifier ends a run of literals. */
  const other = () => {
    flush();
    prev = undefined;
    if (define) define.pure = false;
  };
  const endDefine = () => {
    if (!define) return;
    flush();
    if (define.pure && define.parts.length && !defines.has(define.name))
      defines.set(define.name, define.parts);
    d = define.outer;
    define = undefined;
    list = undefined;
    prev = undefined;
  };
  /** End (after the closing quote) of a "..." or '...' literal; unterminated ones end at the line. */
  const quoted = (from: number, q: number): number => {
    let j = from + 1;
    while (j < n) {
      const c = src.charCodeAt(j);
      if (c === q) return j + 1;
      if (c === 10) return j;
      // An escape, or a line splice inside the literal (seen in #define bodies).
      if (c === 92) j += src.charCodeAt(j + 1) === 13 && src.charCodeAt(j + 2) === 10 ? 3 : 2;
      else j++;
    }
    return n;
  };
  const literalText = (open: number, end: number) =>
    unescapeC(src.slice(open + 1, src.charCodeAt(end - 1) === 34 && end - 1 > open ? end - 1 : end));
  /** Skips a directive other than #define to its end, honouring continuations, comments, strings. */
  const skipDirective = (from: number): number => {
    let j = from;
    while (j < n) {
      const c = src.charCodeAt(j);
      if (c === 10) return j;
      if (c === 92) j += src.charCodeAt(j + 1) === 13 ? 3 : 2;
      else if (c === 47 && src.charCodeAt(j + 1) === 42) {
        const e = src.indexOf('*/', j + 2);
        j = e < 0 ? n : e + 2;
      } else if (c === 47 && src.charCodeAt(j + 1) === 47) {
        const e = src.indexOf('\n', j);
        return e < 0 ? n : e;
      } else if (c === 34 || c === 39) j = quoted(j, c);
      else j++;
    }
    return n;
  };
  /** A raw string whose `"` is at `q`: the offsets of its `(`, its closing `)` and its end; or undefined. */
  const rawString = (q: number): { open: number; close: number; end: number } | undefined => {
    let open = q + 1;
    while (open < n && open - q - 1 <= MAX_DELIMITER && isDelimiterChar(src.charCodeAt(open))) open++;
    if (src.charCodeAt(open) !== 40 || open - q - 1 > MAX_DELIMITER) return undefined;
    const delim = src.slice(q + 1, open);
    closers ??= rawClosers(src);
    const close = firstAfter(closers.get(delim), open + 1);
    return close < 0 ? undefined : { open, close, end: close + delim.length + 2 };
  };

  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 10) {
      if (define) endDefine();
      lineStart = true;
      i++;
      continue;
    }
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === 92 /* \ */ && (src.charCodeAt(i + 1) === 10 || src.charCodeAt(i + 1) === 13)) {
      i += src.charCodeAt(i + 1) === 13 && src.charCodeAt(i + 2) === 10 ? 3 : 2;
      continue;
    }
    if (c === 47 /* / */ && src.charCodeAt(i + 1) === 47) {
      const e = src.indexOf('\n', i);
      i = e < 0 ? n : e;
      continue;
    }
    if (c === 47 && src.charCodeAt(i + 1) === 42 /* * */) {
      const e = src.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
      continue;
    }
    const atLineStart = lineStart;
    lineStart = false;
    if (c === 35 /* # */ && atLineStart && !define) {
      let j = i + 1;
      while (j < n && isSpace(src.charCodeAt(j))) j++;
      let k = j;
      while (k < n && isIdentChar(src.charCodeAt(k))) k++;
      if (k - j === 6 && src.startsWith('define', j)) {
        while (k < n && isSpace(src.charCodeAt(k))) k++;
        let m = k;
        while (m < n && isIdentChar(src.charCodeAt(m))) m++;
        if (m > k) {
          flush();
          list = undefined;
          prev = undefined;
          // A function-like macro is scanned but never expanded.
          const pure = src.charCodeAt(m) !== 40;
          define = { name: src.slice(k, m), parts: [], pure, outer: d };
          d = {
            depth: 0,
            parens: 0,
            arrayName: undefined,
            nameIdent: undefined,
            symbol: undefined,
            symbolDepth: 0,
          };
          i = m;
          continue;
        }
      }
      // #if, #endif, #include, #pragma...: invisible to the declaration and the literals around them.
      i = skipDirective(k);
      continue;
    }
    if (c === 34 /* " */) {
      const e = quoted(i, 34);
      addString(i, e, literalText(i, e));
      i = e;
      continue;
    }
    if (isIdentStart(c)) {
      let e = i + 1;
      while (e < n && isIdentChar(src.charCodeAt(e))) e++;
      const word = src.slice(i, e);
      if (src.charCodeAt(e) === 34) {
        const raw = RAW_PREFIXES.has(word) ? rawString(e) : undefined;
        if (raw) {
          addString(i, raw.end, src.slice(raw.open + 1, raw.close), raw.open + 1);
          i = raw.end;
          continue;
        }
        if (STRING_PREFIXES.has(word)) {
          const q = quoted(e, 34);
          addString(i, q, literalText(e, q));
          i = q;
          continue;
        }
      }
      if (KEYWORDS.has(word)) other();
      else if (run) addPart({ macro: word }, i, e);
      if (define && define.parts.length < MAX_MACROS * 64) define.parts.push({ macro: word });
      else if (define) define.pure = false;
      if (d.parens === 0 && !QUALIFIERS.has(word) && !word.startsWith('__')) d.nameIdent = word;
      prev = { word, start: i, end: e };
      list = undefined;
      i = e;
      continue;
    }
    if (c >= 48 && c <= 57 /* digit */) {
      other();
      // Numbers, blanks, newlines and commas in a row: the body of an `xxd -i` array, read in one loop.
      for (;;) {
        let e = i + 1;
        while (e < n && (isIdentChar(src.charCodeAt(e)) || src.charCodeAt(e) === 46)) e++;
        const v = list ? byteValue(src, i, e) : -1;
        if (v < 0) {
          list = undefined;
          i = e;
          break;
        }
        const l = list!;
        if (l.n === l.bytes.length) {
          const grown = new Uint8Array(l.bytes.length * 2);
          grown.set(l.bytes);
          l.bytes = grown;
        }
        l.bytes[l.n++] = v;
        let k = e;
        let comma = false;
        for (; k < n; k++) {
          const s = src.charCodeAt(k);
          if (s === 32 || s === 9 || s === 13) continue;
          if (s === 10 && !define) lineStart = true;
          else if (s === 44 && !comma) {
            comma = true;
            lineStart = false;
          } else break;
        }
        const next = src.charCodeAt(k);
        if (comma && next >= 48 && next <= 57) {
          lineStart = false;
          i = k;
          continue;
        }
        // Anything else (a brace, a comment, a directive, a define's end) goes back to the main loop,
        // which sees the consumed comma as already handled.
        i = comma ? k : e;
        if (!comma) lineStart = false;
        break;
      }
      continue;
    }
    if (c === 39 /* ' */) {
      other();
      list = undefined;
      i = quoted(i, 39);
      continue;
    }
    // Punctuation.
    const afterWord = prev?.word;
    other();
    switch (c) {
      case 123 /* { */:
        d.depth++;
        list = { start: i, bytes: new Uint8Array(64), n: 0, symbol: define ? define.name : d.symbol };
        d.arrayName = d.nameIdent = undefined;
        break;
      case 125 /* } */:
        if (list && list.n >= 2) {
          const item: EmbeddedCandidate = {
            container: 'c-array',
            start: list.start,
            end: i + 1,
            bytes: list.bytes.slice(0, list.n),
          };
          if (list.symbol) item.symbol = list.symbol;
          found.push(item);
        }
        list = undefined;
        d.depth = Math.max(0, d.depth - 1);
        if (d.depth < d.symbolDepth) d.symbol = undefined;
        d.arrayName = d.nameIdent = undefined;
        break;
      case 44 /* , */:
        if (list && list.n === 0) list = undefined;
        if (d.depth === d.symbolDepth && d.parens === 0) d.symbol = d.arrayName = d.nameIdent = undefined;
        break;
      case 59 /* ; */:
        d.symbol = d.arrayName = d.nameIdent = undefined;
        d.parens = 0;
        list = undefined;
        break;
      case 91 /* [ */:
        if (afterWord !== undefined && d.parens === 0 && d.arrayName === undefined) d.arrayName = afterWord;
        list = undefined;
        break;
      case 40 /* ( */: {
        if (list) {
          // A cast in a byte list, `(uint8_t)0x30`, is skipped; any other parenthesis ends the list.
          let j = i + 1;
          while (j < n && j - i < 40 && (isIdentChar(src.charCodeAt(j)) || isSpace(src.charCodeAt(j)))) j++;
          if (src.charCodeAt(j) === 41 && /[A-Za-z_]/.test(src.slice(i + 1, j))) {
            i = j + 1;
            continue;
          }
          list = undefined;
        }
        d.parens++;
        break;
      }
      case 41 /* ) */:
        d.parens = Math.max(0, d.parens - 1);
        list = undefined;
        break;
      case 61 /* = */: {
        list = undefined;
        if (src.charCodeAt(i + 1) === 61) {
          i += 2;
          continue;
        }
        if (!'=!<>+-*/%&|^'.includes(src[i - 1] ?? '')) {
          d.symbol = d.arrayName ?? d.nameIdent;
          d.symbolDepth = d.depth;
        }
        break;
      }
      default:
        list = undefined;
    }
    i++;
  }
  endDefine();
  flush();
  return resolveMacros(found, defines, n);
}

/** Maps character offsets to 0-based line/column. */
export function lineIndex(src: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: offset - starts[lo]! };
  };
}
