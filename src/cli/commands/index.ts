// The command table of `etls`: one line per subcommand, each in its own file beside this one.
import type { CliCommand } from '../command';
import { checkCommand } from './check';
import { headerCommand } from './header';
import { inspectCommand } from './inspect';
import { brokerCommand } from './broker';
import { convertCommand } from './convert';
import { pkiCommand } from './pki';
import { probeCommand } from './probe';

export const commands: CliCommand[] = [inspectCommand, headerCommand, probeCommand, checkCommand, pkiCommand, convertCommand, brokerCommand];
