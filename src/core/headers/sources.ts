// Reads one header input (PEM or DER) into the pieces a layout needs: DER bytes, PEM text, summary.
import { createHash } from 'node:crypto';
import { EtlsError } from '../errors';
import { parsePemBlocks, toPem } from '../x509';
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
  const { blocks, problems } = parsePemBlocks(text);
  if (blocks.length > 0 && problems.length > 0)
    throw new EtlsError(
      'malformed',
      `${displayPath}: ${problems[0]!.message}`,
      'Copy the block again, from its BEGIN line to its END line; a header must not carry a damaged one.',
    );
  const objects: InputObject[] = blocks.map((b) => {
    // RFC 1421 headers (Proc-Type, DEK-Info) mean legacy encryption: the body has no DER form.
    const der = Object.keys(b.headers).length ? undefined : b.der;
    const summary: InputSummary = der
      ? summarize(der, b.label)
      : { kind: 'privateKey', isCA: false, text: `${b.label.toLowerCase()}, encrypted (legacy PEM)` };
    return { label: b.label, der, pem: b.text, summary };
  });
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
      if (o.der && o.label) return toPem(o.label, o.der);
      throw new EtlsError(
        'unrecognized',
        `${displayPath} is neither PEM nor a DER certificate or key, so it has no PEM form`,
        'Use --format der for arbitrary binary data.',
      );
    })
    .join('');
}
