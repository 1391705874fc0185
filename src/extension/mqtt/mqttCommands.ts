// Entry points to the MQTT test client: the palette, a file from the explorer, a device profile
// (by name or from a CodeLens in embedded-tls.json). One panel per activation.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { PROJECT_FILE_NAME } from '../../core/project/types';
import type { Services } from '../common/services';
import { MqttPanel } from './mqttPanel';
import { locateProject } from '../common/projectLocator';

const panels = new WeakMap<Services, MqttPanel>();

export function mqttPanelFor(s: Services): MqttPanel {
  let p = panels.get(s);
  if (!p) {
    p = new MqttPanel(s);
    panels.set(s, p);
  }
  return p;
}

/** Palette: no argument. A profile name opens that device profile; the project file's Uri asks which. */
export async function openMqttClient(
  s: Services,
  arg?: string | vscode.Uri,
  projectFile?: vscode.Uri,
): Promise<void> {
  let profile = typeof arg === 'string' ? arg : undefined;
  let project = projectFile?.scheme === 'file' ? projectFile.fsPath : undefined;
  if (arg instanceof vscode.Uri && basename(arg.fsPath) === PROJECT_FILE_NAME) {
    project = arg.fsPath;
    const names = Object.keys((await locateProject({ hint: arg }))?.file.profiles ?? {});
    profile =
      names.length === 1
        ? names[0]
        : await vscode.window.showQuickPick(names, { placeHolder: 'Device profile to test' });
  }
  await mqttPanelFor(s).open({ profile, ...(project ? { project } : {}) });
}

/** Explorer: a CA, certificate or key file goes into the matching TLS field. */
export async function useInMqttClient(s: Services, uri?: vscode.Uri): Promise<void> {
  const file = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!file) throw new Error('Pick a certificate or key file in the explorer first.');
  await mqttPanelFor(s).open({ file });
}

/** "Open in MQTT TLS Test Client" above each device profile in embedded-tls.json. */
export function registerMqttProfileLens(s: Services): void {
  const provider: vscode.CodeLensProvider = {
    provideCodeLenses(doc) {
      let names: string[];
      try {
        names = Object.keys(
          (JSON.parse(doc.getText()) as { profiles?: Record<string, unknown> }).profiles ?? {},
        );
      } catch {
        return [];
      }
      const text = doc.getText();
      const start = text.indexOf('"profiles"');
      return names.flatMap((name) => {
        const m = new RegExp(
          `${JSON.stringify(name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:\\s*\\{`,
        ).exec(text.slice(Math.max(start, 0)));
        if (!m) return [];
        const pos = doc.positionAt(Math.max(start, 0) + m.index);
        return [
          new vscode.CodeLens(new vscode.Range(pos, pos), {
            title: '$(plug) Open in MQTT TLS Test Client',
            command: 'embeddedTls.openMqttClient',
            arguments: [name, doc.uri],
          }),
        ];
      });
    },
  };
  s.context.subscriptions.push(
    vscode.languages.registerCodeLensProvider({ pattern: `**/${PROJECT_FILE_NAME}` }, provider),
  );
}
