// The VS Code host: activation only wires the core to commands, views and providers.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { createServices } from './common/services';
import { registerHeaderFeatures } from './headers/headerFeatures';
import { mqttPanelFor, registerMqttProfileLens } from './mqtt/mqttCommands';
import type { MqttPanelApi } from './mqtt/mqttPanel';
import { explorerFor, type ExplorerApi } from './explorer/explorer';
import { registerBoardMonitorLinks } from './monitor/boardMonitor';
import { registerSnippetLens } from './snippets/snippetCommands';

export interface ExtensionApi {
  /** Lets the integration tests reach the shared services. */
  readonly services: ReturnType<typeof createServices>;
  /** The Certificates view, Problems panel and Quick Fixes, for the integration tests and the benchmark. */
  readonly explorer: ExplorerApi;
  /** The MQTT test client panel: its state and requests, for the integration tests and the benchmark. */
  readonly mqtt: MqttPanelApi;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const services = createServices(context);
  registerCommands(services);
  registerHeaderFeatures(services);
  registerMqttProfileLens(services);
  registerBoardMonitorLinks(services);
  registerSnippetLens(services);
  services.logger.info('Embedded TLS Workbench active');
  return { services, explorer: explorerFor(services), mqtt: mqttPanelFor(services) };
}

export function deactivate(): void {}
