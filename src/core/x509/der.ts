// A strict, bounds-checked DER reader. Every failure is a DerError that says what was missing,
// so callers can tell "truncated: 812 of 1190 bytes" from "not DER at all".
// Over 300 lines: the reader, its damage finder and the primitive decoders share one bounds-checked
// element walk; splitting them would export its internals.

export class DerError extends Error {
  constructor(
    readonly kind: 'truncated' | 'malformed',
    message: string,
    /** For truncation: bytes the outer element declares, and bytes present. */
    readonly declared?: number,
    readonly available?: number,
  ) {
    super(message);
  }
}

export interface DerElement {
  /** The identifier octet: class, constructed bit and tag number (tag numbers ≥ 31 are refused). */
  readonly tag: number;
  readonly start: number;
  readonly valueStart: number;
  readonly end: number;
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8: 0x0c,
  SEQUENCE: 0x30,
  SET: 0x31,
  PRINTABLE: 0x13,
  T61: 0x14,
  IA5: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  NUMERIC: 0x12,
  VISIBLE: 0x1a,
  UNIVERSAL: 0x1c,
  BMP: 0x1e,
} as const;

/** Reads one element at `offset`; its content must end by `limit`. */
export function readElement(buf: Uint8Array, offset: number, limit = buf.length): DerElement {
  if (offset + 2 > limit) throw new DerError('truncated', 'element header cut short', offset + 2, limit);
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('malformed', 'high tag numbers do not occur in certificates');
  let len = buf[offset + 1]!;
  let p = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0) throw new DerError('malformed', 'indefinite length (BER) is not DER');
    if (n > 4) throw new DerError('malformed', 'length field too large');
    if (p + n > limit) throw new DerError('truncated', 'length field cut short', p + n, limit);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i]!;
    p += n;
  }
  const end = p + len;
  if (end > limit) throw new DerError('truncated', 'element longer than the data', end, limit);
  return { tag, start: offset, valueStart: p, end };
}

/** The children of a constructed element, in order. */
export function children(buf: Uint8Array, el: DerElement): DerElement[] {
  const out: DerElement[] = [];
  let p = el.valueStart;
  while (p < el.end) {
    const c = readElement(buf, p, el.end);
    out.push(c);
    p = c.end;
  }
  return out;
}

export function expectTag(el: DerElement | undefined, tag: number, what: string): DerElement {
  if (!el) throw new DerError('malformed', `${what} is missing`);
  if (el.tag !== tag) throw new DerError('malformed', `${what} has the wrong type`);
  return el;
}

export function value(buf: Uint8Array, el: DerElement): Uint8Array {
  return buf.subarray(el.valueStart, el.end);
}

export function whole(buf: Uint8Array, el: DerElement): Uint8Array {
  return buf.subarray(el.start, el.end);
}

export function decodeOid(buf: Uint8Array, el: DerElement): string {
  const v = value(buf, el);
  if (v.length === 0) throw new DerError('malformed', 'empty object identifier');
  const parts: number[] = [];
  let acc = 0;
  for (let i = 0; i < v.length; i++) {
    const b = v[i]!;
    acc = acc * 128 + (b & 0x7f);
    if (acc > Number.MAX_SAFE_INTEGER / 128)
      throw new DerError('malformed', 'object identifier arc too large');
    if (!(b & 0x80)) {
      if (parts.length === 0) {
        const first = acc < 80 ? Math.floor(acc / 40) : 2;
        parts.push(first, acc - first * 40);
      } else parts.push(acc);
      acc = 0;
    }
  }
  return parts.join('.');
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array, sep = ''): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += (i && sep ? sep : '') + HEX[bytes[i]!];
  return s;
}

/** An INTEGER as lowercase hex without the sign-padding zero byte. */
export function integerHex(buf: Uint8Array, el: DerElement): string {
  let v = value(buf, el);
  while (v.length > 1 && v[0] === 0) v = v.subarray(1);
  return toHex(v);
}

/** Bit length of an unsigned INTEGER (an RSA modulus). */
export function integerBits(buf: Uint8Array, el: DerElement): number {
  let v = value(buf, el);
  while (v.length > 0 && v[0] === 0) v = v.subarray(1);
  if (v.length === 0) return 0;
  return (v.length - 1) * 8 + (32 - Math.clz32(v[0]!));
}

export function smallInteger(buf: Uint8Array, el: DerElement): number {
  const v = value(buf, el);
  if (v.length === 0 || v.length > 4) throw new DerError('malformed', 'integer out of range');
  let n = 0;
  for (const b of v) n = n * 256 + b;
  return n;
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');
const utf16be = new TextDecoder('utf-16be');

export function decodeString(buf: Uint8Array, el: DerElement): string {
  const v = value(buf, el);
  switch (el.tag) {
    case TAG.UTF8:
      return utf8.decode(v);
    case TAG.BMP:
      return utf16be.decode(v);
    case TAG.UNIVERSAL: {
      let s = '';
      for (let i = 0; i + 3 < v.length; i += 4)
        s += String.fromCodePoint(((v[i]! << 24) | (v[i + 1]! << 16) | (v[i + 2]! << 8) | v[i + 3]!) >>> 0);
      return s;
    }
    case TAG.T61:
      return latin1.decode(v);
    default:
      return latin1.decode(v);
  }
}

export function decodeTime(buf: Uint8Array, el: DerElement): Date {
  const s = latin1.decode(value(buf, el));
  let m: RegExpExecArray | null;
  let d: Date;
  if (el.tag === TAG.UTC_TIME && (m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?Z$/.exec(s))) {
    const yy = Number(m[1]);
    d = new Date(
      Date.UTC(yy < 50 ? 2000 + yy : 1900 + yy, Number(m[2]) - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0)),
    );
  } else if (
    el.tag === TAG.GENERALIZED_TIME &&
    (m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:\.\d+)?Z$/.exec(s))
  ) {
    d = new Date(Date.UTC(+m[1]!, Number(m[2]) - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  } else throw new DerError('malformed', `unreadable time "${s.slice(0, 20)}"`);
  if (Number.isNaN(d.getTime())) throw new DerError('malformed', `invalid date "${s.slice(0, 20)}"`);
  return d;
}

/** A length field that does not fit: where it is and what it claims. */
export interface LengthDamage {
  /** Byte offset of the element whose length is wrong. */
  offset: number;
  tag: number;
  /** Child indexes from the outer element down to this one ([] for the outer element itself). */
  path: number[];
  /** Bytes the element declares (header included), and bytes left for it where it sits. */
  declared: number;
  room: number;
}

/**
 * Finds the first element whose declared length runs past the element around it (or past the
 * data, for the outer element), so a message can say which length is wrong.
 */
export function findLengthDamage(buf: Uint8Array): LengthDamage | undefined {
  const walk = (start: number, limit: number, path: number[]): LengthDamage | undefined => {
    let p = start;
    for (let i = 0; p < limit; i++) {
      let el: DerElement;
      try {
        el = readElement(buf, p, limit);
      } catch (e) {
        if (!(e instanceof DerError) || e.kind !== 'truncated') return undefined;
        return {
          offset: p,
          tag: buf[p]!,
          path: [...path, i],
          declared: (e.declared ?? limit) - p,
          room: limit - p,
        };
      }
      if (el.tag & 0x20 && path.length < 32) {
        const inner = walk(el.valueStart, el.end, [...path, i]);
        if (inner) return inner;
      }
      p = el.end;
    }
    return undefined;
  };
  const found = walk(0, buf.length, []);
  return found ? { ...found, path: found.path.slice(1) } : undefined;
}

/** Whether the outer element's contents, read up to the end of the data, are whole elements. */
export function contentsEndAtData(buf: Uint8Array): boolean {
  try {
    const l = buf[1]!;
    let p = 2 + (l & 0x80 ? l & 0x7f : 0);
    while (p < buf.length) p = readElement(buf, p, buf.length).end;
    return p === buf.length;
  } catch {
    return false;
  }
}

/**
 * BER with indefinite lengths (PKCS#7 bundles written by streaming tools) re-encoded as DER
 * lengths. Elements that hold no indefinite length are copied byte for byte, so certificates
 * inside keep their fingerprints. Throws DerError when the data is not BER either.
 */
export function indefiniteToDefinite(buf: Uint8Array): Uint8Array {
  const header = (tag: number, len: number): number[] => {
    if (len < 0x80) return [tag, len];
    const bytes: number[] = [];
    for (let n = len; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
    return [tag, 0x80 | bytes.length, ...bytes];
  };
  // Returns the element's bytes and where the next element starts.
  const element = (p: number, limit: number, depth: number): { bytes: Uint8Array; next: number } => {
    if (depth > 64) throw new DerError('malformed', 'nesting too deep');
    if (p + 2 > limit) throw new DerError('truncated', 'element header cut short', p + 2, limit);
    const tag = buf[p]!;
    if ((tag & 0x1f) === 0x1f)
      throw new DerError('malformed', 'high tag numbers do not occur in certificates');
    if (buf[p + 1] !== 0x80) {
      const el = readElement(buf, p, limit);
      if (!(tag & 0x20)) return { bytes: buf.subarray(p, el.end), next: el.end };
      const parts: Uint8Array[] = [];
      let changed = false;
      for (let q = el.valueStart; q < el.end;) {
        const c = element(q, el.end, depth + 1);
        if (c.bytes.length !== c.next - q) changed = true;
        parts.push(c.bytes);
        q = c.next;
      }
      if (!changed) return { bytes: buf.subarray(p, el.end), next: el.end };
      return {
        bytes: join(
          header(
            tag,
            parts.reduce((n, x) => n + x.length, 0),
          ),
          parts,
        ),
        next: el.end,
      };
    }
    if (!(tag & 0x20)) throw new DerError('malformed', 'indefinite length on a primitive element');
    const parts: Uint8Array[] = [];
    let q = p + 2;
    for (;;) {
      if (q + 2 > limit) throw new DerError('truncated', 'end-of-contents missing', q + 2, limit);
      if (buf[q] === 0 && buf[q + 1] === 0) break;
      const c = element(q, limit, depth + 1);
      parts.push(c.bytes);
      q = c.next;
    }
    return {
      bytes: join(
        header(
          tag,
          parts.reduce((n, x) => n + x.length, 0),
        ),
        parts,
      ),
      next: q + 2,
    };
  };
  const join = (head: number[], parts: Uint8Array[]): Uint8Array => {
    const out = new Uint8Array(head.length + parts.reduce((n, x) => n + x.length, 0));
    out.set(head, 0);
    let o = head.length;
    for (const x of parts) {
      out.set(x, o);
      o += x.length;
    }
    return out;
  };
  const { bytes, next } = element(0, buf.length, 0);
  if (next !== buf.length) throw new DerError('malformed', 'trailing bytes after the BER element');
  return bytes;
}
