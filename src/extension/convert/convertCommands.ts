// Conversion commands (palette and Explorer context menu): PEM ↔ DER, key containers, pass-phrase
// removal, PKCS#12 import and export. Pass phrases come from a password box; they are kept in
// SecretStorage only when the user asks. Runs in the extension host.
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { EtlsError } from '../../core/errors';
import { nodeFileSystem } from '../../core/node/fileSystem';
import { defaultP12Path, planConversion, planPkcs12Export, type KeyFormatName } from '../../core/pki';
import type { Services } from '../common/services';
import { targetUri, withPassphrase, writeConfirmed } from './convertSteps';

/** What tests and other commands may pass instead of answering dialogs. */
export interface ConvertCommandOptions {
  output?: string;
  force?: boolean;
  keyFormat?: KeyFormatName;
  /** Tried before the secret storage and the password box; never logged. */
  passphrase?: string;
}

/** The Explorer passes (uri, uris[]); only a plain object second argument is options. */
export function commandOptions(x: unknown): ConvertCommandOptions {
  return x && typeof x === 'object' && !Array.isArray(x) && !(x instanceof vscode.Uri)
    ? (x as ConvertCommandOptions)
    : {};
}

async function convert(
  s: Services,
  uri: vscode.Uri | undefined,
  to: 'pem' | 'der',
  o: ConvertCommandOptions,
): Promise<string[]> {
  const target = await targetUri(uri, to === 'der' ? 'Convert to DER' : 'Convert to PEM');
  if (!target) return [];
  const bytes = await nodeFileSystem.readFile(target.fsPath);
  const files = await withPassphrase(
    s,
    target.fsPath,
    (passphrase) =>
      planConversion(target.fsPath, bytes, {
        to,
        ...(o.keyFormat ? { keyFormat: o.keyFormat } : {}),
        ...(o.output ? { output: o.output } : {}),
        ...(passphrase !== undefined ? { passphrase } : {}),
      }),
    o.passphrase,
  );
  return files ? writeConfirmed(s, files, target.fsPath, o.force) : [];
}

/** Handlers take (uri, options) from callers and (uri, uris[]) from the Explorer. */
export const convertToDer = (s: Services, uri?: vscode.Uri, o?: unknown) =>
  convert(s, uri, 'der', commandOptions(o));
export const convertToPem = (s: Services, uri?: vscode.Uri, o?: unknown) =>
  convert(s, uri, 'pem', commandOptions(o));

export async function convertKeyFormat(s: Services, uri?: vscode.Uri, options?: unknown): Promise<string[]> {
  const o = commandOptions(options);
  const target = await targetUri(uri, 'Convert Key');
  if (!target) return [];
  const format = o.keyFormat
    ? { value: o.keyFormat }
    : await vscode.window.showQuickPick(
        [
          {
            label: 'PKCS#1',
            description: 'RSA PRIVATE KEY: TI SimpleLink, WINC1500, older tools',
            value: 'pkcs1' as const,
          },
          { label: 'SEC1', description: 'EC PRIVATE KEY: TI SimpleLink, mbedTLS', value: 'sec1' as const },
          {
            label: 'PKCS#8',
            description: 'PRIVATE KEY: what OpenSSL 3 writes; most libraries',
            value: 'pkcs8' as const,
          },
        ],
        { title: `Convert ${basename(target.fsPath)} to`, placeHolder: 'Key container' },
      );
  if (!format) return [];
  const pem = new TextDecoder('latin1')
    .decode((await nodeFileSystem.readFile(target.fsPath)).subarray(0, 4096))
    .includes('-----BEGIN');
  return convert(s, target, pem ? 'pem' : 'der', { ...o, keyFormat: format.value });
}

/** Writes the key without its pass phrase beside the original (`name.plain.key`), never over it. */
export async function removePassphrase(s: Services, uri?: vscode.Uri): Promise<void> {
  const target = await targetUri(uri, 'Remove Pass Phrase');
  if (!target) return;
  const bytes = await nodeFileSystem.readFile(target.fsPath);
  const pem = new TextDecoder('latin1').decode(bytes.subarray(0, 4096)).includes('-----BEGIN');
  const output = join(
    dirname(target.fsPath),
    `${basename(target.fsPath).replace(/(\.key)?(\.pem|\.der)?$/i, '')}.plain${pem ? '.key' : '.key.der'}`,
  );
  try {
    planConversion(target.fsPath, bytes, { to: pem ? 'pem' : 'der', output });
    void vscode.window.showInformationMessage(
      `${basename(target.fsPath)} is not protected by a pass phrase.`,
    );
    return;
  } catch (e) {
    if (!(e instanceof EtlsError && e.code === 'encrypted')) throw e;
  }
  const files = await withPassphrase(s, target.fsPath, (passphrase) =>
    planConversion(target.fsPath, bytes, {
      to: pem ? 'pem' : 'der',
      output,
      ...(passphrase !== undefined ? { passphrase } : {}),
    }),
  );
  if (files) await writeConfirmed(s, files);
}

export async function importPkcs12Command(
  s: Services,
  uri?: vscode.Uri,
  options?: unknown,
): Promise<string[]> {
  const o = commandOptions(options);
  const target = await targetUri(uri, 'Import PKCS#12', { 'PKCS#12': ['p12', 'pfx'] });
  if (!target) return [];
  const bytes = await nodeFileSystem.readFile(target.fsPath);
  const files = await withPassphrase(
    s,
    target.fsPath,
    (passphrase) =>
      planConversion(target.fsPath, bytes, {
        to: 'pem',
        passphrase: passphrase ?? '',
        ...(o.output ? { output: o.output } : {}),
      }),
    o.passphrase,
  );
  return files ? writeConfirmed(s, files, undefined, o.force) : [];
}

export async function exportPkcs12Command(s: Services, uri?: vscode.Uri): Promise<void> {
  const cert = await targetUri(uri, 'Certificate to Export', { Certificates: ['pem', 'crt', 'cer', 'der'] });
  if (!cert) return;
  const key = await vscode.window.showOpenDialog({
    title: 'The private key of this certificate',
    defaultUri: vscode.Uri.file(dirname(cert.fsPath)),
    filters: { Keys: ['key', 'pem', 'der'] },
  });
  if (!key?.[0]) return;
  const chainChoice = await vscode.window.showQuickPick(['No chain', 'Add CA / chain certificates…'], {
    title: 'Export PKCS#12',
  });
  if (!chainChoice) return;
  const chain =
    chainChoice === 'No chain'
      ? undefined
      : (
          await vscode.window.showOpenDialog({
            title: 'CA or chain certificates (PEM)',
            defaultUri: vscode.Uri.file(dirname(cert.fsPath)),
          })
        )?.[0];
  const exportPassphrase = await vscode.window.showInputBox({
    title: 'Export PKCS#12',
    prompt: 'Pass phrase that protects the .p12 (you need it to import it)',
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v ? undefined : 'A .p12 needs a pass phrase'),
  });
  if (!exportPassphrase) return;
  const again = await vscode.window.showInputBox({
    title: 'Export PKCS#12',
    prompt: 'The same pass phrase again',
    password: true,
    ignoreFocusOut: true,
  });
  if (again !== exportPassphrase) {
    if (again !== undefined)
      void vscode.window.showWarningMessage('The pass phrases differ; nothing was written.');
    return;
  }
  const [certBytes, keyBytes, chainBytes] = await Promise.all([
    nodeFileSystem.readFile(cert.fsPath),
    nodeFileSystem.readFile(key[0].fsPath),
    chain ? nodeFileSystem.readFile(chain.fsPath) : undefined,
  ]);
  const file = await withPassphrase(s, key[0].fsPath, (keyPassphrase) =>
    planPkcs12Export({
      certificate: certBytes,
      key: keyBytes,
      ...(chainBytes ? { chain: chainBytes } : {}),
      ...(keyPassphrase !== undefined ? { keyPassphrase } : {}),
      exportPassphrase,
      friendlyName: basename(cert.fsPath).replace(/\.[^.]+$/, ''),
      output: defaultP12Path(cert.fsPath),
    }),
  );
  if (file) await writeConfirmed(s, [file]);
}
