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

export { hasFlag, optionValue, parseArgs, type ParsedArgs } from '../core/args';
