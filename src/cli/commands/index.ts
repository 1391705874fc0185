// The command table of `etls`: one line per subcommand, each in its own file beside this one.
import type { CliCommand } from '../command';
import { checkCommand } from './check';
import { headerCommand } from './header';
import { inspectCommand } from './inspect';

export const commands: CliCommand[] = [inspectCommand, headerCommand, checkCommand];
