// The TLS stage run by the board's own library (mbedTLS or BearSSL compiled to wasm) instead of
// Node's OpenSSL: same inputs, same OpenConnection out, and a failure carries the library's error.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { isIP, type Socket } from 'node:net';
import { rootCertificates } from 'node:tls';
import { handshakeOver, ChannelClosed, EngineFailure } from '../stacks/channel';
import { StackInternalError, TlsEngine } from '../stacks/engine';
import { applyStackOptions } from '../stacks/options';
import { stacks, type EngineId } from '../stacks/ids';
import {
  alertAsNodeCode,
  describeLibraryError,
  verifyFlagsAsNodeCode,
  type LibraryError,
} from '../stacks/libraryError';
import type { LocalFacts } from './explain';
import { commonName, type PreparedTls } from './tlsFiles';
import type { ChainEntry, ConnectionSettings, FailureEvidence, StackReport, TlsSessionInfo } from './types';

const libraryNames = { mbedtls: 'mbedTLS', bearssl: 'BearSSL', openssl: 'OpenSSL' } as const;

export class BoardTlsFailure extends Error {
  constructor(
    readonly evidence: FailureEvidence,
    readonly facts: LocalFacts,
  ) {
    super(evidence.error?.message ?? 'board TLS failed');
  }
}

const pemBlocks = (pem: string): Buffer[] =>
  [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) =>
    Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'),
  );

export interface BoardTlsResult {
  stream: import('../stacks/channel').BoardTlsStream;
  tls: TlsSessionInfo;
  stack: StackReport;
}

/**
 * The broker's chain as the library saw it, leaf first, for the same facts Node's path finds: who
 * issued it, its dates and names. Fills `facts`; returns the entries for the TLS details.
 */
function readChain(engine: TlsEngine, facts: LocalFacts): ChainEntry[] {
  let certs: X509Certificate[];
  try {
    certs = engine.peerChain().map((der) => new X509Certificate(der));
  } catch {
    return [];
  }
  const leaf = certs[0];
  const top = certs[certs.length - 1];
  if (!leaf || !top) return [];
  facts.chainRootIssuer = commonName(top.issuer);
  facts.serverValidFrom = leaf.validFrom;
  facts.serverValidTo = leaf.validTo;
  const sans = (leaf.subjectAltName ?? '')
    .split(/,\s*/)
    .map((x) => x.replace(/^(DNS|IP Address):/, ''))
    .filter(Boolean);
  facts.serverNames = sans.length ? sans : [commonName(leaf.subject)];
  return certs.map((c) => ({
    subject: c.subject.replace(/\n/g, ', '),
    issuer: c.issuer.replace(/\n/g, ', '),
    commonName: commonName(c.subject),
    validFrom: c.validFrom,
    validTo: c.validTo,
    fingerprint256: c.fingerprint256,
  }));
}

function stackReport(engine: TlsEngine, boardTimeMs: number | undefined): StackReport {
  const info = engine.info();
  const config = { ...info.config };
  if (boardTimeMs !== undefined) config['board-time'] = new Date(boardTimeMs).toISOString();
  return { id: engine.id, library: info.library, version: info.version, config };
}

/**
 * The handshake, run by the engine over the connected `raw` socket within `ms`. Rejects with a
 * BoardTlsFailure whose evidence the probe's explainer reads like Node's, plus `libraryError`.
 */
export async function openBoardTls(
  id: EngineId,
  s: ConnectionSettings,
  prepared: PreparedTls,
  raw: Socket,
  base: FailureEvidence,
  ms: number,
): Promise<BoardTlsResult> {
  const facts = prepared.facts;
  const internal = (e: unknown, stack?: StackReport) =>
    new BoardTlsFailure(
      {
        ...base,
        stage: 'tls',
        ...(stack ? { stack } : {}),
        error: { code: 'stack-internal-error', message: e instanceof Error ? e.message : String(e) },
      },
      facts,
    );
  let engine: TlsEngine;
  let stack: StackReport | undefined;
  try {
    engine = await TlsEngine.create(id, { boardTimeMs: s.boardTimeMs });
    const problem = applyStackOptions(engine, s.stackOptions ?? {});
    if (problem) throw new StackInternalError(problem);
    const cas = prepared.caCerts.length
      ? prepared.caCerts.map((c) => c.raw)
      : rootCertificates.map((p) => new X509Certificate(p).raw);
    for (const der of cas) engine.addCa(der);
    if (prepared.cert && prepared.key) {
      for (const der of pemBlocks(prepared.cert)) engine.addOwnCert(der);
      engine.setOwnKey(createPrivateKey(prepared.key).export({ type: 'pkcs8', format: 'der' }));
    }
    const name = s.servername || s.host;
    // A board given an IP address sets no host name (there is no SNI for an IP, RFC 6066).
    const started = engine.start(isIP(name) ? '' : name);
    stack = stackReport(engine, s.boardTimeMs);
    if (started < 0) throw new StackInternalError(`${engine.lastErrorText()} (${started})`);
  } catch (e) {
    raw.destroy();
    throw internal(e, stack);
  }
  try {
    const stream = await handshakeOver(engine, raw, ms);
    stack = stackReport(engine, s.boardTimeMs);
    const chain = readChain(engine, facts);
    const info = engine.info();
    return {
      stream,
      stack,
      tls: {
        protocol: info.tlsVersion ?? 'unknown',
        cipher: info.cipherSuite ?? 'unknown',
        alpn: info.alpn,
        chain,
        authorized: s.rejectUnauthorized,
        // The library does not say which CA anchored the chain; a CA file usually holds one.
        verifiedBy: `${
          prepared.caCerts.length
            ? `${facts.caFile ?? 'CA file'}${facts.caNames?.length === 1 ? `: ${facts.caNames[0]}` : ''}`
            : 'the default roots'
        } (${libraryNames[stacks[id].library]} ${info.version})`,
      },
    };
  } catch (e) {
    if (e instanceof EngineFailure || e instanceof ChannelClosed) readChain(engine, facts);
    if (e instanceof EngineFailure)
      throw new BoardTlsFailure(failureEvidence(id, e, base, stack, engine), facts);
    if (e instanceof ChannelClosed)
      throw new BoardTlsFailure(
        {
          ...base,
          stage: 'tls',
          stack,
          error: { code: e.code, message: e.message },
          bytesFromServer: e.bytesFromServer,
        },
        facts,
      );
    throw internal(e, stack);
  }
}

function failureEvidence(
  id: EngineId,
  e: EngineFailure,
  base: FailureEvidence,
  stack: StackReport | undefined,
  engine: TlsEngine,
): FailureEvidence {
  const desc = stacks[id];
  const library = desc.library === 'bearssl' ? 'bearssl' : 'mbedtls';
  const libraryError: LibraryError = describeLibraryError(
    library,
    desc.family,
    e.libraryCode,
    e.text,
    e.verifyFlags,
  );
  const ev: FailureEvidence = {
    ...base,
    stage: 'tls',
    stack,
    libraryError,
    bytesFromServer: e.bytesFromServer,
  };
  const name = libraryError.name ?? '';
  const inLimit = Number(stack?.config['in-content-len'] ?? 0);
  const largest = e.records?.largest ?? 0;
  let code: string | undefined;
  if (e.peerAlert !== undefined) {
    code = alertAsNodeCode[e.peerAlert] ?? 'ERR_SSL_ALERT';
    return { ...ev, error: { code, message: `SSL alert number ${e.peerAlert}` } };
  }
  const flagCode = verifyFlagsAsNodeCode(e.verifyFlags);
  if (/X509_CERT_VERIFY_FAILED/.test(name)) code = flagCode ?? 'CERT_UNTRUSTED';
  else if (/BR_ERR_X509_(NOT_TRUSTED|DN_MISMATCH|NOT_CA|BAD_SIGNATURE)$/.test(name))
    code = 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY';
  else if (name === 'BR_ERR_X509_EXPIRED')
    code = e.validity === 'not-yet-valid' ? 'CERT_NOT_YET_VALID' : 'CERT_HAS_EXPIRED';
  else if (name === 'BR_ERR_X509_BAD_SERVER_NAME') code = 'ERR_TLS_CERT_ALTNAME_INVALID';
  else if (e.records && !e.records.spokeTls) code = 'ERR_SSL_WRONG_VERSION_NUMBER';
  else if (/INVALID_RECORD|BAD_INPUT_DATA|BR_ERR_TOO_LARGE/.test(name) && inLimit && largest > inLimit)
    return {
      ...ev,
      recordTooLarge: { largest, limit: inLimit },
      error: { code: 'record-too-large', message: libraryError.text },
    };
  else if (/PROTOCOL_VERSION|UNSUPPORTED_VERSION|BAD_VERSION/.test(name))
    code = 'ERR_SSL_UNSUPPORTED_PROTOCOL';
  else if (/CIPHER|NO_USABLE|HANDSHAKE_FAILURE|BAD_HS_SERVER_HELLO|FEATURE_UNAVAILABLE/.test(name))
    code = 'ERR_SSL_NO_SHARED_CIPHER';
  else if (/CONN_EOF|PEER_CLOSE|BR_ERR_IO/.test(name)) code = 'ECONNRESET';
  void engine;
  return { ...ev, error: { code: code ?? name ?? String(e.libraryCode), message: libraryError.text } };
}
