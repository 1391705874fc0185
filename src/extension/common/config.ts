// Typed access to the settings under `embeddedTls.*`.
import * as vscode from 'vscode';

export const SECTION = 'embeddedTls';

function get<T>(key: string, fallback: T): T {
  return vscode.workspace.getConfiguration(SECTION).get<T>(key, fallback);
}

export const config = {
  get<T>(key: string, fallback: T): T {
    return get(key, fallback);
  },
};
