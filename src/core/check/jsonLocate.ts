// Finds where each value sits in a JSON text, so findings about project settings point at the line.
import type { Range } from './types';

/**
 * Maps JSON.stringify(path) to a 0-based range: the value for strings, numbers and literals; the
 * property name for objects and arrays (a diagnostic over a whole object would be noise).
 * Tolerant: on a syntax error it returns what it found so far.
 */
export function locateJson(text: string): Map<string, Range> {
  const out = new Map<string, Range>();
  let i = 0;
  let line = 0;
  let lineStart = 0;
  const pos = () => ({ line, column: i - lineStart });
  const ws = () => {
    while (i < text.length) {
      const c = text[i]!;
      if (c === '\n') {
        line++;
        lineStart = i + 1;
      } else if (c !== ' ' && c !== '\t' && c !== '\r') break;
      i++;
    }
  };
  const str = (): string => {
    const start = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return text.slice(start + 1, i - 1);
    }
  };
  const value = (path: Array<string | number>, keyRange: Range | undefined): void => {
    ws();
    const start = pos();
    const key = JSON.stringify(path);
    const c = text[i];
    if (c === '{' || c === '[') {
      out.set(key, keyRange ?? { start, end: { line: start.line, column: start.column + 1 } });
      i++;
      let n = 0;
      for (;;) {
        ws();
        if (i >= text.length) return;
        if (text[i] === '}' || text[i] === ']') {
          i++;
          return;
        }
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (c === '{') {
          if (text[i] !== '"') return;
          const ks = pos();
          const name = str();
          const kr = { start: ks, end: pos() };
          ws();
          if (text[i] !== ':') return;
          i++;
          value([...path, name], kr);
        } else value([...path, n++], undefined);
      }
    }
    if (c === '"') str();
    else while (i < text.length && !/[\s,}\]]/.test(text[i]!)) i++;
    out.set(key, { start, end: pos() });
  };
  value([], undefined);
  return out;
}
