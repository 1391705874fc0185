// A board library's error as the board prints it, named from the explain catalog, and the evidence
// the probe's explainer understands, so probe, panel and `etls explain` say one thing.
import { displayCode, entriesFor } from '../explain/catalog';
import type { LibraryError } from './ids';

export type { LibraryError } from './ids';

/** include/mbedtls/x509.h, identical in 2.28 and 3.6. */
const mbedtlsVerifyFlags: [number, string][] = [
  [0x01, 'MBEDTLS_X509_BADCERT_EXPIRED'],
  [0x02, 'MBEDTLS_X509_BADCERT_REVOKED'],
  [0x04, 'MBEDTLS_X509_BADCERT_CN_MISMATCH'],
  [0x08, 'MBEDTLS_X509_BADCERT_NOT_TRUSTED'],
  [0x10, 'MBEDTLS_X509_BADCRL_NOT_TRUSTED'],
  [0x20, 'MBEDTLS_X509_BADCRL_EXPIRED'],
  [0x40, 'MBEDTLS_X509_BADCERT_MISSING'],
  [0x80, 'MBEDTLS_X509_BADCERT_SKIP_VERIFY'],
  [0x100, 'MBEDTLS_X509_BADCERT_OTHER'],
  [0x200, 'MBEDTLS_X509_BADCERT_FUTURE'],
  [0x400, 'MBEDTLS_X509_BADCRL_FUTURE'],
  [0x800, 'MBEDTLS_X509_BADCERT_KEY_USAGE'],
  [0x1000, 'MBEDTLS_X509_BADCERT_EXT_KEY_USAGE'],
  [0x2000, 'MBEDTLS_X509_BADCERT_NS_CERT_TYPE'],
  [0x4000, 'MBEDTLS_X509_BADCERT_BAD_MD'],
  [0x8000, 'MBEDTLS_X509_BADCERT_BAD_PK'],
  [0x10000, 'MBEDTLS_X509_BADCERT_BAD_KEY'],
  [0x20000, 'MBEDTLS_X509_BADCRL_BAD_MD'],
  [0x40000, 'MBEDTLS_X509_BADCRL_BAD_PK'],
  [0x80000, 'MBEDTLS_X509_BADCRL_BAD_KEY'],
];

export function verifyFlagNames(flags: number): string[] {
  return mbedtlsVerifyFlags.filter(([bit]) => (flags & bit) !== 0).map(([, name]) => name);
}

/** The catalog's symbol for a library code, preferring the entry of this version. */
export function libraryErrorName(
  library: 'mbedtls' | 'bearssl',
  code: number,
  family: string,
): string | undefined {
  const entries = entriesFor(library, code);
  return (entries.find((e) => e.versions.split(',').includes(family)) ?? entries[0])?.name;
}

export function describeLibraryError(
  library: 'mbedtls' | 'bearssl',
  family: string,
  code: number,
  text: string,
  flags: number,
  during: 'handshake' | 'read' | 'write' = 'handshake',
): LibraryError {
  const name = libraryErrorName(library, code, family);
  const meaning = name ? entriesFor(library, code)[0]?.meaning : undefined;
  if (library === 'mbedtls') {
    const shown = displayCode({ library, code });
    return {
      library,
      code: shown,
      name,
      text: text || meaning || 'unknown error',
      ...(flags ? { verifyFlags: verifyFlagNames(flags) } : {}),
      line: `mbedtls_ssl_${during} returned ${shown}`,
    };
  }
  return {
    library,
    code,
    name,
    text: text || meaning || 'unknown error',
    line: `getLastSSLError() returned ${code}`,
  };
}

/**
 * TLS alert numbers (RFC 8446 6) to the codes Node's OpenSSL gives them, which the probe's explainer
 * already knows; the rest go by "SSL alert number N".
 */
export const alertAsNodeCode: Record<number, string> = {
  40: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
  42: 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  43: 'ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE',
  44: 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_REVOKED',
  45: 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED',
  46: 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN',
  48: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  49: 'ERR_SSL_TLSV1_ALERT_ACCESS_DENIED',
  51: 'ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR',
  70: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
  71: 'ERR_SSL_TLSV1_ALERT_INSUFFICIENT_SECURITY',
  116: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
  120: 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL',
};

/**
 * What the mbedTLS verify flags mean in the probe's terms (the codes Node's OpenSSL uses), most
 * fundamental first: a chain from an unknown CA is untrusted whatever the board's clock says.
 */
export function verifyFlagsAsNodeCode(flags: number): string | undefined {
  if (flags & (0x08 | 0x40)) return 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY';
  if (flags & 0x200) return 'CERT_NOT_YET_VALID';
  if (flags & 0x01) return 'CERT_HAS_EXPIRED';
  if (flags & 0x04) return 'ERR_TLS_CERT_ALTNAME_INVALID';
  return undefined;
}
