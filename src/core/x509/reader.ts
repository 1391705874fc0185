// Reads every certificate and key in a file, whatever its form, into FoundObjects and ReadProblems.
// Over 300 lines: one pipeline (DER, PEM, PKCS#7, C sources, raw bytes) whose steps share the result
// sink; decoding one DER kind is in decodeDer.ts, explaining a decoder failure in damage.ts.
import { EtlsError } from '../errors';
import { assembledPemProblem } from './cMacros';
import { lineIndex, scanCSource } from './cSource';
import { DerError, indefiniteToDefinite, readElement } from './der';
import { decodeDerAs } from './decodeDer';
import { explainFailure } from './damage';
import { classifyDer, DER_KIND_NAMES, guessTruncatedKind, type DerKind } from './detect';
import { parsePemBlocks, type PemBlock } from './pem';
import { withKdfBudget } from './kdf';
import { pkcs7Contents } from './pkcs7';
import { decodeLegacyEncrypted } from './privateKey';
import { bearSslTrustAnchors } from './trustAnchor';
import type { Encoding, ReadOptions, ReadProblem, ReadResult, SourceLocation, X509Object } from './types';

export { decodeDerAs } from './decodeDer';

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
  'DSA PRIVATE KEY': 'dsa-private',
  'X509 CRL': 'crl',
  PKCS7: 'pkcs7',
  'PKCS #7 SIGNED DATA': 'pkcs7',
  CMS: 'pkcs7',
  'DH PARAMETERS': 'dh-parameters',
  'X9.42 DH PARAMETERS': 'dh-parameters',
};

const UNSUPPORTED_PEM: Record<string, string> = {
  'OPENSSH PRIVATE KEY':
    'Convert it to PEM with `ssh-keygen -p -m PEM -f FILE`; TLS stacks do not read OpenSSH keys.',
  'DSA PARAMETERS': 'DSA parameters are for making DSA keys, not a certificate or key.',
};

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

/** The whole elements that DER data holds one after another (a chain of certificates in one file). */
function splitConcatenated(der: Uint8Array): { parts: Uint8Array[]; rest: number } {
  const parts: Uint8Array[] = [];
  let p = 0;
  while (p < der.length && der[p] === 0x30) {
    let el;
    try {
      el = readElement(der, p);
    } catch {
      break;
    }
    parts.push(der.subarray(p, el.end));
    p = el.end;
  }
  return { parts, rest: p };
}

/** Padding after the last object: NULs (C strings, buffers) or 0xFF (erased flash). */
function isPadding(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0) || bytes.every((b) => b === 0xff);
}

/** Decodes DER: one object, a PKCS#7 bundle, or several objects one after another. */
function readDer(
  out: Sink,
  der: Uint8Array,
  location: SourceLocation,
  encoding: Encoding,
  passphrase: string | undefined,
  hint?: DerKind,
) {
  if (hint !== 'pkcs12') {
    const { parts, rest } = splitConcatenated(der);
    if (parts.length > 1 || (parts.length === 1 && rest < der.length)) {
      for (const part of parts) readOne(out, part, location, encoding, passphrase, hint);
      if (!isPadding(der.subarray(rest)))
        out.fail(location, {
          code: 'malformed',
          message: `${der.length - rest} byte${der.length - rest === 1 ? '' : 's'} after the last object (from byte ${rest}) are not DER; readers that insist on exact lengths (mbedTLS) refuse the file`,
          fix: 'Cut the file at the end of the last object, or export it again.',
        });
      return;
    }
  }
  readOne(out, der, location, encoding, passphrase, hint);
}

/** Decodes one DER object whose kind is known (`hint`) or found by its shape. */
function readOne(
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
    // Streaming tools write PKCS#7 bundles in BER with indefinite lengths; openssl reads them.
    const ber = berPkcs7(e, der);
    if (ber) {
      readPkcs7(out, ber, location, encoding);
      return;
    }
    const guessed = guessTruncatedKind(der);
    out.fail(location, explainFailure(e, guessed, encoding === 'DER', der));
    return;
  }
  if (kind === 'pkcs7') {
    readPkcs7(out, der, location, encoding);
    return;
  }
  try {
    out.add(encoding, location, decodeDerAs(kind, der, passphrase));
  } catch (e) {
    // A PEM label that does not match its contents (`RSA PUBLIC KEY` around an SPKI): read what it holds.
    if (hint) {
      let actual: DerKind | undefined;
      try {
        actual = classifyDer(der);
      } catch {
        actual = undefined;
      }
      if (actual && actual !== hint) {
        readOne(out, der, location, encoding, passphrase, actual);
        return;
      }
    }
    out.fail(location, explainFailure(e, DER_KIND_NAMES[kind], encoding === 'DER', der));
  }
}

/** The DER form of a BER PKCS#7 bundle with indefinite lengths, or undefined when it is not one. */
function definitePkcs7(der: Uint8Array): Uint8Array | undefined {
  try {
    const definite = indefiniteToDefinite(der);
    return classifyDer(definite) === 'pkcs7' ? definite : undefined;
  } catch {
    return undefined;
  }
}

function berPkcs7(e: unknown, der: Uint8Array): Uint8Array | undefined {
  if (!(e instanceof DerError) || !/indefinite length/.test(e.message)) return undefined;
  return definitePkcs7(der);
}

/** Each certificate and CRL of a PKCS#7 bundle, as objects of their own. */
function readPkcs7(out: Sink, der: Uint8Array, location: SourceLocation, encoding: Encoding) {
  let contents;
  try {
    contents = pkcs7Contents(definitePkcs7(der) ?? der);
  } catch (e) {
    out.fail(location, explainFailure(e, 'PKCS#7 bundle', encoding === 'DER', der));
    return;
  }
  if (contents.certificates.length === 0 && contents.crls.length === 0) {
    out.fail(location, {
      code: 'empty',
      message: 'the PKCS#7 bundle holds no certificates',
      fix: 'Export the chain again with its certificates included.',
    });
    return;
  }
  for (const c of contents.certificates) readOne(out, c, location, encoding, undefined, 'certificate');
  for (const c of contents.crls) readOne(out, c, location, encoding, undefined, 'crl');
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
        decodeLegacyEncrypted(block.der, block.label, block.headers['DEK-Info'] ?? '', passphrase),
      );
    } catch (e) {
      out.fail(location, explainFailure(e, 'private key', false));
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
