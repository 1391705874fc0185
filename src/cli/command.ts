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

import { optionValue, type ParsedArgs } from '../core/args';
import { EtlsError } from '../core/errors';

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
