// Snippets that are not C: the CC32xx AT command sequence, and mosquitto_pub / mosquitto_sub
// scripts that run as written against the profile's broker.
import { isIP } from 'node:net';
import type { BoardFile, FileRole, ProfileFile, SnippetContext } from './context';

/** The ECDHE suites the AT application names, for a broker with an EC or an RSA certificate. */
const AT_CIPHERS = [
  'tls_ecdhe_ecdsa_with_aes_128_gcm_sha256',
  'tls_ecdhe_rsa_with_aes_128_gcm_sha256',
  'tls_ecdhe_ecdsa_with_aes_128_cbc_sha256',
  'tls_ecdhe_rsa_with_aes_128_cbc_sha256',
].join('|');

export function simplelinkAt(
  ctx: SnippetContext,
  files: Partial<Record<FileRole, BoardFile>>,
  note: string[],
  title: string,
): string {
  const b = ctx.broker;
  const name = (r: FileRole) => files[r]?.remote ?? '';
  const flags = `${isIP(b.host) === 4 ? 'ip4' : isIP(b.host) === 6 ? 'ip6' : 'url'}|sec`;
  const lines = [
    `# ${title}`,
    `# CC3220/CC3235 AT command application: TLS to ${b.host}:${b.port} as ${b.clientId}.`,
    ...note.map((l) => `# ${l}`),
    '# Lines starting with # are notes; <SD> and <IP> are the values the replies before them give.',
    '',
    "# The AT application's own MQTT client (files: key, certificate, CA, no DH):",
    `AT+MqttCreate=${b.clientId},${flags},${b.host},${b.port},tlsv1_2,${AT_CIPHERS},${name('key')},${name('cert')},${name('ca')},,v3_1_1,0,0`,
    'AT+MqttConnect=0',
    '',
    '# Or a secure socket of your own:',
    `AT+NetAppGetHostByName=${b.host},INET`,
    'AT+Socket=INET,STREAM,SEC',
    'AT+SetSockOpt=<SD>,SOCKET,SECMETHOD,TLSV1_2',
  ];
  if (files.ca) lines.push(`AT+SetSockOpt=<SD>,SOCKET,SECURE_FILES_CA_FILE_NAME,${name('ca')}`);
  if (files.cert) lines.push(`AT+SetSockOpt=<SD>,SOCKET,SECURE_FILES_CERTIFICATE_FILE_NAME,${name('cert')}`);
  if (files.key) lines.push(`AT+SetSockOpt=<SD>,SOCKET,SECURE_FILES_PRIVATE_KEY_FILE_NAME,${name('key')}`);
  lines.push(
    `AT+SetSockOpt=<SD>,SOCKET,SECURE_DOMAIN_NAME_VERIFICATION,${b.servername ?? b.host}`,
    `AT+Connect=<SD>,INET,${b.port},<IP>`,
    '',
  );
  return lines.join('\n');
}

/** Single-quoted for sh: safe whatever the path holds. */
export function shQuote(s: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface ScriptPlace {
  /** The project folder relative to the script's folder, when the script is written to a file. */
  projectFromScript?: string;
}

export function mosquittoScript(
  ctx: SnippetContext,
  tool: 'mosquitto_pub' | 'mosquitto_sub',
  pem: Partial<Record<FileRole, ProfileFile>>,
  place: ScriptPlace,
  title: string,
): string {
  const b = ctx.broker;
  const args = [
    '-h',
    shQuote(b.host),
    '-p',
    String(b.port),
    '-V',
    b.mqttVersion === 5 ? 'mqttv5' : 'mqttv311',
  ];
  args.push('-i', shQuote(tool === 'mosquitto_sub' ? `${b.clientId}-sub` : b.clientId));
  if (pem.ca) args.push('--cafile', shQuote(pem.ca.rel));
  if (pem.cert && pem.key) args.push('--cert', shQuote(pem.cert.rel), '--key', shQuote(pem.key.rel));
  if (b.alpn) args.push('--tls-alpn', shQuote(b.alpn));
  const topic = `devices/${b.clientId}/hello`;
  const where =
    place.projectFromScript !== undefined
      ? `cd "$(dirname "$0")/${place.projectFromScript.replace(/(["\\$`])/g, '\\$1')}" || exit 1`
      : `# Run in the project folder: ${ctx.project.dir}`;
  const body =
    tool === 'mosquitto_pub'
      ? [
          `TOPIC="\${ETLS_TOPIC:-${topic}}"`,
          `MESSAGE="\${ETLS_MESSAGE:-hello from ${b.clientId}}"`,
          `exec mosquitto_pub ${args.join(' ')} -q 1 -t "$TOPIC" -m "$MESSAGE" "$@"`,
        ]
      : [
          `TOPIC="\${ETLS_TOPIC:-devices/${b.clientId}/#}"`,
          `exec mosquitto_sub ${args.join(' ')} -q 1 -v -t "$TOPIC" "$@"`,
        ];
  return [
    '#!/bin/sh',
    `# ${title}`,
    `# ${tool} over TLS to ${b.host}:${b.port} with profile "${ctx.profileName}"'s files.`,
    `# ${tool === 'mosquitto_pub' ? 'ETLS_TOPIC and ETLS_MESSAGE override' : 'ETLS_TOPIC overrides'} the defaults; further arguments go to ${tool}.`,
    ...(b.servername
      ? [`# The broker certificate names ${b.servername}, not ${b.host}: ${tool} checks the name it dials.`]
      : []),
    where,
    ...body,
    '',
  ].join('\n');
}
