// The error catalog: the generated tables (mbedTLS, BearSSL, wolfSSL) and the hand-written ones, as entries.
import type { AdviceKind } from './advice';
import bearsslTable from './catalog/bearssl.json';
import mbedtlsTable from './catalog/mbedtls.json';
import wolfsslTable from './catalog/wolfssl.json';
import { handTables } from './handTables';

/** The libraries `etls explain` knows; the ids are what --json reports and `library:CODE` accepts. */
export type LibraryId =
  | 'mbedtls'
  | 'bearssl'
  | 'wolfssl'
  | 'simplelink'
  | 'esp-tls'
  | 'pubsubclient'
  | 'arduinomqttclient'
  | 'coremqtt'
  | 'mqtt'
  | 'mqtt5'
  | 'tls-alert'
  | 'openssl'
  | 'mosquitto'
  | 'etls-probe';

export interface CatalogEntry {
  library: LibraryId;
  /** The versions the entry holds for, e.g. "2.28,3.6". */
  versions: string;
  code: number;
  name: string;
  meaning: string;
  kind: AdviceKind;
}

type GeneratedRow = [number, string, string, string];

/** Kinds for the generated tables' names; first match wins. */
const kindRules: [RegExp, AdviceKind][] = [
  [/CERTIFICATE_VERIFICATION_WITHOUT_HOSTNAME|UNRECOGNIZED_NAME|BR_ERR_BAD_SNI/, 'server-name'],
  [/NET_RECV_FAILED|NET_SEND_FAILED|SOCKET_NODATA|SOCKET_FILTERED_E/, 'peer-closed'],
  [/NO_CLIENT_CERTIFICATE|BAD_HS_CERTIFICATE_VERIFY/, 'client-cert-rejected'],
  [/CERTIFICATE_TOO_LARGE|LIMIT_EXCEEDED|BR_ERR_OVERSIZED_ID/, 'memory'],
  [
    /X509_SIG_MISMATCH|PK_UNKNOWN_NAMED_CURVE|PK_INVALID_PUBKEY|X509_WRONG_KEY_TYPE|X509_FORBIDDEN_KEY_USAGE|X509_WEAK_PUBLIC_KEY|WRONG_KEY_USAGE|X509_TRUNCATED|X509_NOT_CONSTRUCTED|X509_NOT_PRIMITIVE/,
    'cert-format',
  ],
  [
    /VERSION_MISMATCH|UNKNOWN_CIPHER|BAD_HS_(CLIENT|SERVER)_|BAD_HS_CHANGE_CIPHER_SPEC|BAD_HS_FINISHED|BAD_FINISHED|BAD_HANDSHAKE|BAD_HELLO|SUITES_ERROR|UNSUPPORTED_SUITE|UNSUPPORTED_PROTO_VERSION|INVALID_ALGORITHM|DECODE_ERROR|UNEXPECTED_MESSAGE|BR_ERR_BAD_MAC|INVALID_MAC/,
    'handshake',
  ],
  [/X509_CERT_VERIFY_FAILED|SSL_PEER_VERIFY_FAILED/, 'verify-failed'],
  [
    /X509_NOT_TRUSTED|ASN_NO_SIGNER_E|SSL_CA_CHAIN_REQUIRED|X509_NOT_CA|ASN_SELF_SIGNED_E|BAD_CERTTYPE/,
    'server-untrusted',
  ],
  [/X509_EXPIRED|ASN_(AFTER|BEFORE)_DATE_E|X509_TIME_CHECK/, 'server-expired'],
  [/X509_BAD_SERVER_NAME|DOMAIN_NAME_MISMATCH|IPADDR_MISMATCH/, 'server-name'],
  [/FATAL_ALERT|^FATAL_ERROR$|ALERT_/, 'alert-received'],
  [
    /CONN_EOF|CONN_RESET|PEER_CLOSE_NOTIFY|^BR_ERR_IO$|SOCKET_ERROR_E|SOCKET_PEER_CLOSED_E|ZERO_RETURN|CONNECTION_RESET/,
    'peer-closed',
  ],
  [/UNKNOWN_HOST|SOCKET_FAILED|BIND_FAILED|CONNECT_FAILED/, 'tcp'],
  [/SSL_TIMEOUT|_TIMEOUT_E$/, 'timeout'],
  [/ALLOC_FAILED|MEMORY_E|BR_ERR_TOO_LARGE|BUFFER_E$|BUFFER_TOO_SMALL/, 'memory'],
  [
    /PK_PASSWORD|PEM_PASSWORD|PK_KEY_INVALID|PK_UNKNOWN_PK_ALG|NO_PRIVATE_KEY|BAD_PRIVATE_KEY|PRIVATE_KEY_REQUIRED|KEY_SIZE_E/,
    'key-format',
  ],
  [/PK_TYPE_MISMATCH|KEY_MISMATCH|SIG_VERIFY_E|BAD_SIGNATURE/, 'key-mismatch'],
  [
    /INVALID_RECORD|UNKNOWN_RECORD|BR_ERR_BAD_LENGTH|BR_ERR_UNSUPPORTED_VERSION|BR_ERR_BAD_VERSION|RECORD_LAYER/,
    'not-tls',
  ],
  [
    /NO_CIPHER_CHOSEN|NO_USABLE_CIPHERSUITE|HANDSHAKE_FAILURE|PROTOCOL_VERSION|BAD_HS_SERVER_HELLO|MATCH_SUITE_ERROR|VERSION_ERROR|BAD_CIPHER_SUITE|NO_CLIENT_AUTH|ILLEGAL_PARAMETER|UNSUPPORTED_EXTENSION|NO_APPLICATION_PROTOCOL|BAD_HS_CERTIFICATE_REQUEST|NO_SHARED_CIPHER|ECC_CURVE/,
    'handshake',
  ],
  [/CERTIFICATE_REQUIRED|NO_PEER_CERT|BAD_HS_CERTIFICATE$|BAD_CERTIFICATE$/, 'client-cert-rejected'],
  [
    /PEM_|X509_INVALID|X509_CERT_UNKNOWN_FORMAT|X509_UNKNOWN|ASN1_|X509_BAD|X509_UNEXPECTED|X509_UNSUPPORTED|X509_INDEFINITE|X509_DN_|X509_EMPTY_CHAIN|X509_TIME_|X509_INNER|X509_PARTIAL|X509_EXTRA|X509_LIMIT|X509_OVERFLOW|X509_CRITICAL|^ASN_/,
    'cert-format',
  ],
];

function kindOf(name: string): AdviceKind {
  for (const [re, kind] of kindRules) if (re.test(name)) return kind;
  return 'other';
}

function generated(library: LibraryId, rows: GeneratedRow[]): CatalogEntry[] {
  return rows.map(([code, name, meaning, versions]) => ({
    library,
    versions,
    code,
    name,
    meaning: meaning || name,
    kind: kindOf(name),
  }));
}

/** Every entry of every library, built once. */
export const catalog: readonly CatalogEntry[] = [
  ...generated('mbedtls', mbedtlsTable.codes as GeneratedRow[]),
  ...generated('bearssl', bearsslTable.codes as GeneratedRow[]),
  ...generated('wolfssl', wolfsslTable.codes as GeneratedRow[]),
  ...handTables.flatMap((t) =>
    t.rows.map(([code, name, meaning, kind]) => ({
      library: t.library as LibraryId,
      versions: t.versions,
      code,
      name,
      meaning,
      kind,
    })),
  ),
];

/** Where each table came from: generated (with the package and checksums) or written from the headers. */
export const catalogSources = {
  generated: [mbedtlsTable.source, bearsslTable.source, wolfsslTable.source],
  handWritten: handTables.map((t) => ({ library: t.library, versions: t.versions, source: t.source })),
};

export const libraryIds: readonly LibraryId[] = [...new Set(catalog.map((e) => e.library))];

export function entriesFor(library: LibraryId, code: number): CatalogEntry[] {
  return catalog.filter((e) => e.library === library && e.code === code);
}

export function entryByName(name: string): CatalogEntry[] {
  const n = name.toLowerCase();
  return catalog.filter((e) => e.name.toLowerCase() === n);
}

/** How a library prints a code: mbedTLS as negative hex, ESP-IDF as 0x hex, the rest in decimal. */
export function displayCode(e: Pick<CatalogEntry, 'library' | 'code'>): string {
  const hex = (v: number) =>
    v < 0 ? `-0x${(-v).toString(16).toUpperCase().padStart(4, '0')}` : `0x${v.toString(16).toUpperCase()}`;
  if (Number.isNaN(e.code)) return 'log';
  if (e.library === 'mbedtls' || e.library === 'esp-tls' || e.library === 'mqtt5') return hex(e.code);
  return String(e.code);
}
