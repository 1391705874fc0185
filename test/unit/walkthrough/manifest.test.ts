// The Get Started walkthrough in package.json: every step's button runs a command the extension
// contributes and registers, its media file exists, and the steps follow the first hour's path.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string; altText?: string };
  completionEvents?: string[];
}
interface Manifest {
  contributes: {
    commands: Array<{ command: string }>;
    walkthroughs?: Array<{ id: string; title: string; description: string; steps: Step[] }>;
  };
}

const root = join(__dirname, '../../..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
/** The extension's sources, where the command table and the explorer register command ids. */
const extensionSources = (readdirSync(join(root, 'src', 'extension'), { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts'))
  .map((f) => readFileSync(join(root, 'src', 'extension', f), 'utf8'))
  .join('\n');

const commandLinks = (text: string) => [...text.matchAll(/\]\(command:([A-Za-z0-9_.]+)/g)].map((m) => m[1]!);

describe('Get Started walkthrough', () => {
  const walkthrough = manifest.contributes.walkthroughs?.[0];

  it('is contributed, with the first hour in order: example, check, PKI, header, push, connect, code', () => {
    assert.ok(walkthrough, 'package.json contributes no walkthrough');
    assert.deepEqual(
      walkthrough.steps.map((s) => s.id),
      ['openExample', 'check', 'createPki', 'generateHeader', 'push', 'connect', 'connectionCode'],
    );
  });

  it('gives every step a button, and every button runs a contributed, registered command', () => {
    for (const step of walkthrough!.steps) {
      const links = commandLinks(step.description);
      assert.ok(links.length > 0, `step ${step.id} has no command: button`);
      for (const id of links) {
        assert.ok(contributed.has(id), `step ${step.id} runs ${id}, which package.json does not contribute`);
        assert.ok(
          extensionSources.includes(`'${id}':`),
          `step ${step.id} runs ${id}, which the extension does not register`,
        );
      }
      for (const e of step.completionEvents ?? []) {
        const m = /^onCommand:(.+)$/.exec(e);
        if (m) assert.ok(contributed.has(m[1]!), `step ${step.id} completes on unknown command ${m[1]}`);
      }
    }
  });

  it("shows a markdown file under media/walkthrough/ for every step, and those files' links are real", () => {
    for (const step of walkthrough!.steps) {
      const md = step.media.markdown ?? '';
      assert.ok(md.startsWith('media/walkthrough/'), `step ${step.id} has no media/walkthrough markdown`);
      assert.ok(existsSync(join(root, md)), `${md} is missing`);
      for (const id of commandLinks(readFileSync(join(root, md), 'utf8')))
        assert.ok(contributed.has(id), `${md} links to unknown command ${id}`);
    }
  });

  it('the link check catches a dead button', () => {
    assert.deepEqual(commandLinks('[Go](command:embeddedTls.noSuchCommand)'), ['embeddedTls.noSuchCommand']);
    assert.ok(!contributed.has('embeddedTls.noSuchCommand'));
  });
});
