// The board TLS engines as shipped (wasm/dist): options, info, the compile cache, and traps turned
// into stack-internal-error instead of an exception that would take the extension host down.
import { strict as assert } from 'node:assert';
import { compileEngine, StackInternalError, TlsEngine } from '../../../src/core/stacks/engine';

describe('stacks/engine: the shipped mbedTLS engines', () => {
  for (const [id, version] of [
    ['mbedtls-2.28', '2.28.3'],
    ['mbedtls-3.6', '3.6.6'],
  ] as const) {
    it(`${id}: reports its own version and the ESP-IDF default buffers`, async () => {
      const e = await TlsEngine.create(id);
      const info = e.info();
      assert.equal(info.library, 'mbedtls');
      assert.equal(info.version, version);
      assert.equal(info.config['in-content-len'], 16384);
      assert.equal(info.config['out-content-len'], 4096);
      assert.equal(info.config['variable-buffer-length'], false);
    });

    it(`${id}: takes known options, refuses unknown keys and values distinctly`, async () => {
      const e = await TlsEngine.create(id);
      assert.equal(e.setOption('in-content-len', '4096'), 'ok');
      assert.equal(e.info().config['in-content-len'], 4096);
      assert.equal(e.setOption('in-content-len', '99999'), 'bad-value');
      assert.equal(e.setOption('no-such-key', '1'), 'unknown-key');
      assert.equal(e.setOption('ciphersuites', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'), 'ok');
      assert.equal(e.setOption('ciphersuites', 'TLS_NOT_A_SUITE'), 'bad-value');
      assert.equal(e.setOption('curves', 'secp256r1,secp384r1'), 'ok');
      assert.equal(e.setOption('verify', 'sometimes'), 'bad-value');
      const valid = e.options();
      assert.ok(
        Array.isArray(valid['ciphersuites']) &&
          valid['ciphersuites'].includes('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'),
      );
      assert.ok(Array.isArray(valid['curves']) && valid['curves'].includes('secp256r1'));
    });
  }

  it('TLS 1.3 only in 3.6; Ed25519 signatures not in 2.28', async () => {
    const old = await TlsEngine.create('mbedtls-2.28');
    assert.equal(old.setOption('tls-max', '1.3'), 'bad-value');
    assert.equal(old.setOption('sig-algs', 'ed25519'), 'bad-value');
    const cur = await TlsEngine.create('mbedtls-3.6');
    assert.equal(cur.setOption('tls-max', '1.3'), 'ok');
    assert.deepEqual(cur.options()['tls-max'], ['1.2', '1.3']);
  });

  it('compiles each file once and reuses the module; each connection gets its own instance', async () => {
    assert.equal(await compileEngine('mbedtls-2.28'), await compileEngine('mbedtls-2.28'));
    const a = await TlsEngine.create('mbedtls-2.28');
    const b = await TlsEngine.create('mbedtls-2.28');
    a.setOption('in-content-len', '2048');
    assert.equal(b.info().config['in-content-len'], 16384);
  });

  it('a trap inside the engine becomes stack-internal-error and the instance is retired', async () => {
    const e = await TlsEngine.create('mbedtls-2.28');
    const raw = e as unknown as {
      guard<T>(f: () => T): T;
      x: { etls_take_out(p: number, n: number): number };
    };
    e.start('localhost');
    e.handshake(); // queues a ClientHello, so take_out copies bytes
    assert.throws(
      () => raw.guard(() => raw.x.etls_take_out(0x7ffffff0, 4096)),
      (err: unknown) =>
        err instanceof StackInternalError &&
        err.code === 'stack-internal-error' &&
        /trapped/.test(err.message),
    );
    assert.equal(e.alive, false);
    assert.throws(() => e.handshake(), StackInternalError);
  });

  it('a stack option after the connection started is refused, not applied half-way', async () => {
    const e = await TlsEngine.create('mbedtls-3.6');
    assert.equal(e.start('localhost'), 0);
    assert.equal(e.setOption('in-content-len', '4096'), 'bad-value');
  });
});
