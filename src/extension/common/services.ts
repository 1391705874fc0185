// What every part of the extension shares: the context, one output channel, settings and adapters.
import * as vscode from 'vscode';
import type { LoggerPort } from '../../core/ports';

export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly output: vscode.LogOutputChannel;
  /** The core's logger, writing to the output channel. Never pass it key bytes or pass phrases. */
  readonly logger: LoggerPort;
}

export function createServices(context: vscode.ExtensionContext): Services {
  const output = vscode.window.createOutputChannel('Embedded TLS', { log: true });
  context.subscriptions.push(output);
  const logger: LoggerPort = {
    info: (m) => output.info(m),
    warn: (m) => output.warn(m),
    debug: (m) => output.debug(m),
  };
  return { context, output, logger };
}
