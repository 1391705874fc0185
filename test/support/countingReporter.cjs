// Mocha's spec reporter, plus a line of totals appended to $ETLS_TEST_STATS for scripts/test.mjs.
/* eslint-disable @typescript-eslint/no-require-imports -- mocha loads reporters with require(), so this stays CommonJS */
const Mocha = require('mocha');
const fs = require('node:fs');

class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.ETLS_TEST_STATS;
      const s = runner.stats || {};
      if (file) fs.appendFileSync(file, JSON.stringify({ passes: s.passes || 0, failures: s.failures || 0, pending: s.pending || 0 }) + '\n');
    });
  }
}
module.exports = CountingReporter;
