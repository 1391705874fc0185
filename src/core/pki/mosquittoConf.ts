// mosquitto.conf for the development PKI: written by `pki init`, read and rewritten by the local broker.
import { isAbsolute, resolve } from 'node:path';

export interface MosquittoTlsFiles {
  cafile: string;
  certfile: string;
  keyfile: string;
}

/** The listener the tutorial asks for, with client certificates required and the CN as the username. */
export function mosquittoConf(files: MosquittoTlsFiles, port = 8883): string {
  return [
    '# Mosquitto TLS listener for the development PKI (etls pki init).',
    '# Run: mosquitto -c mosquitto.conf, or "Embedded TLS: Start Local TLS Broker" in VS Code.',
    '# Clients need a certificate signed by this CA; its CN (the device id) becomes the MQTT username.',
    `listener ${port}`,
    `cafile ${files.cafile}`,
    `certfile ${files.certfile}`,
    `keyfile ${files.keyfile}`,
    'require_certificate true',
    'use_identity_as_username true',
    '# Without it, Nagle holds the second TLS 1.3 session ticket and the CONNACK behind it until the',
    "# client's delayed ACK: about 40 ms added to every connection (Mosquitto 2.0 and later).",
    'set_tcp_nodelay true',
    '',
  ].join('\n');
}

export interface ConfLine {
  key: string;
  args: string[];
  /** The line as written, for lines we keep unchanged. */
  text: string;
}

export function parseConf(text: string): ConfLine[] {
  return text.split(/\r?\n/).map((line) => {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) return { key: '', args: [], text: line };
    const [key, ...rest] = trimmed.split(/\s+/);
    return { key: key!, args: rest, text: line };
  });
}

/** The value of the first line with this key (mosquitto paths may contain spaces, so the rest of the line). */
export function confValue(lines: ConfLine[], key: string): string | undefined {
  const l = lines.find((x) => x.key === key);
  return l ? l.args.join(' ') : undefined;
}

export const TLS_FILE_KEYS = ['cafile', 'certfile', 'keyfile', 'capath', 'crlfile', 'dhparamfile'] as const;

export interface RewriteOptions {
  /** Resolves relative paths (mosquitto would resolve them against its working folder). */
  confDir: string;
  port: number;
  /** Listen only here (tests use 127.0.0.1); all interfaces when undefined. */
  bindAddress?: string;
  /** Replacement paths for TLS files, by absolute original path. */
  pathMap?: Map<string, string>;
  /** Extra lines appended at the end (e.g. `log_dest stderr`). */
  extra?: string[];
}

/**
 * The configuration a run uses: the first listener moved to the chosen port, TLS file paths made
 * absolute (or mapped to staged copies), log lines to stderr so the host can show them.
 */
export function rewriteConf(text: string, o: RewriteOptions): string {
  let listenerDone = false;
  const out = parseConf(text).map((l) => {
    if (l.key === 'listener' && !listenerDone) {
      listenerDone = true;
      return `listener ${o.port}${o.bindAddress ? ` ${o.bindAddress}` : ''}`;
    }
    if (l.key === 'port' && !listenerDone) {
      listenerDone = true;
      return `listener ${o.port}${o.bindAddress ? ` ${o.bindAddress}` : ''}`;
    }
    if ((TLS_FILE_KEYS as readonly string[]).includes(l.key)) {
      const p = l.args.join(' ');
      const abs = isAbsolute(p) ? p : resolve(o.confDir, p);
      return `${l.key} ${o.pathMap?.get(abs) ?? abs}`;
    }
    if (l.key === 'log_dest' || l.key === 'pid_file') return `# ${l.text.trim()}  (replaced for this run)`;
    return l.text;
  });
  if (!listenerDone) out.unshift(`listener ${o.port}${o.bindAddress ? ` ${o.bindAddress}` : ''}`);
  return [...out, 'log_dest stderr', ...(o.extra ?? []), ''].join('\n');
}
