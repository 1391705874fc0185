// The TLS library each board runs and how its firmware configures it, as data. Every value names
// the file (repo@tag:path) it was read from, so a reader can check it and a release can re-check it.
// The option keys are those of the wasm engines (wasm/ABI.md); ./stacks.ts turns a profile into them.
// Past 300 lines because it is one table: the profiles share their sources and suite lists, and a
// reader checks a board's values against the next board's in one place.
import type { TargetId } from './ids';

/** A configuration value and where it comes from. */
export interface Sourced<T> {
  value: T;
  source: string;
}

export type BoardStackId = 'mbedtls-2.28' | 'mbedtls-3.6' | 'bearssl' | 'node';

/** A board whose TLS library we can run: the library, its version and the firmware's configuration. */
export interface OpenStackProfile {
  kind: 'open';
  /** The firmware flavour, e.g. "esp-idf-5" (the default of its target) or "arduino-esp32-2". */
  variant: string;
  target: TargetId;
  /** As a firmware developer names it. */
  name: string;
  stack: BoardStackId;
  /** The library and the version the board ships (the engine that runs it may be a close LTS). */
  library: Sourced<string>;
  tlsMin: Sourced<'1.0' | '1.1' | '1.2' | '1.3'>;
  tlsMax: Sourced<'1.2' | '1.3'>;
  /** IANA names; undefined: the library's own default list for its build. */
  ciphersuites?: Sourced<string[]>;
  curves?: Sourced<string[]>;
  sigAlgs?: Sourced<string[]>;
  /** Largest incoming record plaintext (MBEDTLS_SSL_IN_CONTENT_LEN, BearSSL's input buffer). */
  inContentLen: Sourced<number>;
  outContentLen: Sourced<number>;
  /** Buffers allocated only while in use (ESP-IDF CONFIG_MBEDTLS_DYNAMIC_BUFFER); sizes stay the same. */
  dynamicBuffer?: Sourced<boolean>;
  maxFragmentLength: Sourced<'none' | '512' | '1024' | '2048' | '4096'>;
  sni: Sourced<boolean>;
  /** ALPN protocols the firmware offers by default (empty: none; the application may set some). */
  alpn: Sourced<string[]>;
  verify: Sourced<'required' | 'optional' | 'none'>;
  trustStore: Sourced<string>;
  maxRsaBits: Sourced<number>;
  /** Said beside the stack wherever it is shown, when the engine is not exactly the board's. */
  note?: string;
}

/** A board whose stack is closed: the probe emulates it with Node's OpenSSL. */
export interface ClosedStackProfile {
  kind: 'closed';
  variant: string;
  target: TargetId;
  name: string;
  stack: 'node';
  /** The sentence shown where the stack is shown. */
  note: string;
  source: string;
}

export type StackProfile = OpenStackProfile | ClosedStackProfile;

const idf5 = 'espressif/esp-idf@v5.5.1:components/mbedtls/Kconfig';
const idf5Config = 'espressif/esp-idf@v5.5.1:components/mbedtls/port/include/mbedtls/esp_config.h';
const idf5Tls = 'espressif/esp-idf@v5.5.1:components/esp-tls/esp_tls_mbedtls.c';
const idf44 = 'espressif/esp-idf@v4.4.8:components/mbedtls/Kconfig';
const idf44Config = 'espressif/esp-idf@v4.4.8:components/mbedtls/port/include/mbedtls/esp_config.h';
const idf44Tls = 'espressif/esp-idf@v4.4.8:components/esp-tls/esp_tls_mbedtls.c';
const rsaHw =
  'espressif/esp-idf@v5.5.1:components/soc/esp32/include/soc/soc_caps.h (SOC_RSA_MAX_BIT_LEN 4096)';
const arduino3 =
  'espressif/esp32-arduino-lib-builder@d4ffd0a (release/v5.4, Arduino-ESP32 3.2):configs/defconfig.common';
const arduino2 =
  'espressif/esp32-arduino-lib-builder@3eb9cb0 (release/v4.4, Arduino-ESP32 2.0):configs/defconfig.common';
const arduinoClient = 'espressif/arduino-esp32@010e6a0:libraries/NetworkClientSecure/src/ssl_client.cpp';
const esp8266 = 'esp8266/Arduino@3.1.2:libraries/ESP8266WiFi/src/WiFiClientSecureBearSSL.cpp';
const bearsslInner = 'bearssl 0.6 (Debian bearssl_0.6+dfsg.1.orig.tar.xz):src/inner.h';
const nina = 'arduino/nina-fw@2.0.0:sdkconfig';
const ninaClient = 'arduino/nina-fw@2.0.0:arduino/libraries/WiFi/src/WiFiSSLClient.cpp';

// ESP-IDF enables these key exchanges and ciphers by default (MBEDTLS_KEY_EXCHANGE_*, AES/GCM/CCM y;
// CHACHAPOLY, CAMELLIA, DES, DHM n): the TLS 1.2 suites a default ESP-IDF client offers.
const idfSuites12 = [
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_CCM',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CCM',
  'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_RSA_WITH_AES_256_CCM',
  'TLS_RSA_WITH_AES_128_CCM',
  'TLS_RSA_WITH_AES_256_CBC_SHA256',
  'TLS_RSA_WITH_AES_128_CBC_SHA256',
  'TLS_RSA_WITH_AES_256_CBC_SHA',
  'TLS_RSA_WITH_AES_128_CBC_SHA',
];
const idfCurves = [
  'x25519',
  'secp256r1',
  'secp384r1',
  'secp521r1',
  'brainpoolP256r1',
  'brainpoolP384r1',
  'brainpoolP512r1',
  'secp256k1',
];
const mbedtlsSigAlgs = [
  'ecdsa_secp521r1_sha512',
  'ecdsa_secp384r1_sha384',
  'ecdsa_secp256r1_sha256',
  'rsa_pkcs1_sha512',
  'rsa_pkcs1_sha384',
  'rsa_pkcs1_sha256',
];

function espIdf(
  variant: string,
  name: string,
  v5: boolean,
  arduino?: { config: string; client: string },
): OpenStackProfile {
  const k = v5 ? idf5 : idf44;
  return {
    kind: 'open',
    variant,
    target: 'esp32',
    name,
    stack: v5 ? 'mbedtls-3.6' : 'mbedtls-2.28',
    library: v5
      ? {
          value: 'mbedTLS 3.6.4',
          source: 'espressif/esp-idf@v5.5.1:components/mbedtls/mbedtls (a3af897 "update to version 3.6.4")',
        }
      : {
          value: 'mbedTLS 2.28.8',
          source: 'espressif/esp-idf@v4.4.8:components/mbedtls/mbedtls (a535011 "2.28.7 to 2.28.8")',
        },
    // 4.4 also enables TLS 1.0/1.1 (MBEDTLS_SSL_PROTO_TLS1, _TLS1_1 y); 5.x has TLS 1.2 and, opt-in, 1.3.
    tlsMin: v5
      ? { value: '1.2', source: `${k} (MBEDTLS_SSL_PROTO_TLS1_2 y)` }
      : { value: '1.0', source: `${k} (MBEDTLS_SSL_PROTO_TLS1 y)` },
    tlsMax: v5
      ? {
          value: '1.2',
          source: `${k} (MBEDTLS_SSL_PROTO_TLS1_3 default n${arduino ? `; not set in ${arduino.config}` : ''})`,
        }
      : { value: '1.2', source: `${k} (no TLS 1.3 in mbedTLS 2.28)` },
    ciphersuites: {
      value: idfSuites12,
      source: `${k} (MBEDTLS_KEY_EXCHANGE_*, MBEDTLS_GCM_C/CCM_C y, CHACHAPOLY/CAMELLIA/DES n)`,
    },
    curves: { value: idfCurves, source: `${k} (MBEDTLS_ECP_DP_*_ENABLED y)` },
    sigAlgs: {
      value: mbedtlsSigAlgs,
      source: `${v5 ? idf5Config : idf44Config} (MBEDTLS_ECDSA_C, MBEDTLS_RSA_C, SHA-256/384/512)`,
    },
    inContentLen: arduino
      ? {
          value: 16384,
          source: `${arduino.config} (CONFIG_MBEDTLS_ASYMMETRIC_CONTENT_LEN off: MBEDTLS_SSL_MAX_CONTENT_LEN 16384 both ways)`,
        }
      : { value: 16384, source: `${k} (CONFIG_MBEDTLS_SSL_IN_CONTENT_LEN default 16384)` },
    outContentLen: arduino
      ? { value: 16384, source: `${arduino.config} (CONFIG_MBEDTLS_ASYMMETRIC_CONTENT_LEN off)` }
      : { value: 4096, source: `${k} (CONFIG_MBEDTLS_SSL_OUT_CONTENT_LEN default 4096)` },
    dynamicBuffer: arduino
      ? { value: true, source: `${arduino.config} (CONFIG_MBEDTLS_DYNAMIC_BUFFER=y)` }
      : { value: false, source: `${k} (CONFIG_MBEDTLS_DYNAMIC_BUFFER default n)` },
    maxFragmentLength: {
      value: 'none',
      source: `${v5 ? idf5Tls : idf44Tls} (no mbedtls_ssl_conf_max_frag_len call)`,
    },
    sni: {
      value: true,
      source: `${v5 ? idf5Config : idf44Config} (MBEDTLS_SSL_SERVER_NAME_INDICATION); ${arduino ? arduino.client : v5 ? idf5Tls : idf44Tls} (mbedtls_ssl_set_hostname)`,
    },
    alpn: {
      value: [],
      source: `${k} (MBEDTLS_SSL_ALPN y; protocols only when the application sets esp_tls_cfg_t.alpn_protos)`,
    },
    verify: {
      value: 'required',
      source: `${arduino ? arduino.client : v5 ? idf5Tls : idf44Tls} (MBEDTLS_SSL_VERIFY_REQUIRED with a CA)`,
    },
    trustStore: arduino
      ? {
          value: 'PEM CA compiled into the sketch (setCACert) or the ESP-IDF certificate bundle',
          source: arduino.client,
        }
      : {
          value: 'PEM CA embedded in the firmware (EMBED_TXTFILES) or the ESP-IDF certificate bundle',
          source: `${k} (MBEDTLS_CERTIFICATE_BUNDLE y)`,
        },
    maxRsaBits: { value: 4096, source: rsaHw },
  };
}

/** The default variant of each target comes first. */
export const stackProfiles: readonly StackProfile[] = [
  espIdf('esp-idf-5', 'ESP32, ESP-IDF 5.x (mbedTLS 3.6)', true),
  espIdf('arduino-esp32-3', 'ESP32, Arduino-ESP32 3.x (ESP-IDF 5.x, mbedTLS 3.6)', true, {
    config: arduino3,
    client: arduinoClient,
  }),
  espIdf('esp-idf-4.4', 'ESP32, ESP-IDF 4.4 (mbedTLS 2.28)', false),
  espIdf('arduino-esp32-2', 'ESP32, Arduino-ESP32 2.x (ESP-IDF 4.4, mbedTLS 2.28)', false, {
    config: arduino2,
    client: 'espressif/arduino-esp32@2.0.17:libraries/WiFiClientSecure/src/ssl_client.cpp',
  }),
  {
    kind: 'open',
    variant: 'esp8266-arduino-3',
    target: 'esp8266',
    name: 'ESP8266, Arduino core 3.x (BearSSL)',
    stack: 'bearssl',
    library: {
      value: 'BearSSL 0.6 (esp8266 fork)',
      source: 'esp8266/Arduino@3.1.2:tools/sdk/ssl (earlephilhower/bearssl-esp8266, based on BearSSL 0.6)',
    },
    tlsMin: { value: '1.0', source: `${esp8266} (_tls_min = BR_TLS10)` },
    tlsMax: { value: '1.2', source: `${esp8266} (_tls_max = BR_TLS12; BearSSL has no TLS 1.3)` },
    ciphersuites: {
      value: [
        'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
        'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
        'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
        'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
        'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
        'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
        'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256',
        'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
        'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384',
        'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384',
        'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
        'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
        'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
        'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
        'TLS_RSA_WITH_AES_128_GCM_SHA256',
        'TLS_RSA_WITH_AES_256_GCM_SHA384',
        'TLS_RSA_WITH_AES_128_CBC_SHA256',
        'TLS_RSA_WITH_AES_256_CBC_SHA256',
        'TLS_RSA_WITH_AES_128_CBC_SHA',
        'TLS_RSA_WITH_AES_256_CBC_SHA',
      ],
      source: `${esp8266} (suites_P, first ECDHE and RSA entries; also CCM, static ECDH and 3DES)`,
    },
    curves: {
      value: ['x25519', 'secp256r1', 'secp384r1', 'secp521r1'],
      source: `${esp8266} (br_ssl_engine_set_default_ecdsa: br_ec_all_m15)`,
    },
    sigAlgs: {
      value: [
        'ecdsa_secp256r1_sha256',
        'ecdsa_secp384r1_sha384',
        'ecdsa_secp521r1_sha512',
        'rsa_pkcs1_sha256',
        'rsa_pkcs1_sha384',
        'rsa_pkcs1_sha512',
      ],
      source: `${esp8266} (br_ssl_client_install_hashes; BearSSL has neither RSA-PSS nor Ed25519)`,
    },
    inContentLen: { value: 16384, source: `${esp8266} (setBufferSizes(16384, 512))` },
    outContentLen: { value: 512, source: `${esp8266} (setBufferSizes(16384, 512))` },
    maxFragmentLength: {
      value: 'none',
      source: `${esp8266} (MFLN only after probeMaxFragmentLength() and setBufferSizes(512..4096, ...))`,
    },
    sni: { value: true, source: `${esp8266} (br_ssl_client_reset(_sc, hostName, ...))` },
    alpn: { value: [], source: `${esp8266} (no br_ssl_engine_set_protocol_names by default)` },
    verify: {
      value: 'required',
      source: `${esp8266} (connect fails without setTrustAnchors, setFingerprint or setInsecure)`,
    },
    trustStore: { value: 'BearSSL::X509List trust anchors or a CertStore on LittleFS', source: esp8266 },
    maxRsaBits: { value: 4096, source: `${bearsslInner} (BR_MAX_RSA_SIZE 4096)` },
  },
  {
    kind: 'open',
    variant: 'nina-fw-2',
    target: 'wifinina',
    name: 'WiFiNINA, nina-fw 2.0 (ESP-IDF 3.3, mbedTLS 2.16)',
    stack: 'mbedtls-2.28',
    library: {
      value: 'mbedTLS 2.16.2',
      source:
        'arduino/nina-fw@2.0.0:README.md (ESP-IDF v3.3.1); espressif/esp-idf@v3.3.1:components/mbedtls/mbedtls (2287c28 "mbedtls: upgrade to v2.16.2")',
    },
    tlsMin: { value: '1.0', source: `${nina} (CONFIG_MBEDTLS_SSL_PROTO_TLS1=y)` },
    tlsMax: { value: '1.2', source: `${nina} (CONFIG_MBEDTLS_SSL_PROTO_TLS1_2=y; no TLS 1.3 in 2.16)` },
    curves: { value: idfCurves, source: `${nina} (CONFIG_MBEDTLS_ECP_DP_*_ENABLED=y)` },
    inContentLen: { value: 16384, source: `${nina} (CONFIG_MBEDTLS_SSL_MAX_CONTENT_LEN=16384)` },
    outContentLen: { value: 16384, source: `${nina} (CONFIG_MBEDTLS_ASYMMETRIC_CONTENT_LEN off)` },
    maxFragmentLength: { value: 'none', source: `${ninaClient} (no mbedtls_ssl_conf_max_frag_len call)` },
    sni: { value: true, source: `${ninaClient} (mbedtls_ssl_set_hostname when connecting by name)` },
    alpn: { value: [], source: `${ninaClient} (no mbedtls_ssl_conf_alpn_protocols)` },
    verify: {
      value: 'required',
      source: `${ninaClient} (mbedtls_ssl_conf_authmode MBEDTLS_SSL_VERIFY_REQUIRED)`,
    },
    trustStore: {
      value: 'PEM bundle in the module\'s "certs" flash partition, replaced whole by the firmware updater',
      source: ninaClient,
    },
    maxRsaBits: {
      value: 4096,
      source:
        'mbedTLS 2.16 include/mbedtls/config.h (MBEDTLS_MPI_MAX_SIZE 1024 bytes; 4096 is the practical limit on the ESP32)',
    },
    note: "nina-fw runs mbedTLS 2.16; the probe runs mbedTLS 2.28 LTS with nina-fw's configuration, the closest engine.",
  },
  {
    kind: 'open',
    variant: 'linux-openssl',
    target: 'linux',
    name: 'Linux (OpenSSL)',
    stack: 'node',
    library: { value: "OpenSSL (Node's)", source: 'field-notes §1d' },
    tlsMin: { value: '1.2', source: 'OpenSSL 3 default security level 1' },
    tlsMax: { value: '1.3', source: 'OpenSSL 3' },
    inContentLen: { value: 16384, source: 'RFC 8446 §5.1' },
    outContentLen: { value: 16384, source: 'RFC 8446 §5.1' },
    maxFragmentLength: { value: 'none', source: 'OpenSSL s_client default' },
    sni: { value: true, source: 'Node tls.connect (servername)' },
    alpn: { value: [], source: 'Node tls.connect (ALPNProtocols unset)' },
    verify: { value: 'required', source: 'Node tls.connect (rejectUnauthorized true)' },
    trustStore: { value: 'PEM file or folder named in the client configuration', source: 'field-notes §1d' },
    maxRsaBits: { value: 16384, source: 'OpenSSL OPENSSL_RSA_MAX_MODULUS_BITS' },
  },
  ...(['cc3200', 'cc3100', 'cc3220', 'cc3235'] as const).map((target): ClosedStackProfile => ({
    kind: 'closed',
    variant: 'simplelink',
    target,
    name: `TI ${target.toUpperCase()} (SimpleLink)`,
    stack: 'node',
    note: 'The SimpleLink network processor runs a closed TLS stack: the probe emulates it with OpenSSL limited to its cipher suites and TLS versions.',
    source: 'field-notes §1a, §5',
  })),
  {
    kind: 'closed',
    variant: 'winc1500',
    target: 'winc1500',
    name: 'Arduino WiFi101 (ATWINC1500)',
    stack: 'node',
    note: 'The ATWINC1500 runs a closed TLS stack in its firmware: the probe emulates it with OpenSSL limited to its TLS versions.',
    source: 'field-notes §1b (WINC1500)',
  },
];
