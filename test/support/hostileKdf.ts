// Hostile key-derivation parameters in real files: openssl writes a PKCS#12 or an encrypted key, then
// an INTEGER (an iteration count, scrypt's N or p) is rewritten in place, every enclosing length fixed,
// including DER nested inside OCTET STRINGs (PKCS#12 wraps its safes that way).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, runBytes } from './realParts';

interface Node {
  tag: number;
  /** Children when constructed, or when an OCTET STRING holds exactly one DER structure. */
  kids?: Node[];
  raw?: Buffer;
}

function readLength(b: Buffer, i: number): { len: number; at: number } {
  const first = b[i]!;
  if (first < 0x80) return { len: first, at: i + 1 };
  const n = first & 0x7f;
  let len = 0;
  for (let k = 0; k < n; k++) len = len * 256 + b[i + 1 + k]!;
  return { len, at: i + 1 + n };
}

function parseAll(b: Buffer): Node[] | undefined {
  const out: Node[] = [];
  let i = 0;
  while (i < b.length) {
    if (i + 2 > b.length) return undefined;
    const tag = b[i]!;
    if ((tag & 0x1f) === 0x1f) return undefined;
    const { len, at } = readLength(b, i + 1);
    if (at + len > b.length) return undefined;
    out.push(parseOne(tag, b.subarray(at, at + len)));
    i = at + len;
  }
  return out;
}

function parseOne(tag: number, content: Buffer): Node {
  if (tag & 0x20) return { tag, kids: parseAll(content) ?? [] };
  if (tag === 0x04 && content[0] === 0x30) {
    const inner = parseAll(content);
    if (inner && inner.length === 1) return { tag, kids: inner };
  }
  return { tag, raw: Buffer.from(content) };
}

function encodeLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function encode(n: Node): Buffer {
  const content = n.kids ? Buffer.concat(n.kids.map(encode)) : n.raw!;
  return Buffer.concat([Buffer.from([n.tag]), encodeLength(content.length), content]);
}

function integerBytes(v: number): Buffer {
  const bytes: number[] = [];
  for (let x = v; x > 0; x = Math.floor(x / 256)) bytes.unshift(x % 256);
  if (bytes.length === 0 || bytes[0]! & 0x80) bytes.unshift(0);
  return Buffer.from(bytes);
}

/**
 * Rewrites INTEGERs: `pick` sees each INTEGER's value (as a number, in document order) and returns
 * the new value, or undefined to keep it.
 */
export function rewriteIntegers(
  der: Buffer,
  pick: (value: number, index: number) => number | undefined,
): Buffer {
  const [root] = parseAll(der) ?? [];
  if (!root) throw new Error('not DER');
  let index = 0;
  const walk = (n: Node) => {
    if (n.tag === 0x02 && n.raw && n.raw.length <= 6) {
      const v = n.raw.reduce((a, b) => a * 256 + b, 0);
      const next = pick(v, index++);
      if (next !== undefined) n.raw = integerBytes(next);
    }
    n.kids?.forEach(walk);
  };
  walk(root);
  return encode(root);
}

/** Rewrites every INTEGER equal to `from` to `to`. */
export function replaceInteger(der: Buffer, from: number, to: number): Buffer {
  let hits = 0;
  const out = rewriteIntegers(der, (v) => (v === from ? (hits++, to) : undefined));
  if (hits === 0) throw new Error(`no INTEGER ${from} in the structure`);
  return out;
}

export const HUGE = 2147483647;

/** A certificate and EC key in `dir` (cert.pem, key.pem), made once. */
export function certAndKey(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  try {
    readFileSync(cert);
  } catch {
    run(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'].concat([
        '-keyout',
        key,
        '-out',
        cert,
        '-subj',
        '/CN=hostile-kdf',
        '-days',
        '30',
      ]),
    );
  }
  return { cert, key };
}

/** `openssl pkcs12 -export` with the given extra arguments (password: `pass`, default empty). */
export function exportP12(dir: string, args: string[] = [], pass = ''): Buffer {
  const { cert, key } = certAndKey(dir);
  return runBytes('openssl', [
    'pkcs12',
    '-export',
    '-in',
    cert,
    '-inkey',
    key,
    '-passout',
    `pass:${pass}`,
    ...args,
  ]);
}

/** The 1 KB bundle of the report: an empty-password PKCS#12 whose macData asks for 2^31-1 iterations. */
export function hugeMacP12(dir: string): Buffer {
  // The MAC iteration count is the last INTEGER of the file.
  const p12 = exportP12(dir);
  let count = 0;
  rewriteIntegers(p12, () => (count++, undefined));
  return rewriteIntegers(p12, (_v, i) => (i === count - 1 ? HUGE : undefined));
}

/** An encrypted PKCS#8 key (PEM) from openssl, pass phrase `secret`, with extra `openssl pkcs8` args. */
export function encryptedKeyDer(dir: string, args: string[]): Buffer {
  const { key } = certAndKey(dir);
  return runBytes('openssl', [
    'pkcs8',
    '-topk8',
    '-in',
    key,
    '-outform',
    'DER',
    '-passout',
    'pass:secret',
    ...args,
  ]);
}

export function toPemText(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}-----END ${label}-----\n`;
}
