// The names a user reads in VS Code: one name for the MQTT panel everywhere.
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
      ...readdirSync(join(root, 'src/extension/mqtt')).map((f) => `src/extension/mqtt/${f}`),
      ...readdirSync(join(root, 'media/walkthrough')).map((f) => `media/walkthrough/${f}`),
    ].filter((f) => /\.(json|md|ts)$/.test(f));
    for (const f of files) assert.doesNotMatch(read(f), /MQTT Test Client/, f);
    const titles = JSON.parse(read('package.json')).contributes.commands.map(
      (c: { title: string }) => c.title,
    );
    assert.ok(titles.includes('Open MQTT TLS Test Client'));
    assert.match(read('src/extension/mqtt/mqttPanel.ts'), /'MQTT TLS Test Client'/);
  });
});
