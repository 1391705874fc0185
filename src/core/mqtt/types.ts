// The model of an MQTT-over-TLS connection attempt: settings, stages, diagnosis codes and results.
import type { LibraryError, StackId } from '../stacks/ids';
import type { TargetId } from '../targets/ids';

/**
 * Where a connection attempt got to. `setup` is before any network: reading and checking local files.
 * `subscribe` and `publish` are the probe's round trip on a private topic.
 */
export type ProbeStage = 'setup' | 'dns' | 'tcp' | 'tls' | 'mqtt' | 'subscribe' | 'publish' | 'done';

/** The stable diagnosis codes; scripts and CI may match on them. */
export const diagnosisCodes = [
  'ok',
  'dns-not-found',
  'connection-refused',
  'timeout',
  'not-tls',
  'server-cert-untrusted',
  'server-cert-hostname-mismatch',
  'server-cert-expired',
  'server-cert-not-yet-valid',
  'client-cert-required',
  'client-cert-rejected',
  'handshake-failure',
  'mqtt-not-authorized',
  'mqtt-bad-credentials',
  'mqtt-identifier-rejected',
  'mqtt-unsupported-protocol',
  // Local files that cannot be used at all (unreadable, wrong pass phrase, key not matching the certificate).
  'local-files-invalid',
  // The broker refused for another MQTT reason (server busy, banned, quota...), named in the message.
  'mqtt-refused',
  // The broker sent something that is not MQTT, or a packet larger than the limit we accept.
  'mqtt-protocol-error',
  // The broker sent a TLS record larger than the board's stack accepts (MBEDTLS_SSL_IN_CONTENT_LEN).
  'tls-record-too-large',
  // The board's TLS library, run in WebAssembly, failed inside itself (a trap, out of memory).
  'stack-internal-error',
] as const;
export type DiagnosisCode = (typeof diagnosisCodes)[number];

export type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

/** Certificate and key material as bytes (PEM or DER); the core never logs them. */
export interface TlsMaterial {
  /** Trusted CA certificates for the broker; undefined means the system's default roots. */
  ca?: { name: string; bytes: Uint8Array };
  cert?: { name: string; bytes: Uint8Array };
  key?: { name: string; bytes: Uint8Array };
  passphrase?: string;
}

export interface ConnectionSettings {
  host: string;
  port: number;
  /** 3 means MQTT 3.1.1 (protocol level 4); 5 means MQTT 5.0. */
  mqttVersion: 3 | 5;
  clientId: string;
  /**
   * The protocol name in CONNECT; normally derived from the version. Old stacks send "MQIsdp" (MQTT 3.1),
   * and a name that does not fit the version is one way a broker comes to refuse the protocol.
   */
  protocolName?: 'MQTT' | 'MQIsdp';
  username?: string;
  password?: string;
  cleanSession: boolean;
  /** Seconds. */
  keepalive: number;
  servername?: string;
  alpn?: string[];
  minVersion?: TlsVersion;
  maxVersion?: TlsVersion;
  /** Offer only what this board supports, so a mismatch shows here and not on the board. */
  target?: TargetId;
  /** Off only on purpose; the UI shows a warning while it is off. */
  rejectUnauthorized: boolean;
  /** Milliseconds for the whole attempt, every stage included (for the probe, the round trip too). */
  timeoutMs: number;
  /** The largest MQTT packet accepted from the broker; larger ones end the connection. Default 16 MiB. */
  maxPacketBytes?: number;
  /** Which TLS library runs the connection: a board's own (in wasm) or Node's OpenSSL (default). */
  stack?: StackId;
  /** The clock the board believes, ms since the epoch (board stacks only); default now. */
  boardTimeMs?: number;
  /** The board stack's configuration values, e.g. { 'in-content-len': '4096' }. */
  stackOptions?: Record<string, string>;
}

/** The board TLS library that ran the connection and the configuration it had. */
export interface StackReport {
  id: StackId;
  library: string;
  version: string;
  config: Record<string, string | number | boolean>;
}

/** One certificate of the chain the broker sent, for display. */
export interface ChainEntry {
  subject: string;
  issuer: string;
  commonName: string;
  validTo: string;
  validFrom: string;
  fingerprint256: string;
}

export interface TlsSessionInfo {
  protocol: string;
  cipher: string;
  alpn?: string;
  chain: ChainEntry[];
  /** Whether the broker's chain verified against the CA in use. */
  authorized: boolean;
  /** The CA that verified the chain, e.g. "ca.pem: CN=Dev CA", or "system roots". */
  verifiedBy?: string;
}

/** What a failed or successful attempt produced, before it is explained. Plain data so tests can build it. */
export interface FailureEvidence {
  stage: ProbeStage;
  /** The raw error, reduced to its useful fields. */
  error?: { code?: string | number; message?: string; syscall?: string; reason?: string };
  /** The CONNACK return/reason code when the broker refused. */
  connackCode?: number;
  mqttVersion?: 3 | 5;
  /** Bytes the server had sent when the attempt failed; 0 after a TLS hello means the port does not speak TLS. */
  bytesFromServer?: number;
  /** The TLS handshake had completed when the failure happened. */
  tlsEstablished?: boolean;
  /** The verification error OpenSSL reported for the broker's chain, with rejectUnauthorized off at the socket. */
  authorizationError?: string;
  /** The broker closed the connection after CONNECT without a CONNACK. */
  closedWithoutConnack?: boolean;
  clientCertOffered?: boolean;
  alpnOffered?: string[];
  host?: string;
  port?: number;
  /** The server name set to check the certificate against (and sent as SNI), when not the host. */
  servername?: string;
  /** The size an MQTT packet from the broker announced, when it was over the limit. */
  packetTooLarge?: { announced: number; limit: number };
  target?: string;
  usernameGiven?: boolean;
  /** The board stack that ran the TLS stage, when not Node's OpenSSL. */
  stack?: StackReport;
  /** The board library's own error, as the board prints it. */
  libraryError?: LibraryError;
  /** The largest TLS record the broker sent and the board's limit, when it was over. */
  recordTooLarge?: { largest: number; limit: number };
}

export interface Diagnosis {
  code: DiagnosisCode;
  stage: ProbeStage;
  /** A plain sentence about what happened. */
  message: string;
  /** What to do about it. */
  fix: string;
  /** With a board stack: the library's own error, as the board prints it, beside our code. */
  libraryError?: LibraryError;
}

export interface ProbeResult extends Diagnosis {
  ok: boolean;
  details: ProbeDetails;
  /** The board TLS library that ran the probe (absent for Node's OpenSSL). */
  stack?: StackReport;
}

export interface ProbeDetails {
  host: string;
  port: number;
  address?: string;
  tls?: TlsSessionInfo;
  /** Facts found by comparing the local files with what the broker sent. */
  findings?: string[];
  roundTrip?: 'ok' | 'skipped' | 'denied';
  /** Milliseconds from start to each finished stage. */
  timings: Partial<Record<ProbeStage, number>>;
}
