// A short, one-line preview of a payload: its text when it is printable UTF-8, else its first bytes in hex.

const decoder = new TextDecoder('utf-8', { fatal: true });

export function previewOf(payload: Uint8Array, chars: number): string {
  const head = payload.subarray(0, chars * 4);
  let text: string | undefined;
  try {
    text = decoder.decode(head);
  } catch {
    // A multi-byte character cut at the end of `head` is still text; anything else is binary.
    if (head.length < payload.length) {
      try {
        text = new TextDecoder('utf-8', { fatal: false }).decode(head).replace(/\uFFFD+$/, '');
        if (text.includes('\uFFFD')) text = undefined;
      } catch {
        text = undefined;
      }
    }
  }
  if (text !== undefined && !/[\u0000-\u0008\u000e-\u001f\u007f]/.test(text)) {
    const line = text.replace(/\s+/g, ' ');
    return line.length > chars || head.length < payload.length ? `${line.slice(0, chars)}…` : line;
  }
  const bytes = Array.from(payload.subarray(0, Math.ceil(chars / 3)), (b) => b.toString(16).padStart(2, '0'));
  return bytes.join(' ') + (payload.length > bytes.length ? ' …' : '');
}
