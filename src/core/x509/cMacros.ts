// PEM strings assembled from macros in C sources: `"-----BEGIN CERTIFICATE-----\n" CERT_BODY "\n..."`.
// Macros defined in the same file as string literals are expanded; the rest are named, so the
// reader can say what the string is instead of calling it cut short.
import type { EmbeddedCandidate } from './cCandidate';

/** A piece of a run of adjacent string literals: literal text, or a macro name between literals. */
export type StringPart = string | { macro: string };

const MAX_DEPTH = 16;
/** More macros than this between literals is not simple concatenation: the literal is not expanded. */
export const MAX_MACROS = 256;

/**
 * Expands the macros of every string candidate that uses them. Work is bounded by the size of the
 * source (a chain of macros that doubles at each step stops there and counts as unresolved).
 */
export function resolveMacros(
  found: Array<EmbeddedCandidate & { parts?: StringPart[] }>,
  defines: Map<string, StringPart[]>,
  sourceLength: number,
): EmbeddedCandidate[] {
  let budget = sourceLength + 100_000;
  for (const c of found) {
    const parts = c.parts;
    if (!parts) continue;
    delete c.parts;
    const used = new Set<string>();
    const unresolved = new Set<string>();
    const chunks: string[] = [];
    const expand = (list: StringPart[], depth: number, stack: string[]) => {
      for (const p of list) {
        if (--budget < 0) return;
        if (typeof p === 'string') {
          chunks.push(p);
          budget -= p.length;
          continue;
        }
        used.add(p.macro);
        const body = defines.get(p.macro);
        if (!body || depth >= MAX_DEPTH || stack.includes(p.macro)) unresolved.add(p.macro);
        else expand(body, depth + 1, [...stack, p.macro]);
      }
    };
    expand(parts, 0, []);
    c.macros = [...used];
    if (budget < 0) c.tooLarge = true;
    else if (unresolved.size) c.unresolved = [...unresolved];
    else c.text = chunks.join('');
  }
  return found;
}

function pemLabel(text: string): string {
  return /-----BEGIN ([A-Z0-9 ]{1,40})-----/.exec(text)?.[1] ?? 'PEM';
}

/** True when the text has BEGIN/END lines but no base64 body: the program fills it in at run time. */
function framingOnly(text: string): boolean {
  return !/[A-Za-z0-9+/]{16}/.test(text.replace(/-----(BEGIN|END) [A-Z0-9 ]{1,40}-----/g, ''));
}

/**
 * Why a string candidate cannot be read as it stands, or undefined when it can: PEM assembled from
 * macros this file does not define, or only the BEGIN/END lines of PEM the program builds at run time.
 */
export function assembledPemProblem(
  c: EmbeddedCandidate,
): { code: 'not-found' | 'unsupported'; message: string; fix: string } | undefined {
  if (c.container !== 'c-string' || c.text === undefined) return undefined;
  const label = pemLabel(c.text);
  if (c.tooLarge)
    return {
      code: 'unsupported',
      message: `PEM ${label} built from more macros than etls expands (${[...new Set(c.macros)].slice(0, 3).join(', ')}...)`,
      fix: `etls expands up to ${MAX_MACROS} macros and no more text than the file holds; inspect the certificate file the macros are made from`,
    };
  if (c.unresolved?.length) {
    const names = c.unresolved.slice(0, 3).join(', ');
    const one = c.unresolved.length === 1;
    return {
      code: 'not-found',
      message: `PEM ${label} built from the macro${one ? '' : 's'} ${names}, which this file does not define`,
      fix: `The ${one ? 'macro is' : 'macros are'} set when the firmware is built (sdkconfig, a -D flag or another header): inspect the file that defines ${one ? 'it' : 'them'}, or the ${label === 'CERTIFICATE' ? 'certificate' : 'PEM'} file ${one ? 'it is' : 'they are'} made from`,
    };
  }
  if (framingOnly(c.text))
    return {
      code: 'unsupported',
      message: `only the BEGIN/END lines of a PEM ${label}: the program builds the ${label === 'CERTIFICATE' ? 'certificate' : 'PEM'} around them at run time`,
      fix: 'There is nothing to read in the source; inspect the file or device output that holds the finished PEM',
    };
  return undefined;
}
