// The lexical pieces of the C scanner: character classes, C escapes and integer literals, where raw
// strings close, and which literal a line of concatenated text was written in.

export const MAX_DELIMITER = 16;

export function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
}
export function isIdentChar(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}
export function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12;
}
export function isDelimiterChar(c: number): boolean {
  return c > 32 && c < 127 && c !== 40 && c !== 41 && c !== 92 && c !== 34;
}

export function unescapeC(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\\r?\n/g, '').replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|[\s\S])/g, (_, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (e >= '0' && e <= '7') return String.fromCharCode(parseInt(e, 8));
    return ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[e] ?? e;
  });
}

/** The value of a C integer literal if it is a byte (0..255), else -1. */
export function byteValue(src: string, start: number, end: number): number {
  let e = end;
  while (e > start && (src.charCodeAt(e - 1) | 32) === 117 /* u */) e--;
  let base = 10;
  let i = start;
  if (src.charCodeAt(i) === 48 && e - i > 1) {
    const x = src.charCodeAt(i + 1) | 32;
    base = x === 120 /* x */ ? 16 : x === 98 /* b */ ? 2 : 8;
    i += base === 8 ? 1 : 2;
  }
  if (i >= e) return -1;
  let v = 0;
  for (; i < e; i++) {
    const c = src.charCodeAt(i) | 32;
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : 99;
    if (d >= base) return -1;
    v = v * base + d;
    if (v > 255) return -1;
  }
  return v;
}

/**
 * Where each raw-string delimiter closes: every `)delim"` in the text, built once in one pass the
 * first time a raw string is seen, so an unterminated `R"(` costs a lookup, not a search.
 */
export function rawClosers(src: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  let i = src.indexOf(')');
  while (i >= 0) {
    let j = i + 1;
    while (j - i - 1 <= MAX_DELIMITER && j < src.length && isDelimiterChar(src.charCodeAt(j))) j++;
    if (src.charCodeAt(j) === 34 && j - i - 1 <= MAX_DELIMITER) {
      const d = src.slice(i + 1, j);
      const list = out.get(d);
      if (list) list.push(i);
      else out.set(d, [i]);
    }
    i = src.indexOf(')', i + 1);
  }
  return out;
}

export function firstAfter(sorted: number[] | undefined, at: number): number {
  if (!sorted) return -1;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < at) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length ? sorted[lo]! : -1;
}

/** Maps lines of a run's text to the literals they were written in (a raw string maps line by line). */
export function lineMapper(text: string, spans: number[]): (line: number) => number {
  let starts: number[] | undefined;
  return (line) => {
    if (!starts) {
      starts = [0];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    if (line < 0 || line >= starts.length) return -1;
    const at = starts[line]!;
    let lo = 0;
    let hi = spans.length / 3 - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (spans[mid * 3]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return spans[lo * 3 + 1]! + (spans[lo * 3 + 2] ? at - spans[lo * 3]! : 0);
  };
}
