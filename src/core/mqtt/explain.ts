// Turns what a connection attempt saw into exactly one stable code, a plain sentence and a fix.
// Over 300 lines: explainFailure is one ordered list of rules over the same evidence, first match wins;
// the alert names come from ../explain/tlsAlerts.ts, shared with `etls explain`.
import { tlsAlertName, tlsAlertTable } from '../explain/tlsAlerts';
import type { Diagnosis, DiagnosisCode, FailureEvidence, ProbeStage } from './types';

/** Facts found by reading the local files and the broker's chain; they make the fix concrete. */
export interface LocalFacts {
  caFile?: string;
  /** Common names (or subjects) of the certificates in the CA file. */
  caNames?: string[];
  /** Issuer of the top certificate the broker sent: the root it chains to. */
  chainRootIssuer?: string;
  /** Names the server certificate is valid for (SAN DNS/IP entries, else its CN). */
  serverNames?: string[];
  serverValidFrom?: string;
  serverValidTo?: string;
  clientCertFile?: string;
  clientCertName?: string;
  clientCertIssuer?: string;
  /** The client certificate's issuer is a CA in the CA file (a common way to set up a dev broker). */
  clientCertIssuerInCaFile?: boolean;
}

const dnsCodes = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA']);
const notTlsCodes = new Set([
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  'ERR_SSL_UNKNOWN_PROTOCOL',
  'ERR_SSL_HTTP_REQUEST',
  'ERR_SSL_RECORD_LAYER_FAILURE',
]);
const clientCertAlerts = new Set([
  'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN',
  'ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_REVOKED',
  'ERR_SSL_TLSV1_ALERT_ACCESS_DENIED',
  'ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR',
]);
const handshakeCodes = new Set([
  'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
  'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
  'ERR_SSL_UNSUPPORTED_PROTOCOL',
  'ERR_SSL_NO_PROTOCOLS_AVAILABLE',
  'ERR_SSL_NO_SHARED_CIPHER',
  'ERR_SSL_NO_CIPHERS_AVAILABLE',
  'ERR_SSL_NO_CIPHER_MATCH',
  'ERR_SSL_TLSV1_ALERT_INSUFFICIENT_SECURITY',
  'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL',
  'ERR_SSL_VERSION_TOO_LOW',
]);

/**
 * The TLS alert the broker sent, from OpenSSL's error: "SSL alert number 47" in the message, or the
 * reason in the code (ERR_SSL_SSLV3_ALERT_ILLEGAL_PARAMETER, ERR_SSL_TLSV1_UNRECOGNIZED_NAME).
 */
export function tlsAlert(error: FailureEvidence['error']): { name: string; number?: number } | undefined {
  const n = /SSL alert number (\d+)/i.exec(error?.message ?? '');
  if (n) {
    const number = Number(n[1]);
    return { name: tlsAlertName(number), number };
  }
  const m = /^ERR_SSL_(?:SSLV3_|TLSV1_|TLSV13_)(?:ALERT_)?(.+)$/.exec(String(error?.code ?? ''));
  if (!m) return undefined;
  const name = m[1]!.toLowerCase();
  const row = tlsAlertTable.rows.find(([, v]) => v === name);
  return row ? { name, number: row[0] } : undefined;
}

/** What a firmware developer should check for an alert that names no cipher, certificate or version problem. */
function alertFix(name: string, e: FailureEvidence): string {
  const sni = e.servername ?? e.host;
  if (['illegal_parameter', 'unrecognized_name', 'decode_error', 'missing_extension'].includes(name))
    return `Check the broker host name${sni ? ` ("${sni}")` : ''}: a TLS server sends this alert when it does not serve the name in the TLS hello (SNI), or cannot accept the hello as sent. Dial the exact endpoint name (AWS IoT: <prefix>-ats.iot.<region>.amazonaws.com), or set the server name.`;
  if (name === 'internal_error')
    return 'The broker failed on its side; its log says why. Try again, and check its certificate and key configuration.';
  return 'The broker log says why it sent this alert; `openssl s_client -connect host:port -servername NAME` shows the same handshake.';
}
const untrustedCodes = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_CHAIN_TOO_LONG',
  'INVALID_CA',
  'CERT_REJECTED',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
]);

/** A TLS record header is 5 bytes and an alert body 2: a server that sent no more than that only said no. */
const ALERT_ONLY_BYTES = 7;

function d(code: DiagnosisCode, stage: ProbeStage, message: string, fix: string): Diagnosis {
  return { code, stage, message, fix };
}

function where(e: FailureEvidence): string {
  return e.host !== undefined && e.port !== undefined ? `${e.host}:${e.port}` : 'the broker';
}

function list(names: string[] | undefined): string {
  return names && names.length ? names.map((n) => `"${n}"`).join(', ') : 'nothing';
}

/** Explains a verification failure of the broker's certificate (rejectUnauthorized on). */
export function explainServerCertificate(
  code: string,
  e: FailureEvidence,
  f: LocalFacts = {},
): Diagnosis | undefined {
  if (code === 'CERT_HAS_EXPIRED')
    return d(
      'server-cert-expired',
      'tls',
      `The broker's certificate expired${f.serverValidTo ? ` on ${f.serverValidTo}` : ''}.`,
      "Renew the broker's certificate (or check this computer's clock). A board with a correct clock will refuse it too.",
    );
  if (code === 'CERT_NOT_YET_VALID')
    return d(
      'server-cert-not-yet-valid',
      'tls',
      `The broker's certificate is not valid yet${f.serverValidFrom ? `: it starts on ${f.serverValidFrom}` : ''}.`,
      "Check this computer's clock and the broker's; when issuing certificates, backdate notBefore a little. On a board, set the clock (SNTP) before connecting.",
    );
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH')
    return d(
      'server-cert-hostname-mismatch',
      'tls',
      e.servername && e.servername !== e.host
        ? `The broker's certificate is for ${list(f.serverNames)}, not for the server name "${e.servername}" (set instead of the host ${e.host ?? ''}).`
        : `The broker's certificate is for ${list(f.serverNames)}, not for "${e.host ?? 'the host you dialled'}".`,
      'Connect with a name the certificate lists (or set the SNI server name to it), or reissue the server certificate with this host in its subjectAltName. An IP address must be listed as an IP SAN.',
    );
  if (untrustedCodes.has(code)) {
    const root = f.chainRootIssuer;
    const caNames = f.caNames;
    let fix = "Use the CA certificate that issued the broker's chain as your CA file.";
    if (root && caNames?.length)
      fix = `The broker's chain is issued by "${root}", but your CA file${f.caFile ? ` (${f.caFile})` : ''} holds ${list(caNames)}. Use the "${root}" certificate as the CA file${/amazon/i.test(root) ? ' (AWS IoT: Amazon Root CA 1 for RSA, Amazon Root CA 3 for ECC; the old VeriSign/Symantec roots are retired)' : ''}.`;
    else if (root && !f.caFile)
      fix = `The broker's chain is issued by "${root}", which this computer's default roots do not trust. Pass that root with --ca / the CA field.`;
    return d(
      'server-cert-untrusted',
      'tls',
      `The broker's certificate is not signed by a CA you trust (${code}).`,
      fix,
    );
  }
  return undefined;
}

/** Exactly one code for what happened; `e.stage` is where it happened. */
export function explainFailure(e: FailureEvidence, f: LocalFacts = {}): Diagnosis {
  const code = e.error?.code !== undefined ? String(e.error.code) : undefined;
  const board = explainBoardStack(e, f);
  if (board) return board;
  const at = where(e);

  if (e.stage === 'setup')
    return d(
      'local-files-invalid',
      'setup',
      e.error?.message ?? 'The local TLS files cannot be used.',
      e.error?.reason ?? 'Check the file paths, formats and pass phrase.',
    );

  if (e.stage === 'done' && !code)
    return d('ok', 'done', `Connected to ${at} over TLS and MQTT.`, 'Nothing to fix.');

  // A resolver that never answers is, for the user, a name that does not resolve.
  if ((code && dnsCodes.has(code)) || (e.stage === 'dns' && code === 'timeout'))
    return d(
      'dns-not-found',
      'dns',
      `The name "${e.host ?? ''}" could not be resolved${code === 'EAI_AGAIN' || code === 'timeout' ? ' (no answer from DNS)' : ''}.`,
      'Check the spelling of the broker host (AWS IoT: <prefix>-ats.iot.<region>.amazonaws.com) and that this computer has a working DNS.',
    );

  // Alerts can arrive after the handshake looked finished (TLS 1.3 checks the client certificate late),
  // so TLS codes are matched before the stage.
  if (code === 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED') return clientCertMissingOrRejected(e, f);
  if (code && clientCertAlerts.has(code)) return clientCertMissingOrRejected(e, f);
  if (
    code === 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' &&
    (e.bytesFromServer ?? 0) > ALERT_ONLY_BYTES &&
    !e.clientCertOffered
  )
    return clientCertMissingOrRejected(e, f);
  if (code && handshakeCodes.has(code)) {
    const alert = tlsAlert(e.error);
    const alertNote = alert ? ` (alert ${alert.name})` : '';
    const alpn = code === 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL';
    return d(
      'handshake-failure',
      'tls',
      alpn
        ? `The broker refused the ALPN protocol offered (${list(e.alpnOffered)}).`
        : `The TLS handshake with ${at} failed: no cipher suite or TLS version in common${e.target ? ` with what ${e.target} supports` : ''}${alertNote}.`,
      alpn
        ? 'Offer the protocol the broker expects (AWS IoT on port 443: x-amzn-mqtt-ca), or none on port 8883.'
        : e.target
          ? `The broker does not accept any suite the ${e.target} offers. Enable one of the board's suites on the broker (see the target's cipher list), or use a broker endpoint that supports them.`
          : 'Widen the TLS version range or cipher list on one side; `openssl s_client -connect host:port -tls1_2` shows what the broker accepts.',
    );
  }
  const alert = code ? tlsAlert(e.error) : undefined;
  if (alert && alert.name !== 'close_notify')
    return d(
      'handshake-failure',
      'tls',
      `${at} ended the TLS connection with the alert ${alert.name}${alert.number !== undefined ? ` (${alert.number})` : ''}.`,
      alertFix(alert.name, e),
    );
  if (code && notTlsCodes.has(code))
    return d(
      'not-tls',
      'tls',
      `${at} answered, but not with TLS: it is probably a plain MQTT port.`,
      'Use the TLS port (usually 8883; 1883 is plain MQTT), or enable a TLS listener on the broker.',
    );

  if (e.stage === 'tls' && code && untrustedCodes.has(code)) return explainServerCertificate(code, e, f)!;
  if (e.stage === 'tls' && code) {
    const server = explainServerCertificate(code, e, f);
    if (server) return server;
  }

  if (code === 'ETIMEDOUT' || code === 'timeout') {
    if (e.stage === 'subscribe' || e.stage === 'publish')
      return d(
        'timeout',
        e.stage,
        e.stage === 'subscribe'
          ? `${at} accepted the MQTT connection, then never answered the test SUBSCRIBE within the time limit.`
          : `${at} granted the test subscription, but the test message did not come back within the time limit.`,
        e.stage === 'subscribe'
          ? 'The broker stopped answering after CONNACK: check its log and load, and that no proxy holds the traffic. --no-round-trip checks the connection alone.'
          : 'The broker may drop messages this client may not publish (an ACL or policy); check its log. --no-round-trip checks the connection alone.',
      );
    return d(
      'timeout',
      e.stage,
      e.stage === 'tcp'
        ? `No answer from ${at} within the time limit: nothing answered the TCP connection.`
        : e.stage === 'tls'
          ? `${at} accepted the TCP connection but never answered the TLS hello.`
          : `${at} finished TLS but never answered the MQTT CONNECT within the time limit.`,
      e.stage === 'tcp'
        ? 'Check the host and port, and that no firewall drops the traffic.'
        : "Check that this port is the broker's TLS MQTT listener, not another service; a proxy in between may be swallowing the traffic.",
    );
  }

  if (code === 'packet-too-large' || code === 'packet-malformed') {
    const big = e.packetTooLarge;
    return d(
      'mqtt-protocol-error',
      e.stage,
      big
        ? `${at} announced an MQTT packet of ${big.announced.toLocaleString('en')} bytes, over the ${big.limit.toLocaleString('en')}-byte limit, so the connection was closed before reading it.`
        : `${at} sent bytes that are not valid MQTT${e.error?.message ? ` (${e.error.message})` : ''}, so the connection was closed.`,
      "Check that this port is an MQTT broker's TLS listener and not another service; a real broker that sends this is broken or hostile.",
    );
  }

  if (e.stage === 'tcp' || (e.stage === 'dns' && code)) {
    if (code === 'ECONNREFUSED')
      return d(
        'connection-refused',
        'tcp',
        `Nothing is listening on ${at}.`,
        'Check the port (8883 for MQTT over TLS) and that the broker is running and listening on this address.',
      );
    return d(
      'connection-refused',
      'tcp',
      `No TCP connection to ${at} (${code ?? e.error?.message ?? 'unknown error'}).`,
      'Check the host, the port and the network route to the broker.',
    );
  }

  if (e.stage === 'tls' && !e.tlsEstablished && (e.bytesFromServer ?? 0) === 0)
    return d(
      'not-tls',
      'tls',
      `${at} closed the connection when it received the TLS hello, without a TLS answer: it is probably a plain MQTT port.`,
      'Use the TLS port (usually 8883; 1883 is plain MQTT), or enable a TLS listener on the broker.',
    );

  if (e.stage === 'mqtt' && e.connackCode !== undefined)
    return explainConnack(e.connackCode, e.mqttVersion ?? 3, at);

  if (e.closedWithoutConnack || (e.stage === 'mqtt' && e.tlsEstablished)) {
    const on443 = e.port === 443 && !e.alpnOffered?.length;
    return d(
      'mqtt-not-authorized',
      'mqtt',
      `The TLS handshake succeeded, then ${at} closed the connection without answering the MQTT CONNECT.`,
      (on443
        ? 'On port 443 AWS IoT speaks MQTT only when the client offers ALPN "x-amzn-mqtt-ca": set it. Otherwise: '
        : '') +
        'on AWS IoT this means the certificate is not activated, or has no policy attached that allows iot:Connect for this client id. Other brokers close like this when an ACL or plugin refuses the client; check the broker log.',
    );
  }

  if (e.stage === 'tls')
    return d(
      'handshake-failure',
      'tls',
      `The TLS handshake with ${at} failed${code ? ` (${code})` : ''}.`,
      'Check the TLS version range, cipher list and certificates; the broker log usually says which side gave up.',
    );

  return d(
    'mqtt-refused',
    e.stage,
    `The connection to ${at} failed${code ? ` (${code})` : ''}.`,
    'Try again; check the broker log.',
  );
}

/** The outcomes only a board's own TLS library produces. */
function explainBoardStack(e: FailureEvidence, f: LocalFacts): Diagnosis | undefined {
  const lib = e.stack ? `${e.stack.library} ${e.stack.version}` : 'the board stack';
  const boardTime = e.stack?.config['board-time'];
  if (e.error?.code === 'CERT_NOT_YET_VALID' && typeof boardTime === 'string')
    return d(
      'server-cert-not-yet-valid',
      'tls',
      `The board's clock says ${boardTime}, before the broker's certificate starts${f.serverValidFrom ? ` (${f.serverValidFrom})` : ''}: ${lib} refuses it as not yet valid.`,
      "Set the board's clock before connecting (SNTP: configTime() on Arduino, esp_sntp on ESP-IDF) and wait until it is set; a board that boots at 1970 refuses every certificate.",
    );
  if (e.error?.code === 'stack-internal-error')
    return d(
      'stack-internal-error',
      e.stage,
      `The board TLS library (${lib}) could not run: ${e.error.message ?? 'internal error'}.`,
      'This is a fault of etls, not of the broker or your files: report it, and probe with --stack node meanwhile.',
    );
  if (e.recordTooLarge)
    return d(
      'tls-record-too-large',
      'tls',
      `The broker sent a TLS record of ${e.recordTooLarge.largest.toLocaleString('en')} bytes; ${lib} built with in-content-len ${e.recordTooLarge.limit.toLocaleString('en')} accepts no more, so the board's handshake fails here.`,
      `Raise the board's incoming buffer to 16384 (ESP-IDF: CONFIG_MBEDTLS_SSL_IN_CONTENT_LEN, menuconfig → Component config → mbedTLS → TLS maximum incoming fragment length), or make the broker send smaller records: a shorter chain (ECDSA instead of RSA, no extra intermediates), or max_fragment_length if the broker supports it.`,
    );
  return undefined;
}

function clientCertMissingOrRejected(e: FailureEvidence, f: LocalFacts): Diagnosis {
  if (!e.clientCertOffered)
    return d(
      'client-cert-required',
      'tls',
      `${e.host ?? 'The broker'} requires a client certificate, and none was given.`,
      'Set the client certificate and its private key (--cert and --key). AWS IoT and most brokers on 8883 authenticate devices by certificate.',
    );
  const who = f.clientCertName ? `"${f.clientCertName}"` : 'Your client certificate';
  const issuer = f.clientCertIssuer ? `, issued by "${f.clientCertIssuer}",` : '';
  return d(
    'client-cert-rejected',
    'tls',
    `The broker rejected the client certificate (${e.error?.code ?? 'bad certificate'}).`,
    `${who}${issuer} is not signed by a CA this broker trusts${f.clientCertIssuerInCaFile === false && f.caNames?.length ? ` (your CA file holds ${list(f.caNames)})` : ''}. Issue the device certificate from the CA the broker trusts, or register its CA with the broker (AWS IoT: register the CA or the certificate, and activate it).`,
  );
}

/** CONNACK codes of MQTT 3.1.1 (1-5) and MQTT 5 (0x80 and up). */
export function explainConnack(rc: number, version: 3 | 5, at = 'the broker'): Diagnosis {
  const refused = `${at} refused the MQTT connection`;
  if (rc === 1 || rc === 0x84)
    return d(
      'mqtt-unsupported-protocol',
      'mqtt',
      `${refused}: it does not support this MQTT protocol version.`,
      `Switch the MQTT version (this attempt used ${version === 5 ? '5' : '3.1.1'}); AWS IoT and most boards' stacks speak 3.1.1.`,
    );
  if (rc === 2 || rc === 0x85)
    return d(
      'mqtt-identifier-rejected',
      'mqtt',
      `${refused}: the client id was rejected.`,
      'Use a non-empty client id the broker allows (AWS IoT: one allowed by the policy, often the thing name; Azure IoT Hub: the device id).',
    );
  if (rc === 4 || rc === 0x86 || rc === 0x8c)
    return d(
      'mqtt-bad-credentials',
      'mqtt',
      `${refused}: bad user name or password.`,
      'Check the user name and password (Azure IoT Hub: username <hub>.azure-devices.net/<deviceId>/?api-version=2021-04-12 and a SAS token as password). A broker that takes the user name from the client certificate (mosquitto use_identity_as_username) refuses like this when no certificate arrived: send one, and have the broker ask for it (require_certificate true).',
    );
  if (rc === 5 || rc === 0x87 || rc === 0x8a)
    return d(
      'mqtt-not-authorized',
      'mqtt',
      `${refused}: not authorized.`,
      'Give credentials the broker accepts, or allow this client on the broker (mosquitto: allow_anonymous, password_file, or use_identity_as_username with a client certificate; AWS IoT: attach a policy).',
    );
  return d(
    'mqtt-refused',
    'mqtt',
    `${refused} (reason code ${rc}).`,
    rc === 3 || rc === 0x88 || rc === 0x89
      ? 'The broker is busy or unavailable; try again later.'
      : 'Check the broker log for the reason.',
  );
}
