// Opens a TLS connection one stage at a time (DNS, TCP, TLS) so a failure is pinned to its stage,
// and records what the broker sent so the local files can be compared with it.
// Over 300 lines: openTls walks the stages in one function, so each failure carries the evidence
// gathered before it; the helpers beside it read the peer's chain and names for that evidence.
import { lookup } from 'node:dns/promises';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  checkServerIdentity,
  connect as tlsConnect,
  type ConnectionOptions,
  type DetailedPeerCertificate,
  type TLSSocket,
} from 'node:tls';
import { EtlsError } from '../errors';
import { isEngine } from '../stacks/ids';
import { tlsEmulation } from '../targets/ciphers';
import { BoardTlsFailure, openBoardTls } from './boardTls';
import type { LocalFacts } from './explain';
import { commonName, prepareTls, type PreparedTls } from './tlsFiles';
import type {
  ChainEntry,
  ConnectionSettings,
  FailureEvidence,
  ProbeStage,
  TlsMaterial,
  StackReport,
  TlsSessionInfo,
} from './types';

export class StageFailure extends Error {
  constructor(
    readonly evidence: FailureEvidence,
    readonly facts: LocalFacts,
  ) {
    super(evidence.error?.message ?? evidence.stage);
  }
}

export interface OpenConnection {
  /** The cleartext stream: Node's TLS socket, or a board stack's channel. */
  socket: Duplex;
  raw: Socket;
  address: string;
  tls: TlsSessionInfo;
  facts: LocalFacts;
  timings: Partial<Record<ProbeStage, number>>;
  prepared: PreparedTls;
  /** The board TLS library that ran the handshake, when not Node's OpenSSL. */
  stack?: StackReport;
}

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => {
      onTimeout();
      reject(Object.assign(new Error('timed out'), { code: 'timeout' }));
    }, ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}

function errorFields(e: unknown): FailureEvidence['error'] {
  const x = e as { code?: string | number; message?: string; syscall?: string; reason?: string };
  return { code: x?.code, message: x?.message, syscall: x?.syscall, reason: x?.reason };
}

/** The chain the broker sent (and, once verified, the local root), leaf first, each certificate once. */
export function peerChain(socket: TLSSocket): { entries: ChainEntry[]; top?: DetailedPeerCertificate } {
  const entries: ChainEntry[] = [];
  const seen = new Set<string>();
  let c: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  let top: DetailedPeerCertificate | undefined;
  while (c && c.fingerprint256 && !seen.has(c.fingerprint256)) {
    seen.add(c.fingerprint256);
    top = c;
    entries.push({
      subject: dn(c.subject),
      issuer: dn(c.issuer),
      commonName: firstCn(c.subject) ?? dn(c.subject),
      validFrom: c.valid_from,
      validTo: c.valid_to,
      fingerprint256: c.fingerprint256,
    });
    c = c.issuerCertificate;
  }
  return { entries, top };
}

type Dn = Record<string, string | string[] | undefined> | undefined;
function dn(n: Dn): string {
  return Object.entries(n ?? {})
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}
function firstCn(n: Dn): string | undefined {
  const cn = n?.['CN'];
  return Array.isArray(cn) ? cn[0] : cn;
}

/** What every failure report of a connection attempt starts from: what was asked and offered. */
export function baseEvidence(
  s: ConnectionSettings,
  material: TlsMaterial,
  stage: FailureEvidence['stage'],
): FailureEvidence {
  return {
    stage,
    host: s.host,
    port: s.port,
    clientCertOffered: !!material.cert,
    alpnOffered: s.alpn,
    target: s.target,
    mqttVersion: s.mqttVersion,
    servername: s.servername || undefined,
    usernameGiven: !!s.username,
  };
}

/** The absolute time (ms since the epoch) by which the whole attempt must be over. */
export function deadlineFor(s: ConnectionSettings): number {
  return Date.now() + s.timeoutMs;
}

/** Milliseconds left until `deadline`, never negative. */
export function remaining(deadline: number): number {
  return Math.max(0, deadline - Date.now());
}

/**
 * OpenSSL's verdict on the broker's chain while the handshake is still running: Node keeps it on the
 * native handle, and only copies it to `authorizationError` once the handshake is over.
 */
function chainErrorNow(socket: TLSSocket): string | undefined {
  const handle = (socket as unknown as { _handle?: { verifyError?: () => Error | null } })._handle;
  const e = handle?.verifyError?.();
  return e ? String((e as NodeJS.ErrnoException).code ?? e.message) : undefined;
}

interface PeerVerdict {
  /** The one code that explains the failure (a chain code, or ERR_TLS_CERT_ALTNAME_INVALID). */
  problem?: string;
  /** OpenSSL's chain verification error, if any. */
  chainError?: string;
}

/**
 * DNS, then TCP, then TLS, all within one deadline; rejects with a StageFailure that explainFailure
 * turns into one code. The broker's certificate is checked during the handshake, before this side
 * sends its client certificate, so the device's identity is never shown to a server we do not trust.
 */
export async function openTls(
  s: ConnectionSettings,
  material: TlsMaterial,
  deadline = deadlineFor(s),
): Promise<OpenConnection> {
  const start = Date.now();
  const timings: Partial<Record<ProbeStage, number>> = {};
  const base = baseEvidence(s, material, 'setup');
  let prepared: PreparedTls;
  try {
    prepared = prepareTls(material);
  } catch (e) {
    const msg = e instanceof EtlsError ? e.message : 'The local TLS files cannot be used';
    const fix = e instanceof EtlsError ? e.fix : undefined;
    throw new StageFailure(
      { ...base, stage: 'setup', error: { code: 'setup', message: `${msg}.`, reason: fix } },
      {},
    );
  }
  const facts = prepared.facts;
  timings.setup = Date.now() - start;

  let address = s.host;
  if (!isIP(s.host)) {
    try {
      address = (await withTimeout(lookup(s.host), remaining(deadline), () => {})).address;
    } catch (e) {
      throw new StageFailure({ ...base, stage: 'dns', error: errorFields(e) }, facts);
    }
  }
  timings.dns = Date.now() - start;

  const raw = netConnect({ host: address, port: s.port });
  try {
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        raw.once('connect', resolve);
        raw.once('error', reject);
      }),
      remaining(deadline),
      () => raw.destroy(),
    );
  } catch (e) {
    raw.destroy();
    throw new StageFailure({ ...base, stage: 'tcp', error: errorFields(e) }, facts);
  }
  raw.removeAllListeners('error');
  raw.setNoDelay(true);
  timings.tcp = Date.now() - start;

  if (s.stack && isEngine(s.stack)) {
    try {
      const b = await openBoardTls(s.stack, s, prepared, raw, base, remaining(deadline));
      timings.tls = Date.now() - start;
      return { socket: b.stream, raw, address, tls: b.tls, facts, timings, prepared, stack: b.stack };
    } catch (e) {
      if (e instanceof BoardTlsFailure) throw new StageFailure(e.evidence, e.facts);
      throw e;
    }
  }

  const emu = s.target ? tlsEmulation(s.target) : undefined;
  // The name the certificate must carry; SNI only ever carries a host name, never an IP (RFC 6066).
  const checkName = s.servername || s.host;
  const sni = emu?.noSni || isIP(checkName) ? undefined : checkName;
  let socket: TLSSocket;
  try {
    const options: ConnectionOptions & { requestOCSP: boolean } = {
      socket: raw,
      servername: sni,
      ALPNProtocols: s.alpn?.length ? s.alpn : undefined,
      ca: prepared.ca,
      cert: prepared.cert,
      key: prepared.key,
      minVersion: s.minVersion ?? emu?.minVersion,
      maxVersion: s.maxVersion ?? emu?.maxVersion,
      ciphers: emu?.ciphers,
      // Verified by `judge` below, with the name we dialled: Node's own check would use "localhost"
      // for a socket opened by IP, and would only run once the client certificate had been sent.
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
      // The status callback is OpenSSL's last word before the client's second flight (its Certificate
      // message): the one place the connection can still be dropped without showing who we are.
      // (tls.connect passes it to the TLSSocket; @types/node lists it only there.)
      requestOCSP: true,
    };
    socket = tlsConnect(options);
  } catch (e) {
    raw.destroy();
    // createSecureContext throws synchronously when no offered cipher is known to OpenSSL.
    throw new StageFailure({ ...base, stage: 'tls', error: errorFields(e) }, facts);
  }
  const judge = (chainError: string | undefined): PeerVerdict => {
    const { top } = peerChain(socket);
    const leaf = socket.getPeerCertificate(false);
    facts.chainRootIssuer = top ? (firstCn(top.issuer) ?? dn(top.issuer)) : undefined;
    facts.serverValidFrom = leaf.valid_from;
    facts.serverValidTo = leaf.valid_to;
    facts.serverNames = serverNames(leaf.subjectaltname, firstCn(leaf.subject));
    const identityError = leaf.raw ? checkServerIdentity(checkName, leaf) : undefined;
    return {
      chainError,
      problem: chainError ?? (identityError ? 'ERR_TLS_CERT_ALTNAME_INVALID' : undefined),
    };
  };
  let refused: PeerVerdict | undefined;
  socket.once('OCSPResponse', () => {
    const v = judge(chainErrorNow(socket));
    if (v.problem && s.rejectUnauthorized) {
      refused = v;
      socket.destroy();
      raw.destroy();
    }
  });
  const refusal = (v: PeerVerdict) =>
    new StageFailure(
      {
        ...base,
        stage: 'tls',
        error: { code: v.problem, message: v.problem },
        authorizationError: v.chainError,
      },
      facts,
    );
  try {
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        socket.once('secureConnect', resolve);
        socket.once('error', reject);
        socket.once('close', () =>
          reject(Object.assign(new Error('closed during the TLS handshake'), { code: 'ECONNRESET' })),
        );
      }),
      remaining(deadline),
      () => socket.destroy(),
    );
  } catch (e) {
    socket.destroy();
    if (refused) throw refusal(refused);
    throw new StageFailure(
      { ...base, stage: 'tls', error: errorFields(e), bytesFromServer: raw.bytesRead },
      facts,
    );
  }
  socket.removeAllListeners('close');
  socket.removeAllListeners('error');
  timings.tls = Date.now() - start;

  // Checked again now the handshake is over: the verdict must not depend on the status callback having run.
  const verdict = judge(socket.authorizationError ? String(socket.authorizationError) : undefined);
  const problem = verdict.problem;
  if (problem && s.rejectUnauthorized) {
    socket.destroy();
    throw refusal(verdict);
  }
  const { entries, top } = peerChain(socket);
  const cipher = socket.getCipher();
  const tls: TlsSessionInfo = {
    protocol: socket.getProtocol() ?? 'unknown',
    cipher: cipher?.standardName ?? cipher?.name ?? 'unknown',
    alpn: socket.alpnProtocol || undefined,
    chain: entries,
    authorized: !problem,
    verifiedBy: problem ? undefined : verifiedBy(prepared, top),
  };
  return { socket, raw, address, tls, facts, timings, prepared };
}

function serverNames(san: string | undefined, cn: string | undefined): string[] {
  const names = (san ?? '')
    .split(/,\s*/)
    .map((x) => x.replace(/^(DNS|IP Address):/, ''))
    .filter(Boolean);
  return names.length ? names : cn ? [cn] : [];
}

/** Which local CA certificate anchors the verified chain, for the TLS details. */
function verifiedBy(p: PreparedTls, top: DetailedPeerCertificate | undefined): string {
  if (!p.caCerts.length) return "this computer's default roots";
  const ca = top?.raw ? p.caCerts.find((c) => c.raw.equals(top.raw)) : undefined;
  const anchor = ca ?? p.caCerts[0]!;
  return `${p.facts.caFile ?? 'CA file'}: ${commonName(anchor.subject)}`;
}
