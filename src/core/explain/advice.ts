// What an error means for an MQTT-over-TLS setup, by kind: the causes, the fix and the etls run that tells
// the causes apart. Every library's code points at one kind, so the probe, the panel and `etls explain` agree.
import type { DiagnosisCode } from '../mqtt/types';

export interface Advice {
  causes: string[];
  fix: string;
  /** The etls check rule or probe that tells which cause it is. */
  diagnose: string[];
}

const probe = (code: string) =>
  `etls probe --host HOST --ca CA.pem --stack TARGET  (says ${code} when this is the cause)`;
const check = (...codes: string[]) => `etls check  (finding ${codes.join(' / ')})`;

export const advice = {
  'server-untrusted': {
    causes: [
      "the CA certificate on the board is not the root that issued the broker's certificate (e.g. AWS IoT needs Amazon Root CA 1, Let's Encrypt needs ISRG Root X1)",
      'the broker sends its certificate without the intermediate and the board has only the root',
      'the CA was stored in the wrong format (PEM without the NUL terminator on mbedTLS, DER where PEM is expected)',
    ],
    fix: "Put the root CA that issued the broker's chain on the board (or its intermediate too, if the broker does not send it) and rebuild the header.",
    diagnose: [
      probe('server-cert-untrusted'),
      check('chain-unverified', 'aws-root-ca', 'target-root-catalog'),
    ],
  },
  'server-expired': {
    causes: [
      "the board's clock is not set (no SNTP before connecting), so a valid certificate looks expired or not yet valid",
      "the broker's (or the CA's) certificate really expired",
    ],
    fix: "Set the board's clock (SNTP) before the TLS connection; if the certificate really expired, renew it.",
    diagnose: [
      probe('server-cert-expired'),
      check('cert-expired', 'cert-not-yet-valid', 'cert-recently-issued'),
    ],
  },
  'server-name': {
    causes: [
      "the host name the board connects to is not in the broker certificate's subjectAltName",
      'the board connects by IP address and the certificate has no IP SAN',
      'SNI/hostname not set on the TLS context',
    ],
    fix: 'Connect with a name the certificate lists (and set it as the TLS hostname), or reissue the certificate with this name in its SAN.',
    diagnose: [
      probe('server-cert-hostname-mismatch'),
      check('host-not-in-san', 'ip-without-ip-san', 'host-only-in-cn'),
    ],
  },
  'verify-failed': {
    causes: [
      "the broker's certificate is not signed by the CA on the board (most common)",
      "the board's clock is not set, so the dates fail",
      'the host name is not in the certificate',
    ],
    fix: 'Read the verification flags (mbedtls_ssl_get_verify_result / mbedtls_x509_crt_verify_info) or run the probe with the board stack to see which of the three it is.',
    diagnose: [
      probe('server-cert-untrusted / server-cert-expired / server-cert-hostname-mismatch'),
      check('chain-unverified', 'cert-expired', 'host-not-in-san'),
    ],
  },
  'cert-format': {
    causes: [
      'the certificate is DER where PEM is expected (or the reverse)',
      'a PEM string in a C header has no terminating NUL (mbedTLS needs sizeof including it)',
      'the file was truncated or the header was built from the wrong file',
    ],
    fix: 'Regenerate the header with `etls header` for this target, which picks the format and the NUL the target needs.',
    diagnose: [check('target-format', 'target-pem-nul', 'header-stale'), 'etls inspect FILE'],
  },
  'key-format': {
    causes: [
      'the private key is encrypted (has a pass phrase) and the board cannot decrypt it',
      'the key is in a format the board does not read (PKCS#8 vs PKCS#1/SEC1, PEM vs DER)',
      'the key file was truncated, or the certificate was given in place of the key',
    ],
    fix: 'Convert the key to the format the target reads, without a pass phrase: `etls convert KEY --target TARGET`.',
    diagnose: [check('target-key-format', 'target-encrypted-key', 'target-key-type'), 'etls inspect KEY'],
  },
  'key-mismatch': {
    causes: ['the private key does not belong to the client certificate (a key regenerated after the CSR)'],
    fix: 'Use the key the certificate was issued for, or issue a new certificate for this key.',
    diagnose: [check('key-mismatch')],
  },
  'client-cert-rejected': {
    causes: [
      "the broker does not trust the client certificate's issuer (not registered / activated on AWS IoT, wrong cafile on Mosquitto)",
      'the client certificate is missing while the broker requires one (require_certificate true)',
      'the client certificate expired or lacks the clientAuth extended key usage',
    ],
    fix: "Register/activate the device certificate with the broker (AWS IoT: attach a policy and activate it) or add its CA to the broker's cafile.",
    diagnose: [
      probe('client-cert-required / client-cert-rejected'),
      check('missing-client-auth', 'cert-expired'),
    ],
  },
  handshake: {
    causes: [
      'no cipher suite or TLS version in common (e.g. broker TLS 1.3 only, board TLS 1.2; RSA key on a board with only ECC suites)',
      'the broker needs ALPN or SNI the board does not send (AWS IoT on 443 needs ALPN x-amzn-mqtt-ca)',
      'a key or curve the board cannot handle (RSA above 2048 bits on CC3235)',
    ],
    fix: "Make the board's TLS versions, suites, SNI and ALPN match the broker; the probe with the board stack shows which one is missing.",
    diagnose: [
      probe('handshake-failure'),
      check('target-alpn', 'target-key-size', 'aws-port-alpn', 'aws-sni'),
    ],
  },
  'peer-closed': {
    causes: [
      'the broker closed the connection during the handshake: it rejected the client certificate or found no common cipher',
      'the broker rejected the MQTT CONNECT (policy, client id in use) and closed the socket',
      'a port that is not TLS, or a firewall/proxy in between',
    ],
    fix: "Read the broker's log for this connection (Mosquitto: `OpenSSL Error`, AWS IoT: CloudWatch logs), then run the probe.",
    diagnose: [
      probe('client-cert-rejected / handshake-failure / not-tls'),
      'etls broker  (a local broker with verbose logs)',
    ],
  },
  'alert-received': {
    causes: [
      'the broker sent a fatal alert: it refused the client certificate (unknown_ca, bad_certificate) or found no common parameters (handshake_failure)',
    ],
    fix: 'Read the alert number (mbedtls_ssl_context in_msg[1], or the broker log), then see `etls explain alert:N`.',
    diagnose: [probe('client-cert-rejected / handshake-failure')],
  },
  'not-tls': {
    causes: [
      'the port does not speak TLS (1883 is plain MQTT, 8883 is TLS)',
      'an HTTP proxy or captive portal answers instead of the broker',
    ],
    fix: 'Use the TLS port of the broker (8883, or 443 with ALPN on AWS IoT).',
    diagnose: [probe('not-tls')],
  },
  dns: {
    causes: ['the broker host name is misspelt', 'the board has no DNS server (DHCP did not give one)'],
    fix: 'Check the host name and the network settings; try the IP address to tell DNS from the rest (then set the TLS hostname).',
    diagnose: [probe('dns-not-found')],
  },
  tcp: {
    causes: ['nothing listens on that port, or a firewall drops it', 'the Wi-Fi/Ethernet link is not up yet'],
    fix: 'Check the broker address and port, and that the network is up before connecting.',
    diagnose: [probe('connection-refused / timeout')],
  },
  timeout: {
    causes: [
      'the broker did not answer in time (firewall dropping packets, wrong port)',
      'a large RSA handshake on a slow board took longer than the timeout',
    ],
    fix: 'Check the port and firewall; raise the TLS/MQTT timeout on slow boards.',
    diagnose: [probe('timeout')],
  },
  memory: {
    causes: [
      'not enough heap for the TLS buffers (16 KB in, 4+ KB out on mbedTLS) and the certificate chain',
      'a long certificate chain or a 4096-bit RSA key',
    ],
    fix: 'Free heap before connecting, reduce the buffer sizes (MBEDTLS_SSL_IN_CONTENT_LEN / max fragment length), or use an ECC key and a shorter chain.',
    diagnose: [check('target-chain-size', 'target-key-size')],
  },
  'mqtt-auth': {
    causes: [
      'wrong user name or password',
      'AWS IoT / Azure: the user name format is wrong (Azure needs HUB/DEVICE/?api-version=...)',
    ],
    fix: 'Check the MQTT user name and password the broker expects.',
    diagnose: [probe('mqtt-bad-credentials'), check('azure-username')],
  },
  'mqtt-not-authorized': {
    causes: [
      'the broker accepts the TLS connection but the policy/ACL does not allow this client (AWS IoT: no policy attached, or the policy does not allow iot:Connect for this client id)',
      'Mosquitto: use_identity_as_username with an ACL that does not list the certificate CN',
    ],
    fix: "Attach a policy that allows connecting with this client id (AWS IoT), or fix the broker's ACL.",
    diagnose: [probe('mqtt-not-authorized')],
  },
  'mqtt-identifier': {
    causes: [
      'the client id is empty, too long or has characters the broker refuses',
      'Azure IoT Hub: the client id must be the device id',
    ],
    fix: 'Use a client id the broker accepts (AWS IoT: the thing name; Azure: the device id).',
    diagnose: [probe('mqtt-identifier-rejected'), check('azure-cn-device-id')],
  },
  'mqtt-protocol': {
    causes: ['the broker does not support the MQTT version the board sends (3.1 "MQIsdp" vs 3.1.1 vs 5)'],
    fix: 'Set the client to MQTT 3.1.1 (PubSubClient: MQTT_VERSION MQTT_VERSION_3_1_1).',
    diagnose: [probe('mqtt-unsupported-protocol')],
  },
  'mqtt-malformed': {
    causes: [
      'the port speaks another protocol once TLS is up (HTTPS, or WebSockets where raw MQTT was expected)',
      'the broker sent a packet larger than the client accepts (a big retained message on a subscribed topic)',
    ],
    fix: "Check the port (8883 for MQTT over TLS, 443 with ALPN 'x-amzn-mqtt-ca' on AWS), and raise the client's packet buffer or subscribe to narrower topics.",
    diagnose: [probe('mqtt-protocol-error')],
  },
  'mqtt-refused': {
    causes: ['the broker refused for another reason: server unavailable, busy, banned, quota exceeded'],
    fix: "Read the broker's log; retry later with back-off.",
    diagnose: [probe('mqtt-refused')],
  },
  'mqtt-lost': {
    causes: [
      'the broker closed the connection: another client connected with the same client id',
      'the keep-alive expired (the loop did not run often enough)',
      'the broker refused a PUBLISH/SUBSCRIBE (AWS IoT policy) and dropped the connection',
      'the TLS session failed under it (see the TLS error just before)',
    ],
    fix: 'Use a unique client id, call the MQTT loop often, and check the policy for the topics used.',
    diagnose: [
      probe('mqtt-not-authorized'),
      'etls broker  (a local broker logs why it closed the connection)',
    ],
  },
  'mqtt-connect-failed': {
    causes: [
      'the network or TLS connection failed before MQTT started: a TLS error is the usual cause with WiFiClientSecure',
      'wrong host or port',
    ],
    fix: "Print the TLS library's last error (ESP32: client.lastError(), ESP8266: getLastSSLError()) and explain that.",
    diagnose: [probe('server-cert-untrusted / handshake-failure / connection-refused')],
  },
  'file-missing': {
    causes: ['the certificate or key file is not on the board under the name the code uses'],
    fix: 'Push it with `etls push` under the name the firmware opens.',
    diagnose: [check('push-remote-name', 'file-not-found')],
  },
  'root-catalog': {
    causes: [
      'the root CA is not in the SimpleLink trusted root catalog (an outdated catalog, or the playground catalog with a real CA)',
    ],
    fix: 'Update the service pack / certificate catalog, or disable the catalog check for development (SL_SO_SECURE_DISABLE_CERTIFICATE_STORE).',
    diagnose: [check('target-root-catalog', 'target-root-upload')],
  },
  other: {
    causes: ['see the meaning above'],
    fix: 'No specific fix is known for this code in an MQTT/TLS setup.',
    diagnose: [],
  },
} satisfies Record<string, Advice>;

export type AdviceKind = keyof typeof advice;

/** The probe's own diagnosis codes, and the kind they mean, so the probe and `etls explain` say one thing. */
export const probeKinds: Record<DiagnosisCode, AdviceKind> = {
  ok: 'other',
  'dns-not-found': 'dns',
  'connection-refused': 'tcp',
  timeout: 'timeout',
  'not-tls': 'not-tls',
  'server-cert-untrusted': 'server-untrusted',
  'server-cert-hostname-mismatch': 'server-name',
  'server-cert-expired': 'server-expired',
  'server-cert-not-yet-valid': 'server-expired',
  'client-cert-required': 'client-cert-rejected',
  'client-cert-rejected': 'client-cert-rejected',
  'handshake-failure': 'handshake',
  'mqtt-not-authorized': 'mqtt-not-authorized',
  'mqtt-bad-credentials': 'mqtt-auth',
  'mqtt-identifier-rejected': 'mqtt-identifier',
  'mqtt-unsupported-protocol': 'mqtt-protocol',
  'local-files-invalid': 'cert-format',
  'mqtt-refused': 'mqtt-refused',
  'mqtt-protocol-error': 'mqtt-malformed',
  'tls-record-too-large': 'memory',
  'stack-internal-error': 'other',
};
