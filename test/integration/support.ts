// Helpers for integration tests; they run inside VS Code's extension host (Node), driven by
// scripts/run-integration.mjs (code-server + Chromium) or test/integration/runElectron.ts (desktop).
//
// Writing an integration test
// - Put it in test/integration/<feature>.test.ts. esbuild bundles every *.test.ts under test/integration
//   into out/test/integration/index.js; mocha's BDD globals (describe/it/before/after) are set up first.
// - The workspace is a fresh copy made by test/integration/fixtures/makeWorkspace.mjs (real openssl):
//   certs/ca.pem+.key, broker.pem+.key (SAN localhost, 127.0.0.1), device-01.pem/.key/.der/.p12 (password
//   "secret"), device-01-encrypted.key, main/certs.c (device cert as a C byte array, CA as a PEM string) and
//   embedded-tls.json. Need another file? Add it to the generator; never commit generated keys.
// - Drive the extension through its commands (`vscode.commands.executeCommand`) and its API
//   (`extensionApi()`); wait for asynchronous UI with `waitFor`, never with fixed sleeps.
// - `screenshot(name)` saves the whole browser page to test-results/screenshots/<name>.png; with
//   ETLS_UPDATE_SCREENSHOTS=1 it also goes to docs/images/<name>.png for the README. Only the code-server
//   driver can take screenshots: under @vscode/test-electron the call logs and returns.
// - Don't block on modal dialogs or quick picks: pass arguments to commands instead (e.g. a Uri).
// - Tests have 60 s each; the whole run has 6 minutes. Clean up what you start (terminals, brokers) in after().
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension/extension';

export const EXTENSION_ID = 'embedded-tls.embedded-tls-workbench';

/** Directory the code-server driver watches for screenshot requests; unset under test-electron. */
const requestDir = process.env['ETLS_SCREENSHOT_REQUESTS'];

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls fn (every 100 ms) until it returns a truthy value, which it returns; throws after ms. */
export async function waitFor<T>(
  fn: () => T | Promise<T>,
  ms: number,
  /** What is awaited; a function is called on timeout, to say what was seen instead. */
  what: string | (() => string | Promise<string>),
): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > end) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      const said = typeof what === 'string' ? what : await what();
      throw new Error(`timed out after ${ms} ms waiting for ${said}${why}`);
    }
    await sleep(100);
  }
}

/** The extension under test, activated; its exports are the ExtensionApi returned by activate(). */
export async function extensionApi(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded: is extensionDevelopmentPath the repo?`);
  return ext.activate();
}

/** Absolute path of the fixture workspace folder. */
export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  return folder.uri.fsPath;
}

/** Uri of a file in the fixture workspace, e.g. fixtureUri('certs/device-01.pem'). */
export function fixtureUri(relative: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceDir(), relative));
}

/**
 * Saves a screenshot of the workbench as test-results/screenshots/<name>.png. Writes a request file the
 * driver polls for and resolves once the driver has taken the picture and removed the request.
 */
export async function screenshot(name: string, timeoutMs = 30_000): Promise<void> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`screenshot name must be kebab-case: ${name}`);
  if (!requestDir) {
    console.log(`screenshot(${name}) skipped: no screenshot driver in this runner`);
    return;
  }
  // Let the workbench paint what the test just did before the picture is taken.
  await sleep(500);
  const request = path.join(requestDir, 'request.json');
  const tmp = `${request}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ name }));
  fs.renameSync(tmp, request);
  try {
    await waitFor(() => !fs.existsSync(request), timeoutMs, `screenshot ${name}`);
  } catch (e) {
    fs.rmSync(request, { force: true });
    throw e;
  }
}
