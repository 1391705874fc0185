// The channel between a board TLS engine and a real loopback socket: a broker that refuses and
// resets must give the library's error, never an unhandled socket error in the host.
import { strict as assert } from 'node:assert';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { EngineFailure, handshakeOver } from '../../../src/core/stacks/channel';
import { TlsEngine } from '../../../src/core/stacks/engine';

describe('stacks/channel', () => {
  let server: Server;
  let port = 0;

  before(async () => {
    // Answers any ClientHello with a fatal handshake_failure alert, then resets the connection.
    server = createServer((s: Socket) => {
      s.once('data', () => {
        s.write(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 40]), () =>
          setTimeout(() => s.resetAndDestroy(), 20),
        );
      });
      s.on('error', () => {});
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const a = server.address();
    port = typeof a === 'object' && a ? a.port : 0;
  });

  after(() => new Promise<void>((r) => server.close(() => r())));

  for (const id of ['mbedtls-2.28', 'mbedtls-3.6'] as const)
    it(`${id}: an alert then a reset is the library's alert error, and the reset after it is absorbed`, async () => {
      const engine = await TlsEngine.create(id);
      assert.equal(engine.start('localhost'), 0);
      const raw = connect(port, '127.0.0.1');
      await new Promise((r) => raw.once('connect', r));
      const err = await handshakeOver(engine, raw, 5000).then(
        () => assert.fail('the handshake cannot succeed'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof EngineFailure, String(err));
      assert.equal(err.libraryCode, -0x7780, 'MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE');
      assert.equal(err.peerAlert, 40);
      // The reset arrives after the failure was reported; mocha fails the test on an uncaught error.
      await new Promise((r) => setTimeout(r, 150));
    });
});
