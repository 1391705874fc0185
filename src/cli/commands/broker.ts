// `etls broker`: runs Mosquitto with a generated configuration until Ctrl+C. Runs on Node.
import { resolve } from 'node:path';
import { startBroker } from '../../core/broker';
import { EtlsError } from '../../core/errors';
import { optionValue, parseArgs, type CliCommand } from '../command';

const usage = `etls broker --conf DIR/mosquitto.conf [--port N] [--bind ADDRESS] [--mosquitto PATH]

Runs Mosquitto with the configuration etls pki init wrote, on port N (default 8883), printing its
log until Ctrl+C. Started as root, Mosquitto switches to the user "mosquitto", which cannot read a
0600 key owned by root: etls then gives it private copies for the run and says so.`;

export const brokerCommand: CliCommand = {
  name: 'broker',
  summary: 'run a local Mosquitto TLS broker with the generated configuration',
  usage,
  async run(args, io) {
    const p = parseArgs(args, { options: ['conf', 'port', 'bind', 'mosquitto'] });
    const conf = optionValue(p, 'conf') ?? p.positional[0];
    if (!conf)
      throw new EtlsError(
        'invalid-argument',
        '--conf FILE is required (the mosquitto.conf etls pki init wrote)',
      );
    const portText = optionValue(p, 'port') ?? '8883';
    if (!/^\d+$/.test(portText))
      throw new EtlsError('invalid-argument', `--port ${portText} is not a port number`);
    const logger = {
      info: (m: string) => io.out(`${m}\n`),
      warn: (m: string) => io.err(`warning: ${m}\n`),
      debug: () => {},
    };
    const broker = await startBroker({
      confPath: resolve(io.cwd, conf),
      port: Number(portText),
      ...(optionValue(p, 'bind') ? { bindAddress: optionValue(p, 'bind')! } : {}),
      ...(optionValue(p, 'mosquitto') ? { mosquittoPath: optionValue(p, 'mosquitto')! } : {}),
      logger,
      onOutput: (line) => io.out(`${line}\n`),
    });
    io.out(`Broker running on port ${broker.port} (pid ${broker.pid}); Ctrl+C stops it.\n`);
    const stop = () => void broker.stop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const code = await broker.exited;
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    return code === 0 || code === null ? 0 : 1;
  },
};
