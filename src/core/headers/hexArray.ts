// The body of a C byte array (`  0x30, 0x82, ...`), written straight into one preallocated buffer.
// Headers for large blobs are built in every firmware build, so this is the hot path: no string
// concatenation per byte: the constant text is laid down with memcpy, then each byte costs one
// table lookup and one 16-bit store.

const HEX = '0123456789abcdef';
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Two ASCII bytes as the 16-bit value that stores them in order on this machine. */
function pair(a: number, b: number): number {
  return LITTLE_ENDIAN ? a | (b << 8) : (a << 8) | b;
}

/** For each byte value, its two lowercase hex digits as one 16-bit store. */
const DIGITS = Uint16Array.from({ length: 256 }, (_, i) =>
  pair(HEX.charCodeAt(i >> 4), HEX.charCodeAt(i & 15)),
);

/** One line's constant part: `  0x??, 0x??, ...,\n` with `count` entries (the digits come later). */
function lineTemplate(count: number): Buffer {
  return Buffer.from(`  ${'0x??, '.repeat(count).slice(0, -2)},\n`, 'latin1');
}

/**
 * Renders `bytes` as `bytesPerLine` comma-separated `0xhh` per line, each line indented by two
 * spaces and ended with `\n`, the last byte without a trailing comma (the layout of `xxd -i`).
 * Empty input gives an empty string.
 */
export function hexArrayBody(bytes: Uint8Array, bytesPerLine = 12): string {
  const n = bytes.length;
  if (n === 0) return '';
  const perLine = Math.max(1, Math.floor(bytesPerLine));
  const full = Math.floor(n / perLine);
  const rest = n - full * perLine;
  // Each line: 2 for the indent, 6 per byte ("0xhh" and its separator): all even, so every digit
  // pair is one aligned 16-bit store. The last separator becomes "\n" alone, one byte shorter.
  const lineBytes = 2 + 6 * perLine;
  const size = full * lineBytes + (rest ? 2 + 6 * rest : 0);
  const out = Buffer.allocUnsafe(size);
  // First the constant skeleton: one line, then doubled with memcpy until every full line is there.
  if (full > 0) {
    lineTemplate(perLine).copy(out, 0);
    for (let filled = lineBytes, total = full * lineBytes; filled < total; filled *= 2)
      out.copyWithin(filled, 0, Math.min(filled, total - filled));
  }
  if (rest) lineTemplate(rest).copy(out, full * lineBytes);
  // Then only the digits: one table lookup and one store per byte.
  const words = new Uint16Array(out.buffer, out.byteOffset, size >> 1);
  const lineWords = lineBytes >> 1;
  let i = 0;
  for (let base = 2; i < n; base += lineWords) {
    const end = Math.min(n, i + perLine);
    for (let w = base; i < end; i++, w += 3) words[w] = DIGITS[bytes[i]!]!;
  }
  out[size - 2] = 0x0a;
  return out.toString('latin1', 0, size - 1);
}
