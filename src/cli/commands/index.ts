// The command table of `etls`: one line per subcommand, each in its own file beside this one.
// Commands load on first use, so a build step that runs `etls header` does not pay for MQTT,
// serial or PKCS#12 code at start-up.
import type { CliCommand } from '../command';

export interface CommandEntry {
  name: string;
  /** One line for `etls help`. */
  summary: string;
  load(): Promise<CliCommand>;
}

export const commands: CommandEntry[] = [
  {
    name: 'inspect',
    summary: 'decode certificates, keys, CSRs, PKCS#12 and arrays in C sources',
    load: async () => (await import('./inspect')).inspectCommand,
  },
  {
    name: 'check',
    summary: 'find what will fail on the board: expiry, key/cert mismatch, SAN, target and cloud rules',
    load: async () => (await import('./check')).checkCommand,
  },
  {
    name: 'header',
    summary: 'C headers (DER arrays, PEM strings) from certificates and keys',
    load: async () => (await import('./header')).headerCommand,
  },
  {
    name: 'pki',
    summary: 'development CA, broker and device certificates, CSRs',
    load: async () => (await import('./pki')).pkiCommand,
  },
  {
    name: 'snippet',
    summary: 'connection code for a profile: ESP-IDF, Arduino, SimpleLink, AT commands, coreMQTT, mosquitto',
    load: async () => (await import('./snippet')).snippetCommand,
  },
  {
    name: 'export',
    summary: 'a Node-RED flow (tls-config + mqtt-broker) from a profile',
    load: async () => (await import('./snippet')).exportCommand,
  },
  {
    name: 'convert',
    summary: 'PEM/DER, PKCS#1/PKCS#8/SEC1, pass-phrase removal, PKCS#12',
    load: async () => (await import('./convert')).convertCommand,
  },
  {
    name: 'probe',
    summary: 'test an MQTT-over-TLS connection and explain why it fails',
    load: async () => (await import('./probe')).probeCommand,
  },
  {
    name: 'broker',
    summary: 'run a local Mosquitto TLS broker with the generated configuration',
    load: async () => (await import('./broker')).brokerCommand,
  },
  {
    name: 'push',
    summary: 'send certificates and keys to a board over a serial port, verified',
    load: async () => (await import('./push')).pushCommand,
  },
  {
    name: 'ports',
    summary: 'list serial ports and identify the boards on them',
    load: async () => (await import('./ports')).portsCommand,
  },
  {
    name: 'explain',
    summary: 'what a board error code or log line means, its likely causes and the fix',
    load: async () => (await import('./explain')).explainCommand,
  },
  {
    name: 'monitor',
    summary: "a serial monitor that explains the board's TLS and MQTT errors as they pass",
    load: async () => (await import('./monitor')).monitorCommand,
  },
];
