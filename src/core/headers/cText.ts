// Text that goes into C sources: comment lines that can never end the comment, string literals,
// raw strings, and the command line recorded in a header so it can be regenerated.

/** Plain text is shown as is; anything that could end a comment, splice a line or hide a character is quoted. */
const PLAIN = /^[^\s"'\\*?\u0000-\u001f\u007f]+$/;

/**
 * Makes `text` safe inside a block comment: returned as is when plain, else as a JSON string in
 * which `*` + `/` (comment end), `/` + `*` (a nested comment start, which `-Wcomment` reports and
 * `-Werror` turns into a failed build) and `??` (a trigraph start) are escaped.
 * {@link parseCommentValue} reverses it.
 */
export function commentValue(text: string): string {
  if (PLAIN.test(text)) return text;
  return JSON.stringify(text)
    .replace(/\*\//g, '*\\/')
    .replace(/\/\*/g, '/\\u002a')
    .replace(/\?\?/g, '?\\u003f');
}

/** Reads a value written by {@link commentValue}. */
export function parseCommentValue(text: string): string {
  const t = text.trim();
  if (!t.startsWith('"')) return t;
  try {
    const v: unknown = JSON.parse(t);
    return typeof v === 'string' ? v : t;
  } catch {
    return t;
  }
}

/** Free text (a certificate summary) for a comment: control characters, comment ends and starts neutralised. */
export function commentText(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/\*\//g, '* /')
    .replace(/\/\*/g, '/ *')
    .replace(/\?\?/g, '? ?');
}

/** A C string literal for one line of text, with `\n` appended when `newline` is set. ASCII only out. */
export function cStringLiteral(line: string, newline: boolean): string {
  let s = '"';
  for (const ch of line) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') s += `\\${ch}`;
    else if (ch === '?') s += '\\?';
    else if (c >= 0x20 && c < 0x7f) s += ch;
    else {
      for (const b of Buffer.from(ch, 'utf8')) s += `\\${b.toString(8).padStart(3, '0')}`;
    }
  }
  return `${s}${newline ? '\\n' : ''}"`;
}

/** Splits text into lines that each keep their newline flag, so the literal pieces add up to the exact text. */
export function splitLines(text: string): Array<{ line: string; newline: boolean }> {
  const parts = text.split('\n');
  const last = parts.pop()!;
  const lines = parts.map((line) => ({ line, newline: true }));
  if (last !== '') lines.push({ line: last, newline: false });
  return lines;
}

/** A C++11 raw string literal holding `text` exactly; the delimiter is chosen so it cannot occur inside. */
export function rawStringLiteral(text: string): string {
  let delimiter = 'EOF';
  for (let i = 1; text.includes(`)${delimiter}"`); i++) delimiter = `EOF${i}`;
  return `R"${delimiter}(${text})${delimiter}"`;
}

/** One command-line word as written into a header comment; see {@link commentValue}. */
export function quoteArg(arg: string): string {
  return commentValue(arg);
}

/** Splits a recorded command line back into words (plain words and JSON-quoted strings). */
export function splitArgs(line: string): string[] {
  const args: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ') i++;
    if (i >= line.length) break;
    if (line[i] === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      args.push(parseCommentValue(line.slice(i, j + 1)));
      i = j + 1;
    } else {
      const j = line.indexOf(' ', i);
      const end = j < 0 ? line.length : j;
      args.push(line.slice(i, end));
      i = end;
    }
  }
  return args;
}
