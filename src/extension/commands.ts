// The command table: every command id the manifest contributes, mapped to its handler.
import * as vscode from 'vscode';
import type { Services } from './services';
import { inspectCertificate } from './panels/inspectView';
import { generateHeaderCommand, regenerateHeaderCommand } from './providers/headerGenerator';
import { openMqttClient, useInMqttClient } from './panels/mqttCommands';
import { explorerFor } from './views/explorer';
import { explorerArgs } from './views/explorerCommands';

type Handler = (...args: never[]) => unknown;

export function commandTable(s: Services): Record<string, Handler> {
  return {
    'embeddedTls.inspectCertificate': (uri?: vscode.Uri) => inspectCertificate(s, uri),
    'embeddedTls.generateHeader': (uri?: vscode.Uri, uris?: vscode.Uri[]) =>
      generateHeaderCommand(s, uri, uris),
    'embeddedTls.regenerateHeader': (uri?: vscode.Uri) => regenerateHeaderCommand(s, uri),
    'embeddedTls.openMqttClient': (arg?: string | vscode.Uri) => openMqttClient(s, arg),
    'embeddedTls.useInMqttClient': (uri?: vscode.Uri) => useInMqttClient(s, uri),
    ...explorerFor(s).commands(),
  };
}

export function registerCommands(s: Services): void {
  for (const [id, handler] of Object.entries(commandTable(s))) {
    s.context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await (handler as (...a: unknown[]) => unknown)(...explorerArgs(id, args));
        } catch (e) {
          const message = e instanceof Error ? e.message : String(e);
          s.output.error(`${id}: ${message}`);
          void vscode.window.showErrorMessage(`Embedded TLS: ${message}`);
          return undefined;
        }
      }),
    );
  }
}
