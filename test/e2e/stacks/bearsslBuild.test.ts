// wasm/dist/bearssl-0.6.wasm: the committed bytes are the ones wasm/SOURCES.md records, the module
// has the ABI's shape, and (with the toolchain here) a rebuild from the pinned source gives them again.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BEARSSL_WASM, wasmApi } from '../../support/bearsslWasm';
import { REPO, scratchDir } from '../../support/realParts';

const ABI_EXPORTS = [
  'memory',
  '_initialize',
  'etls_alloc',
  'etls_free',
  'etls_set_option',
  'etls_options',
  'etls_add_ca_der',
  'etls_add_own_cert_der',
  'etls_set_own_key_der',
  'etls_start',
  'etls_feed',
  'etls_pending_out',
  'etls_take_out',
  'etls_handshake',
  'etls_write',
  'etls_read',
  'etls_last_error',
  'etls_verify_flags',
  'etls_last_error_text',
  'etls_info',
  'etls_close',
];

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('bearssl-0.6.wasm build', function () {
  this.timeout(900_000);
  const committed = readFileSync(BEARSSL_WASM);

  it('is the build wasm/SOURCES.md records, within the 600 KB budget', () => {
    const recorded = /bearssl-0\.6\.wasm[^\n]*SHA-256 `([0-9a-f]{64})`/.exec(
      readFileSync(join(REPO, 'wasm', 'SOURCES.md'), 'utf8'),
    );
    assert.ok(recorded, 'wasm/SOURCES.md names the SHA-256 of wasm/dist/bearssl-0.6.wasm');
    assert.equal(sha256(committed), recorded[1]);
    assert.ok(committed.length <= 600 * 1024, `${committed.length} bytes`);
  });

  it('exports the engine ABI and imports only the WASI clock and entropy', () => {
    const m = new wasmApi.Module(committed);
    assert.deepEqual(
      wasmApi.Module.exports(m)
        .map((e) => e.name)
        .sort(),
      [...ABI_EXPORTS].sort(),
    );
    assert.deepEqual(
      wasmApi.Module.imports(m)
        .map((i) => `${i.module}.${i.name}`)
        .sort(),
      ['wasi_snapshot_preview1.clock_time_get', 'wasi_snapshot_preview1.random_get'],
    );
  });

  it('rebuilds to the same bytes from the pinned source when clang/lld/wasi-libc are installed', async function () {
    const { toolchainProblem } = (await import(join(REPO, 'scripts', 'build-wasm.mjs'))) as {
      toolchainProblem(): string | null;
    };
    const problem = toolchainProblem();
    // CI installs the toolchain (.ci/run): there its absence is a failure, never a pass.
    if (problem && process.env['CI']) assert.fail(`the wasm toolchain is missing in CI: ${problem}`);
    if (problem) return; // Not on this machine: the two checks above still hold.
    const build = (await import(join(REPO, 'wasm', 'bearssl', 'build.mjs'))) as {
      locateBearsslSource(): string | undefined;
      buildBearssl(o: { src: string; out: string }): { out: string };
    };
    const src = build.locateBearsslSource();
    assert.ok(
      src,
      'the toolchain is here but bearssl_0.6+dfsg.1.orig.tar.xz is not: run `node scripts/librarySources.mjs`',
    );
    const tmp = scratchDir('bearssl-rebuild');
    try {
      const { out } = build.buildBearssl({ src, out: join(tmp.path, 'bearssl-0.6.wasm') });
      assert.equal(sha256(readFileSync(out)), sha256(committed));
    } finally {
      tmp.remove();
    }
  });
});
