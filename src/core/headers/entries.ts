// Decides what arrays or macros a header holds and what each is called, per layout.
import { EtlsError } from '../errors';
import { IdentifierPool, identifierForContent } from './identifiers';
import { pemTextOf, type HeaderInputData } from './sources';
import { defaultFormat, type HeaderFormat, type HeaderSpec } from './spec';
import type { InputKind } from './summary';

/** One input as loaded: its spec, its path relative to the header's folder, and its objects. */
export interface LoadedInput {
  name?: string;
  format?: HeaderFormat;
  /** Relative to the header's folder, with `/` separators: what the header comment names. */
  relPath: string;
  data: HeaderInputData;
}

/** One array or macro in the header. */
export interface HeaderEntry {
  symbol: string;
  form: HeaderFormat;
  /** DER bytes for `der`; the PEM text (without the NUL) for `pem`. */
  bytes: Uint8Array;
  pem?: string;
  relPath: string;
  sha256: string;
  /** One line per object it holds. */
  summaries: string[];
  /** Which block of a multi-block PEM file this is, as "2 of 3". */
  part?: string;
  holdsPrivateKey: boolean;
}

type Role = 'ca' | 'cert' | 'key';

/** Macro or variable names of each role, per layout. */
export const ROLE_NAMES: Record<'freertos' | 'coremqtt' | 'arduino', Record<Role, string>> = {
  freertos: {
    cert: 'keyCLIENT_CERTIFICATE_PEM',
    key: 'keyCLIENT_PRIVATE_KEY_PEM',
    ca: 'keyJITR_DEVICE_CERTIFICATE_AUTHORITY_PEM',
  },
  coremqtt: {
    ca: 'democonfigROOT_CA_PEM',
    cert: 'democonfigCLIENT_CERTIFICATE_PEM',
    key: 'democonfigCLIENT_PRIVATE_KEY_PEM',
  },
  arduino: { ca: 'AWS_CERT_CA', cert: 'AWS_CERT_CRT', key: 'AWS_CERT_PRIVATE' },
};

function roleOf(input: LoadedInput): Role | undefined {
  const first = input.data.objects[0]!.summary;
  const kind: InputKind = first.kind;
  if (kind === 'privateKey') return 'key';
  if (kind === 'certificate') return first.isCA ? 'ca' : 'cert';
  return undefined;
}

function pemEntry(input: LoadedInput, symbol: string): HeaderEntry {
  const pem = pemTextOf(input.data, input.relPath);
  return {
    symbol,
    form: 'pem',
    bytes: new TextEncoder().encode(pem),
    pem,
    relPath: input.relPath,
    sha256: input.data.sha256,
    summaries: input.data.objects.map((o) => o.summary.text),
    holdsPrivateKey: input.data.objects.some((o) => o.summary.kind === 'privateKey'),
  };
}

function derEntries(input: LoadedInput, given: string | undefined, pool: IdentifierPool): HeaderEntry[] {
  const objects = input.data.objects;
  return objects.map((o, i) => {
    const base = given ?? identifierForContent(input.relPath, o.summary.kind, 'der');
    if (!o.der)
      throw new EtlsError(
        'encrypted',
        `${input.relPath} holds a key with legacy PEM encryption, which has no DER form`,
        `Decrypt it first (openssl pkey -in ${input.relPath} -outform DER -out key.der), or use --format pem.`,
      );
    const symbol = objects.length > 1 ? pool.take(`${base}_${i + 1}`) : given ? base : pool.take(base);
    return {
      symbol,
      form: 'der' as const,
      bytes: o.der,
      relPath: input.relPath,
      sha256: input.data.sha256,
      summaries: [o.summary.text],
      ...(objects.length > 1 ? { part: `${i + 1} of ${objects.length}` } : {}),
      holdsPrivateKey: o.summary.kind === 'privateKey',
    };
  });
}

/** The entries of a header, in input order. */
export function headerEntries(spec: HeaderSpec, inputs: LoadedInput[]): HeaderEntry[] {
  const pool = new IdentifierPool();
  const entries: HeaderEntry[] = [];
  // Explicit names are claimed first so a default name never takes one the user asked for.
  for (const input of inputs)
    if (input.name && !pool.claim(input.name))
      throw new EtlsError(
        'invalid-argument',
        `the name ${input.name} is given twice`,
        'Give each input its own --name.',
      );
  for (const input of inputs) {
    const form = input.format ?? spec.format ?? defaultFormat(spec.layout);
    let symbol = input.name;
    if (spec.layout !== 'c') {
      const role = roleOf(input);
      if (!role && !symbol)
        throw new EtlsError(
          'unrecognized',
          `${input.relPath} is neither a certificate nor a private key, so the ${spec.layout} layout has no place for it`,
          'Name its macro with --name, or use --layout c.',
        );
      if (!symbol) {
        const wanted = ROLE_NAMES[spec.layout][role!];
        if (spec.layout !== 'arduino' && !pool.claim(wanted))
          throw new EtlsError(
            'invalid-argument',
            `two inputs would both be ${wanted}`,
            `Give one a different macro with --name, or put only one ${role === 'key' ? 'key' : 'certificate'} of that kind in this header.`,
          );
        symbol = spec.layout === 'arduino' ? pool.take(wanted) : wanted;
      }
    }
    if (form === 'pem')
      entries.push(
        pemEntry(
          input,
          symbol ??
            pool.take(identifierForContent(input.relPath, input.data.objects[0]!.summary.kind, 'pem')),
        ),
      );
    else entries.push(...derEntries(input, symbol, pool));
  }
  return entries;
}
