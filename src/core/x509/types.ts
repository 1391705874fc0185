// The certificate model: what the reader finds in PEM, DER, PKCS#12 and C sources.

export type ObjectKind =
  | 'certificate'
  | 'privateKey'
  | 'publicKey'
  | 'csr'
  | 'pkcs12'
  | 'ecParameters'
  | 'trustAnchor'
  | 'dhParameters'
  | 'crl';
export type Encoding = 'PEM' | 'DER';

/** Where in its file an object was found. */
export interface SourceLocation {
  /** How it was stored: a PEM block, raw DER, a PKCS#12 bag, a C byte array or a C string literal. */
  container: 'pem' | 'der' | 'pkcs12' | 'c-array' | 'c-string';
  /** 0-based line and column of the first character, and of the character after the last. */
  start: { line: number; column: number };
  end: { line: number; column: number };
  /** The PEM label (`CERTIFICATE`, `RSA PRIVATE KEY`, ...) when there was one. */
  pemLabel?: string;
  /** The C identifier (array or macro name) for objects embedded in sources. */
  symbol?: string;
}

export interface NameAttribute {
  /** Short name as in RFC 4514 (`CN`, `O`, `C`, ...) or the dotted OID when there is none. */
  type: string;
  oid: string;
  value: string;
}

export interface DistinguishedName {
  /** RFC 4514 string, most-specific RDN first (`CN=device-01,O=Acme,C=DE`). */
  rfc4514: string;
  /** Every attribute, in the order of the certificate (least-specific first). */
  attributes: NameAttribute[];
  /** The last CN, if any. */
  commonName?: string;
}

export type KeyAlgorithm =
  'RSA' | 'RSA-PSS' | 'EC' | 'Ed25519' | 'Ed448' | 'X25519' | 'X448' | 'DSA' | 'DH' | 'unknown';

export interface PublicKeyDetails {
  algorithm: KeyAlgorithm;
  /** Modulus length for RSA, prime length for DSA/DH, group order size for EC, 255/448 for the Edwards curves. */
  bits: number;
  /**
   * NIST name when there is one (`P-256`, `P-384`, `P-521`), else the OID's name (`secp256k1`,
   * `brainpoolP256r1`); `explicit parameters` (with the curve's name when they are a known curve's).
   */
  curve?: string;
  /** The SubjectPublicKeyInfo in DER. */
  spki: Uint8Array;
  /** SHA-256 of the SubjectPublicKeyInfo, lowercase hex: equal for a key, its CSR and its certificate. */
  sha256: string;
}

export type SubjectAltName =
  | { type: 'dns'; value: string }
  | { type: 'ip'; value: string }
  | { type: 'uri'; value: string }
  | { type: 'email'; value: string }
  | { type: 'other'; value: string };

export interface CertificateInfo {
  kind: 'certificate';
  der: Uint8Array;
  version: number;
  subject: DistinguishedName;
  issuer: DistinguishedName;
  /** Lowercase hex, without leading zero bytes beyond what DER requires. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  subjectAltNames: SubjectAltName[];
  publicKey: PublicKeyDetails;
  /** `sha256WithRSAEncryption`, `ecdsa-with-SHA256`, `Ed25519`, ... */
  signatureAlgorithm: string;
  basicConstraints?: { ca: boolean; pathLength?: number; critical: boolean };
  /** `digitalSignature`, `keyEncipherment`, `keyCertSign`, ... */
  keyUsage?: string[];
  /** `serverAuth`, `clientAuth`, ... or the dotted OID. */
  extendedKeyUsage?: string[];
  subjectKeyIdentifier?: string;
  authorityKeyIdentifier?: string;
  sha1Fingerprint: string;
  sha256Fingerprint: string;
  /** Issuer equals subject and the key identifiers, when present, agree (OpenSSL's EXFLAG_SS). */
  selfSigned: boolean;
  /** basicConstraints CA:TRUE. */
  isCA: boolean;
}

/** `DSA` is OpenSSL's traditional DSA PRIVATE KEY (version, p, q, g, y, x). */
export type PrivateKeyFormat = 'PKCS#1' | 'PKCS#8' | 'SEC1' | 'DSA';

export interface PrivateKeyInfo {
  kind: 'privateKey';
  format: PrivateKeyFormat;
  encrypted: boolean;
  /** How it is encrypted (`PKCS#8 PBES2 aes-256-cbc`, `legacy PEM AES-128-CBC`). */
  encryption?: string;
  /** Absent when the key is encrypted and no pass phrase was given. */
  publicKey?: PublicKeyDetails;
  /** The algorithm, known even for encrypted legacy PEM keys from their label. */
  algorithm: KeyAlgorithm;
  /** The key as DER in its stored format (decrypted when a pass phrase was given). Never log it. */
  der?: Uint8Array;
}

export interface PublicKeyInfo {
  kind: 'publicKey';
  format: 'SPKI' | 'PKCS#1';
  publicKey: PublicKeyDetails;
}

export interface CsrInfo {
  kind: 'csr';
  der: Uint8Array;
  subject: DistinguishedName;
  subjectAltNames: SubjectAltName[];
  publicKey: PublicKeyDetails;
  signatureAlgorithm: string;
  /** The CSR's self-signature checks out. */
  signatureValid: boolean;
}

export interface Pkcs12Info {
  kind: 'pkcs12';
  /** True when a password was needed (or given) to open it. */
  encrypted: boolean;
  /** Certificates and keys inside, in bag order; empty when locked. */
  contents: Array<CertificateInfo | PrivateKeyInfo>;
  /** The friendlyName attributes of the bags. */
  friendlyNames: string[];
}

export interface EcParametersInfo {
  kind: 'ecParameters';
  curve: string;
}

/** A CA the board trusts, stored as BearSSL trust-anchor arrays (`TA0_DN[]`, `TA0_RSA_N[]`, ...), not as a certificate. */
export interface TrustAnchorInfo {
  kind: 'trustAnchor';
  format: 'BearSSL';
  /** The subject name of the CA certificate the anchor was made from. */
  subject: DistinguishedName;
  /** The CA's public key; absent when the key arrays do not make one. */
  publicKey?: PublicKeyDetails;
  /** The C arrays the anchor is made of. */
  arrays: string[];
}

/** Diffie-Hellman parameters (PKCS#3 `DH PARAMETERS` or X9.42 `X9.42 DH PARAMETERS`): broker configuration. */
export interface DhParametersInfo {
  kind: 'dhParameters';
  /** Size of the prime p. */
  bits: number;
  /** The generator g when it is small (2, 5). */
  generator?: number;
}

/** A certificate revocation list. */
export interface CrlInfo {
  kind: 'crl';
  der: Uint8Array;
  issuer: DistinguishedName;
  thisUpdate: Date;
  /** Absent when the CRL names no next update. */
  nextUpdate?: Date;
  /** Serial numbers of the revoked certificates, lowercase hex. */
  revokedSerials: string[];
  signatureAlgorithm: string;
  sha256Fingerprint: string;
}

export type X509Object =
  | CertificateInfo
  | PrivateKeyInfo
  | PublicKeyInfo
  | CsrInfo
  | Pkcs12Info
  | EcParametersInfo
  | TrustAnchorInfo
  | DhParametersInfo
  | CrlInfo;

/** One object found in a file. */
export interface FoundObject {
  /** Position among the file's objects, from 0. */
  index: number;
  encoding: Encoding;
  location: SourceLocation;
  object: X509Object;
}

/** One thing in a file that looked like a certificate or key but could not be read. */
export interface ReadProblem {
  index: number;
  location?: SourceLocation;
  code: import('../errors').EtlsErrorCode;
  message: string;
  fix?: string;
}

export interface ReadResult {
  objects: FoundObject[];
  problems: ReadProblem[];
}

export interface ReadOptions {
  /** Used to pick the reader (.c/.h/.cpp scan for embedded objects; .p12/.pfx open as PKCS#12). */
  fileName?: string;
  /** For encrypted keys and PKCS#12. Never logged. */
  passphrase?: string;
  /** Files larger than this are refused; default 16 MiB. */
  maxBytes?: number;
  /** Key-derivation work one file may ask for (PKCS#12 MAC, PBKDF2, scrypt); default DEFAULT_KDF_LIMITS. */
  kdfLimits?: import('./kdf').KdfLimits;
}
