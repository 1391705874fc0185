// BearSSL 0.6 in WebAssembly (wasm/dist/bearssl-0.6.wasm), configured as the ESP8266 core runs it,
// against real mosquitto TLS listeners: the handshake and an MQTT CONNECT/CONNACK through the
// engine, and the BearSSL error numbers a board prints for each misconfiguration.
import { strict as assert } from 'node:assert';
import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { OpenSslPki } from '../../support/openssl';
import { run, requireTool } from '../../support/realParts';
import {
  BearSslEngine,
  ETLS_E,
  boardHandshake,
  mqttConnect,
  type BoardTls,
  type HandshakeResult,
} from '../../support/bearsslWasm';
import { startMosquitto, type RunningBroker } from '../mqtt/support/broker';
import { createTestPki, type TestPki } from '../mqtt/support/pki';

const pemCerts = (file: string): Buffer[] =>
  (
    readFileSync(file, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
  ).map((pem) => Buffer.from(new X509Certificate(pem).raw));
const why = (r: HandshakeResult): string => (r.ok ? 'ok' : `${r.error}: ${r.text}`);
const keyDer = (file: string): Buffer =>
  createPrivateKey(readFileSync(file)).export({ format: 'der', type: 'pkcs8' }) as Buffer;

describe('BearSSL 0.6 wasm engine against real mosquitto', function () {
  this.timeout(120_000);
  let pki: TestPki;
  const brokers: Record<string, RunningBroker> = {};

  const tls = (cert: string, extra = '') =>
    `certfile ${pki.file(`${cert}.pem`)}\nkeyfile ${pki.file(`${cert}.key`)}\ncafile ${pki.file('ca.pem')}\n${extra}`;
  const ca = () => pemCerts(pki.file('ca.pem'));

  /** Handshake with the board's defaults plus `o`; the CA is the broker's unless `o.ca` says. */
  const handshake = (broker: string, o: Partial<BoardTls> & { boardTime?: Date } = {}) =>
    boardHandshake(brokers[broker]!.port, { ca: ca(), ...o, engine: new BearSslEngine(o.boardTime) });

  before(async () => {
    requireTool('mosquitto', 'apt-get install mosquitto');
    requireTool('openssl');
    pki = createTestPki();
    const more = new OpenSslPki(pki.dir);
    const caIssued = { cert: pki.file('ca.pem'), key: pki.file('ca.key') };
    const leaf = ['basicConstraints=CA:FALSE', 'subjectAltName=DNS:localhost,IP:127.0.0.1'];
    more.issue('device-ec', '/CN=device-ec', caIssued, {
      keySpec: 'ec:P-256',
      ext: ['basicConstraints=CA:FALSE'],
    });
    // A server key on a curve BearSSL does not implement (brainpoolP256r1).
    more.issue('server-brainpool', '/CN=localhost', caIssued, { keySpec: 'ec:brainpoolP256r1', ext: leaf });
    // A leaf signed with RSA-PSS by the trusted root: BearSSL 0.6 verifies PKCS#1 v1.5 only.
    run('openssl', [
      'req',
      '-new',
      '-key',
      more.key('server-pss.key'),
      '-subj',
      '/CN=localhost',
      '-out',
      pki.file('server-pss.csr'),
    ]);
    writeFileSync(pki.file('server-pss.ext'), leaf.join('\n') + '\n');
    run('openssl', [
      'x509',
      '-req',
      '-in',
      pki.file('server-pss.csr'),
      '-CA',
      caIssued.cert,
      '-CAkey',
      caIssued.key,
      '-set_serial',
      '4242',
      '-days',
      '30',
      '-extfile',
      pki.file('server-pss.ext'),
      '-out',
      pki.file('server-pss.pem'),
      '-sigopt',
      'rsa_padding_mode:pss',
      '-sigopt',
      'rsa_pss_saltlen:32',
    ]);

    const defs: [string, string][] = [
      ['open', tls('server')],
      ['mtls', tls('server', 'require_certificate true')],
      ['wrongname', tls('server-wrongname')],
      ['expired', tls('server-expired')],
      ['brainpool', tls('server-brainpool')],
      ['pss', tls('server-pss')],
      ['tls13', tls('server', 'tls_version tlsv1.3')],
    ];
    for (const [name, listener] of defs) brokers[name] = await startMosquitto(pki.dir, name, listener);
  });

  after(async () => {
    for (const b of Object.values(brokers)) await b.stop();
    pki?.remove();
  });

  it('completes the handshake and an MQTT CONNECT/CONNACK through the engine', async () => {
    const r = await handshake('open');
    assert.ok(r.ok, why(r));
    r.conn.write(mqttConnect('bearssl-wasm'));
    // CONNACK, remaining length 2, no session present, return code 0 (accepted).
    assert.equal((await r.conn.read(4)).toString('hex'), '20020000');
    const info = r.conn.engine.info();
    assert.equal(info.library, 'bearssl');
    assert.equal(info.version, '0.6');
    assert.equal(info.tlsVersion, 'TLSv1.2');
    assert.match(info.cipherSuite ?? '', /^TLS_ECDHE_RSA_WITH_/);
    // The ESP8266 core's buffers: 16 KB in, 512 out, so BearSSL asks for 512-byte records.
    assert.equal(info.config['in-content-len'], 16384);
    assert.equal(info.config['out-content-len'], 512);
    assert.equal(info.config['max-fragment-length'], '512');
    assert.equal(info.config['tls-max'], '1.2');
    r.conn.close();
    // The broker's own word that the board's session was an MQTT client (its log can lag a little).
    for (let i = 0; i < 100 && !/as bearssl-wasm/.test(brokers.open!.log()); i++) await sleep(20);
    assert.match(brokers.open!.log(), /New client connected from 127\.0\.0\.1:\d+ as bearssl-wasm/);
  });

  it('a CA from another CA: 62 BR_ERR_X509_NOT_TRUSTED', async () => {
    const r = await handshake('open', { ca: pemCerts(pki.file('otherca.pem')) });
    assert.ok(!r.ok);
    assert.equal(r.code, -62);
    assert.equal(r.error, 62);
    assert.equal(r.text, 'Chain could not be linked to a trust anchor.');
  });

  it('no trust anchor at all (no setTrustAnchors) is the same 62', async () => {
    const r = await handshake('open', { ca: [] });
    assert.ok(!r.ok);
    assert.equal(r.error, 62);
  });

  it('board clock at 1970: 54 BR_ERR_X509_EXPIRED, the one number BearSSL has for both directions', async () => {
    const r = await handshake('open', { boardTime: new Date('1970-01-01T00:00:00Z') });
    assert.ok(!r.ok);
    assert.equal(r.error, 54);
    assert.equal(r.text, 'Certificate is expired or not yet valid.');
    // The engine reads the dates too, so the probe can say which way it was.
    assert.equal(r.engine.info().validity, 'not-yet-valid');
    const expired = await handshake('expired');
    assert.ok(!expired.ok);
    assert.equal(expired.error, 54);
    assert.equal(expired.engine.info().validity, 'expired');
    // The same chain is fine for a board that believes it is 2020-06.
    const then = await handshake('expired', { boardTime: new Date('2020-06-01T00:00:00Z') });
    assert.ok(then.ok, why(then));
    then.conn.close();
  });

  it('a broker certificate for another name: 56 BR_ERR_X509_BAD_SERVER_NAME, also with sni=off', async () => {
    for (const options of [{}, { sni: 'off' }] as Record<string, string>[]) {
      const r = await handshake('wrongname', { options });
      assert.ok(!r.ok, JSON.stringify(options));
      assert.equal(r.error, 56);
    }
  });

  it('a broker key on brainpoolP256r1, which BearSSL lacks: the broker refuses the hello (296 = alert 40)', async () => {
    const r = await handshake('brainpool');
    assert.ok(!r.ok);
    assert.equal(r.error, 256 + 40);
    assert.equal(r.text, 'Received fatal alert 40 (TLS alert number)');
  });

  it('a broker certificate signed with RSA-PSS, which BearSSL 0.6 cannot verify', async () => {
    const r = await handshake('pss');
    assert.ok(!r.ok);
    assert.equal(r.error, 49, r.text); // BR_ERR_X509_UNSUPPORTED
  });

  it('a CA on a curve BearSSL lacks cannot become a trust anchor (BR_ERR_X509_UNSUPPORTED)', () => {
    const more = new OpenSslPki(pki.dir);
    const bp = more.root('ca-brainpool', '/CN=brainpool root', { keySpec: 'ec:brainpoolP256r1' });
    const e = new BearSslEngine();
    const der = pemCerts(bp.cert)[0]!;
    assert.equal(
      e.withBytes(der, (p, n) => e.x.etls_add_ca_der(p, n)),
      -49,
    );
  });

  it('a TLS 1.3-only broker: BearSSL has no TLS 1.3 (the broker answers protocol_version, 326)', async () => {
    const r = await handshake('tls13');
    assert.ok(!r.ok);
    assert.equal(r.error, 256 + 70);
  });

  it('a broker that demands a client certificate, none given: 296 (handshake_failure alert)', async () => {
    const r = await handshake('mtls');
    assert.ok(!r.ok);
    assert.equal(r.error, 256 + 40);
    assert.equal(r.engine.info().peerAlert, 40);
  });

  it('client certificates, RSA and EC (br_ssl_client_set_single_rsa/ec), get a CONNACK', async () => {
    for (const name of ['device', 'device-ec']) {
      const r = await handshake('mtls', {
        cert: pemCerts(pki.file(`${name}.pem`)),
        key: keyDer(pki.file(`${name}.key`)),
      });
      assert.ok(r.ok, `${name}: ${why(r)}`);
      r.conn.write(mqttConnect(name));
      assert.equal((await r.conn.read(4)).toString('hex'), '20020000');
      r.conn.close();
    }
  });

  it('setInsecure() accepts any broker; setFingerprint() only the one whose SHA-1 matches', async () => {
    const other = pemCerts(pki.file('otherca.pem'));
    const insecure = await handshake('open', { ca: other, options: { verify: 'insecure' } });
    assert.ok(insecure.ok, why(insecure));
    insecure.conn.close();
    const sha1 = createHash('sha1')
      .update(pemCerts(pki.file('server.pem'))[0]!)
      .digest('hex');
    const right = await handshake('open', {
      ca: other,
      options: { fingerprint: sha1.replace(/(..)(?!$)/g, '$1:') },
    });
    assert.ok(right.ok, why(right));
    assert.equal(right.conn.engine.info().config.verify, 'fingerprint');
    right.conn.close();
    const wrong = await handshake('open', { options: { fingerprint: '00'.repeat(20) } });
    assert.ok(!wrong.ok);
    assert.equal(wrong.error, 62);
  });

  it('smaller record buffers ask the broker for smaller records and still connect', async () => {
    const r = await handshake('open', { options: { 'iobuf-in': '2048', 'iobuf-out': '2048' } });
    assert.ok(r.ok, why(r));
    assert.equal(r.conn.engine.info().config['max-fragment-length'], '2048');
    r.conn.write(mqttConnect('small-buffers'));
    assert.equal((await r.conn.read(4)).toString('hex'), '20020000');
    r.conn.close();
  });

  it('refuses unknown option keys and values with distinct codes, and lists the valid ones', () => {
    const e = new BearSslEngine();
    assert.equal(e.setOption('in-content-len', '4096'), 0);
    assert.equal(e.setOption('no-such-key', 'x'), ETLS_E.UNKNOWN_KEY);
    assert.equal(e.setOption('tls-max', '1.3'), ETLS_E.BAD_VALUE);
    assert.equal(e.setOption('verify', 'optional'), ETLS_E.BAD_VALUE);
    assert.equal(e.setOption('iobuf-in', '100'), ETLS_E.BAD_VALUE);
    assert.equal(e.setOption('ciphersuites', 'TLS_AES_128_GCM_SHA256'), ETLS_E.BAD_VALUE);
    assert.equal(e.setOption('ciphersuites', 'TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256'), 0);
    assert.equal(e.setOption('fingerprint', 'abcd'), ETLS_E.BAD_VALUE);
    const options = JSON.parse(e.text((b, l) => e.x.etls_options(b, l))) as Record<string, unknown>;
    assert.deepEqual(options['tls-max'], ['1.0', '1.1', '1.2']);
    assert.ok((options.ciphersuites as string[]).includes('TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'));
    assert.deepEqual(options.curves, ['secp256r1', 'secp384r1', 'secp521r1', 'x25519']);
    assert.equal(e.info().config['in-content-len'], 4096);
    assert.equal(e.info().config.ciphersuites, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    // Once started, the configuration is fixed.
    assert.equal(
      e.withBytes('localhost', (p) => e.x.etls_start(p)),
      0,
    );
    assert.equal(e.setOption('sni', 'off'), ETLS_E.STATE);
  });
});
