// BearSSL 0.6 error numbers (br_ssl_engine_last_error(), what an ESP8266 sketch prints with
// getLastSSLError()) in the probe's stable diagnosis codes. Names are the explain catalog's, which
// is generated from bearssl_ssl.h and bearssl_x509.h; the unit test holds each name to its number.
import type { DiagnosisCode } from '../mqtt/types';

/**
 * [number, catalog name, probe code, the code Node's OpenSSL gives the same failure]. The last
 * column is there only where OpenSSL has an exact equivalent, so the probe's explainer can word
 * the message as it does for the Node stack; the others go by the catalog's text.
 */
export const bearsslErrorTable: readonly (readonly [number, string, DiagnosisCode, string?])[] = [
  // The broker's chain, as br_x509_minimal judges it against the sketch's trust anchors.
  [62, 'BR_ERR_X509_NOT_TRUSTED', 'server-cert-untrusted', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'],
  [55, 'BR_ERR_X509_DN_MISMATCH', 'server-cert-untrusted', 'UNABLE_TO_GET_ISSUER_CERT'],
  [58, 'BR_ERR_X509_NOT_CA', 'server-cert-untrusted', 'INVALID_CA'],
  [52, 'BR_ERR_X509_BAD_SIGNATURE', 'server-cert-untrusted', 'CERT_SIGNATURE_FAILURE'],
  // An algorithm the board lacks (RSA-PSS, Ed25519, brainpool): the chain cannot be verified.
  [49, 'BR_ERR_X509_UNSUPPORTED', 'server-cert-untrusted'],
  [50, 'BR_ERR_X509_LIMIT_EXCEEDED', 'server-cert-untrusted'],
  [51, 'BR_ERR_X509_WRONG_KEY_TYPE', 'server-cert-untrusted'],
  [57, 'BR_ERR_X509_CRITICAL_EXTENSION', 'server-cert-untrusted'],
  [59, 'BR_ERR_X509_FORBIDDEN_KEY_USAGE', 'server-cert-untrusted'],
  [60, 'BR_ERR_X509_WEAK_PUBLIC_KEY', 'server-cert-untrusted'],
  [35, 'BR_ERR_X509_EMPTY_CHAIN', 'server-cert-untrusted'],
  [33, 'BR_ERR_X509_INVALID_VALUE', 'server-cert-untrusted'],
  [34, 'BR_ERR_X509_TRUNCATED', 'server-cert-untrusted'],
  [47, 'BR_ERR_X509_BAD_DN', 'server-cert-untrusted'],
  [48, 'BR_ERR_X509_BAD_TIME', 'server-cert-untrusted'],
  // One number for both directions (x509_minimal.t0); bearsslDiagnosis() splits it by the dates.
  [54, 'BR_ERR_X509_EXPIRED', 'server-cert-expired', 'CERT_HAS_EXPIRED'],
  [53, 'BR_ERR_X509_TIME_UNKNOWN', 'server-cert-not-yet-valid'],
  [56, 'BR_ERR_X509_BAD_SERVER_NAME', 'server-cert-hostname-mismatch', 'ERR_TLS_CERT_ALTNAME_INVALID'],
  // The handshake itself: nothing in common, or the broker's records do not fit the board.
  [3, 'BR_ERR_UNSUPPORTED_VERSION', 'handshake-failure', 'ERR_SSL_UNSUPPORTED_PROTOCOL'],
  [4, 'BR_ERR_BAD_VERSION', 'handshake-failure', 'ERR_SSL_UNSUPPORTED_PROTOCOL'],
  [16, 'BR_ERR_BAD_CIPHER_SUITE', 'handshake-failure', 'ERR_SSL_NO_SHARED_CIPHER'],
  [26, 'BR_ERR_INVALID_ALGORITHM', 'handshake-failure'],
  [18, 'BR_ERR_BAD_FRAGLEN', 'handshake-failure'],
  [6, 'BR_ERR_TOO_LARGE', 'handshake-failure'],
  [5, 'BR_ERR_BAD_LENGTH', 'handshake-failure'],
  [7, 'BR_ERR_BAD_MAC', 'handshake-failure'],
  [10, 'BR_ERR_UNEXPECTED', 'handshake-failure'],
  [14, 'BR_ERR_BAD_HANDSHAKE', 'handshake-failure'],
  [20, 'BR_ERR_EXTRA_EXTENSION', 'handshake-failure'],
  [21, 'BR_ERR_BAD_SNI', 'handshake-failure'],
  [23, 'BR_ERR_LIMIT_EXCEEDED', 'handshake-failure'],
  [24, 'BR_ERR_BAD_FINISHED', 'handshake-failure'],
  [27, 'BR_ERR_BAD_SIGNATURE', 'handshake-failure'],
  [28, 'BR_ERR_WRONG_KEY_USAGE', 'handshake-failure'],
  [31, 'BR_ERR_IO', 'handshake-failure'],
];

/** BR_ERR_RECV_FATAL_ALERT and BR_ERR_SEND_FATAL_ALERT: the alert number is added to these. */
export const BR_ERR_RECV_FATAL_ALERT = 256;
export const BR_ERR_SEND_FATAL_ALERT = 512;

/** Alerts the broker sends about the board's client certificate (RFC 8446 6.2). */
const clientCertAlerts = new Map<number, DiagnosisCode>([
  [42, 'client-cert-rejected'], // bad_certificate
  [43, 'client-cert-rejected'], // unsupported_certificate
  [44, 'client-cert-rejected'], // certificate_revoked
  [45, 'client-cert-rejected'], // certificate_expired
  [46, 'client-cert-rejected'], // certificate_unknown
  [48, 'client-cert-rejected'], // unknown_ca
  [49, 'client-cert-rejected'], // access_denied
  [51, 'client-cert-rejected'], // decrypt_error
  [116, 'client-cert-required'], // certificate_required
]);

export interface BearsslDiagnosis {
  code: DiagnosisCode;
  /** The catalog's symbol, e.g. BR_ERR_X509_NOT_TRUSTED, or BR_ERR_RECV_FATAL_ALERT for alerts. */
  name: string;
  nodeCode?: string;
  /** For 256+N and 512+N: the TLS alert, and who sent it. */
  alert?: { number: number; sentBy: 'broker' | 'board' };
}

export interface BearsslContext {
  /** From the engine's etls_info after a 54: which way the certificate's dates failed. */
  validity?: 'not-yet-valid' | 'expired';
  /** Whether the board had a client certificate to send. */
  clientCertOffered?: boolean;
  /** Bytes the broker sent before its alert: more than one alert record means it got past its hello. */
  bytesFromServer?: number;
}

/** A TLS record holding one alert (5-byte header + 2), what a broker that refused the hello sends. */
const ALERT_ONLY_BYTES = 7;

/** The probe code for a BearSSL number; undefined for numbers that are not failures BearSSL reports. */
export function bearsslDiagnosis(err: number, c: BearsslContext = {}): BearsslDiagnosis | undefined {
  if (err >= BR_ERR_RECV_FATAL_ALERT && err < BR_ERR_RECV_FATAL_ALERT + 256) {
    const number = err - BR_ERR_RECV_FATAL_ALERT;
    const alert = { number, sentBy: 'broker' as const };
    const name = 'BR_ERR_RECV_FATAL_ALERT';
    const certAlert = clientCertAlerts.get(number);
    if (certAlert) return { code: certAlert, name, alert };
    // handshake_failure is also what a TLS 1.2 broker sends when it asked for a certificate (so it
    // got past its hello) and got none; the Node probe's explainer decides the same way.
    if (number === 40 && c.clientCertOffered === false && (c.bytesFromServer ?? 0) > ALERT_ONLY_BYTES)
      return { code: 'client-cert-required', name, alert, nodeCode: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' };
    return { code: 'handshake-failure', name, alert };
  }
  if (err >= BR_ERR_SEND_FATAL_ALERT && err < BR_ERR_SEND_FATAL_ALERT + 256)
    return {
      code: 'handshake-failure',
      name: 'BR_ERR_SEND_FATAL_ALERT',
      alert: { number: err - 512, sentBy: 'board' },
    };
  const row = bearsslErrorTable.find(([n]) => n === err);
  if (!row) return undefined;
  const [, name, code, nodeCode] = row;
  if (err === 54 && c.validity === 'not-yet-valid')
    return { code: 'server-cert-not-yet-valid', name, nodeCode: 'CERT_NOT_YET_VALID' };
  return { code, name, ...(nodeCode ? { nodeCode } : {}) };
}
