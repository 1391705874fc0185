// The VS Code host: activation only wires the core to commands, views and providers.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { createServices } from './services';

export interface ExtensionApi {
  /** Lets the integration tests reach the shared services. */
  readonly services: ReturnType<typeof createServices>;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const services = createServices(context);
  registerCommands(services);
  services.logger.info('Embedded TLS Workbench active');
  return { services };
}

export function deactivate(): void {}
