// The names a user reads in VS Code: one name for the MQTT panel everywhere, and settings labelled
// without VS Code's "Embedded Tls" (which it derives from the `embeddedTls.` key prefix).
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');

describe('names in the manifest, the panel and the docs', () => {
  it('calls the panel "MQTT TLS Test Client" everywhere, never "MQTT Test Client"', () => {
    const files = [
      'package.json',
      'README.md',
      ...readdirSync(join(root, 'docs')).map((f) => `docs/${f}`),
      ...readdirSync(join(root, 'src/extension/panels')).map((f) => `src/extension/panels/${f}`),
    ].filter((f) => /\.(json|md|ts)$/.test(f));
    for (const f of files) assert.doesNotMatch(read(f), /MQTT Test Client/, f);
    const titles = JSON.parse(read('package.json')).contributes.commands.map(
      (c: { title: string }) => c.title,
    );
    assert.ok(titles.includes('Open MQTT TLS Test Client'));
    assert.match(read('src/extension/panels/mqttPanel.ts'), /'MQTT TLS Test Client'/);
  });

  it('gives every settings category an id VS Code trims from its keys, so no label reads "Embedded Tls"', () => {
    const configuration = JSON.parse(read('package.json')).contributes.configuration as {
      id?: string;
      title: string;
      properties: Record<string, unknown>;
    }[];
    assert.ok(Array.isArray(configuration) && configuration.length > 1, 'one category per feature');
    for (const c of configuration) {
      assert.doesNotMatch(c.title, /Tls/);
      // VS Code's settingKeyToDisplayFormat drops the group id from the key's category before it
      // "wordifies" the rest; a key outside its category's id would show as "Embedded Tls › ...".
      for (const key of Object.keys(c.properties))
        assert.ok(c.id && key.startsWith(`${c.id}.`), `${key} is not under category id ${c.id}`);
    }
  });
});
