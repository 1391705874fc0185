// The body of a C byte array (`  0x30, 0x82, ...`), written straight into one preallocated buffer.
// Headers for large blobs are built in every firmware build, so this is the hot path: no string
// concatenation per byte, and every piece is one 16-bit store ("0x", the two digits, ", ").

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
const PREFIX = pair(0x30, 0x78); // "0x"
const SEPARATOR = pair(0x2c, 0x20); // ", "
const LINE_END = pair(0x2c, 0x0a); // ",\n"
const INDENT = pair(0x20, 0x20); // "  "

/**
 * Renders `bytes` as `bytesPerLine` comma-separated `0xhh` per line, each line indented by two
 * spaces and ended with `\n`, the last byte without a trailing comma (the layout of `xxd -i`).
 * Empty input gives an empty string.
 */
export function hexArrayBody(bytes: Uint8Array, bytesPerLine = 12): string {
  const n = bytes.length;
  if (n === 0) return '';
  const perLine = Math.max(1, Math.floor(bytesPerLine));
  const lines = Math.ceil(n / perLine);
  // Each line: 2 for the indent, 6 per byte ("0xhh" and its separator): all even, so every store
  // is aligned. The last separator becomes "\n" alone, one byte shorter.
  const size = lines * 2 + n * 6;
  const out = Buffer.allocUnsafe(size);
  const words = new Uint16Array(out.buffer, out.byteOffset, size >> 1);
  let w = 0;
  let i = 0;
  while (i < n) {
    const end = Math.min(n, i + perLine);
    words[w++] = INDENT;
    for (; i < end; i++) {
      words[w] = PREFIX;
      words[w + 1] = DIGITS[bytes[i]!]!;
      words[w + 2] = SEPARATOR;
      w += 3;
    }
    words[w - 1] = LINE_END;
  }
  out[size - 2] = 0x0a;
  return out.toString('latin1', 0, size - 1);
}
