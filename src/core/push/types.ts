// What a push is made of: the files to send, the host services an engine needs, and what it reports.
import type { ByteLinkPort, CancellationPort, ClockPort, LoggerPort, ProgressPort } from '../ports';
import type { CertificateInfo } from '../x509/types';

/** The serial protocols; `folder` (a mounted drive) is not one of them and has its own entry point. */
export const pushProtocols = [
  'simplelink-at',
  'linux-shell',
  'etls-frame',
  'wifinina-roots',
  'wifi101-roots',
] as const;
export type PushProtocol = (typeof pushProtocols)[number];

export function isPushProtocol(s: string): s is PushProtocol {
  return (pushProtocols as readonly string[]).includes(s);
}

/** What a file holds, so an engine can pick a format and file mode. */
export type PushKind = 'certificate' | 'key' | 'other';

/** One file as read from disk, before conversion. */
export interface PushSource {
  /** The local path or name, for messages only. */
  local: string;
  /** Where it goes on the board. */
  remote: string;
  data: Uint8Array;
}

/** One file as it will travel: already converted to what the target wants. */
export interface PlannedFile {
  local: string;
  remote: string;
  kind: PushKind;
  data: Uint8Array;
  /** Lowercase hex SHA-256 of `data`. */
  sha256: string;
  /** What conversion happened, e.g. "PEM PKCS#8 key → DER PKCS#1"; empty when sent as is. */
  conversion: string;
}

export interface PushPlan {
  protocol: PushProtocol;
  files: PlannedFile[];
  /** Payload bytes across all files, for progress and the line-rate estimate. */
  totalBytes: number;
  /** wifinina-roots / wifi101-roots: the roots, in the order they go into the module's store. */
  roots?: ModuleRoot[];
}

/** One root certificate for an Arduino Wi-Fi module's store, known by its certificate. */
export interface ModuleRoot {
  /** The file it came from, or "the module" for a root read back from it. */
  source: string;
  subject: string;
  /** SHA-256 of the certificate (DER); for a WINC entry read back, of the entry bytes. */
  sha256: string;
  cert?: CertificateInfo;
  /** A WINC entry read back from the module (the WINC store keeps no certificate). */
  wincEntry?: Buffer;
}

/** Credentials for a console login; never logged. */
export interface ShellLogin {
  username: string;
  password?: string;
}

export interface PushContext {
  link: ByteLinkPort;
  /** The line rate, used to pace output and to scale timeouts. */
  baud: number;
  logger: LoggerPort;
  progress: ProgressPort;
  cancel: CancellationPort;
  clock: ClockPort;
  /** Base reply timeout in ms; engines add the time the bytes need on the wire. */
  timeoutMs?: number;
  /** How often a step that may be repeated is tried again. */
  retries?: number;
  /** simplelink-at: check the length only (default) or read every byte back. */
  verify?: 'length' | 'readback';
  /** simplelink-at: raw bytes per FileWrite line; default 512 (TI's recommendation), at most what fits 1024 bytes. */
  chunkBytes?: number;
  /** linux-shell: used when the console asks for a login. */
  login?: ShellLogin;
  /** wifinina-roots / wifi101-roots: read the module's current roots first and keep them. */
  merge?: boolean;
}

export interface PushedFile {
  local: string;
  remote: string;
  bytes: number;
  sha256: string;
  /** How the board proved it holds the file, e.g. "sha256sum matches". */
  verifiedBy: string;
}

/** The record of a file the board has proved it holds; logs the proof too. */
export function verifiedFile(
  f: PlannedFile,
  verifiedBy: string,
  logger: { info(m: string): void },
): PushedFile {
  logger.info(`${f.remote}: verified, ${verifiedBy}`);
  return { local: f.local, remote: f.remote, bytes: f.data.length, sha256: f.sha256, verifiedBy };
}

export interface PushReport {
  protocol: PushProtocol;
  files: PushedFile[];
  elapsedMs: number;
  /** wifinina-roots / wifi101-roots: every root the module holds now (merged ones included). */
  moduleRoots?: { subject: string; sha256: string }[];
}

/** Seconds the payload needs at the line rate with 10 bits per byte (8N1). */
export function lineRateSeconds(bytes: number, baud: number): number {
  return (bytes * 10) / baud;
}
