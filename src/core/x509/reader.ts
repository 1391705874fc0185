// Reads every certificate and key in a file, whatever its form, into FoundObjects and ReadProblems.
import { EtlsError } from '../errors';
import { decodeCertificate } from './certificate';
import { decodeCsr } from './csr';
import { assembledPemProblem } from './cMacros';
import { lineIndex, scanCSource } from './cSource';
import { decodeOid, DerError, readElement } from './der';
import { classifyDer, DER_KIND_NAMES, guessTruncatedKind, type DerKind } from './detect';
import { CURVES } from './oids';
import { parsePemBlocks, type PemBlock } from './pem';
import { withKdfBudget } from './kdf';
import { decodePkcs12 } from './pkcs12';
import { decodeEncryptedPkcs8, decodeLegacyEncrypted, decodePlainPrivateKey } from './privateKey';
import { decodeSpkiDer } from './publicKey';
import { bearSslTrustAnchors } from './trustAnchor';
import type { Encoding, ReadOptions, ReadProblem, ReadResult, SourceLocation, X509Object } from './types';
import { createPublicKey } from 'node:crypto';

export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
const C_SOURCE = /\.(c|h|cc|cpp|cxx|hpp|hh|hxx|ino|pde)$/i;
const PKCS12_NAME = /\.(p12|pfx)$/i;

const PEM_KINDS: Record<string, DerKind | 'legacy-key'> = {
  CERTIFICATE: 'certificate',
  'X509 CERTIFICATE': 'certificate',
  'TRUSTED CERTIFICATE': 'certificate',
  'CERTIFICATE REQUEST': 'csr',
  'NEW CERTIFICATE REQUEST': 'csr',
  'PRIVATE KEY': 'pkcs8-private',
  'ENCRYPTED PRIVATE KEY': 'encrypted-pkcs8',
  'RSA PRIVATE KEY': 'pkcs1-private',
  'EC PRIVATE KEY': 'sec1-private',
  'PUBLIC KEY': 'spki',
  'RSA PUBLIC KEY': 'pkcs1-public',
  'EC PARAMETERS': 'ec-parameters',
  PKCS12: 'pkcs12',
};

const UNSUPPORTED_PEM: Record<string, string> = {
  'OPENSSH PRIVATE KEY':
    'Convert it to PEM with `ssh-keygen -p -m PEM -f FILE`; TLS stacks do not read OpenSSH keys.',
  'X509 CRL': 'Certificate revocation lists are not used by MQTT clients on small boards.',
  'DH PARAMETERS': 'Diffie-Hellman parameters are for the broker configuration, not a certificate or key.',
};

/** Decodes one DER structure of a known kind. */
export function decodeDerAs(kind: DerKind, der: Uint8Array, passphrase?: string): X509Object {
  switch (kind) {
    case 'certificate':
      return decodeCertificate(der);
    case 'csr':
      return decodeCsr(der);
    case 'pkcs1-private':
      return decodePlainPrivateKey(der, 'PKCS#1');
    case 'pkcs8-private':
      return decodePlainPrivateKey(der, 'PKCS#8');
    case 'sec1-private':
      return decodePlainPrivateKey(der, 'SEC1');
    case 'encrypted-pkcs8':
      return decodeEncryptedPkcs8(der, passphrase);
    case 'spki':
      return { kind: 'publicKey', format: 'SPKI', publicKey: decodeSpkiDer(der) };
    case 'pkcs1-public': {
      const spki = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'pkcs1' }).export({
        type: 'spki',
        format: 'der',
      });
      return { kind: 'publicKey', format: 'PKCS#1', publicKey: decodeSpkiDer(new Uint8Array(spki)) };
    }
    case 'pkcs12':
      return decodePkcs12(der, passphrase);
    case 'ec-parameters': {
      const oid = decodeOid(der, readElement(der, 0));
      return { kind: 'ecParameters', curve: CURVES[oid]?.name ?? oid };
    }
  }
}

/** Turns a decoder failure into a sentence; `what` names the expected object. */
function explain(
  e: unknown,
  what: string,
  raw: boolean,
): { code: EtlsError['code']; message: string; fix?: string } {
  const prefix = raw && !what.startsWith('DER') ? 'DER ' : '';
  if (e instanceof EtlsError) return { code: e.code, message: e.message, ...(e.fix ? { fix: e.fix } : {}) };
  if (
    e instanceof DerError &&
    e.kind === 'truncated' &&
    e.declared !== undefined &&
    e.available !== undefined
  ) {
    return {
      code: 'truncated',
      message: `${prefix}${what} truncated: ${e.available} of ${e.declared} bytes`,
      fix: 'The data was cut short: copy or download it again, or paste the whole array.',
    };
  }
  if (e instanceof DerError)
    return { code: 'malformed', message: `${prefix}${what} is damaged (${e.message})` };
  return { code: 'malformed', message: `${what} could not be decoded` };
}

interface Sink {
  result: ReadResult;
  add(encoding: Encoding, location: SourceLocation, object: X509Object): void;
  fail(
    location: SourceLocation | undefined,
    p: { code: EtlsError['code']; message: string; fix?: string },
  ): void;
}

function sink(): Sink {
  const result: ReadResult = { objects: [], problems: [] };
  let index = 0;
  return {
    result,
    add(encoding, location, object) {
      result.objects.push({ index: index++, encoding, location, object });
    },
    fail(location, p) {
      const problem: ReadProblem = { index: index++, code: p.code, message: p.message };
      if (location) problem.location = location;
      if (p.fix) problem.fix = p.fix;
      result.problems.push(problem);
    },
  };
}

/** Decodes DER whose kind is unknown; the whole input is one object. */
function readDer(
  out: Sink,
  der: Uint8Array,
  location: SourceLocation,
  encoding: Encoding,
  passphrase: string | undefined,
  hint?: DerKind,
) {
  let kind: DerKind;
  try {
    kind = hint ?? classifyDer(der);
  } catch (e) {
    const guessed = guessTruncatedKind(der);
    out.fail(location, explain(e, guessed, encoding === 'DER'));
    return;
  }
  try {
    out.add(encoding, location, decodeDerAs(kind, der, passphrase));
  } catch (e) {
    out.fail(location, explain(e, DER_KIND_NAMES[kind], encoding === 'DER'));
  }
}

function readPemBlock(out: Sink, block: PemBlock, location: SourceLocation, passphrase: string | undefined) {
  const kind = PEM_KINDS[block.label];
  if (!kind) {
    const fix = UNSUPPORTED_PEM[block.label];
    out.fail(location, {
      code: 'unsupported',
      message: `PEM block "${block.label}" is not a certificate or key this tool reads`,
      ...(fix ? { fix } : {}),
    });
    return;
  }
  if (block.headers['Proc-Type']?.includes('ENCRYPTED')) {
    try {
      out.add(
        'PEM',
        location,
        decodeLegacyEncrypted(block.text, block.label, block.headers['DEK-Info'] ?? '', passphrase),
      );
    } catch (e) {
      out.fail(location, explain(e, 'private key', false));
    }
    return;
  }
  let der = block.der;
  if (block.label === 'TRUSTED CERTIFICATE') {
    // OpenSSL appends trust settings after the certificate; keep only the certificate.
    try {
      der = der.subarray(0, readElement(der, 0).end);
    } catch {
      /* reported by the decoder below */
    }
  }
  readDer(out, der, location, 'PEM', passphrase, kind as DerKind);
}

function pemLocation(b: PemBlock): SourceLocation {
  return {
    container: 'pem',
    start: { line: b.startLine, column: b.startColumn },
    end: { line: b.endLine, column: b.endColumn },
    pemLabel: b.label,
  };
}

function readPemText(
  out: Sink,
  text: string,
  passphrase: string | undefined,
  offsetLine = 0,
  base?: Partial<SourceLocation> | ((startLine: number, endLine: number) => Partial<SourceLocation>),
) {
  const over = (s: number, e: number) => (typeof base === 'function' ? base(s, e) : base);
  const { blocks, problems } = parsePemBlocks(text);
  // Keep the file's order: interleave blocks and problems by line.
  const items = [
    ...blocks.map((b) => ({ line: b.startLine, b })),
    ...problems.map((p) => ({ line: p.startLine, p })),
  ].sort((a, b) => a.line - b.line);
  for (const item of items) {
    if ('b' in item) {
      const loc = pemLocation(item.b);
      readPemBlock(
        out,
        item.b,
        base ? { ...loc, ...over(item.b.startLine, item.b.endLine) } : shift(loc, offsetLine),
        passphrase,
      );
    } else {
      const loc: SourceLocation = {
        container: 'pem',
        start: { line: item.p.startLine + offsetLine, column: item.p.startColumn },
        end: { line: item.p.startLine + offsetLine, column: item.p.endColumn },
        pemLabel: item.p.label,
      };
      out.fail(base ? { ...loc, ...over(item.p.startLine, item.p.startLine) } : loc, {
        code: item.p.kind,
        message: item.p.message,
        fix:
          item.p.kind === 'truncated'
            ? 'Copy the whole block, from BEGIN to END.'
            : 'Copy the block again; something changed its text.',
      });
    }
  }
}

function shift(loc: SourceLocation, lines: number): SourceLocation {
  if (!lines) return loc;
  return {
    ...loc,
    start: { ...loc.start, line: loc.start.line + lines },
    end: { ...loc.end, line: loc.end.line + lines },
  };
}

function readCSource(out: Sink, text: string, passphrase: string | undefined) {
  const at = lineIndex(text);
  const candidates = scanCSource(text);
  const anchors = bearSslTrustAnchors(candidates);
  for (const c of candidates) {
    const anchor = anchors.get(c);
    if (anchor === null) continue; // a key array of a trust anchor, reported with its DN array
    const base: SourceLocation = {
      container: c.container,
      start: at(c.start),
      end: at(anchor ? anchor.end : c.end),
      ...(c.symbol ? { symbol: c.symbol } : {}),
    };
    const assembled = assembledPemProblem(c);
    if (anchor) out.add('DER', base, anchor.object);
    else if (assembled) out.fail(base, assembled);
    else if (c.bytes) {
      if (c.bytes[0] !== 0x30) continue; // other data, not DER
      readDer(out, c.bytes, base, 'DER', passphrase);
    } else if (c.text) {
      const lineAt = c.sourceOfLine ?? (() => -1);
      // Each PEM block of a concatenated literal is placed at the literal its BEGIN line was written in.
      readPemText(out, c.text, passphrase, 0, (s, e) => {
        const from = lineAt(s);
        const to = lineAt(e + 1);
        return {
          container: 'c-string',
          start: from >= 0 ? at(from) : base.start,
          end: to >= 0 ? at(to) : base.end,
          ...(c.symbol ? { symbol: c.symbol } : {}),
        };
      });
    }
  }
}

function looksLikeText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096);
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0 || (b < 9 && b !== 0)) return false;
  }
  return true;
}

function hexStart(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Reads every certificate, key, CSR and PKCS#12 bundle in `bytes`. Never throws for bad input. */
export function readObjects(bytes: Uint8Array, options: ReadOptions = {}): ReadResult {
  // One key-derivation budget for the whole file: a bundle cannot ask for hours of hashing.
  return withKdfBudget(options.kdfLimits, () => readAll(bytes, options));
}

function readAll(bytes: Uint8Array, options: ReadOptions): ReadResult {
  const out = sink();
  const max = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const name = options.fileName ?? '';
  const whole: SourceLocation = {
    container: 'der',
    start: { line: 0, column: 0 },
    end: { line: 0, column: 0 },
  };
  if (bytes.length > max) {
    out.fail(undefined, {
      code: 'too-large',
      message: `the file is ${(bytes.length / 1048576).toFixed(1)} MB; certificate and key files are a few KB (a CA bundle a few hundred KB)`,
      fix: 'Check that this is the right file.',
    });
    return out.result;
  }
  if (bytes.length === 0) {
    out.fail(undefined, { code: 'empty', message: 'the file is empty', fix: 'Save or download it again.' });
    return out.result;
  }
  const pass = options.passphrase;
  if (PKCS12_NAME.test(name) || (bytes[0] === 0x30 && !looksLikeText(bytes))) {
    readDer(out, bytes, whole, 'DER', pass, PKCS12_NAME.test(name) ? 'pkcs12' : undefined);
    return out.result;
  }
  if (!looksLikeText(bytes)) {
    out.fail(whole, {
      code: 'unrecognized',
      message: `not a certificate or key: the file starts with bytes ${hexStart(bytes)} (DER starts with 30)`,
      fix: 'Pick the certificate (.pem, .crt, .der) or key file.',
    });
    return out.result;
  }
  const text = new TextDecoder('utf-8').decode(bytes);
  if (C_SOURCE.test(name)) readCSource(out, text, pass);
  else if (text.includes('-----BEGIN ')) readPemText(out, text, pass);
  else if (bytes[0] === 0x30) readDer(out, bytes, whole, 'DER', pass);
  else
    out.fail(whole, {
      code: 'unrecognized',
      message: 'no certificate or key found: the text has no -----BEGIN line',
      fix: 'PEM files hold blocks between -----BEGIN ...----- and -----END ...----- lines.',
    });
  return out.result;
}
