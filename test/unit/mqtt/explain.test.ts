// explainFailure: every stable code from plain-object evidence, and the concrete fixes from local facts.
import { strict as assert } from 'node:assert';
import { explainConnack, explainFailure, type LocalFacts } from '../../../src/core/mqtt/explain';
import { diagnosisCodes, type FailureEvidence } from '../../../src/core/mqtt/types';

const at = { host: 'broker.local', port: 8883 };
const ev = (e: Partial<FailureEvidence> & Pick<FailureEvidence, 'stage'>): FailureEvidence => ({
  ...at,
  ...e,
});

describe('explainFailure', () => {
  const cases: [string, FailureEvidence, string, string][] = [
    ['success', ev({ stage: 'done' }), 'ok', 'done'],
    ['unknown host', ev({ stage: 'dns', error: { code: 'ENOTFOUND' } }), 'dns-not-found', 'dns'],
    ['no DNS answer', ev({ stage: 'dns', error: { code: 'EAI_AGAIN' } }), 'dns-not-found', 'dns'],
    ['DNS never answers', ev({ stage: 'dns', error: { code: 'timeout' } }), 'dns-not-found', 'dns'],
    ['closed port', ev({ stage: 'tcp', error: { code: 'ECONNREFUSED' } }), 'connection-refused', 'tcp'],
    ['unreachable', ev({ stage: 'tcp', error: { code: 'EHOSTUNREACH' } }), 'connection-refused', 'tcp'],
    ['silent TCP', ev({ stage: 'tcp', error: { code: 'timeout' } }), 'timeout', 'tcp'],
    ['silent TLS', ev({ stage: 'tls', error: { code: 'timeout' } }), 'timeout', 'tls'],
    [
      'no CONNACK',
      ev({ stage: 'mqtt', error: { code: 'timeout' }, tlsEstablished: true }),
      'timeout',
      'mqtt',
    ],
    [
      'plain port closes',
      ev({ stage: 'tls', error: { code: 'ECONNRESET' }, bytesFromServer: 0 }),
      'not-tls',
      'tls',
    ],
    [
      'plain port answers',
      ev({ stage: 'tls', error: { code: 'ERR_SSL_WRONG_VERSION_NUMBER' }, bytesFromServer: 4 }),
      'not-tls',
      'tls',
    ],
    [
      'unknown root',
      ev({ stage: 'tls', error: { code: 'SELF_SIGNED_CERT_IN_CHAIN' } }),
      'server-cert-untrusted',
      'tls',
    ],
    [
      'missing intermediate',
      ev({ stage: 'tls', error: { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' } }),
      'server-cert-untrusted',
      'tls',
    ],
    [
      'wrong name',
      ev({ stage: 'tls', error: { code: 'ERR_TLS_CERT_ALTNAME_INVALID' } }),
      'server-cert-hostname-mismatch',
      'tls',
    ],
    ['expired', ev({ stage: 'tls', error: { code: 'CERT_HAS_EXPIRED' } }), 'server-cert-expired', 'tls'],
    [
      'future',
      ev({ stage: 'tls', error: { code: 'CERT_NOT_YET_VALID' } }),
      'server-cert-not-yet-valid',
      'tls',
    ],
    [
      'TLS 1.3 cert required',
      ev({
        stage: 'mqtt',
        error: { code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' },
        tlsEstablished: true,
      }),
      'client-cert-required',
      'tls',
    ],
    [
      'TLS 1.2 cert required',
      ev({
        stage: 'tls',
        error: { code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' },
        bytesFromServer: 2157,
        clientCertOffered: false,
      }),
      'client-cert-required',
      'tls',
    ],
    [
      'unknown CA alert',
      ev({ stage: 'tls', error: { code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA' }, clientCertOffered: true }),
      'client-cert-rejected',
      'tls',
    ],
    [
      'bad certificate alert',
      ev({ stage: 'mqtt', error: { code: 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE' }, clientCertOffered: true }),
      'client-cert-rejected',
      'tls',
    ],
    [
      'no shared cipher',
      ev({ stage: 'tls', error: { code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' }, bytesFromServer: 7 }),
      'handshake-failure',
      'tls',
    ],
    [
      'version',
      ev({ stage: 'tls', error: { code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION' } }),
      'handshake-failure',
      'tls',
    ],
    [
      'ALPN',
      ev({
        stage: 'tls',
        error: { code: 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL' },
        alpnOffered: ['mqtt'],
      }),
      'handshake-failure',
      'tls',
    ],
    [
      'not authorized v3',
      ev({ stage: 'mqtt', connackCode: 5, mqttVersion: 3 }),
      'mqtt-not-authorized',
      'mqtt',
    ],
    [
      'not authorized v5',
      ev({ stage: 'mqtt', connackCode: 0x87, mqttVersion: 5 }),
      'mqtt-not-authorized',
      'mqtt',
    ],
    [
      'bad password v3',
      ev({ stage: 'mqtt', connackCode: 4, mqttVersion: 3 }),
      'mqtt-bad-credentials',
      'mqtt',
    ],
    [
      'bad password v5',
      ev({ stage: 'mqtt', connackCode: 0x86, mqttVersion: 5 }),
      'mqtt-bad-credentials',
      'mqtt',
    ],
    [
      'client id v3',
      ev({ stage: 'mqtt', connackCode: 2, mqttVersion: 3 }),
      'mqtt-identifier-rejected',
      'mqtt',
    ],
    [
      'client id v5',
      ev({ stage: 'mqtt', connackCode: 0x85, mqttVersion: 5 }),
      'mqtt-identifier-rejected',
      'mqtt',
    ],
    [
      'protocol v3',
      ev({ stage: 'mqtt', connackCode: 1, mqttVersion: 3 }),
      'mqtt-unsupported-protocol',
      'mqtt',
    ],
    [
      'protocol v5',
      ev({ stage: 'mqtt', connackCode: 0x84, mqttVersion: 5 }),
      'mqtt-unsupported-protocol',
      'mqtt',
    ],
    ['server busy', ev({ stage: 'mqtt', connackCode: 3, mqttVersion: 3 }), 'mqtt-refused', 'mqtt'],
    [
      'closed after TLS',
      ev({ stage: 'mqtt', closedWithoutConnack: true, tlsEstablished: true }),
      'mqtt-not-authorized',
      'mqtt',
    ],
    [
      'SUBSCRIBE never answered',
      ev({ stage: 'subscribe', error: { code: 'timeout' }, tlsEstablished: true }),
      'timeout',
      'subscribe',
    ],
    [
      'round trip never back',
      ev({ stage: 'publish', error: { code: 'timeout' }, tlsEstablished: true }),
      'timeout',
      'publish',
    ],
    [
      'huge packet announced',
      ev({
        stage: 'mqtt',
        error: { code: 'packet-too-large' },
        tlsEstablished: true,
        packetTooLarge: { announced: 268435455, limit: 16777216 },
      }),
      'mqtt-protocol-error',
      'mqtt',
    ],
    [
      'a board stack whose record buffer is smaller than the broker record',
      ev({
        stage: 'tls',
        error: { code: 'record-too-large' },
        recordTooLarge: { largest: 4349, limit: 4096 },
      }),
      'tls-record-too-large',
      'tls',
    ],
    [
      'a board stack that trapped',
      ev({ stage: 'tls', error: { code: 'stack-internal-error', message: 'the engine trapped' } }),
      'stack-internal-error',
      'tls',
    ],
    [
      'not MQTT after TLS',
      ev({ stage: 'mqtt', error: { code: 'packet-malformed', message: 'Invalid header flag bits' } }),
      'mqtt-protocol-error',
      'mqtt',
    ],
    [
      'SNI refused with illegal_parameter',
      ev({
        stage: 'tls',
        error: {
          code: 'ERR_SSL_SSLV3_ALERT_ILLEGAL_PARAMETER',
          message: 'ssl3_read_bytes:sslv3 alert illegal parameter:SSL alert number 47',
        },
      }),
      'handshake-failure',
      'tls',
    ],
    [
      'unreadable key',
      ev({ stage: 'setup', error: { code: 'setup', message: 'The pass phrase does not open device.key.' } }),
      'local-files-invalid',
      'setup',
    ],
  ];
  for (const [name, evidence, code, stage] of cases) {
    it(`${name} -> ${code}`, () => {
      const r = explainFailure(evidence);
      assert.equal(r.code, code);
      assert.equal(r.stage, stage);
      assert.ok(r.message.length > 10 && !/\n\s+at /.test(r.message), 'a plain sentence, no stack');
      assert.ok(r.fix.length > 5);
    });
  }

  it('covers every stable code', () => {
    const seen = new Set(cases.map((c) => c[2]));
    assert.deepEqual(
      diagnosisCodes.filter((c) => !seen.has(c)),
      [],
    );
  });

  it('names both roots when the CA file is the wrong one (the CC3200 VeriSign G5 story)', () => {
    const facts: LocalFacts = {
      caFile: 'rootCA.pem',
      caNames: ['VeriSign Class 3 Public Primary Certification Authority - G5'],
      chainRootIssuer: 'Amazon Root CA 1',
    };
    const r = explainFailure(
      ev({ stage: 'tls', error: { code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' } }),
      facts,
    );
    assert.equal(r.code, 'server-cert-untrusted');
    assert.match(
      r.fix,
      /issued by "Amazon Root CA 1", but your CA file \(rootCA\.pem\) holds "VeriSign Class 3 Public Primary Certification Authority - G5"/,
    );
    assert.match(r.fix, /Amazon Root CA 1 for RSA/);
  });

  it('says the client certificate is not signed by a CA the broker trusts, naming its issuer', () => {
    const facts: LocalFacts = {
      clientCertName: 'device-02',
      clientCertIssuer: 'Other CA',
      caNames: ['Dev CA'],
      clientCertIssuerInCaFile: false,
    };
    const r = explainFailure(
      ev({ stage: 'tls', error: { code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA' }, clientCertOffered: true }),
      facts,
    );
    assert.equal(r.code, 'client-cert-rejected');
    assert.match(r.fix, /"device-02", issued by "Other CA", is not signed by a CA this broker trusts/);
  });

  it('explains a close right after TLS as an AWS IoT activation or policy problem', () => {
    const r = explainFailure(ev({ stage: 'mqtt', closedWithoutConnack: true, tlsEstablished: true }));
    assert.match(r.fix, /not activated, or has no policy attached/);
  });

  it('points at ALPN first when port 443 closes after TLS and no ALPN was offered', () => {
    const r = explainFailure({
      stage: 'mqtt',
      host: 'a-ats.iot.eu-west-1.amazonaws.com',
      port: 443,
      closedWithoutConnack: true,
      tlsEstablished: true,
    });
    assert.match(r.fix, /^On port 443 AWS IoT speaks MQTT only when the client offers ALPN "x-amzn-mqtt-ca"/);
  });

  it('names the host names the server certificate is for', () => {
    const r = explainFailure(ev({ stage: 'tls', error: { code: 'ERR_TLS_CERT_ALTNAME_INVALID' } }), {
      serverNames: ['broker.example.com'],
    });
    assert.match(r.message, /is for "broker\.example\.com", not for "broker\.local"/);
  });

  it('mentions the emulated board when no cipher is shared', () => {
    const r = explainFailure(
      ev({
        stage: 'tls',
        error: { code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' },
        bytesFromServer: 7,
        target: 'cc3200',
      }),
    );
    assert.match(r.message, /cc3200/);
  });

  it('maps unknown CONNACK codes to mqtt-refused with the code', () => {
    assert.equal(explainConnack(0x97, 5).code, 'mqtt-refused');
    assert.match(explainConnack(0x97, 5).message, /151/);
  });

  it('names the TLS alert the broker sent instead of blaming the cipher suites', () => {
    for (const [error, name] of [
      [
        { code: 'ERR_SSL_SSLV3_ALERT_ILLEGAL_PARAMETER', message: 'x:SSL alert number 47' },
        'illegal_parameter (47)',
      ],
      [
        { code: 'ERR_SSL_TLSV1_UNRECOGNIZED_NAME', message: 'tlsv1 unrecognized name' },
        'unrecognized_name (112)',
      ],
      [{ code: 'ERR_SSL_TLSV1_ALERT_DECODE_ERROR' }, 'decode_error (50)'],
      [{ code: 'ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR', message: 'SSL alert number 80' }, 'internal_error (80)'],
    ] as const) {
      const r = explainFailure(ev({ stage: 'tls', error }));
      assert.equal(r.code, 'handshake-failure');
      assert.match(r.message, new RegExp(`alert ${name.replace(/[()]/g, '\\$&')}`));
      assert.doesNotMatch(r.message, /cipher/);
    }
    const sni = explainFailure(
      ev({ stage: 'tls', error: { code: 'ERR_SSL_SSLV3_ALERT_ILLEGAL_PARAMETER' }, host: 'brokr.local' }),
    );
    assert.match(sni.fix, /"brokr\.local"/);
    // A real handshake_failure keeps its usual meaning, and says which alert it was.
    const hs = explainFailure(
      ev({
        stage: 'tls',
        error: { code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', message: 'SSL alert number 40' },
        clientCertOffered: true,
        bytesFromServer: 7,
      }),
    );
    assert.match(hs.message, /no cipher suite or TLS version in common \(alert handshake_failure\)/);
  });

  it('names the server name, not the host, when the server name was set', () => {
    const r = explainFailure(
      ev({
        stage: 'tls',
        error: { code: 'ERR_TLS_CERT_ALTNAME_INVALID' },
        host: '10.0.0.5',
        servername: 'brokr.local',
      }),
      { serverNames: ['broker.local', '10.0.0.5'] },
    );
    assert.equal(r.code, 'server-cert-hostname-mismatch');
    assert.match(r.message, /not for the server name "brokr\.local"/);
  });

  it('says how large the announced packet was and the limit', () => {
    const r = explainFailure(
      ev({
        stage: 'mqtt',
        error: { code: 'packet-too-large' },
        packetTooLarge: { announced: 268435455, limit: 16777216 },
      }),
    );
    assert.match(r.message, /268,435,455 bytes, over the 16,777,216-byte limit/);
  });
});
