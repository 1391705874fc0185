// The body of a C byte array (`  0x30, 0x82, ...`), written straight into one preallocated buffer.
// Headers for large blobs are built in every firmware build, so this is the hot path: no string
// concatenation per byte, one table lookup per nibble pair.

const HEX = new TextEncoder().encode('0123456789abcdef');
/** For each byte value, its two lowercase hex digits as ASCII codes. */
const PAIRS = (() => {
  const t = new Uint8Array(512);
  for (let i = 0; i < 256; i++) {
    t[i * 2] = HEX[i >> 4]!;
    t[i * 2 + 1] = HEX[i & 15]!;
  }
  return t;
})();

const SPACE = 0x20;
const NEWLINE = 0x0a;
const COMMA = 0x2c;
const ZERO = 0x30;
const X = 0x78;

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
  // Every byte takes "0xhh" plus a separator (", " inside a line, ",\n" at its end); the last
  // byte has no comma; each line starts with two spaces.
  const size = n * 6 + lines * 2 - 1;
  const out = Buffer.allocUnsafe(size);
  let p = 0;
  let col = 0;
  for (let i = 0; i < n; i++) {
    if (col === 0) {
      out[p++] = SPACE;
      out[p++] = SPACE;
    }
    const v = bytes[i]! << 1;
    out[p] = ZERO;
    out[p + 1] = X;
    out[p + 2] = PAIRS[v]!;
    out[p + 3] = PAIRS[v + 1]!;
    p += 4;
    if (i === n - 1) {
      out[p++] = NEWLINE;
    } else if (++col === perLine) {
      out[p++] = COMMA;
      out[p++] = NEWLINE;
      col = 0;
    } else {
      out[p++] = COMMA;
      out[p++] = SPACE;
    }
  }
  return out.toString('latin1', 0, p);
}
