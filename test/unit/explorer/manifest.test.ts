// The explorer's part of package.json: view container, view, welcome buttons, menus, custom editors and
// activation, checked against each other so a renamed command cannot leave a dead button behind.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface MenuItem {
  command: string;
  when?: string;
  group?: string;
}
interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: Array<{ command: string; category?: string }>;
    viewsContainers: { activitybar: Array<{ id: string; icon: string }> };
    views: Record<string, Array<{ id: string; name: string }>>;
    viewsWelcome: Array<{ view: string; contents: string; when?: string }>;
    menus: Record<string, MenuItem[]>;
    customEditors: Array<{
      viewType: string;
      priority: string;
      selector: Array<{ filenamePattern: string }>;
    }>;
    configuration: { properties: Record<string, { default?: unknown }> };
  };
}

const root = join(__dirname, '../../..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const c = manifest.contributes;
const commands = new Set(c.commands.map((x) => x.command));

describe('explorer manifest', () => {
  it('puts the Certificates view in its own activity-bar container, with an icon that exists', () => {
    const container = c.viewsContainers.activitybar.find((x) => x.id === 'embeddedTls');
    assert.ok(container);
    assert.ok(readFileSync(join(root, container.icon), 'utf8').includes('<svg'));
    assert.deepEqual(
      c.views['embeddedTls']?.map((v) => [v.id, v.name]),
      [['embeddedTls.certificates', 'Certificates']],
    );
  });

  it('activates on the view and on a project file, never on "*"', () => {
    assert.ok(manifest.activationEvents.includes('onView:embeddedTls.certificates'));
    assert.ok(manifest.activationEvents.includes('workspaceContains:embedded-tls.json'));
    assert.ok(!manifest.activationEvents.includes('*'));
  });

  it('offers Create Development PKI, Import Certificates and Open Documentation when the view is empty', () => {
    const welcome = c.viewsWelcome.find((w) => w.view === 'embeddedTls.certificates');
    assert.ok(welcome?.when?.includes('embeddedTls.explorer.empty'));
    const linked = [...(welcome?.contents ?? '').matchAll(/\]\(command:(embeddedTls\.[A-Za-z]+)\)/g)].map(
      (m) => m[1]!,
    );
    assert.deepEqual(linked, [
      'embeddedTls.createDevelopmentPki',
      'embeddedTls.importCertificates',
      'embeddedTls.openDocumentation',
    ]);
    for (const id of linked)
      assert.ok(commands.has(id), `${id} is linked from the welcome view but not contributed`);
  });

  it('only shows menu entries of contributed commands in the view, gated by viewItem', () => {
    const inView = [...(c.menus['view/title'] ?? []), ...(c.menus['view/item/context'] ?? [])].filter((m) =>
      m.when?.includes('view == embeddedTls.certificates'),
    );
    assert.ok(inView.length >= 8);
    for (const m of inView)
      assert.ok(commands.has(m.command), `${m.command} in the view's menus is not contributed`);
    const items = (c.menus['view/item/context'] ?? []).filter((m) =>
      m.when?.includes('view == embeddedTls.certificates'),
    );
    for (const m of items)
      assert.match(m.when ?? '', /viewItem =~ \/\^etls/, `${m.command} has no viewItem clause`);
    for (const id of [
      'embeddedTls.inspectCertificate',
      'embeddedTls.copyFingerprint',
      'embeddedTls.revealInEditor',
    ])
      assert.ok(
        items.some((m) => m.command === id),
        `${id} is missing from the context menu`,
      );
  });

  it('opens .der .cer .p12 .pfx in the certificate viewer by default, and offers it for text formats', () => {
    const byType = new Map(c.customEditors.map((e) => [e.viewType, e]));
    const main = byType.get('embeddedTls.certificateViewer');
    assert.equal(main?.priority, 'default');
    assert.deepEqual(main?.selector.map((s) => s.filenamePattern).sort(), [
      '*.cer',
      '*.der',
      '*.p12',
      '*.pfx',
    ]);
    const option = byType.get('embeddedTls.certificateViewer.option');
    assert.equal(option?.priority, 'option');
    assert.ok(option?.selector.some((s) => s.filenamePattern === '*.crt'));
  });

  it('declares the settings the explorer reads, with the build folders excluded by default', () => {
    const p = c.configuration.properties;
    assert.equal(p['embeddedTls.check.expiryWarningDays']?.default, 30);
    const exclude = p['embeddedTls.explorer.exclude']?.default as string[];
    for (const g of ['**/node_modules/**', '**/.git/**', '**/build/**']) assert.ok(exclude.includes(g), g);
    assert.ok(Array.isArray(p['embeddedTls.explorer.include']?.default));
  });
});
