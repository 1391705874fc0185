// What every `etls` subcommand looks like, and the small argument parser they share.
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

import { hasFlag, optionValue, type ParsedArgs } from '../core/args';
import { EtlsError } from '../core/errors';
import { kdfLimitsFrom, type KdfLimits } from '../core/x509/kdf';

export { hasFlag, optionValue, parseArgs, type ParsedArgs } from '../core/args';

/**
 * A secret (pass phrase, password) from the environment variable an option names, so it never
 * shows on the command line or in the shell history. Undefined when the option is not given.
 */
export function secretFromEnv(io: CliIo, p: ParsedArgs, option: string): string | undefined {
  const name = optionValue(p, option);
  if (name === undefined) return undefined;
  const value = io.env[name];
  if (value === undefined)
    throw new EtlsError(
      'invalid-argument',
      `--${option} ${name}: the environment variable ${name} is not set`,
      `Set it first, e.g. read -rs ${name} && export ${name}.`,
    );
  return value;
}

/** The options that lift the key-derivation limits, for the commands that open PKCS#12 and keys. */
export const KDF_FLAGS = ['allow-slow-kdf'];
export const KDF_OPTIONS = ['max-kdf-iterations'];
export const KDF_USAGE = `  --max-kdf-iterations N  open files whose key derivation asks for up to N iterations
                          (default: 2000000 PBKDF2, 400000 PKCS#12; see docs/inspect.md)
  --allow-slow-kdf        open them whatever their iteration counts (a file can ask for hours)`;

/** --allow-slow-kdf / --max-kdf-iterations N as core limits; undefined for the defaults. */
export function kdfLimitsFromArgs(p: ParsedArgs): KdfLimits | undefined {
  const given = optionValue(p, 'max-kdf-iterations');
  const n = given === undefined ? undefined : Number(given);
  if (n !== undefined && !(Number.isSafeInteger(n) && n > 0))
    throw new EtlsError(
      'invalid-argument',
      `--max-kdf-iterations needs a whole number above 0, not "${given}"`,
    );
  return kdfLimitsFrom(hasFlag(p, 'allow-slow-kdf'), n);
}
