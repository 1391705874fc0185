// The option parser `etls` commands share, in the core because a generated header records the
// `etls header` command line that made it, and regenerating reads that line back.
import { EtlsError } from './errors';

export interface ParsedArgs {
  positional: string[];
  /** Every value given for an option, in order; flags without a value hold 'true'. */
  options: Map<string, string[]>;
}

export interface ArgSpec {
  /** Options that take no value. */
  flags?: Iterable<string>;
  /** Options that take a value (`--name value` or `--name=value`). */
  options?: Iterable<string>;
  /** Short names and the option they stand for, e.g. o → output. */
  aliases?: Record<string, string>;
}

/**
 * Parses `--name value`, `--name=value`, `-o value` and bare `--flag` (when `flags` lists it).
 * Unknown options are an error so typos don't pass silently; `-` alone is a positional (stdin).
 */
export function parseArgs(args: string[], spec: ArgSpec): ParsedArgs {
  const flags = new Set(spec.flags ?? []);
  const options = new Set(spec.options ?? []);
  const parsed: ParsedArgs = { positional: [], options: new Map() };
  const add = (k: string, v: string) => parsed.options.set(k, [...(parsed.options.get(k) ?? []), v]);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      parsed.positional.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      parsed.positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const given = (eq > 0 ? a.slice(0, eq) : a).replace(/^--?/, '');
    const name = spec.aliases?.[given] ?? given;
    if (flags.has(given) || flags.has(name)) {
      if (eq > 0) throw new EtlsError('invalid-argument', `${a.slice(0, eq)} takes no value`);
      add(name, 'true');
    } else if (options.has(given) || options.has(name)) {
      const value = eq > 0 ? a.slice(eq + 1) : args[++i];
      if (value === undefined) throw new EtlsError('invalid-argument', `${a} needs a value`);
      add(name, value);
    } else {
      throw new EtlsError('invalid-argument', `unknown option ${a}`);
    }
  }
  return parsed;
}

/** The last value of an option, or undefined. */
export function optionValue(p: ParsedArgs, name: string): string | undefined {
  const v = p.options.get(name);
  return v?.[v.length - 1];
}

export function hasFlag(p: ParsedArgs, name: string): boolean {
  return p.options.has(name);
}
