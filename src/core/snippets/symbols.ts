// The C names a snippet uses for the CA, certificate and key: exactly those `etls header` writes
// for the profile's recorded headers, or, when the profile records none, those the header it
// should make would hold (computed by the same generator, with the command that writes it).
import { basename, join } from 'node:path';
import { generateHeader, type GeneratedHeader } from '../headers/generate';
import { projectHeaderSpecs } from '../headers/project';
import { relativePath } from '../headers/args';
import { suggestedHeaderFolder, suggestedHeaderName } from '../headers/suggest';
import type { HeaderEntry } from '../headers/entries';
import type { HeaderFormat, HeaderLayout, HeaderSpec } from '../headers/spec';
import type { FileSystemPort } from '../ports';
import { parsePemBlocks } from '../x509';
import { summarize } from '../headers/summary';
import type { FileRole, SnippetContext } from './context';

export interface CSymbol {
  name: string;
  form: HeaderFormat;
  /** A `#define` (freertos/coremqtt layouts): no `_len` variable, `sizeof` gives the size with the NUL. */
  macro: boolean;
}

export interface HeaderSymbols {
  /** What `#include` names: the header's file name. */
  include: string;
  /** The header's path relative to the project folder. */
  path: string;
  layout: HeaderLayout;
  symbols: Partial<Record<FileRole, CSymbol>>;
  /** Undefined when the profile records the header; else the command that writes it (run in the project folder). */
  makeCommand?: string;
}

/** What a kind would like when the profile records no header for it. */
export interface HeaderWish {
  layout: HeaderLayout;
  format?: HeaderFormat;
  /** Layouts the kind can use when the profile already records one. */
  accepts: HeaderLayout[];
  /** PEM only (a `const char *` API), or DER arrays with their `_len` too. */
  pemOnly: boolean;
}

function roleOfEntry(e: HeaderEntry): FileRole | undefined {
  if (e.holdsPrivateKey) return 'key';
  const der = e.form === 'der' ? e.bytes : parsePemBlocks(e.pem ?? '').blocks[0]?.der;
  if (!der) return undefined;
  const s = summarize(der);
  if (s.kind !== 'certificate') return undefined;
  return s.isCA ? 'ca' : 'cert';
}

function symbolsOf(header: GeneratedHeader): Partial<Record<FileRole, CSymbol>> {
  const out: Partial<Record<FileRole, CSymbol>> = {};
  const macro = header.spec.layout === 'freertos' || header.spec.layout === 'coremqtt';
  for (const e of header.entries) {
    const role = roleOfEntry(e);
    // The first array of each role: a chain file's later blocks are not what the API wants.
    if (role && !out[role]) out[role] = { name: e.symbol, form: e.form, macro };
  }
  return out;
}

function fits(symbols: Partial<Record<FileRole, CSymbol>>, roles: FileRole[], wish: HeaderWish): boolean {
  return roles.every((r) => symbols[r] && (!wish.pemOnly || symbols[r]!.form === 'pem'));
}

function quoteArg(s: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The header and names for `roles`: the first recorded header of the profile that holds them all
 * in a form the kind can use, else the header the kind should have, computed without writing.
 */
export async function headerSymbols(
  fs: FileSystemPort,
  ctx: SnippetContext,
  roles: FileRole[],
  wish: HeaderWish,
): Promise<HeaderSymbols> {
  const wanted = roles.filter((r) => ctx.files[r]);
  for (const spec of projectHeaderSpecs(ctx.project, ctx.profileName)) {
    if (!wish.accepts.includes(spec.layout)) continue;
    let header: GeneratedHeader;
    try {
      header = await generateHeader(fs, spec);
    } catch {
      continue; // A header whose sources are gone cannot say what it holds; `etls header` reports it.
    }
    const symbols = symbolsOf(header);
    if (fits(symbols, wanted, wish))
      return {
        include: basename(spec.output),
        path: relativePath(ctx.project.dir, spec.output),
        layout: spec.layout,
        symbols,
      };
  }
  const folder = suggestedHeaderFolder(ctx.project.dir, [ctx.profile.target]) ?? ctx.project.dir;
  const inputs = wanted.map((r) => ctx.files[r]!.path);
  const spec: HeaderSpec = {
    output: join(folder, suggestedHeaderName(wish.layout, inputs.length === 1 ? inputs : [])),
    inputs: inputs.map((path) => ({ path })),
    layout: wish.layout,
    root: ctx.project.dir,
    ...(wish.format ? { format: wish.format } : {}),
  };
  if (wish.layout === 'coremqtt')
    spec.broker = { host: ctx.broker.host, port: ctx.broker.port, clientId: ctx.broker.clientId };
  const header = await generateHeader(fs, spec);
  const words = ['etls', 'header'];
  if (spec.layout !== 'c') words.push('--layout', spec.layout);
  if (spec.format) words.push('--format', spec.format);
  if (spec.broker)
    words.push(
      '--broker',
      quoteArg(ctx.broker.host),
      '--port',
      String(ctx.broker.port),
      '--client-id',
      quoteArg(ctx.broker.clientId),
    );
  const output = relativePath(ctx.project.dir, spec.output);
  words.push('-o', quoteArg(output), ...wanted.map((r) => quoteArg(ctx.files[r]!.rel)));
  return {
    include: basename(output),
    path: output,
    layout: spec.layout,
    symbols: symbolsOf(header),
    makeCommand: words.join(' '),
  };
}
