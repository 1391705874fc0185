// Reports how long after activation the Certificates view and the Problems panel were complete.
// bench/explorerVsCode runs this alone on a 1,000-file workspace and reads the line it logs.
import * as assert from 'node:assert/strict';
import { extensionApi } from './support';

describe('activation timing', () => {
  it('reports when the tree and the diagnostics were first complete after activation', async () => {
    const api = await extensionApi();
    await api.explorer.ready();
    const ms = api.explorer.firstCompleteMs();
    assert.ok(ms !== undefined && ms >= 0, `firstCompleteMs = ${ms}`);
    const objects = api.explorer.getChildren().length;
    console.log(`ETLS_TIMING activation->complete ${ms.toFixed(1)} ms (${objects} top-level groups)`);
  });
});
