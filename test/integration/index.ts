// Entry of the integration suite inside VS Code's extension host: VS Code calls run() when started with
// extensionTestsPath=out/test/integration/index.js. Mocha stays external and loads from the repo's node_modules.
import * as fs from 'node:fs';
import Mocha from 'mocha';

/** Suites that run in one other layout (and only there), by title; all others run in the fixture folder. */
const LAYOUT_OF_SUITE: Record<string, string> = {
  'multi-root workspace': 'multi-root',
  'example project': 'example',
  'hostile workspace': 'hostile',
};

export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 60_000,
    color: false,
    forbidOnly: true,
    forbidPending: true,
    // ETLS_TEST_GREP=inspect npm run test:integration runs only the matching tests (the driver's env
    // reaches the extension host).
    ...(process.env['ETLS_TEST_GREP'] ? { grep: process.env['ETLS_TEST_GREP'] } : {}),
  });
  // The test modules are bundled into this file; describe/it must be globals before they load.
  mocha.suite.emit('pre-require', globalThis, 'integration', mocha);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('etls:integration-tests');
  // The harness opens a single folder, a multi-root workspace, the example and a hostile folder: each run takes its own suites.
  const layout = process.env['ETLS_INTEGRATION_LAYOUT'] ?? 'folder';
  mocha.suite.suites = mocha.suite.suites.filter((s) => (LAYOUT_OF_SUITE[s.title] ?? 'folder') === layout);

  const stats = await new Promise<Mocha.Stats>((resolve, reject) => {
    try {
      const runner = mocha.run(() => resolve(runner.stats ?? emptyStats()));
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
  const statsFile = process.env['ETLS_TEST_STATS'];
  if (statsFile) {
    const line = { passes: stats.passes, failures: stats.failures, pending: stats.pending };
    fs.appendFileSync(statsFile, JSON.stringify(line) + '\n');
  }
  if (stats.failures > 0) throw new Error(`${stats.failures} integration test(s) failed`);
}

function emptyStats(): Mocha.Stats {
  return { suites: 0, tests: 0, passes: 0, pending: 0, failures: 0 };
}
