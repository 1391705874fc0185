// The command table: every command id the manifest contributes, mapped to its handler.
import * as vscode from 'vscode';
import type { Services } from './common/services';
import { inspectCertificate } from './inspect/inspectView';
import {
  generateHeaderCommand,
  regenerateHeaderCommand,
  type GenerateHeaderOptions,
} from './headers/headerGenerator';
import { openMqttClient, useInMqttClient } from './mqtt/mqttCommands';
import { explorerFor } from './explorer/explorer';
import { explorerArgs } from './explorer/explorerCommands';
import { addPkiDeviceCommand, createCsrCommand, createPkiCommand } from './pki/pkiWizard';
import {
  convertKeyFormat,
  convertToDer,
  convertToPem,
  exportPkcs12Command,
  importPkcs12Command,
  removePassphrase,
} from './convert/convertCommands';
import { startLocalBroker, stopLocalBroker, type StartBrokerOptions } from './broker/localBroker';
import { openExampleProject } from './walkthrough/openExample';
import { pushCertificatesToBoard, type PushCommandOptions } from './push/pushToBoard';
import type { PkiInitOptions } from '../core/pki';
import { openBoardMonitor, type BoardMonitorOptions } from './monitor/boardMonitor';
import { explainSelection } from './monitor/explainSelection';
import {
  copyConnectionSnippet,
  exportNodeRedConfig,
  type SnippetCommandOptions,
} from './snippets/snippetCommands';

type Handler = (...args: never[]) => unknown;

export function commandTable(s: Services): Record<string, Handler> {
  return {
    'embeddedTls.inspectCertificate': (uri?: vscode.Uri) => inspectCertificate(s, uri),
    'embeddedTls.generateHeader': (uri?: vscode.Uri, uris?: vscode.Uri[], options?: GenerateHeaderOptions) =>
      generateHeaderCommand(s, uri, uris, options),
    'embeddedTls.regenerateHeader': (uri?: vscode.Uri) => regenerateHeaderCommand(s, uri),
    'embeddedTls.openMqttClient': (arg?: string | vscode.Uri, project?: vscode.Uri) =>
      openMqttClient(s, arg, project),
    'embeddedTls.useInMqttClient': (uri?: vscode.Uri) => useInMqttClient(s, uri),
    'embeddedTls.createDevelopmentPki': (preset?: Partial<PkiInitOptions>) => createPkiCommand(s, preset),
    'embeddedTls.addPkiDevice': (uri?: vscode.Uri) => addPkiDeviceCommand(s, uri),
    'embeddedTls.createCsr': (uri?: vscode.Uri) => createCsrCommand(s, uri),
    'embeddedTls.convertToDer': (uri?: vscode.Uri, o?: unknown) => convertToDer(s, uri, o),
    'embeddedTls.convertToPem': (uri?: vscode.Uri, o?: unknown) => convertToPem(s, uri, o),
    'embeddedTls.convertKeyFormat': (uri?: vscode.Uri, o?: unknown) => convertKeyFormat(s, uri, o),
    'embeddedTls.removePassphrase': (uri?: vscode.Uri) => removePassphrase(s, uri),
    'embeddedTls.importPkcs12': (uri?: vscode.Uri, o?: unknown) => importPkcs12Command(s, uri, o),
    'embeddedTls.exportPkcs12': (uri?: vscode.Uri) => exportPkcs12Command(s, uri),
    'embeddedTls.startLocalBroker': (uri?: vscode.Uri, o?: StartBrokerOptions) => startLocalBroker(s, uri, o),
    'embeddedTls.stopLocalBroker': () => stopLocalBroker(s),
    'embeddedTls.openExample': () => openExampleProject(s),
    'embeddedTls.pushCertificatesToBoard': (uri?: vscode.Uri, uris?: vscode.Uri[], o?: PushCommandOptions) =>
      pushCertificatesToBoard(s, uri, uris, o),
    'embeddedTls.openBoardMonitor': (o?: BoardMonitorOptions) => openBoardMonitor(s, o),
    'embeddedTls.explainSelection': (target?: string) =>
      explainSelection(vscode.window.activeTextEditor, target),
    'embeddedTls.copyConnectionSnippet': (
      profile?: string,
      project?: vscode.Uri,
      o?: SnippetCommandOptions,
    ) => copyConnectionSnippet(s, profile, project, o),
    'embeddedTls.exportNodeRedConfig': (profile?: string, project?: vscode.Uri, target?: vscode.Uri) =>
      exportNodeRedConfig(s, profile, project, target),
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
