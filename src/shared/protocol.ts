// The typed messages between the extension host and the MQTT test client webview. Shared by both sides;
// browser-safe (no Node, no vscode). Keys and pass phrases never travel host -> webview.
// Over 300 lines: declarations only, the whole vocabulary of one channel in one place, so both
// sides see every message either can send.

export type QoS = 0 | 1 | 2;
export type PayloadFormat = 'text' | 'json' | 'hex';
export type TlsVersionChoice = '' | 'TLSv1.2' | 'TLSv1.3';
export type FileRole = 'ca' | 'cert' | 'key';

/** The connection form as the user edits it; secrets are not in it, only whether one is stored. */
export interface ConnectionForm {
  host: string;
  port: number;
  mqttVersion: 3 | 5;
  clientId: string;
  username: string;
  cleanSession: boolean;
  keepalive: number;
  /** Workspace-relative (or absolute) paths of the CA, client certificate and key. */
  caFile: string;
  certFile: string;
  keyFile: string;
  servername: string;
  /** Comma-separated ALPN protocol names. */
  alpn: string;
  minTls: TlsVersionChoice;
  maxTls: TlsVersionChoice;
  /** A target id to emulate, or '' for none. */
  target: string;
  /**
   * Run TLS with the target's own library (in WebAssembly) when it has one; absent in forms saved
   * before the choice existed, which means on.
   */
  runAsBoard?: boolean;
  rejectUnauthorized: boolean;
}

/** What the webview may show about a local file: its name and fingerprint, never its bytes. */
export interface FileInfo {
  role: FileRole;
  path: string;
  /** One line, e.g. "certificate CN=device-01, issued by Dev CA, expires 2027-03-01". */
  summary: string;
  /** SHA-256 of the certificate, or of the key's public half. */
  fingerprint?: string;
  /** Set when the file cannot be used, e.g. "encrypted: enter the pass phrase". */
  problem?: string;
}

export interface ChainCertificate {
  commonName: string;
  issuer: string;
  validTo: string;
}

export interface TlsDetails {
  protocol: string;
  cipher: string;
  alpn?: string;
  chain: ChainCertificate[];
  verifiedBy?: string;
  authorized: boolean;
}

export interface DiagnosisView {
  code: string;
  stage: string;
  message: string;
  fix: string;
  /** With a board stack: its error as the board prints it, e.g. "mbedtls_ssl_handshake returned -0x2700". */
  libraryError?: { line: string; name?: string; text: string; verifyFlags?: string[] };
}

export type ConnectionStatus = 'disconnected' | 'connecting' | 'connected';

export interface Subscription {
  topic: string;
  qos: QoS;
  /** QoS the broker granted; 128 is a refusal. */
  granted?: number;
}

export interface LogEntry {
  id: number;
  /** Milliseconds since the epoch. */
  at: number;
  direction: 'in' | 'out' | 'event';
  topic: string;
  /** Payload as base64, so binary survives; the viewer decodes as text, JSON or hex. */
  payloadBase64: string;
  qos: QoS;
  retain: boolean;
}

export interface ProfileSummary {
  name: string;
  /** 'saved' in the panel, or 'project' from embedded-tls.json (read-only here). */
  source: 'saved' | 'project';
}

export interface PanelState {
  form: ConnectionForm;
  hasPassword: boolean;
  hasPassphrase: boolean;
  files: FileInfo[];
  status: ConnectionStatus;
  tls?: TlsDetails;
  diagnosis?: DiagnosisView;
  subscriptions: Subscription[];
  profiles: ProfileSummary[];
  /** Project files (relative paths) to pick the CA, certificate and key from, each list of its kind. */
  candidates: Candidates;
  targets: string[];
  /** The targets whose own TLS library the panel can run, with its name, e.g. esp32 → "mbedTLS 3.6". */
  boardStacks: Record<string, string>;
  /** False in Restricted Mode: connecting is turned off. */
  trusted: boolean;
  /** Set only for benchmarks and tests (ETLS_MQTT_PANEL_PROBE=1): the webview reports what it drew. */
  probe?: boolean;
}

/**
 * What the webview drew, reported under `probe` for bench/mqttPanelLoad: when, and the publish times
 * (`t` field of a JSON payload) of the newest row and of the oldest row new in this frame.
 */
export interface DrawProbe {
  drawnAt: number;
  newestT?: number;
  oldestNewT?: number;
}

/** Workspace files by the field they fit: CA certificates, device certificates, private keys. */
export type Candidates = Record<FileRole, string[]>;

/** Requests carry an id; the host answers each with one `reply` of the same id. */
export type PanelRequest =
  | { kind: 'connect'; form: ConnectionForm; password?: string; passphrase?: string }
  | { kind: 'disconnect' }
  | { kind: 'subscribe'; topic: string; qos: QoS }
  | { kind: 'unsubscribe'; topic: string }
  | { kind: 'publish'; topic: string; payload: string; format: PayloadFormat; qos: QoS; retain: boolean }
  | { kind: 'saveProfile'; name: string; form: ConnectionForm; password?: string; passphrase?: string }
  | { kind: 'loadProfile'; name: string; source: 'saved' | 'project' }
  | { kind: 'deleteProfile'; name: string }
  | { kind: 'setFile'; role: FileRole; path: string }
  | { kind: 'clearLog' }
  /** Stops adding rows to the list; the counters and the topic tree go on. */
  | { kind: 'pause'; paused: boolean }
  /** Saves the history as JSON lines, to a file picked in a save dialog. */
  | { kind: 'exportLog' }
  /** The JSON field publishers number their messages with, or '' to turn the sequence check off. */
  | { kind: 'sequenceField'; field: string };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'formChanged'; form: ConnectionForm }
  /**
   * The webview drew the list: how many rows it shows. With `seq`, it acknowledges that feed update,
   * so the host may send the next.
   */
  | {
      type: 'rendered';
      logCount: number;
      /** Topics in the tree, and the total received the counters show. */
      topics?: number;
      received?: number;
      seq?: number;
      probe?: DrawProbe;
    }
  /** The selected row's payload, which the list's rows do not carry. */
  | { type: 'payload'; id: number }
  | { type: 'request'; id: number; request: PanelRequest };

export type HostToWebview =
  | { type: 'state'; state: PanelState }
  | { type: 'feed'; update: FeedUpdate }
  /** The payload asked for; no entry when the history no longer holds it. */
  | { type: 'payload'; id: number; entry?: LogEntry }
  | { type: 'reply'; id: number; ok: boolean; error?: string };

/** The most rows the webview's message list holds (the host never sends more in one update). */
export const FEED_VIEW_ROWS = 1000;

/** One row of the message list: a summary, never the whole payload. */
export interface FeedRow {
  id: number;
  at: number;
  direction: 'in' | 'out';
  topic: string;
  /** One line, shortened: text, or hex when binary. */
  preview: string;
  size: number;
  qos: QoS;
  retain: boolean;
}

export interface FeedCounts {
  /** Received since the counters were last reset (on connect). */
  received: number;
  /** Published by this client. */
  sent: number;
  /** Received in the last whole second. */
  ratePerSecond: number;
  /** In the history, and its bytes. */
  stored: number;
  storedBytes: number;
  /** Pushed out of the history by newer messages (expected, not a loss). */
  evicted: number;
  /** Received but not kept: the client could not hold them. */
  dropped: number;
  /** Found missing by the sequence check. */
  missing: number;
  topics: number;
  paused: boolean;
}

export interface TopicFigures {
  topic: string;
  count: number;
  /** Messages in the last whole second. */
  rate: number;
  /** The last payload, shortened (text, or hex when binary). */
  last: string;
  lastAt: number;
}

export interface TopicGaps {
  topic: string;
  /** Times a number was skipped. */
  gaps: number;
  /** Messages the skips add up to. */
  missing: number;
  /** Times the numbers went back (a publisher restart, or a duplicate). */
  backwards: number;
  /** The last number seen. */
  last: number;
}

/** At most one per display frame, and the next only once the webview acknowledged this one. */
export interface FeedUpdate {
  seq: number;
  /** Increases on every Clear: rows of an older epoch are stale. */
  epoch: number;
  /** `rows` replace the list instead of extending it. */
  reset: boolean;
  rows: FeedRow[];
  counts: FeedCounts;
  /** Topics that changed; every topic when `topicsReset`. */
  topics: TopicFigures[];
  topicsReset: boolean;
  gaps: TopicGaps[];
  sequenceField: string;
}

export const defaultForm: ConnectionForm = {
  host: 'localhost',
  port: 8883,
  mqttVersion: 3,
  clientId: 'etls-test-client',
  username: '',
  cleanSession: true,
  keepalive: 60,
  caFile: '',
  certFile: '',
  keyFile: '',
  servername: '',
  alpn: '',
  minTls: '',
  maxTls: '',
  target: '',
  runAsBoard: true,
  rejectUnauthorized: true,
};

/** The ALPN protocol AWS IoT needs on port 443. */
export const AWS_443_ALPN = 'x-amzn-mqtt-ca';

/** Turns what the user typed into payload bytes; throws an Error with a plain sentence when it is not valid. */
export function encodePayload(text: string, format: PayloadFormat): Uint8Array {
  if (format === 'hex') {
    const clean = text.replace(/0x/gi, '').replace(/[\s,:]/g, '');
    if (clean.length % 2 || /[^0-9a-f]/i.test(clean))
      throw new Error('The hex payload must be pairs of hex digits, e.g. "01 ff 7a".');
    const out = new Uint8Array(clean.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
    return out;
  }
  if (format === 'json') {
    try {
      JSON.parse(text);
    } catch {
      throw new Error('The payload is not valid JSON.');
    }
  }
  return new TextEncoder().encode(text);
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export function base64ToBytes(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** MQTT topic-filter matching (+ and #), used by the log's topic filter. */
export function topicMatches(filter: string, topic: string): boolean {
  if (!filter) return true;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}
