// The saved-profile chips of the MQTT panel's webview: the chip loads its profile, and deleting is a
// separate control beside it (a click on a profile's name used to delete it).
import { strict as assert } from 'node:assert';
import type { TemplateResult } from 'lit';
import type { PanelRequest, PanelState } from '../../../src/shared/protocol';
import { defaultForm } from '../../../src/shared/protocol';
import { ctx } from '../../../webview/mqtt/context';

// Imported by a computed path: the webview's widgets are typed against the DOM, which the Node type
// check of the tests does not load (webview/tsconfig.json checks them).
const settingsModule = '../../../webview/mqtt/settings';
type Settings = { profilesSection(s: PanelState): TemplateResult };

/** Every template in a lit result, depth first. */
function templates(t: unknown): TemplateResult[] {
  if (Array.isArray(t)) return t.flatMap(templates);
  if (t && typeof t === 'object' && 'strings' in t && 'values' in t) {
    const r = t as TemplateResult;
    return [r, ...r.values.flatMap(templates)];
  }
  return [];
}

/** The click handler of the `<vscode-button>` whose markup contains `marker`. */
function clickOf(t: TemplateResult, marker: string): () => void {
  let open = '';
  for (let i = 0; i < t.values.length; i++) {
    const before = t.strings[i]!;
    const start = before.lastIndexOf('<vscode-button');
    open = start >= 0 ? before.slice(start) : open + before;
    if (open.includes(marker) && before.trimEnd().endsWith('@click=')) return t.values[i] as () => void;
  }
  throw new Error(`no button with ${marker}`);
}

describe('MQTT panel saved-profile chips', () => {
  it('load the profile from the chip and delete only from the separate control', async () => {
    const { profilesSection } = (await import(settingsModule)) as Settings;
    const sent: PanelRequest[] = [];
    Object.assign(ctx, { ui: { profileName: '' }, send: (r: PanelRequest) => sent.push(r) });
    const state = {
      form: defaultForm,
      profiles: [
        { name: 'lab', source: 'saved' },
        { name: 'device-01', source: 'project' },
      ],
    } as unknown as PanelState;
    const chip = templates(profilesSection(state)).find((t) => t.strings.join('').includes('class="chip"'));
    assert.ok(chip, 'a chip for the saved profile');
    clickOf(chip, 'load-profile')();
    assert.deepEqual(sent, [{ kind: 'loadProfile', name: 'lab', source: 'saved' }]);
    clickOf(chip, 'delete-profile')();
    assert.deepEqual(sent[1], { kind: 'deleteProfile', name: 'lab' });
  });
});
