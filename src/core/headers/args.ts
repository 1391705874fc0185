// The options of `etls header`, parsed the same way from a shell and from the command line
// recorded at the top of a generated header.
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { hasFlag as argFlag, optionValue as argValue, parseArgs, type ParsedArgs } from '../args';
import { EtlsError } from '../errors';
import { quoteArg } from './cText';
import {
  headerFormats,
  headerLayouts,
  type HeaderFormat,
  type HeaderLayout,
  type HeaderSpec,
  type PemStyle,
} from './spec';

const FLAGS = ['static', 'no-static', 'force', 'split', 'no-guard', 'progmem', 'check', 'quiet', 'help', 'h'];
const OPTIONS = [
  'output',
  'format',
  'layout',
  'name',
  'section',
  'align',
  'line-width',
  'guard',
  'pem-style',
  'broker',
  'port',
  'client-id',
  'project',
  'profile',
];

/** `etls header` arguments: the input files are the positionals. */
export type HeaderArgs = ParsedArgs;

export function parseHeaderArgs(args: string[]): HeaderArgs {
  return parseArgs(args, { flags: FLAGS, options: OPTIONS, aliases: { o: 'output' } });
}

export { argFlag, argValue };

function integer(a: HeaderArgs, key: string): number | undefined {
  const v = argValue(a, key);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new EtlsError('invalid-argument', `--${key} needs a whole number, not "${v}"`);
  return Number(v);
}

function oneOf<T extends string>(a: HeaderArgs, key: string, allowed: readonly T[]): T | undefined {
  const v = argValue(a, key);
  if (v !== undefined && !allowed.includes(v as T))
    throw new EtlsError(
      'invalid-argument',
      `--${key} ${v} is not known`,
      `Use one of: ${allowed.join(', ')}.`,
    );
  return v as T | undefined;
}

/** A spec from files and options; relative paths resolve against `cwd`. */
export function specFromArgs(a: HeaderArgs, cwd: string): HeaderSpec {
  const output = argValue(a, 'output');
  if (!output) throw new EtlsError('invalid-argument', 'header files need an output', 'Add -o OUT.h.');
  const names = a.options.get('name') ?? [];
  if (names.length > a.positional.length)
    throw new EtlsError(
      'invalid-argument',
      `${names.length} --name values for ${a.positional.length} files`,
      'Give at most one --name per file, in file order.',
    );
  const guard = argValue(a, 'guard');
  const spec: HeaderSpec = {
    output: resolve(cwd, output),
    inputs: a.positional.map((f, i) => ({ path: resolve(cwd, f), ...(names[i] ? { name: names[i] } : {}) })),
    layout: oneOf<HeaderLayout>(a, 'layout', headerLayouts) ?? 'c',
  };
  const format = oneOf<HeaderFormat>(a, 'format', headerFormats);
  if (format) spec.format = format;
  if (argFlag(a, 'static') && argFlag(a, 'no-static'))
    throw new EtlsError('invalid-argument', '--static and --no-static exclude each other');
  if (argFlag(a, 'static')) spec.static = true;
  if (argFlag(a, 'no-static')) spec.static = false;
  if (argFlag(a, 'split')) spec.split = true;
  if (argFlag(a, 'progmem')) spec.progmem = true;
  const section = argValue(a, 'section');
  if (section) spec.section = section;
  const align = integer(a, 'align');
  if (align !== undefined) spec.align = align;
  const lineWidth = integer(a, 'line-width');
  if (lineWidth !== undefined) spec.lineWidth = lineWidth;
  if (argFlag(a, 'no-guard')) spec.guard = false;
  else if (guard) spec.guard = guard;
  const pemStyle = oneOf<PemStyle>(a, 'pem-style', ['quoted', 'raw']);
  if (pemStyle) spec.pemStyle = pemStyle;
  const host = argValue(a, 'broker');
  const port = integer(a, 'port');
  const clientId = argValue(a, 'client-id');
  if (host || port !== undefined || clientId)
    spec.broker = {
      ...(host ? { host } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(clientId ? { clientId } : {}),
    };
  return spec;
}

/** A path as seen from `dir`, with `/` separators so headers are the same on every OS. */
export function relativePath(dir: string, path: string): string {
  const r = relative(dir, path);
  if (isAbsolute(r)) return r.split(sep).join('/');
  return (r === '' ? '.' : r).split(sep).join('/');
}

/** The `etls header` command line that rebuilds `spec`, with paths relative to the header's folder. */
export function regenerateCommand(spec: HeaderSpec): string {
  const dir = join(spec.output, '..');
  if (spec.origin)
    return [
      'etls header --project',
      quoteArg(relativePath(dir, spec.origin.project)),
      '--profile',
      quoteArg(spec.origin.profile),
    ].join(' ');
  const words: string[] = ['etls', 'header'];
  if (spec.layout !== 'c') words.push('--layout', spec.layout);
  if (spec.format) words.push('--format', spec.format);
  if (spec.static === true) words.push('--static');
  if (spec.static === false) words.push('--no-static');
  if (spec.split) words.push('--split');
  if (spec.progmem) words.push('--progmem');
  if (spec.section) words.push('--section', spec.section);
  if (spec.align) words.push('--align', String(spec.align));
  if (spec.lineWidth) words.push('--line-width', String(spec.lineWidth));
  if (spec.guard === false) words.push('--no-guard');
  else if (spec.guard) words.push('--guard', spec.guard);
  if (spec.pemStyle) words.push('--pem-style', spec.pemStyle);
  if (spec.broker?.host) words.push('--broker', quoteArg(spec.broker.host));
  if (spec.broker?.port) words.push('--port', String(spec.broker.port));
  if (spec.broker?.clientId) words.push('--client-id', quoteArg(spec.broker.clientId));
  // Names go in file order; an unnamed file before a named one keeps a name of its own only if
  // every earlier file is named too, so spell out the first ones when a later one is named.
  const lastNamed = spec.inputs.map((i) => i.name !== undefined).lastIndexOf(true);
  for (const input of spec.inputs.slice(0, lastNamed + 1)) words.push('--name', quoteArg(input.name ?? ''));
  words.push('-o', quoteArg(relativePath(dir, spec.output)));
  const files = spec.inputs.map((i) => relativePath(dir, i.path));
  if (files.some((f) => f.startsWith('-'))) words.push('--');
  for (const f of files) words.push(quoteArg(f));
  return words.join(' ');
}
