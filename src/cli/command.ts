// What every `etls` subcommand looks like, and the small argument parser they share.
import { EtlsError } from '../core/errors';

/** Where a command writes; tests pass plain objects. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** The working folder paths are resolved against. */
  cwd: string;
  env: Record<string, string | undefined>;
}

export interface CliCommand {
  name: string;
  /** One line for `etls help`. */
  summary: string;
  /** The usage block for `etls help NAME` and for argument errors. */
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

export interface ParsedArgs {
  positional: string[];
  /** Every value given for an option, in order; flags without a value hold 'true'. */
  options: Map<string, string[]>;
}

/**
 * Parses `--name value`, `--name=value` and bare `--flag` (when `flags` lists it).
 * Unknown options are an error so typos don't pass silently.
 */
export function parseArgs(args: string[], spec: { flags?: string[]; options?: string[] }): ParsedArgs {
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
    if (a.startsWith('--') || (a.startsWith('-') && a.length === 2)) {
      const eq = a.indexOf('=');
      const name = (eq > 0 ? a.slice(0, eq) : a).replace(/^--?/, '');
      if (flags.has(name)) {
        if (eq > 0) throw new EtlsError('invalid-argument', `--${name} takes no value`);
        add(name, 'true');
      } else if (options.has(name)) {
        const value = eq > 0 ? a.slice(eq + 1) : args[++i];
        if (value === undefined) throw new EtlsError('invalid-argument', `--${name} needs a value`);
        add(name, value);
      } else {
        throw new EtlsError('invalid-argument', `unknown option ${a}`);
      }
    } else {
      parsed.positional.push(a);
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
