// Rebuilding every board TLS engine from the pinned sources gives the committed wasm/dist bytes.
// In the e2e tier: it runs the real clang/wasm-ld over ~150 C files (minutes on a small machine).
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../../support/realParts';

interface BuildScript {
  engines: Record<string, unknown>;
  toolchainProblem(): string | null;
  buildEngine(name: string, outDir: string, workDir: string): Promise<string>;
}

describe('scripts/build-wasm.mjs: reproducible engines', function () {
  this.timeout(1_200_000);

  it('every committed .wasm is rebuilt byte for byte, and each is at most 600 KB', async () => {
    const script = (await import(join(REPO, 'scripts', 'build-wasm.mjs'))) as BuildScript;
    const problem = script.toolchainProblem();
    // CI installs the toolchain (.ci/run): there its absence is a failure, never a pass.
    if (problem && process.env['CI']) assert.fail(`the wasm toolchain is missing in CI: ${problem}`);
    if (problem) {
      console.log(`      (not rebuilt here: ${problem})`);
      return;
    }
    const dist = join(REPO, 'wasm', 'dist');
    const committed = readdirSync(dist).filter((f) => f.endsWith('.wasm'));
    for (const name of Object.keys(script.engines))
      assert.ok(committed.includes(`${name}.wasm`), `${name}.wasm is committed`);
    const out = mkdtempSync(join(tmpdir(), 'etls-wasm-out-'));
    const work = mkdtempSync(join(tmpdir(), 'etls-wasm-work-'));
    try {
      for (const name of Object.keys(script.engines)) {
        const built = await script.buildEngine(name, out, work);
        const want = readFileSync(join(dist, `${name}.wasm`));
        const got = readFileSync(built);
        assert.ok(
          got.equals(want),
          `${name}.wasm differs from the committed file (${got.length} vs ${want.length} bytes)`,
        );
        assert.ok(got.length <= 600 * 1024, `${name}.wasm is ${got.length} bytes`);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    }
  });
});
