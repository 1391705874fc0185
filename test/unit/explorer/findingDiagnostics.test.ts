// Findings as VS Code diagnostics (src/extension/explorer/findingDiagnostics.ts): per file, per line.
import * as assert from 'node:assert/strict';
import type { Finding } from '../../../src/core/check/types';
import { diagnosticsByFile, findingFor } from '../../../src/extension/explorer/findingDiagnostics';

describe('finding diagnostics', () => {
  const f = (over: Partial<Finding>): Finding => ({
    file: '/w/certs/a.pem',
    severity: 'warning',
    code: 'cert-expiring',
    message: 'expires soon',
    ...over,
  });

  it('groups findings per file, puts whole-file findings on the first line and names the profile', () => {
    const byFile = diagnosticsByFile([
      f({ range: { start: { line: 4, column: 0 }, end: { line: 9, column: 24 } } }),
      f({ code: 'key-not-ignored', file: '/w/certs/a.key', severity: 'error', profile: 'dev' }),
      f({ code: 'cert-expired' }),
    ]);
    const pem = byFile.get('/w/certs/a.pem')!;
    assert.deepEqual(
      pem.map((d) => [d.code, d.range.start.line]),
      [
        ['cert-expired', 0],
        ['cert-expiring', 4],
      ],
    );
    assert.equal(byFile.get('/w/certs/a.key')![0]!.message, 'expires soon (profile dev)');
  });

  it('finds the finding behind a diagnostic by file, code and line', () => {
    const withFix = f({
      fix: { kind: 'convert-to-der', title: 'Convert to DER', args: { file: 'a', output: 'b' } },
    });
    const byFile = diagnosticsByFile([withFix]);
    assert.equal(findingFor(byFile, '/w/certs/a.pem', 'cert-expiring', 0)?.fix?.title, 'Convert to DER');
    assert.equal(findingFor(byFile, '/w/certs/a.pem', 'cert-expired', 0), undefined);
  });
});
