// The WINC1500 (WiFi101) root store as bytes: a start pattern, a count and one entry per RSA root at
// 0x4000, in the formats of the module's firmware (Microchip root_setup.c: 19.4.x "V0" entries with text
// dates, 19.5.x and later "V1" entries with a key type and binary dates), as the Arduino IDE's WiFi101
// updater wrote them (WiFi101Certificate.java). The name hash follows the firmware's own decoder.
import { createHash, createPublicKey } from 'node:crypto';
import { EtlsError } from '../errors';
import type { CertificateInfo } from '../x509';
import type { ModuleRoot } from './types';

/** WiFi101 spi_flash_map.h: M2M_TLS_ROOTCER_FLASH_OFFSET 0x4000, one 4 KB sector. */
export const WINC_ROOTS_ADDRESS = 0x4000;
export const WINC_ROOTS_SIZE = 0x1000;

/** 19.4.x firmware (entries with text dates) and 19.5.x and later (typed key, binary dates). */
export const WINC_PATTERN_V0 = Buffer.from([
  0x01, 0xf1, 0x02, 0xf2, 0x03, 0xf3, 0x04, 0xf4, 0x05, 0xf5, 0x06, 0xf6, 0x07, 0xf7, 0x08, 0xf8,
]);
export const WINC_PATTERN_V1 = Buffer.from([
  0x11, 0xf1, 0x12, 0xf2, 0x13, 0xf3, 0x14, 0xf4, 0x15, 0xf5, 0x16, 0xf6, 0x17, 0xf7, 0x18, 0xf8,
]);
export type WincFormat = 'v0' | 'v1';

/** Which entry format the module's firmware reads, from the 16 bytes at 0x4000; undefined when erased. */
export function wincFormatOf(pattern: Uint8Array): WincFormat | 'erased' | undefined {
  const p = Buffer.from(pattern.subarray(0, 16));
  if (p.equals(WINC_PATTERN_V1)) return 'v1';
  if (p.equals(WINC_PATTERN_V0)) return 'v0';
  if (p.every((b) => b === 0xff)) return 'erased';
  return undefined;
}

/**
 * Refuses what the WINC1500 cannot use. Its store format (19.5+) has room for an ECDSA key, but the
 * module checks ECDSA signatures only through the host (M2M_SSL_REQ_ECC after m2m_ssl_init), which the
 * WiFi101 library never sets up; Arduino's updaters encode RSA only (WiFi101Certificate.java,
 * arduino-fwuploader winc.go, issue #157).
 */
export function checkWincRoot(r: ModuleRoot): void {
  const alg = r.cert!.publicKey.algorithm;
  if (alg !== 'RSA')
    throw new EtlsError(
      'unsupported',
      `${r.subject} (${r.source}) has an ${alg} key; the WiFi101 (ATWINC1500) module verifies servers against RSA roots only: its firmware leaves ECDSA checks to the host, and the WiFi101 library does not do them`,
      'Use an RSA root: for Let’s Encrypt ISRG Root X1 (not X2), for AWS Amazon Root CA 1 (not 3); for your own broker, make the CA with an RSA key (etls pki init --key-type rsa)',
    );
}

/** The first value of each RDN of the subject, as the WINC firmware hashes them (Cert_DecodeX520Name). */
function subjectValues(der: Uint8Array): Buffer[] {
  const d = Buffer.from(der);
  const read = (at: number): { tag: number; start: number; end: number } => {
    const tag = d[at]!;
    let len = d[at + 1]!;
    let start = at + 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + d[at + 2 + i]!;
      start += n;
    }
    return { tag, start, end: start + len };
  };
  const cert = read(0);
  const tbs = read(cert.start);
  let at = tbs.start;
  const fields: { tag: number; start: number; end: number }[] = [];
  while (at < tbs.end) {
    const f = read(at);
    fields.push(f);
    at = f.end;
  }
  // [0] version (optional), serial, signature, issuer, validity, subject
  const base = fields[0]!.tag === 0xa0 ? 1 : 0;
  const subject = fields[base + 4]!;
  const values: Buffer[] = [];
  for (let p = subject.start; p < subject.end;) {
    const set = read(p);
    const seq = read(set.start);
    const oid = read(seq.start);
    const value = read(oid.end);
    values.push(d.subarray(value.start, value.end));
    p = set.end;
  }
  return values;
}

export function wincNameHash(der: Uint8Array): Buffer {
  const h = createHash('sha1');
  for (const v of subjectValues(der)) h.update(v);
  return h.digest();
}

function rsaNumbers(c: CertificateInfo): { n: Buffer; e: Buffer } {
  const jwk = createPublicKey({ key: Buffer.from(c.publicKey.spki), format: 'der', type: 'spki' }).export({
    format: 'jwk',
  });
  const strip = (b: Buffer) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    return b.subarray(i);
  };
  return { n: strip(Buffer.from(jwk.n!, 'base64url')), e: strip(Buffer.from(jwk.e!, 'base64url')) };
}

/** 19.4.x dates: the DER time without tag and length (UTCTime until 2049), zero-padded to 20 bytes. */
function timeV0(d: Date): Buffer {
  const y = d.getUTCFullYear();
  const two = (n: number) => String(n).padStart(2, '0');
  const rest = `${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}Z`;
  const text = y >= 1950 && y < 2050 ? `${two(y % 100)}${rest}` : `${y}${rest}`;
  const b = Buffer.alloc(20, 0);
  b.write(text, 'latin1');
  return b;
}

/** 19.5.x dates: tstrSystemTime, year u16 LE, month, day, hour, minute, second, one pad byte. */
function timeV1(d: Date): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt16LE(d.getUTCFullYear(), 0);
  b[2] = d.getUTCMonth() + 1;
  b[3] = d.getUTCDate();
  b[4] = d.getUTCHours();
  b[5] = d.getUTCMinutes();
  b[6] = d.getUTCSeconds();
  b[7] = 0xcc;
  return b;
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
}

/** One store entry for an RSA root, padded with 0xFF to a multiple of 4 bytes. */
export function wincEntry(r: ModuleRoot, format: WincFormat): Buffer {
  if (r.wincEntry) return r.wincEntry;
  checkWincRoot(r);
  const c = r.cert!;
  const { n, e } = rsaNumbers(c);
  const parts =
    format === 'v1'
      ? [
          wincNameHash(c.der),
          timeV1(c.notBefore),
          timeV1(c.notAfter),
          Buffer.from([1, 0, 0, 0]),
          u16(n.length),
          u16(e.length),
          n,
          e,
        ]
      : [wincNameHash(c.der), u16(n.length), u16(e.length), timeV0(c.notBefore), timeV0(c.notAfter), n, e];
  const body = Buffer.concat(parts);
  const pad = (4 - (body.length % 4)) % 4;
  return Buffer.concat([body, Buffer.alloc(pad, 0xff)]);
}

/** The whole store: start pattern, the count (u32 LE), the entries. */
export function wincStore(roots: ModuleRoot[], format: WincFormat): Buffer {
  const count = Buffer.alloc(4);
  count.writeUInt32LE(roots.length);
  const store = Buffer.concat([
    format === 'v1' ? WINC_PATTERN_V1 : WINC_PATTERN_V0,
    count,
    ...roots.map((r) => wincEntry(r, format)),
  ]);
  if (store.length > WINC_ROOTS_SIZE)
    throw new EtlsError(
      'too-large',
      `${roots.length} roots take ${store.length} bytes; the WINC1500 root store holds ${WINC_ROOTS_SIZE} (one 4 KB sector at 0x4000, about 13 RSA-2048 roots)`,
      'Push fewer roots: keep the ones your sketches connect to',
    );
  return store;
}

/** The entries of a store read back, each as its bytes (for a merge); throws on a store that makes no sense. */
export function parseWincStore(store: Uint8Array): { format: WincFormat | 'erased'; entries: Buffer[] } {
  const s = Buffer.from(store);
  const format = wincFormatOf(s);
  if (format === 'erased') return { format, entries: [] };
  if (!format)
    throw new EtlsError(
      'device',
      'The WINC1500 root store at 0x4000 starts with an unknown pattern: the module firmware is not one Arduino ships',
      'Update the WINC1500 firmware (Arduino IDE 1.8: Tools > WiFi101 / WiFiNINA Firmware Updater) and push again',
    );
  const count = s.readUInt32LE(16);
  const entries: Buffer[] = [];
  let at = 20;
  for (let i = 0; i < count; i++) {
    const header = format === 'v1' ? 44 : 64;
    if (at + header > s.length) throw badStore();
    const nSz = s.readUInt16LE(format === 'v1' ? at + 40 : at + 20);
    const eSz = s.readUInt16LE(format === 'v1' ? at + 42 : at + 22);
    const type = format === 'v1' ? s.readUInt32LE(at + 36) : 1;
    if (type !== 1 || nSz > 1024 || eSz > 8) throw badStore();
    const len = header + Math.ceil((nSz + eSz) / 4) * 4;
    if (at + len > s.length) throw badStore();
    entries.push(Buffer.from(s.subarray(at, at + len)));
    at += len;
  }
  return { format, entries };
}

function badStore(): EtlsError {
  return new EtlsError(
    'device',
    'The WINC1500 root store read back from the module is damaged (an entry runs past the 4 KB sector), so it cannot be merged',
    'Push the roots you need without --merge',
  );
}

/** A read-back WINC entry as a root, named by its modulus prefix (the store keeps no names). */
export function rootFromWincEntry(entry: Buffer, format: WincFormat): ModuleRoot {
  const off = format === 'v1' ? 44 : 64;
  return {
    source: 'the module',
    subject: `module entry ${entry.subarray(off, off + 6).toString('hex')}…`,
    sha256: createHash('sha256').update(entry).digest('hex'),
    wincEntry: entry,
  };
}
