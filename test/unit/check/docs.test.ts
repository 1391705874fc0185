import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findingCodes } from '../../../src/core/check/types';
import { targetIds } from '../../../src/core/targets/ids';

const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'check.md'), 'utf8');

describe('docs/check.md', () => {
  it('documents every finding code in a table row', () => {
    const missing = findingCodes.filter((c) => !new RegExp(`^\\| \`${c}\` \\|`, 'm').test(doc));
    assert.deepEqual(missing, []);
  });

  it('documents no code the check does not have', () => {
    const rows = [...doc.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]!);
    const known = new Set<string>(findingCodes);
    assert.deepEqual(
      rows.filter((c) => !known.has(c) && !targetIds.includes(c as never)),
      [],
    );
  });
});
