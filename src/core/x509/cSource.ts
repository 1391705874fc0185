// Finds certificates and keys pasted into C/C++ sources: byte-array initialisers `{0x30, 0x82, ...}`
// and PEM string literals, including concatenated `"...\n"` lines, macros and C++ raw strings.
// One linear pass; no regular expression runs over unbounded input.

export interface EmbeddedCandidate {
  container: 'c-array' | 'c-string';
  symbol?: string;
  /** Character offsets of the initialiser or the first and last string literal. */
  start: number;
  end: number;
  /** Byte arrays: the bytes. */
  bytes?: Uint8Array;
  /** Strings: the concatenated, unescaped text. */
  text?: string;
}

const IDENT_BEFORE =
  /([A-Za-z_]\w*)\s*(?:\[[^\]\n]{0,40}\]\s*)*(?:PROGMEM\s*|__attribute__\s*\(\([^)]{0,80}\)\)\s*)*=\s*\(?\s*$/;
const DEFINE_BEFORE = /#\s*define\s+([A-Za-z_]\w*)(?:\s|\\\r?\n)*\(?\s*$/;

function symbolBefore(src: string, at: number): string | undefined {
  const before = src.slice(Math.max(0, at - 240), at);
  return DEFINE_BEFORE.exec(before)?.[1] ?? IDENT_BEFORE.exec(before)?.[1];
}

function unescapeC(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return ({ n: '\n', r: '\r', t: '\t', '0': '\0' } as Record<string, string>)[e] ?? e;
  });
}

/** Parses `{ 0x30, 0x82, 48, ... }` starting at the `{`; undefined when it is not a byte list. */
function byteList(src: string, open: number): { bytes: Uint8Array; end: number } | undefined {
  const close = src.indexOf('}', open);
  if (close < 0) return undefined;
  const body = src.slice(open + 1, close).replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, ' ');
  const tokens = body.split(',');
  const out = new Uint8Array(tokens.length);
  let n = 0;
  for (const raw of tokens) {
    const t = raw.trim().replace(/^\(\s*(?:unsigned\s+char|uint8_t|char|u8|_u8)\s*\)\s*/, '');
    if (t === '') continue;
    const v = /^0[xX][0-9a-fA-F]{1,2}$/.test(t)
      ? parseInt(t, 16)
      : /^\d{1,3}$/.test(t)
        ? parseInt(t, 10)
        : NaN;
    if (!(v >= 0 && v <= 255)) return undefined;
    out[n++] = v;
  }
  return { bytes: out.subarray(0, n), end: close + 1 };
}

export function scanCSource(src: string): EmbeddedCandidate[] {
  const found: EmbeddedCandidate[] = [];
  let group: { start: number; end: number; text: string } | undefined;
  const flush = () => {
    if (group && group.text.includes('-----BEGIN ')) {
      const sym = symbolBefore(src, group.start);
      found.push({
        container: 'c-string',
        start: group.start,
        end: group.end,
        text: group.text,
        ...(sym ? { symbol: sym } : {}),
      });
    }
    group = undefined;
  };
  const addString = (start: number, end: number, text: string) => {
    if (group) {
      group.end = end;
      group.text += text;
    } else group = { start, end, text };
  };
  const n = src.length;
  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 47 /* / */ && src[i + 1] === '/') {
      const e = src.indexOf('\n', i);
      i = e < 0 ? n : e;
      continue;
    }
    if (c === 47 && src[i + 1] === '*') {
      const e = src.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
      continue;
    }
    if (c === 82 /* R */ && src[i + 1] === '"' && !/\w/.test(src[i - 1] ?? ' ')) {
      const open = src.indexOf('(', i + 2);
      const delim = open > 0 && open - i < 20 ? src.slice(i + 2, open) : undefined;
      const close = delim !== undefined ? src.indexOf(`)${delim}"`, open) : -1;
      if (delim !== undefined && close > 0) {
        addString(i, close + delim.length + 2, src.slice(open + 1, close));
        i = close + delim.length + 2;
        continue;
      }
    }
    if (c === 34 /* " */) {
      let j = i + 1;
      while (j < n && src[j] !== '"' && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      addString(i, j + 1, unescapeC(src.slice(i + 1, j)));
      i = j + 1;
      continue;
    }
    if (c === 39 /* ' */) {
      let j = i + 1;
      while (j < n && src[j] !== "'" && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      flush();
      i = j + 1;
      continue;
    }
    if (
      c === 32 ||
      c === 9 ||
      c === 10 ||
      c === 13 ||
      (c === 92 /* \ */ && (src[i + 1] === '\n' || src[i + 1] === '\r'))
    ) {
      i++;
      continue;
    }
    // Anything else ends a run of adjacent string literals.
    flush();
    if (c === 123 /* { */ && /0[xX]30\b|^\s*48\b/.test(src.slice(i + 1, i + 16))) {
      const list = byteList(src, i);
      if (list && list.bytes.length >= 2) {
        const sym = symbolBefore(src, i);
        found.push({
          container: 'c-array',
          start: i,
          end: list.end,
          bytes: list.bytes,
          ...(sym ? { symbol: sym } : {}),
        });
        i = list.end;
        continue;
      }
    }
    i++;
  }
  flush();
  return found;
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
