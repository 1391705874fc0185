// What each board target and each cloud accepts, as data: the check rules read these tables
// instead of branching on target names. Facts cite the field notes (docs/check.md lists them).
import type { Encoding, KeyAlgorithm, PrivateKeyFormat } from '../x509/types';
import type { TargetId } from './ids';

export type TlsVersion = 'TLSv1.2' | 'TLSv1.3';

/** Where the board keeps the roots it trusts, which decides what "the CA is known" means. */
export type RootStore =
  /** CC3220/CC3235: DER files on the SimpleLink file system, also checked against TI's signed catalog. */
  | 'simplelink-catalog'
  /** CC3200/CC3100: DER files on the SimpleLink file system, no catalog. */
  | 'simplelink-fs'
  /** WiFiNINA/WINC1500: uploaded to the Wi-Fi module's flash with the firmware updater. */
  | 'module-flash'
  /** ESP32/ESP8266: compiled into the firmware (or NVS/SPIFFS) by the application. */
  | 'firmware'
  /** Linux: a PEM file or folder named in the client's or broker's configuration. */
  | 'file';

export interface TargetKeyRules {
  /** Private-key algorithms the TLS stack can sign with. */
  algorithms: KeyAlgorithm[];
  /** Largest RSA modulus the stack handles; undefined when there is no practical limit. */
  maxRsaBits?: number;
  /** Named curves for EC keys (`P-256`, ...); undefined when any supported curve works. */
  curves?: string[];
  /** Private-key containers the stack parses, per algorithm. */
  formats: Partial<Record<KeyAlgorithm, PrivateKeyFormat[]>>;
  /** True when the stack can open a pass-phrase protected key (the firmware then holds the pass phrase). */
  decryptsEncryptedKeys: boolean;
}

export interface TargetRootRules {
  store: RootStore;
  /** Key algorithms a trusted root may use. */
  algorithms: KeyAlgorithm[];
  /** The root must be in the vendor's signed trusted-root catalog as well as on the file system. */
  catalogRequired: boolean;
  /** Roots go to the Wi-Fi module, not to the application: all of them at once, replacing the store. */
  uploadedToModule: boolean;
  /** File-name convention for roots on the device, when there is one. */
  fileNaming?: string;
}

export interface TargetTlsRules {
  maxVersion: TlsVersion;
  /** ALPN protocol names when the list is fixed by the stack (empty: no ALPN); undefined when the application chooses. */
  fixedAlpn?: string[];
  /**
   * The key of the stack's cipher-suite list in ./ciphers.ts (OpenSSL names, used to emulate the
   * board in the MQTT test client); undefined for modern general-purpose stacks.
   */
  cipherList?: 'cc3200' | 'cc3220';
  /** Sends SNI. */
  sni: boolean;
  /**
   * When the DER size of the certificate chain passes this many bytes, the stack's default
   * buffers are too small (ESP8266 BearSSL's 16 KB record buffer vs. MFLN-reduced 512-byte ones).
   */
  chainBytesWarning?: number;
}

export interface TargetSpec {
  id: TargetId;
  /** Board family as a firmware developer names it. */
  name: string;
  /** The TLS stack on the board. */
  stack: string;
  /** A target that behaves exactly like another (CC3100 as CC3200). */
  sameAs?: TargetId;
  /** File encodings the stack loads certificates and keys from. */
  fileEncodings: Encoding[];
  /** PEM must end with a NUL byte (mbedTLS), else the parse fails. */
  pemNeedsNul: boolean;
  keys: TargetKeyRules;
  roots: TargetRootRules;
  tls: TargetTlsRules;
  /** The board's own error codes for the failures the rules predict, quoted in findings. */
  errorCodes: Partial<Record<TargetFailure, string>>;
  /** Where the facts come from. */
  sources: string[];
}

/** The failures a finding can point to on the board. */
export type TargetFailure =
  | 'badFormat'
  | 'badCaFile'
  | 'badKeyFile'
  | 'rootNotInCatalog'
  | 'signedFileRootUnknown'
  | 'wrongRoot'
  | 'dateError'
  | 'pemWithoutNul';

// CC32xx private keys: PKCS#1 for RSA, SEC1 for EC, in DER (field notes §1a, §5).
const simplelinkCc3200: Omit<TargetSpec, 'id' | 'name' | 'sameAs'> = {
  stack: 'TI SimpleLink (CC3200 NWP)',
  fileEncodings: ['DER'],
  pemNeedsNul: false,
  keys: { algorithms: ['RSA'], maxRsaBits: 2048, formats: { RSA: ['PKCS#1'] }, decryptsEncryptedKeys: false },
  roots: {
    store: 'simplelink-fs',
    algorithms: ['RSA'],
    catalogRequired: false,
    uploadedToModule: false,
    fileNaming: 'DER file on the SimpleLink file system, e.g. /cert/ca.der',
  },
  // The CC3200 NWP offers no ALPN at all, so AWS IoT on port 443 is out as on the CC3220.
  tls: { maxVersion: 'TLSv1.2', fixedAlpn: [], cipherList: 'cc3200', sni: false },
  errorCodes: {
    badCaFile: '-456',
    badFormat: '-457',
    badKeyFile: '-458',
    wrongRoot: '-688',
    dateError: '-461',
  },
  sources: ['field-notes §1a (SimpleLink error codes)', 'field-notes §5 (CC3200 cipher suites)'],
};

const simplelinkCc32x0: Omit<TargetSpec, 'id' | 'name' | 'sameAs'> = {
  stack: 'TI SimpleLink (CC32xx NWP with trusted-root catalog)',
  fileEncodings: ['DER'],
  pemNeedsNul: false,
  keys: {
    algorithms: ['RSA', 'EC'],
    // E2E 1045696: the CC3235 handles RSA keys up to 2048 bits only.
    maxRsaBits: 2048,
    curves: ['P-256', 'P-384'],
    formats: { RSA: ['PKCS#1'], EC: ['SEC1'] },
    decryptsEncryptedKeys: false,
  },
  roots: {
    store: 'simplelink-catalog',
    algorithms: ['RSA', 'EC'],
    catalogRequired: true,
    uploadedToModule: false,
    fileNaming: 'DER file with no extension, named exactly as the certificate CN (E2E 1208862)',
  },
  // The ALPN list is fixed (h1,h2,h2c,h2_14,h2_16,full_list), so no AWS IoT on port 443.
  tls: {
    maxVersion: 'TLSv1.2',
    fixedAlpn: ['h1', 'h2', 'h2c', 'h2_14', 'h2_16', 'full_list'],
    cipherList: 'cc3220',
    sni: true,
  },
  errorCodes: {
    badCaFile: '-456',
    badFormat: '-457',
    badKeyFile: '-458',
    rootNotInCatalog: '-468',
    signedFileRootUnknown: '-10287 (FS_ERR_ROOT_CA_IS_UNKOWN)',
    wrongRoot: '-688',
    dateError: '-461',
  },
  sources: ['field-notes §1a (certificate catalog, error codes, fixed ALPN)'],
};

export const targetCatalog: Readonly<Record<TargetId, TargetSpec>> = {
  cc3200: { id: 'cc3200', name: 'TI CC3200', ...simplelinkCc3200 },
  // The Bosch XDK's CC3100 has no AT layer but the same NWP rules (field notes §1a "Other routes").
  cc3100: { id: 'cc3100', name: 'TI CC3100 (Bosch XDK)', sameAs: 'cc3200', ...simplelinkCc3200 },
  cc3220: { id: 'cc3220', name: 'TI CC3220', ...simplelinkCc32x0 },
  cc3235: { id: 'cc3235', name: 'TI CC3235', ...simplelinkCc32x0 },
  esp32: {
    id: 'esp32',
    name: 'ESP32 (ESP-IDF mbedTLS)',
    stack: 'mbedTLS',
    fileEncodings: ['PEM', 'DER'],
    // EMBED_TXTFILES appends the NUL mbedTLS needs to see PEM; EMBED_FILES does not: -0x2180 (§1c).
    pemNeedsNul: true,
    keys: {
      algorithms: ['RSA', 'EC'],
      formats: { RSA: ['PKCS#1', 'PKCS#8'], EC: ['SEC1', 'PKCS#8'] },
      decryptsEncryptedKeys: true,
    },
    roots: { store: 'firmware', algorithms: ['RSA', 'EC'], catalogRequired: false, uploadedToModule: false },
    tls: { maxVersion: 'TLSv1.3', sni: true },
    errorCodes: { pemWithoutNul: '-0x2180 (MBEDTLS_ERR_X509_INVALID_FORMAT)' },
    sources: ['field-notes §1c (EMBED_TXTFILES and the NUL)', 'field-notes §5'],
  },
  esp8266: {
    id: 'esp8266',
    name: 'ESP8266 (Arduino BearSSL)',
    stack: 'BearSSL',
    fileEncodings: ['PEM', 'DER'],
    pemNeedsNul: false,
    keys: {
      algorithms: ['RSA', 'EC'],
      formats: { RSA: ['PKCS#1', 'PKCS#8'], EC: ['SEC1', 'PKCS#8'] },
      decryptsEncryptedKeys: false,
    },
    roots: { store: 'firmware', algorithms: ['RSA', 'EC'], catalogRequired: false, uploadedToModule: false },
    // BearSSL wants a 16 KB receive buffer unless the server honours max fragment length (§5).
    tls: { maxVersion: 'TLSv1.2', sni: true, chainBytesWarning: 4096 },
    errorCodes: {},
    sources: ['field-notes §1c', 'field-notes §5 (RAM or TLS record size)'],
  },
  wifinina: {
    id: 'wifinina',
    name: 'Arduino WiFiNINA',
    stack: 'NINA-W102 firmware (mbedTLS on ESP32)',
    fileEncodings: ['DER'],
    pemNeedsNul: false,
    keys: {
      algorithms: ['RSA', 'EC'],
      formats: { RSA: ['PKCS#1', 'PKCS#8'], EC: ['SEC1', 'PKCS#8'] },
      decryptsEncryptedKeys: false,
    },
    // The fwuploader takes DER roots (#129), converts them to PEM and replaces the whole store (#126).
    roots: {
      store: 'module-flash',
      algorithms: ['RSA', 'EC'],
      catalogRequired: false,
      uploadedToModule: true,
    },
    tls: { maxVersion: 'TLSv1.2', sni: true },
    errorCodes: {},
    sources: ['field-notes §1b (NINA)'],
  },
  winc1500: {
    id: 'winc1500',
    name: 'Arduino WiFi101 (ATWINC1500)',
    stack: 'ATWINC1500 firmware',
    fileEncodings: ['DER'],
    pemNeedsNul: false,
    keys: {
      algorithms: ['RSA'],
      maxRsaBits: 2048,
      formats: { RSA: ['PKCS#1'] },
      decryptsEncryptedKeys: false,
    },
    // The root store entry holds an RSA modulus and exponent: ECDSA roots fail (#157).
    roots: { store: 'module-flash', algorithms: ['RSA'], catalogRequired: false, uploadedToModule: true },
    tls: { maxVersion: 'TLSv1.2', sni: true },
    errorCodes: {},
    sources: ['field-notes §1b (WINC1500)'],
  },
  linux: {
    id: 'linux',
    name: 'Linux (OpenSSL / Mosquitto / Node-RED)',
    stack: 'OpenSSL',
    fileEncodings: ['PEM'],
    pemNeedsNul: false,
    keys: {
      algorithms: ['RSA', 'EC', 'Ed25519'],
      formats: { RSA: ['PKCS#1', 'PKCS#8'], EC: ['SEC1', 'PKCS#8'], Ed25519: ['PKCS#8'] },
      decryptsEncryptedKeys: true,
    },
    roots: {
      store: 'file',
      algorithms: ['RSA', 'EC', 'Ed25519'],
      catalogRequired: false,
      uploadedToModule: false,
    },
    tls: { maxVersion: 'TLSv1.3', sni: true },
    errorCodes: {},
    sources: ['field-notes §1d', 'field-notes §3 (PKCS#1 vs PKCS#8)'],
  },
};

export function targetSpec(id: TargetId): TargetSpec {
  return targetCatalog[id];
}
