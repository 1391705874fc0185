// TLS alert descriptions (RFC 5246 and RFC 8446, and the older ones OpenSSL still names), by number:
// the catalog's table for `etls explain`, and the names the probe gives the alerts a broker sends.
import type { HandTable } from './rows';

export const tlsAlertTable: HandTable = {
  library: 'tls-alert',
  versions: 'RFC 5246 / RFC 8446 AlertDescription',
  source: 'IANA TLS Alerts registry; RFC 8446 section 6',
  rows: [
    [0, 'close_notify', 'The peer closed the connection', 'peer-closed'],
    [10, 'unexpected_message', 'An inappropriate message was received', 'handshake'],
    [20, 'bad_record_mac', 'A record could not be authenticated', 'handshake'],
    [
      22,
      'record_overflow',
      'A record was too long (board buffers too small for the server records)',
      'memory',
    ],
    [
      40,
      'handshake_failure',
      'No acceptable set of security parameters (cipher suites, curves, versions)',
      'handshake',
    ],
    [
      42,
      'bad_certificate',
      'A certificate was corrupt or its signature did not verify',
      'client-cert-rejected',
    ],
    [43, 'unsupported_certificate', 'A certificate was of an unsupported type', 'client-cert-rejected'],
    [44, 'certificate_revoked', 'A certificate was revoked', 'client-cert-rejected'],
    [45, 'certificate_expired', 'A certificate expired or is not valid yet', 'server-expired'],
    [
      46,
      'certificate_unknown',
      'Another problem with a certificate made it unacceptable',
      'client-cert-rejected',
    ],
    [47, 'illegal_parameter', 'A handshake field was out of range or inconsistent', 'handshake'],
    [48, 'unknown_ca', 'The certificate chain does not lead to a CA the peer trusts', 'client-cert-rejected'],
    [49, 'access_denied', 'Valid certificate, but access was refused by policy', 'client-cert-rejected'],
    [50, 'decode_error', 'A message could not be decoded', 'handshake'],
    [
      51,
      'decrypt_error',
      'A handshake signature failed (often a key that does not match the certificate)',
      'key-mismatch',
    ],
    [70, 'protocol_version', 'The TLS version is not supported', 'handshake'],
    [71, 'insufficient_security', 'The server needs stronger cipher suites', 'handshake'],
    [80, 'internal_error', 'An internal error unrelated to the peer', 'other'],
    [86, 'inappropriate_fallback', 'An invalid version fallback', 'handshake'],
    [90, 'user_canceled', 'The handshake was cancelled', 'peer-closed'],
    [109, 'missing_extension', 'A mandatory extension was missing', 'handshake'],
    [110, 'unsupported_extension', 'An extension was not expected', 'handshake'],
    [112, 'unrecognized_name', 'The SNI server name is not known to the server', 'server-name'],
    [
      116,
      'certificate_required',
      'The server requires a client certificate and none was sent',
      'client-cert-rejected',
    ],
    [120, 'no_application_protocol', 'No ALPN protocol in common', 'handshake'],
    [
      21,
      'decryption_failed',
      'A record could not be decrypted (obsolete, from SSL 3.0/TLS 1.0)',
      'handshake',
    ],
    [30, 'decompression_failure', 'A record could not be decompressed (obsolete)', 'handshake'],
    [41, 'no_certificate', 'No certificate was sent (SSL 3.0 only)', 'client-cert-rejected'],
    [60, 'export_restriction', 'An export-grade parameter was refused (obsolete)', 'handshake'],
    [100, 'no_renegotiation', 'Renegotiation was refused', 'handshake'],
    [111, 'certificate_unobtainable', 'A certificate could not be fetched from its URL', 'handshake'],
    [113, 'bad_certificate_status_response', 'An OCSP response was invalid', 'handshake'],
    [114, 'bad_certificate_hash_value', 'A certificate hash did not match', 'handshake'],
    [115, 'unknown_psk_identity', 'The pre-shared key identity is not known', 'handshake'],
  ],
};

const names = new Map(tlsAlertTable.rows.map(([code, name]) => [code, name]));

/** The alert's name (`illegal_parameter` for 47), or `alert N` for a number no registry names. */
export function tlsAlertName(code: number): string {
  return names.get(code) ?? `alert ${code}`;
}
