// File-level conversions shared by `etls convert` and the VS Code commands: which files come out
// of an input, under which names, with which modes.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { basename, dirname, extname, join } from 'node:path';
import { EtlsError } from '../errors';
import { convertObjects, type ConvertKind, type ConvertOptions } from './convert';
import type { OutputFile } from './files';
import { exportPrivateKey, FORMAT_LABEL, formatFor } from './keys';
import { parsePemBlocks, toPem, withKdfBudget, type KdfLimits } from '../x509';
import { exportPkcs12, importPkcs12 } from './pkcs12';

const STRIP = [
  '.key.der',
  '.csr.der',
  '.pub.der',
  '.pub.pem',
  '.pem',
  '.crt',
  '.cer',
  '.der',
  '.key',
  '.csr',
  '.p8',
  '.pk8',
  '.p12',
  '.pfx',
];

export function baseOf(path: string): string {
  const lower = path.toLowerCase();
  const ext = STRIP.find((e) => lower.endsWith(e));
  return ext ? path.slice(0, -ext.length) : path.slice(0, path.length - extname(path).length);
}

function extFor(kind: ConvertKind, to: 'pem' | 'der'): string {
  if (kind === 'privateKey') return to === 'der' ? '.key.der' : '.key';
  if (kind === 'csr') return to === 'der' ? '.csr.der' : '.csr';
  if (kind === 'publicKey') return to === 'der' ? '.pub.der' : '.pub.pem';
  return to === 'der' ? '.der' : '.pem';
}

/** PKCS#12 is DER: SEQUENCE { INTEGER 3, SEQUENCE { OID data ... } }. */
export function isPkcs12(bytes: Uint8Array, fileName?: string): boolean {
  if (fileName && /\.(p12|pfx)$/i.test(fileName)) return true;
  if (bytes[0] !== 0x30) return false;
  const lenBytes = bytes[1]! & 0x80 ? bytes[1]! & 0x7f : 0;
  const i = 2 + lenBytes;
  return bytes[i] === 0x02 && bytes[i + 1] === 0x01 && bytes[i + 2] === 0x03 && bytes[i + 3] === 0x30;
}

export interface ConvertFileOptions extends ConvertOptions {
  /** Output path; default: beside the input with the new extension. For PKCS#12 import, the base name. */
  output?: string;
}

/** The files converting `inputPath` produces (nothing written yet). */
export function planConversion(inputPath: string, bytes: Uint8Array, o: ConvertFileOptions): OutputFile[] {
  if (isPkcs12(bytes, inputPath)) return planPkcs12Import(inputPath, bytes, o);
  const objects = convertObjects(bytes, o);
  const base = o.output ? undefined : baseOf(inputPath);
  const pathFor = (kind: ConvertKind, i: number, n: number) => {
    if (o.output && n === 1) return o.output;
    const b = o.output ? baseOf(o.output) : base!;
    let p = `${b}${n > 1 ? `-${i + 1}` : ''}${extFor(kind, o.to)}`;
    if (p === inputPath) p = `${b}.${o.keyFormat ?? 'converted'}${extFor(kind, o.to)}`;
    return p;
  };
  if (o.to === 'pem' && objects.length > 1 && objects.every((x) => x.kind === 'certificate')) {
    // A chain stays one PEM file.
    const data = objects.map((x) => new TextDecoder().decode(x.data)).join('');
    return [
      {
        path: o.output ?? pathFor('certificate', 0, 1),
        data,
        secret: false,
        role: `${objects.length} certificates (PEM chain)`,
      },
    ];
  }
  return objects.map((x, i) => ({
    path: pathFor(x.kind, i, objects.length),
    data: x.data,
    secret: x.secret,
    role: x.description,
  }));
}

function planPkcs12Import(inputPath: string, bytes: Uint8Array, o: ConvertFileOptions): OutputFile[] {
  const c = withKdfBudget(o.kdfLimits, () => importPkcs12(bytes, o.passphrase ?? ''));
  const base = o.output ? baseOf(o.output) : baseOf(inputPath);
  const files: OutputFile[] = [];
  const cert = (der: Uint8Array) => (o.to === 'der' ? der : toPem('CERTIFICATE', der));
  if (c.certificate)
    files.push({
      path: `${base}${extFor('certificate', o.to)}`,
      data: cert(c.certificate),
      secret: false,
      role: 'certificate (from PKCS#12)',
    });
  if (c.key) {
    const format = formatFor(c.key, o.keyFormat ?? 'pkcs8');
    files.push({
      path: `${base}${extFor('privateKey', o.to)}`,
      data: exportPrivateKey(c.key, format, o.to),
      secret: true,
      role: `private key, ${FORMAT_LABEL[format]} (from PKCS#12, unencrypted)`,
    });
  }
  if (c.chain.length) {
    if (o.to === 'pem')
      files.push({
        path: `${base}-chain.pem`,
        data: c.chain.map((d) => toPem('CERTIFICATE', d)).join(''),
        secret: false,
        role: `${c.chain.length} chain certificate(s)`,
      });
    else
      c.chain.forEach((d, i) =>
        files.push({ path: `${base}-chain-${i + 1}.der`, data: d, secret: false, role: 'chain certificate' }),
      );
  }
  return files;
}

function readKey(bytes: Uint8Array, passphrase?: string, kdfLimits?: KdfLimits): KeyObject {
  const key = convertObjects(bytes, {
    to: 'der',
    keyFormat: 'pkcs8',
    ...(kdfLimits ? { kdfLimits } : {}),
    ...(passphrase !== undefined ? { passphrase } : {}),
  }).find((x) => x.kind === 'privateKey');
  if (!key) throw new EtlsError('not-found', 'the --key file holds no private key');
  return createPrivateKey({ key: Buffer.from(key.data), format: 'der', type: 'pkcs8' });
}

function readCerts(bytes: Uint8Array): Uint8Array[] {
  const text = new TextDecoder('latin1').decode(bytes);
  if (text.includes('-----BEGIN'))
    return parsePemBlocks(text)
      .blocks.filter((b) => b.label === 'CERTIFICATE')
      .map((b) => b.der);
  return [bytes];
}

export interface Pkcs12ExportFiles {
  certificate: Uint8Array;
  key: Uint8Array;
  chain?: Uint8Array;
  /** Opens an encrypted input key. */
  keyPassphrase?: string;
  /** Key-derivation work the input key may ask for; default DEFAULT_KDF_LIMITS. */
  kdfLimits?: KdfLimits;
  exportPassphrase: string;
  friendlyName?: string;
  output: string;
}

/** A .p12 from a certificate (its first one is the leaf; more are chain), a key, and optional chain file. */
export function planPkcs12Export(o: Pkcs12ExportFiles): OutputFile {
  const certs = readCerts(o.certificate);
  if (certs.length === 0) throw new EtlsError('not-found', 'the certificate file holds no certificate');
  const chain = [...certs.slice(1), ...(o.chain ? readCerts(o.chain) : [])];
  const data = exportPkcs12({
    certificate: certs[0]!,
    key: readKey(o.key, o.keyPassphrase, o.kdfLimits),
    chain,
    passphrase: o.exportPassphrase,
    ...(o.friendlyName ? { friendlyName: o.friendlyName } : {}),
  });
  return {
    path: o.output,
    data,
    secret: true,
    role: `PKCS#12 with ${1 + chain.length} certificate(s) and the key`,
  };
}

export function defaultP12Path(certPath: string): string {
  return join(dirname(certPath), `${basename(baseOf(certPath))}.p12`);
}
