// Finds error codes in what boards and brokers print: ESP-IDF, Arduino-ESP32, ESP8266 BearSSL, SimpleLink,
// PubSubClient, ArduinoMqttClient, wolfSSL, coreMQTT and Mosquitto/OpenSSL log lines, or a bare code.
// Over 300 lines: recognise() is one ordered list of line formats, most specific first, each a few
// lines; split apart, the order that decides between them would no longer be readable in one place.
import { catalog, entriesFor, type CatalogEntry, type LibraryId } from './catalog';
import type { AdviceKind } from './advice';

/** One thing a line says, before ranking: a code in a library (or a few possible libraries). */
export interface Finding {
  /** Libraries in the order the line's context makes likely; a bare number lists several. */
  libraries: LibraryId[];
  code?: number;
  /** An entry found directly (by name or by text), when there is no code to look up. */
  entry?: CatalogEntry;
  /** Which recogniser matched, e.g. "esp-idf log". */
  via: string;
  /** How the failure looks from the board's side, when the line is the broker's view of it. */
  note?: string;
  /** A kind that overrides the entry's (a broker-side line reverses who rejected whom). */
  kind?: AdviceKind;
}

const byName = new Map<string, CatalogEntry[]>();
for (const e of catalog) {
  const k = e.name.toLowerCase();
  byName.set(k, [...(byName.get(k) ?? []), e]);
}

function num(text: string): number {
  const neg = text.trim().startsWith('-');
  const t = text.trim().replace(/^[-+]/, '');
  const v = /^0x/i.test(t) ? Number.parseInt(t.slice(2), 16) : Number.parseInt(t, 10);
  return neg ? -v : v;
}

/** Normalises a message for comparing with the tables' one-line meanings. */
function norm(s: string): string {
  return s
    .toLowerCase()
    .replace(/^(ssl|x\.509) status:\s*/, '')
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const byMeaning = new Map<string, CatalogEntry[]>();
for (const e of catalog) {
  if (e.library !== 'mbedtls' && e.library !== 'bearssl' && e.library !== 'wolfssl') continue;
  const k = norm(e.meaning);
  if (k.length < 12) continue;
  byMeaning.set(`${e.library}:${k}`, [...(byMeaning.get(`${e.library}:${k}`) ?? []), e]);
}

function meaningEntry(library: LibraryId, text: string): CatalogEntry | undefined {
  const t = norm(text);
  const exact = byMeaning.get(`${library}:${t}`);
  if (exact) return exact[0];
  // Printed text is often cut or has a prefix ("X509 - ..."): the longest table text it contains or starts.
  let best: CatalogEntry | undefined;
  let bestLen = 0;
  for (const [k, entries] of byMeaning) {
    if (!k.startsWith(`${library}:`)) continue;
    const m = k.slice(library.length + 1);
    if ((t.includes(m) || (t.length >= 16 && m.startsWith(t))) && m.length > bestLen) {
      best = entries[0];
      bestLen = m.length;
    }
  }
  return best;
}

/** ESP8266 Arduino core texts of getLastSSLError() that differ from the BearSSL header's wording. */
const bearsslTexts: [RegExp, string][] = [
  [/expired certificate|certificate is expired or not yet valid/i, 'BR_ERR_X509_EXPIRED'],
  [/chain could not be linked to a trust anchor|not trusted/i, 'BR_ERR_X509_NOT_TRUSTED'],
  [/expected server name was not found|bad server name/i, 'BR_ERR_X509_BAD_SERVER_NAME'],
];

const connackTexts: [RegExp, number][] = [
  [/unacceptable protocol|bad protocol|protocol version/i, 1],
  [/identifier rejected|bad client id|invalid client id/i, 2],
  [/server unavailable|unavailable/i, 3],
  [/bad user ?name or password|bad username|bad credentials/i, 4],
  [/not authori[sz]ed/i, 5],
];

const opensslReasons: [RegExp, number, string, AdviceKind, string?][] = [
  [
    /certificate verify failed/i,
    134,
    'SSL_R_CERTIFICATE_VERIFY_FAILED',
    'client-cert-rejected',
    "the broker could not verify the board's client certificate",
  ],
  [
    /peer did not return a certificate/i,
    199,
    'SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE',
    'client-cert-rejected',
    'the board sent no client certificate and the broker requires one',
  ],
  [
    /wrong version number/i,
    267,
    'SSL_R_WRONG_VERSION_NUMBER',
    'not-tls',
    'the client did not speak TLS (plain MQTT to the TLS port, or the reverse)',
  ],
  [/no shared cipher/i, 193, 'SSL_R_NO_SHARED_CIPHER', 'handshake'],
  [/unsupported protocol/i, 258, 'SSL_R_UNSUPPORTED_PROTOCOL', 'handshake'],
  [/http request/i, 156, 'SSL_R_HTTP_REQUEST', 'not-tls'],
  [/unexpected eof while reading/i, 294, 'SSL_R_UNEXPECTED_EOF_WHILE_READING', 'peer-closed'],
  [
    /unknown protocol/i,
    252,
    'SSL_R_UNKNOWN_PROTOCOL',
    'not-tls',
    'the client did not start a TLS handshake (plain MQTT to the TLS port)',
  ],
  [
    /bad signature/i,
    123,
    'SSL_R_BAD_SIGNATURE',
    'key-mismatch',
    "the board's CertificateVerify signature is wrong: its private key does not match its certificate",
  ],
];

/** A broker that logs a received alert means the board refused: its kind, from the board's side. */
const brokerAlertKinds: Record<number, AdviceKind> = {
  42: 'server-untrusted',
  46: 'server-untrusted',
  48: 'server-untrusted',
  45: 'server-expired',
  40: 'handshake',
  70: 'handshake',
  112: 'server-name',
};

const mosquittoLines: [RegExp, number, string, AdviceKind][] = [
  [/disconnected,? not authori[sz]ed/i, 11, 'MOSQ_ERR_AUTH', 'mqtt-not-authorized'],
  [/due to protocol error|protocol error/i, 2, 'MOSQ_ERR_PROTOCOL', 'not-tls'],
  [/malformed packet/i, 21, 'MOSQ_ERR_MALFORMED_PACKET', 'mqtt-protocol'],
  [/has exceeded timeout/i, 19, 'MOSQ_ERR_KEEPALIVE', 'mqtt-lost'],
  [/already connected, closing old connection/i, Number.NaN, 'session taken over', 'mqtt-lost'],
  [/closed its connection/i, Number.NaN, 'client closed its connection', 'peer-closed'],
  [/socket error on client/i, Number.NaN, 'socket error on client', 'peer-closed'],
];

function named(name: string): CatalogEntry | undefined {
  return byName.get(name.toLowerCase())?.[0];
}

function pseudo(
  library: LibraryId,
  code: number,
  name: string,
  meaning: string,
  kind: AdviceKind,
): CatalogEntry {
  return { library, versions: '', code, name, meaning, kind };
}

/** The findings of one line (or one bare code), most specific first; empty when nothing is recognised. */
export function recognise(input: string): Finding[] {
  const line = input.trim();
  const out: Finding[] = [];
  if (!line) return out;

  // library:CODE, as `etls explain mbedtls:-0x2700` or `alert:48`.
  const prefixed =
    /^(mbedtls|bearssl|wolfssl|simplelink|esp-tls|pubsubclient|arduinomqttclient|coremqtt|mqtt5?|tls-alert|alert):\s*([-+]?(?:0x[0-9a-f]+|\d+))$/i.exec(
      line,
    );
  if (prefixed) {
    const lib =
      prefixed[1]!.toLowerCase() === 'alert' ? 'tls-alert' : (prefixed[1]!.toLowerCase() as LibraryId);
    return [{ libraries: [lib], code: num(prefixed[2]!), via: 'library:code' }];
  }

  // Symbolic names anywhere (MBEDTLS_ERR_..., ESP_ERR_..., SL_ERROR_..., MQTTServerRefused, ASN_NO_SIGNER_E).
  for (const m of line.matchAll(/\b([A-Za-z][A-Za-z0-9_]{5,})\b/g)) {
    const e = named(m[1]!);
    if (e && /[A-Z].*[A-Z]/.test(m[1]!) && (m[1]!.includes('_') || e.library === 'coremqtt'))
      out.push({ libraries: [e.library], entry: e, via: 'symbolic name' });
  }
  if (out.length) return out;

  // Mosquitto / OpenSSL on the broker: "OpenSSL Error[0]: error:0A000418:SSL routines::tlsv1 alert unknown ca".
  const alert = /(tlsv1|sslv3|tlsv13) alert ([a-z ]+?)(?:\s*$|[:(,])/i.exec(line);
  if (alert) {
    const alertName = alert[2]!.trim().replace(/ /g, '_').toLowerCase();
    const a = catalog.find((e) => e.library === 'tls-alert' && e.name === alertName);
    if (a) {
      const broker = /openssl error|mosquitto|client <unknown>|\berror:[0-9A-F]{8}:/i.test(line);
      out.push({
        libraries: ['openssl'],
        entry: {
          ...a,
          library: 'openssl',
          name: `SSL_R_${alert[1]!.toUpperCase()}_ALERT_${alertName.toUpperCase()}`,
          code: 1000 + a.code,
          meaning: `${broker ? 'The broker received' : 'Received'} TLS alert ${a.code} ${a.name}: ${a.meaning}`,
        },
        via: broker ? 'broker OpenSSL log' : 'OpenSSL alert',
        ...(broker
          ? {
              kind: brokerAlertKinds[a.code] ?? a.kind,
              note: "The board sent this alert: it refused the broker's side of the handshake.",
            }
          : {}),
      });
      return out;
    }
  }
  for (const [re, code, name, reasonKind, note] of opensslReasons) {
    if (!re.test(line)) continue;
    // The same reason on the client side (verifying the broker) means the reverse.
    const clientSide = /process_server_certificate/i.test(line);
    const kind: AdviceKind = clientSide && code === 134 ? 'server-untrusted' : reasonKind;
    const meaning = `OpenSSL: ${name.slice(6).toLowerCase().replace(/_/g, ' ')}`;
    return [
      {
        libraries: ['openssl'],
        entry: pseudo('openssl', code, name, meaning, kind),
        via: clientSide ? 'OpenSSL log' : 'broker OpenSSL log',
        kind,
        ...(note && !clientSide ? { note } : {}),
      },
    ];
  }
  if (/\bclient\b.*\b(disconnect|connection|socket error)|mosquitto/i.test(line)) {
    for (const [re, code, name, kind] of mosquittoLines)
      if (re.test(line))
        return [
          {
            libraries: ['mosquitto'],
            entry: pseudo('mosquitto', code, name, `Mosquitto: ${line.replace(/^\d+:\s*/, '')}`, kind),
            via: 'Mosquitto log',
          },
        ];
  }

  // ESP-IDF: "E (5123) esp-tls-mbedtls: mbedtls_ssl_handshake returned -0x2700".
  const idf = /(?:^|[\s\]:])(?:\x1b\[[0-9;]*m)?[EWIDV] \([\d:.]+\) ([\w.-]+): (.*)$/.exec(line);
  const body = idf ? idf[2]! : line;
  const tag = idf ? idf[1]! : '';
  const mbedReturned = /(mbedtls_\w+|returned|mbedTLSError|ret(?:urn)?)\b[^-\d]*(-0x[0-9a-f]+)/i.exec(body);
  if (mbedReturned || /mbedtls/i.test(tag)) {
    const hex = mbedReturned?.[2] ?? /(-0x[0-9a-f]+)/i.exec(body)?.[1];
    if (hex) return [{ libraries: ['mbedtls'], code: num(hex), via: idf ? 'esp-idf log' : 'mbedTLS return' }];
    if (/failed to verify peer certificate/i.test(body))
      return [
        { libraries: ['mbedtls'], entry: named('MBEDTLS_ERR_X509_CERT_VERIFY_FAILED')!, via: 'esp-idf log' },
      ];
  }
  const lastTls = /last tls stack error (?:number|code)\s*:?\s*(-?0x[0-9a-f]+)/i.exec(body);
  if (lastTls) return [{ libraries: ['mbedtls'], code: -Math.abs(num(lastTls[1]!)), via: 'esp-idf log' }];
  const lastEsp =
    /(?:esp-tls|esp_tls|last (?:esp )?error code)[^:]*:\s*(0x80[0-9a-f]{2})\b/i.exec(body) ??
    /\b(0x80[0-3][0-9a-f])\b/i.exec(body);
  if (lastEsp) return [{ libraries: ['esp-tls'], code: num(lastEsp[1]!), via: 'esp-idf log' }];
  if (/TRANSPORT_BASE|transport/i.test(tag)) {
    const dec = /\b(3276[89]|327[7-9]\d)\b/.exec(body);
    if (dec) return [{ libraries: ['esp-tls'], code: Number(dec[1]), via: 'esp-idf log' }];
  }
  if (/getaddrinfo\(\) returns|couldn'?t get hostname/i.test(body))
    return [
      {
        libraries: ['esp-tls'],
        entry: named('ESP_ERR_ESP_TLS_CANNOT_RESOLVE_HOSTNAME')!,
        via: 'esp-idf log',
      },
    ];
  const refusedCode =
    /connection refuse[sd]?,?[^0-9]*?(?:reason code|error|code)\s*[:=]?\s*(?:0x)?([0-5])\b/i.exec(body);
  if (refusedCode) return [{ libraries: ['mqtt'], code: Number(refusedCode[1]), via: 'CONNACK return code' }];
  if (/connection refused[,:]/i.test(body) || /CONNACK/i.test(body)) {
    for (const [re, code] of connackTexts)
      if (re.test(body)) return [{ libraries: ['mqtt'], code, via: tag ? 'esp-mqtt log' : 'CONNACK' }];
  }

  // Arduino-ESP32 ssl_client: "_handle_error(): [start_ssl_client():273]: (-9984) X509 - Certificate ...".
  const handle =
    /(?:_handle_error|ssl_client|start_ssl_client)[^(]*(?:\(\)[^(]*)*\((-\d+)\)/.exec(line) ??
    /start_ssl_client:?\s*(-\d+)/.exec(line);
  if (handle) return [{ libraries: ['mbedtls'], code: num(handle[1]!), via: 'arduino-esp32 ssl_client' }];
  const msgCode = /MbedTLS message code:\s*(-?\d+)/i.exec(line);
  if (msgCode)
    return [{ libraries: ['mbedtls'], code: -Math.abs(num(msgCode[1]!)), via: 'arduino-esp32 ssl_client' }];
  const unknownCode = /UNKNOWN ERROR CODE \(([0-9A-F]{4})\)/i.exec(line);
  if (unknownCode)
    return [{ libraries: ['mbedtls'], code: -Number.parseInt(unknownCode[1]!, 16), via: 'mbedtls_strerror' }];
  // mbedtls_strerror text without a number: "X509 - Certificate verification failed, ...".
  const strerror = /\b(?:X509|SSL|PK|PEM|NET|ASN1|RSA|ECP|CTR_DRBG) - (.{12,})$/.exec(line);
  if (strerror) {
    const e = meaningEntry('mbedtls', strerror[1]!);
    if (e) return [{ libraries: ['mbedtls'], entry: e, via: 'mbedtls_strerror text' }];
  }

  // wolfSSL: "wolfSSL error = -188", "wolfSSL_connect error -188, ASN no signer error to confirm failure".
  if (/wolfssl|cyassl/i.test(line)) {
    // Some hosts print the magnitude: "wolfSSL error occurred, error = 188".
    const w = /(-\d{3,4})\b/.exec(line) ?? /\berr(?:or)?\s*[=:]?\s*(\d{3})\b/i.exec(line);
    if (w) return [{ libraries: ['wolfssl'], code: -Math.abs(num(w[1]!)), via: 'wolfSSL log' }];
    const e = meaningEntry('wolfssl', line.replace(/^.*?wolfssl\w*[^a-z]*/i, ''));
    if (e) return [{ libraries: ['wolfssl'], entry: e, via: 'wolfSSL text' }];
  }

  // coreMQTT / FreeRTOS demos: "MQTT_Connect failed: Status = MQTTServerRefused" is a name, handled above;
  // some print the bare MQTTStatus_t: "MQTT_Connect failed: 6".
  const core = /\bMQTT_[A-Z][A-Za-z]+ (?:failed|returned)[^:=]*[:=]\s*(\d{1,2})\b/.exec(line);
  if (core) return [{ libraries: ['coremqtt'], code: Number(core[1]), via: 'coreMQTT status' }];

  // ESP8266 BearSSL: getLastSSLError() texts and numbers.
  const sslErr =
    /(?:ssl error|getLastSSLError|SSL error code|WiFiClientSecure)[^=:]*[=:]\s*'?(-?\d+)?[,\s]*'?([^']*)'?/i.exec(
      line,
    ) ?? /Error = '([^']+)'/.exec(line);
  if (sslErr) {
    const text = sslErr.length > 2 ? (sslErr[2] ?? '') : (sslErr[1] ?? '');
    const codeText = sslErr.length > 2 ? sslErr[1] : undefined;
    for (const [re, name] of bearsslTexts)
      if (re.test(text))
        return [{ libraries: ['bearssl'], entry: named(name)!, via: 'esp8266 getLastSSLError' }];
    const e = text ? meaningEntry('bearssl', text) : undefined;
    if (e) return [{ libraries: ['bearssl'], entry: e, via: 'esp8266 getLastSSLError' }];
    if (codeText !== undefined)
      return [{ libraries: ['bearssl', 'mbedtls'], code: num(codeText), via: 'ssl error code' }];
  }
  for (const [re, name] of bearsslTexts)
    if (re.test(line) && /'|ssl|bearssl|error/i.test(line))
      return [{ libraries: ['bearssl'], entry: named(name)!, via: 'esp8266 getLastSSLError' }];

  // PubSubClient: "failed, rc=-2 try again in 5 seconds"; ArduinoMqttClient: "MQTT connection failed! Error code = -2".
  const rc = /\b(?:rc|state|status code)\s*[=:]?\s*(-?\d)\b/i.exec(line);
  if (rc)
    return [
      { libraries: ['pubsubclient', 'arduinomqttclient'], code: num(rc[1]!), via: 'MQTT client state' },
    ];
  const amc = /(?:mqtt connection failed|connectError)[^-\d]*(-?\d)\b/i.exec(line);
  if (amc)
    return [
      {
        libraries: ['arduinomqttclient', 'pubsubclient'],
        code: num(amc[1]!),
        via: 'ArduinoMqttClient connectError',
      },
    ];

  // SimpleLink: "sl_Connect failed: -457", "Error [-468] ...", bare SimpleLink socket codes.
  const sl = /(-\d{3,5})\b/.exec(line);
  if (sl && /\bsl_|simplelink|cc32|socket|secure|error|fail/i.test(line)) {
    const code = num(sl[1]!);
    const libs: LibraryId[] = /\bsl_|simplelink|cc32/i.test(line)
      ? ['simplelink']
      : ['simplelink', 'wolfssl', 'mbedtls'];
    return [{ libraries: libs, code, via: 'negative code in a log line' }];
  }

  // A bare code: "-0x2700", "0x8008", "-457", "62".
  const bare = /^([-+]?(?:0x[0-9a-f]+|\d+))$/i.exec(line);
  if (bare) {
    const code = num(bare[1]!);
    const hex = /0x/i.test(bare[1]!);
    const libs: LibraryId[] = hex
      ? code < 0
        ? ['mbedtls']
        : ['esp-tls', 'mqtt5', 'mbedtls']
      : [
          'simplelink',
          'wolfssl',
          'mbedtls',
          'bearssl',
          'pubsubclient',
          'arduinomqttclient',
          'coremqtt',
          'mqtt',
          'tls-alert',
        ];
    return [{ libraries: libs, code, via: 'bare code' }];
  }
  // A positive hex without a sign in mbedTLS context ("error 0x2700") is mbedTLS negated.
  const looseHex = /(-?0x[0-9a-f]{4})\b/i.exec(line);
  if (looseHex) {
    const code = num(looseHex[1]!);
    return [
      { libraries: code < 0 ? ['mbedtls'] : ['esp-tls', 'mbedtls'], code, via: 'hex code in a log line' },
    ];
  }
  return out;
}

/** Looks a finding up: exact entries, or for mbedTLS a high-level + low-level pair added together. */
export function lookUp(f: Finding): CatalogEntry[] {
  if (f.entry) return [f.entry];
  if (f.code === undefined) return [];
  const found: CatalogEntry[] = [];
  for (const lib of f.libraries) {
    let code = f.code;
    // A library that prints magnitudes (BearSSL) vs one that prints negatives: try the sign it uses.
    if (lib === 'mbedtls' && code > 0) code = -code;
    if (
      (lib === 'esp-tls' ||
        lib === 'mqtt5' ||
        lib === 'bearssl' ||
        lib === 'tls-alert' ||
        lib === 'coremqtt') &&
      code < 0
    )
      continue;
    const exact = entriesFor(lib, code);
    if (exact.length) {
      found.push(...exact);
      continue;
    }
    if (lib === 'mbedtls' && code < 0) {
      const m = -code;
      const high = entriesFor('mbedtls', -(m & 0xff80));
      const low = entriesFor('mbedtls', -(m & 0x7f));
      if (high.length && low.length) found.push(...high, ...low);
    }
    if (lib === 'bearssl' && code >= 256 && code < 768) {
      const alert = entriesFor('tls-alert', code & 0xff)[0];
      if (alert)
        found.push({
          ...alert,
          library: 'bearssl',
          versions: '0.6',
          code,
          name: `${code < 512 ? 'BR_ERR_RECV_FATAL_ALERT' : 'BR_ERR_SEND_FATAL_ALERT'} + ${alert.code} (${alert.name})`,
          meaning: `${code < 512 ? 'Received' : 'Sent'} fatal alert ${alert.name}: ${alert.meaning}`,
        });
    }
  }
  return found;
}
