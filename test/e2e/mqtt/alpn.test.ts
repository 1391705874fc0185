// ALPN: mosquitto 2.0 does not negotiate ALPN itself, so a small Node TLS front that behaves like AWS IoT on
// port 443 (speaks MQTT only to clients that offer x-amzn-mqtt-ca) terminates TLS and relays to a real
// mosquitto's plain listener. The probe must offer, negotiate and report the protocol.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { requireBuiltCli, requireTool } from '../../support/realParts';
import { startMosquitto, type RunningBroker } from './support/broker';
import { etlsAsync } from './support/cli';
import { createTestPki, type TestPki } from './support/pki';

describe('etls probe with ALPN (AWS IoT on port 443 style)', function () {
  this.timeout(120_000);
  let pki: TestPki;
  let broker: RunningBroker;
  let front: Server;
  let frontPort = 0;
  const sockets: Socket[] = [];
  const negotiated: (string | false | null)[] = [];

  before(async () => {
    requireTool('mosquitto', 'apt-get install mosquitto');
    requireBuiltCli();
    pki = createTestPki();
    broker = await startMosquitto(pki.dir, 'behind-front', '');
    front = createServer(
      {
        cert: readFileSync(pki.file('server.pem')),
        key: readFileSync(pki.file('server.key')),
        ALPNProtocols: ['x-amzn-mqtt-ca'],
      },
      (tls: TLSSocket) => {
        sockets.push(tls);
        negotiated.push(tls.alpnProtocol);
        // Like AWS IoT on 443: without the MQTT ALPN protocol the client is not an MQTT client; hang up.
        if (tls.alpnProtocol !== 'x-amzn-mqtt-ca') {
          tls.end();
          return;
        }
        const upstream = netConnect(broker.port, '127.0.0.1');
        sockets.push(upstream);
        tls.pipe(upstream).pipe(tls);
        tls.on('error', () => upstream.destroy());
        upstream.on('error', () => tls.destroy());
      },
    );
    front.on('tlsClientError', () => {});
    await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
    const a = front.address();
    frontPort = typeof a === 'object' && a ? a.port : 0;
  });

  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => (front ? front.close(() => r()) : r()));
    await broker?.stop();
    pki?.remove();
  });

  const probe = async (extra: string[]) => {
    const r = await etlsAsync([
      'probe',
      '--host',
      'localhost',
      '--port',
      String(frontPort),
      '--ca',
      pki.file('ca.pem'),
      '--json',
      '--timeout',
      '8',
      ...extra,
    ]);
    return { ...JSON.parse(r.stdout), status: r.status } as {
      code: string;
      fix: string;
      status: number;
      details: { tls?: { alpn?: string }; roundTrip?: string };
    };
  };

  it('offers x-amzn-mqtt-ca, sees it negotiated, and completes a round trip', async () => {
    const r = await probe(['--alpn', 'x-amzn-mqtt-ca']);
    assert.equal(r.code, 'ok');
    assert.equal(r.status, 0);
    assert.equal(r.details.tls?.alpn, 'x-amzn-mqtt-ca');
    assert.equal(r.details.roundTrip, 'ok');
    assert.equal(negotiated.at(-1), 'x-amzn-mqtt-ca');
  });

  it('without ALPN the TLS handshake succeeds and the broker hangs up: explained, with the AWS hint', async () => {
    const r = await probe([]);
    assert.equal(r.code, 'mqtt-not-authorized');
    assert.match(r.fix, /not activated, or has no policy/);
    assert.equal(negotiated.at(-1), false);
  });

  it('a protocol the broker does not speak is a handshake failure that names ALPN', async () => {
    const r = await probe(['--alpn', 'mqtt']);
    assert.equal(r.code, 'handshake-failure');
    assert.match(r.fix, /x-amzn-mqtt-ca/);
  });
});
