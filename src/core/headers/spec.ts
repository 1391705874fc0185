// What a header is made of: the description shared by the CLI, the project file and the editor.
import { EtlsError } from '../errors';
import { isLegalIdentifier } from './identifiers';

export const headerLayouts = ['c', 'freertos', 'coremqtt', 'arduino'] as const;
export type HeaderLayout = (typeof headerLayouts)[number];
export const headerFormats = ['der', 'pem'] as const;
export type HeaderFormat = (typeof headerFormats)[number];
export type PemStyle = 'quoted' | 'raw';

export interface HeaderInputSpec {
  /** Absolute path of the certificate or key file. */
  path: string;
  /** Array or macro name; the default says what the file holds (`device_cert_der`), or follows the layout's convention. */
  name?: string;
  /** Overrides the header's format for this input. */
  format?: HeaderFormat;
}

export interface HeaderSpec {
  /** Absolute path of the header to write. */
  output: string;
  inputs: HeaderInputSpec[];
  layout: HeaderLayout;
  /** `der` (byte array) or `pem` (NUL-terminated string); defaults: `der` for `c`, `pem` otherwise. */
  format?: HeaderFormat;
  /**
   * `static const` (the default outside `split`): no clash when several files include the header.
   * `false` for plain `const` definitions, for a header included from one file only.
   */
  static?: boolean;
  /** `__attribute__((section("...")))`, e.g. to place certificates in a flash region. */
  section?: string;
  /** `__attribute__((aligned(N)))`; some DMA and flash APIs want 4-byte aligned buffers. */
  align?: number;
  /** Bytes per line in DER arrays (default 12, as xxd). */
  lineWidth?: number;
  /** Include guard macro; `false` for none. Default: from the output file name. */
  guard?: string | false;
  /** Write declarations to OUT.h and definitions to OUT.c. */
  split?: boolean;
  /** PEM strings as one quoted literal per line (C) or a C++11 raw string (Arduino sketches). */
  pemStyle?: PemStyle;
  /** Mark arrays PROGMEM (Arduino). */
  progmem?: boolean;
  /** coreMQTT layout: endpoint, port and client id macros. */
  broker?: { host?: string; port?: number; clientId?: string };
  /**
   * The folder the outputs must stay inside (the project, or the regenerated header's folder);
   * unset only when the user typed or picked the output.
   */
  root?: string;
  /** Set when the header comes from the project file, so the header can say how to regenerate it. */
  origin?: { project: string; profile: string };
}

export const DEFAULT_LINE_WIDTH = 12;

export function defaultFormat(layout: HeaderLayout): HeaderFormat {
  return layout === 'c' ? 'der' : 'pem';
}

/** Rejects combinations that could only produce a header that does not compile or misleads. */
export function validateSpec(spec: HeaderSpec): void {
  const bad = (message: string, fix?: string) => {
    throw new EtlsError('invalid-argument', message, fix);
  };
  if (spec.inputs.length === 0) bad('a header needs at least one certificate or key file');
  if (!headerLayouts.includes(spec.layout))
    bad(`unknown layout "${spec.layout}"`, `Use one of: ${headerLayouts.join(', ')}.`);
  for (const f of [spec.format, ...spec.inputs.map((i) => i.format)])
    if (f !== undefined && !headerFormats.includes(f)) bad(`unknown format "${f}"`, 'Use der or pem.');
  for (const i of spec.inputs)
    if (i.name !== undefined && !isLegalIdentifier(i.name))
      bad(`"${i.name}" is not a legal C identifier`, 'Use letters, digits and _, not starting with a digit.');
  if (spec.guard && !isLegalIdentifier(spec.guard)) bad(`"${spec.guard}" is not a legal include guard name`);
  if (
    spec.lineWidth !== undefined &&
    (!Number.isInteger(spec.lineWidth) || spec.lineWidth < 1 || spec.lineWidth > 1024)
  )
    bad(`line width ${spec.lineWidth} is not a whole number from 1 to 1024`);
  if (
    spec.align !== undefined &&
    (!Number.isInteger(spec.align) || spec.align < 1 || (spec.align & (spec.align - 1)) !== 0)
  )
    bad(`alignment ${spec.align} is not a power of two`, 'Use 4, 8, 16, ...');
  if (spec.section !== undefined && !/^[A-Za-z0-9_.$]+$/.test(spec.section))
    bad(
      `section name "${spec.section}" has characters a linker script cannot name`,
      'Use letters, digits, . and _.',
    );
  if (spec.split && spec.static === true)
    bad('--split and --static exclude each other', 'static arrays cannot be declared extern.');
  if (spec.split && spec.layout !== 'c') bad(`--split works with the c layout only, not ${spec.layout}`);
  if (
    (spec.layout === 'freertos' || spec.layout === 'coremqtt') &&
    [spec.format, ...spec.inputs.map((i) => i.format)].includes('der')
  )
    bad(
      `the ${spec.layout} layout holds PEM strings`,
      'Drop --format der, or use --layout c for DER arrays.',
    );
  if (spec.broker && spec.layout !== 'coremqtt')
    bad(
      '--broker, --port and --client-id go into the coremqtt layout only',
      'Add --layout coremqtt, or drop them.',
    );
  if (
    spec.broker?.port !== undefined &&
    (!Number.isInteger(spec.broker.port) || spec.broker.port < 1 || spec.broker.port > 65535)
  )
    bad(`broker port ${spec.broker.port} is not 1-65535`);
}
