// `etls ports`: the serial ports of this machine, with the board each one likely is (USB VID:PID).
import { listSerialPorts } from '../../core/node/serialLink';
import { describePort } from '../../core/push';
import { hasFlag, parseArgs, type CliCommand, type CliIo } from '../command';

export const portsCommand: CliCommand = {
  name: 'ports',
  summary: 'list serial ports and identify the boards on them',
  usage: `etls ports [--json]

Lists serial ports, known boards first (TI XDS110 LaunchPads, FTDI/CP210x/CH340 bridges, Arduino, ...).
The suggested protocol is what \`etls push --protocol\` most likely needs for that board.`,
  async run(args: string[], io: CliIo): Promise<number> {
    const p = parseArgs(args, { flags: ['json'] });
    const ports = await listSerialPorts();
    if (hasFlag(p, 'json')) {
      io.out(JSON.stringify(ports, null, 2) + '\n');
      return 0;
    }
    if (ports.length === 0) {
      io.out('No serial ports found. Plug the board in; on Linux check `dmesg` and the dialout group.\n');
      return 0;
    }
    for (const port of ports) {
      io.out(`${describePort(port)}${port.board?.protocol ? `  → --protocol ${port.board.protocol}` : ''}\n`);
    }
    return 0;
  },
};
