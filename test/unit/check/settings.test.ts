import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultExclude, defaultInclude } from '../../../src/core/check/discover';

describe('discovery settings in package.json', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
  const configuration = pkg.contributes.configuration;
  const properties = Object.assign(
    {},
    ...(Array.isArray(configuration) ? configuration : [configuration]).map(
      (c: { properties: object }) => c.properties,
    ),
  );

  it('default to the globs the CLI uses, so the view and etls check see the same files', () => {
    assert.deepEqual(properties['embeddedTls.explorer.include'].default, defaultInclude);
    assert.deepEqual(properties['embeddedTls.explorer.exclude'].default, defaultExclude);
  });
});
