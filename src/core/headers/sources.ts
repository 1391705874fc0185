// Reads one header input (PEM or DER) into the pieces a layout needs: DER bytes, PEM text, summary.
import { createHash } from 'node:crypto';
import { EtlsError } from '../errors';
import { summarize, type InputSummary } from './summary';

/** Inputs larger than this are refused: certificates and keys are a few KiB, bundles a few hundred. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** One object of an input: a PEM block or the whole DER file. */
export interface InputObject {
  /** The PEM label, or the label the object would get in PEM (`CERTIFICATE`, `PRIVATE KEY`, ...). */
  label: string | undefined;
  /** Decoded bytes; undefined for legacy-encrypted PEM keys, which have no DER form. */
  der: Uint8Array | undefined;
  /** The PEM block text with `\n` line ends, ending in a newline. */
  pem: string | undefined;
  summary: InputSummary;
}

export interface HeaderInputData {
  /** SHA-256 of the file's bytes, lowercase hex. */
  sha256: string;
  /** True when the file is PEM text. */
  isPem: boolean;
  objects: InputObject[];
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 #]+)-----[\s\S]*?-----END \1-----/g;

function decodePemBody(block: string): Uint8Array | undefined {
  const lines = block.trimEnd().split('\n').slice(1, -1);
  if (lines.some((l) => l.includes(':'))) return undefined; // RFC 1421 headers: legacy encryption
  const b64 = lines.join('').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return undefined;
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

/** PEM text for DER bytes: 64 characters a line, as OpenSSL writes it. */
export function toPemText(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}${lines.length ? '\n' : ''}-----END ${label}-----\n`;
}

/** Splits a file into its objects. `displayPath` names the file in errors. */
export function readHeaderInput(bytes: Uint8Array, displayPath: string): HeaderInputData {
  if (bytes.length === 0)
    throw new EtlsError(
      'empty',
      `${displayPath} is empty`,
      'Point the header at the certificate or key file itself.',
    );
  if (bytes.length > MAX_INPUT_BYTES)
    throw new EtlsError(
      'too-large',
      `${displayPath} is ${bytes.length} bytes, more than a header input may be (64 MiB)`,
    );
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1 << 16)).toString(
    'latin1',
  );
  const text = head.includes('-----BEGIN ')
    ? Buffer.from(bytes).toString('utf8').replace(/\r\n?/g, '\n')
    : undefined;
  if (text === undefined) {
    const summary = summarize(bytes);
    return { sha256, isPem: false, objects: [{ label: summary.label, der: bytes, pem: undefined, summary }] };
  }
  const objects: InputObject[] = [];
  for (const m of text.matchAll(PEM_BLOCK)) {
    const block =
      m[0]
        .split('\n')
        .map((l) => l.trimEnd())
        .join('\n') + '\n';
    const label = m[1]!;
    const der = decodePemBody(block);
    const summary: InputSummary = der
      ? summarize(der, label)
      : label.includes('PRIVATE KEY')
        ? { kind: 'privateKey', isCA: false, text: `${label.toLowerCase()}, encrypted (legacy PEM)` }
        : { kind: 'data', isCA: false, text: `PEM block "${label}" that does not decode` };
    objects.push({ label, der, pem: block, summary });
  }
  if (objects.length === 0)
    throw new EtlsError(
      'malformed',
      `${displayPath} has a "-----BEGIN" line but no complete PEM block`,
      'Check that the file was copied whole, with its -----END line.',
    );
  return { sha256, isPem: true, objects };
}

/** The exact PEM text of an input for a string array: every block in order, or the DER converted. */
export function pemTextOf(input: HeaderInputData, displayPath: string): string {
  return input.objects
    .map((o) => {
      if (o.pem) return o.pem;
      if (o.der && o.label) return toPemText(o.label, o.der);
      throw new EtlsError(
        'unrecognized',
        `${displayPath} is neither PEM nor a DER certificate or key, so it has no PEM form`,
        'Use --format der for arbitrary binary data.',
      );
    })
    .join('');
}
