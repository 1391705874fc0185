// PEM blocks: several per file, text around them, CRLF, stray indentation, RFC 1421 headers.

export interface PemBlock {
  label: string;
  /** `Proc-Type`, `DEK-Info`, ... (legacy encrypted keys). */
  headers: Record<string, string>;
  der: Uint8Array;
  /** The block's text from BEGIN to END, normalised to LF, for decoders that want PEM. */
  text: string;
  /** 0-based lines of the BEGIN and END lines; columns where BEGIN starts and END stops. */
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface PemProblem {
  label: string;
  startLine: number;
  /** The columns of the BEGIN marker on that line. */
  startColumn: number;
  endColumn: number;
  kind: 'truncated' | 'malformed';
  message: string;
}

const BEGIN = /-----BEGIN ([A-Z0-9 #.]+)-----/;
const B64 = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') B64[c.charCodeAt(0)] = 1;

/** A base64 line: alphabet characters, then at most two '='. */
function isBase64Line(line: string): boolean {
  let end = line.length;
  if (line.charCodeAt(end - 1) === 61) end--;
  if (line.charCodeAt(end - 1) === 61) end--;
  for (let i = 0; i < end; i++) {
    const c = line.charCodeAt(i);
    if (c > 127 || B64[c] === 0) return false;
  }
  return true;
}

/** Finds every PEM block; damaged blocks are reported rather than thrown. */
export function parsePemBlocks(text: string): { blocks: PemBlock[]; problems: PemProblem[] } {
  const lines = text.split(/\r?\n|\r/);
  const blocks: PemBlock[] = [];
  const problems: PemProblem[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = BEGIN.exec(lines[i]!);
    if (!m) continue;
    const label = m[1]!;
    const startLine = i;
    const startColumn = m.index;
    const endMarker = `-----END ${label}-----`;
    const headers: Record<string, string> = {};
    let body = '';
    let bad: string | undefined;
    let j = i + 1;
    let inHeaders = true;
    for (; j < lines.length; j++) {
      const line = lines[j]!.trim();
      if (line.includes(endMarker)) break;
      if (BEGIN.test(line)) {
        j = -j; // a new BEGIN before our END: this block was cut short
        break;
      }
      if (inHeaders && /^[A-Za-z-]+:/.test(line)) {
        const c = line.indexOf(':');
        headers[line.slice(0, c)] = line.slice(c + 1).trim();
        continue;
      }
      inHeaders = false;
      if (line === '') continue;
      // OpenSSL's base64 decoder skips white space inside lines too.
      const data = line.replace(/[ \t]+/g, '');
      if (bad === undefined && !isBase64Line(data)) bad = `line ${j + 1} of the ${label} block is not base64`;
      body += data;
    }
    if (j <= 0 || j >= lines.length) {
      problems.push({
        label,
        startLine,
        startColumn,
        endColumn: startColumn + m[0].length,
        kind: 'truncated',
        message: `the ${label} PEM block has no END line: the text was cut short`,
      });
      if (j <= 0) i = -j - 1;
      else break;
      continue;
    }
    i = j;
    if (bad !== undefined || body.replace(/=+$/, '').length % 4 === 1) {
      problems.push({
        label,
        startLine,
        startColumn,
        endColumn: startColumn + m[0].length,
        kind: 'malformed',
        message: bad ?? `the ${label} block's base64 is damaged`,
      });
      continue;
    }
    const endColumn = lines[j]!.indexOf(endMarker) + endMarker.length;
    const der = new Uint8Array(Buffer.from(body, 'base64'));
    const blockText =
      lines
        .slice(startLine, j + 1)
        .map((l) => l.trim())
        .join('\n') + '\n';
    blocks.push({ label, headers, der, text: blockText, startLine, startColumn, endLine: j, endColumn });
  }
  return { blocks, problems };
}

/** PEM text for DER bytes, 64 characters a line, LF line ends. */
export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  let out = `-----BEGIN ${label}-----\n`;
  for (let i = 0; i < b64.length; i += 64) out += b64.slice(i, i + 64) + '\n';
  return out + `-----END ${label}-----\n`;
}
