// `etls probe` against small TLS servers written here (node:tls, real handshakes) that misbehave the
// way a broken or hostile broker does: silent after CONNACK, no CONNACK, a 268 MB packet, a TLS alert,
// an untrusted certificate that asks for the device's certificate.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { requireBuiltCli, requireTool } from '../../support/realParts';
import { etlsAsync } from './support/cli';
import { createTestPki, type TestPki } from './support/pki';

interface Fake {
  port: number;
  /** What the server saw of each connection. */
  seen: {
    servername: string | false | null | undefined;
    clientCert: boolean;
    bytesWritten: number;
    /** The handshake finished (else the client broke it off). */
    completed: boolean;
  }[];
  close(): Promise<void>;
}

/** A TLS server with the broker certificate; `onConnect` decides what it says. */
async function fakeBroker(
  pki: TestPki,
  onConnect: (s: TLSSocket, record: Fake['seen'][number]) => void,
  o: { cert?: string; requestCert?: boolean } = {},
): Promise<Fake> {
  const cert = o.cert ?? 'server';
  const sockets = new Set<Socket>();
  const seen: Fake['seen'] = [];
  const server: Server = createServer(
    {
      cert: readFileSync(pki.file(`${cert}.pem`)),
      key: readFileSync(pki.file(`${cert}.key`)),
      requestCert: !!o.requestCert,
      rejectUnauthorized: false,
    },
    (s) => {
      const peer = s.getPeerCertificate();
      const record = {
        servername: s.servername,
        clientCert: !!peer && Object.keys(peer).length > 0,
        bytesWritten: 0,
        completed: true,
      };
      seen.push(record);
      s.on('error', () => {});
      onConnect(s, record);
    },
  );
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // A handshake the client broke off: what had the server received by then?
  server.on('tlsClientError', (_e, s: TLSSocket) => {
    const peer = s.getPeerCertificate?.();
    seen.push({
      servername: s.servername,
      clientCert: !!peer && Object.keys(peer).length > 0,
      bytesWritten: 0,
      completed: false,
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : 0,
    seen,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/** Answers CONNECT with CONNACK (accepted), then reads everything and answers nothing, never closing. */
const silentAfterConnack = (s: TLSSocket) => s.once('data', () => s.write(Buffer.from([0x20, 2, 0, 0])));

describe('etls probe against misbehaving TLS servers', function () {
  this.timeout(120_000);
  let pki: TestPki;
  const fakes: Fake[] = [];
  const track = (f: Fake) => (fakes.push(f), f);

  before(() => {
    requireTool('openssl');
    requireBuiltCli();
    pki = createTestPki();
  });
  after(async () => {
    for (const f of fakes) await f.close();
    pki?.remove();
  });

  const probe = async (port: number, extra: string[] = [], host = '127.0.0.1') => {
    const t0 = Date.now();
    const r = await etlsAsync([
      'probe',
      '--host',
      host,
      '--port',
      String(port),
      '--ca',
      pki.file('ca.pem'),
      '--json',
      ...extra,
    ]);
    assert.equal(r.stderr, '', r.stderr);
    const json = JSON.parse(r.stdout) as {
      ok: boolean;
      code: string;
      stage: string;
      message: string;
      details: { roundTrip?: string };
    };
    return { ...json, status: r.status, seconds: (Date.now() - t0) / 1000 };
  };

  it('a broker silent after CONNACK: a timeout verdict at subscribe, non-zero, within the deadline', async () => {
    const f = track(await fakeBroker(pki, silentAfterConnack));
    const r = await probe(f.port, ['--timeout', '3']);
    assert.equal(r.code, 'timeout');
    assert.equal(r.stage, 'subscribe');
    assert.equal(r.ok, false);
    assert.equal(r.status, 1);
    // Hang guard from the acceptance check: 3 s of deadline plus start-up, well under 6 s.
    assert.ok(r.seconds < 6, `took ${r.seconds} s`);
    assert.match(r.message, /never answered the test SUBSCRIBE/);
    assert.equal(r.details.roundTrip, undefined, 'no round trip was made');
  });

  it('a broker that never sends CONNACK is a timeout at mqtt, not a refusal', async () => {
    const f = track(await fakeBroker(pki, () => {}));
    const r = await probe(f.port, ['--timeout', '2']);
    assert.equal(r.code, 'timeout');
    assert.equal(r.stage, 'mqtt');
    assert.equal(r.status, 1);
    assert.ok(r.seconds < 6, `took ${r.seconds} s`);
  });

  it('a CONNACK that announces 268 MB is refused at its header, not buffered', async () => {
    const f = track(
      await fakeBroker(pki, (s, record) => {
        s.once('data', () => {
          // Fixed header: CONNACK, remaining length 268,435,455 (the largest MQTT allows), then filler.
          const chunk = Buffer.alloc(64 * 1024);
          const pump = (): void => {
            while (!s.destroyed && record.bytesWritten < 300 * 1024 * 1024) {
              record.bytesWritten += chunk.length;
              if (!s.write(chunk)) {
                s.once('drain', pump);
                return;
              }
            }
          };
          s.write(Buffer.from([0x20, 0xff, 0xff, 0xff, 0x7f]));
          pump();
        });
      }),
    );
    const r = await probe(f.port, ['--timeout', '20']);
    assert.equal(r.code, 'mqtt-protocol-error');
    assert.match(r.message, /268,435,455 bytes/);
    assert.equal(r.status, 1);
    assert.ok(f.seen[0]!.bytesWritten < 32 * 1024 * 1024, `server pushed ${f.seen[0]!.bytesWritten} bytes`);
  });

  it('an untrusted server that asks for a client certificate never receives one', async () => {
    const device = ['--cert', pki.file('device.pem'), '--key', pki.file('device.key')];
    // The stale root of the CC3200 story: the server's chain is not from the CA file given.
    const untrusted = track(await fakeBroker(pki, silentAfterConnack, { requestCert: true }));
    // Control first: with the right CA, the same server gets the certificate (so the check can fail).
    const r = await probe(untrusted.port, ['--timeout', '3', ...device]);
    assert.equal(r.code, 'timeout');
    assert.equal(untrusted.seen.at(-1)?.clientCert, true);

    const wrongCa = await etlsAsync([
      'probe',
      '--host',
      '127.0.0.1',
      '--port',
      String(untrusted.port),
      '--ca',
      pki.file('otherca.pem'),
      '--json',
      ...device,
    ]);
    const json = JSON.parse(wrongCa.stdout) as { code: string; fix: string };
    assert.equal(json.code, 'server-cert-untrusted');
    assert.match(json.fix, /issued by "Test Amazon Root CA 1"/, 'the plain-language explanation is kept');
    assert.equal(untrusted.seen.length, 2);
    assert.deepEqual(
      untrusted.seen.map((x) => [x.completed, x.clientCert]),
      [
        [true, true],
        [false, false],
      ],
      'the device certificate must not reach the server',
    );

    // A trusted chain for the wrong name is refused before the certificate is sent, too.
    const wrongName = track(
      await fakeBroker(pki, silentAfterConnack, { requestCert: true, cert: 'server-wrongname' }),
    );
    const m = await probe(wrongName.port, ['--timeout', '5', ...device]);
    assert.equal(m.code, 'server-cert-hostname-mismatch');
    assert.deepEqual(
      wrongName.seen.map((x) => [x.completed, x.clientCert]),
      [[false, false]],
    );
  });

  it('no SNI for an IP address; the host name as SNI otherwise', async () => {
    const f = track(await fakeBroker(pki, silentAfterConnack));
    await probe(f.port, ['--timeout', '2', '--no-round-trip']);
    await probe(f.port, ['--timeout', '2', '--no-round-trip'], 'localhost');
    assert.deepEqual(
      f.seen.map((x) => x.servername || undefined),
      [undefined, 'localhost'],
    );
  });

  it('a TLS alert from the broker is named, not called a cipher mismatch', async () => {
    for (const [alert, name] of [
      [47, 'illegal_parameter'],
      [112, 'unrecognized_name'],
      [80, 'internal_error'],
    ] as const) {
      // Reads the ClientHello and answers with one fatal alert record, as a server refusing the SNI does.
      const sockets: Socket[] = [];
      const server: TcpServer = createTcpServer((s) => {
        sockets.push(s);
        s.on('error', () => {});
        s.once('data', () => s.end(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, alert])));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const addr = server.address();
      const r = await probe(typeof addr === 'object' && addr ? addr.port : 0, [], 'localhost');
      for (const s of sockets) s.destroy();
      await new Promise<void>((res) => server.close(() => res()));
      assert.equal(r.code, 'handshake-failure');
      assert.match(r.message, new RegExp(`alert ${name} \\(${alert}\\)`));
      assert.doesNotMatch(r.message, /cipher/);
    }
  });
});
