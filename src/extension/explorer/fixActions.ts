// What each Quick Fix of the project check does to the files: convert to DER or PEM, change the key
// container, strip the pass phrase, add to .gitignore, chmod, edit the project file. Host-neutral: the
// questions go through FixUi, so the unit tests run every fix on real files without VS Code.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { chmod } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative } from 'node:path';
import type { FindingFix } from '../../core/check/types';
import { EtlsError } from '../../core/errors';
import { writeGuarded } from '../../core/files/guard';
import type { FileSystemPort } from '../../core/ports';
import { readObjects, toPem } from '../../core/x509';
import type { FoundObject, PrivateKeyInfo } from '../../core/x509/types';

export interface FixUi {
  /** The pass phrase of an encrypted key; undefined when the user cancels. Never logged. */
  askPassphrase(file: string): Promise<string | undefined>;
  /** Whether an existing file may be replaced. */
  confirmOverwrite(file: string): Promise<boolean>;
  /** Runs another command (regenerate-header); a string argument is a file path (a Uri for VS Code). False when not installed. */
  runCommand(id: string, arg: string | Record<string, unknown>): Promise<boolean>;
  /** Runs git in a folder; rejects with a sentence on failure. */
  git(cwd: string, args: string[]): Promise<void>;
}

export interface FixResult {
  /** Files written or changed, for the scanner to re-read. */
  changed: string[];
  /** One sentence for the notification. */
  message: string;
}

const KEY_MODE = 0o600;
type KeyFormatName = 'pkcs1' | 'sec1' | 'pkcs8';

function exportPrivateKey(key: KeyObject, type: KeyFormatName, format: 'pem' | 'der'): Uint8Array {
  const out = key.export({ type, format } as never) as Buffer | string;
  return typeof out === 'string' ? new TextEncoder().encode(out) : new Uint8Array(out);
}
const formatType: Record<PrivateKeyInfo['format'], KeyFormatName> = {
  'PKCS#1': 'pkcs1',
  SEC1: 'sec1',
  'PKCS#8': 'pkcs8',
  DSA: 'pkcs1',
};
const keyPemLabel: Record<KeyFormatName, string> = {
  pkcs1: 'RSA PRIVATE KEY',
  sec1: 'EC PRIVATE KEY',
  pkcs8: 'PRIVATE KEY',
};

function str(args: FindingFix['args'], name: string): string {
  const v = args[name];
  if (typeof v !== 'string' || !v) throw new EtlsError('invalid-argument', `The fix is missing its ${name}`);
  return v;
}

async function firstObject(
  fs: FileSystemPort,
  file: string,
  passphrase?: string,
): Promise<{ found: FoundObject; bytes: Uint8Array }> {
  const bytes = await fs.readFile(file);
  const result = readObjects(
    bytes,
    passphrase === undefined ? { fileName: file } : { fileName: file, passphrase },
  );
  const found = result.objects[0];
  if (!found) {
    const p = result.problems[0];
    throw new EtlsError(
      p?.code ?? 'unrecognized',
      p?.message ?? `${basename(file)} holds no certificate or key`,
      p?.fix,
    );
  }
  return { found, bytes };
}

async function writeOutput(
  fs: FileSystemPort,
  ui: FixUi,
  output: string,
  data: Uint8Array | string,
  secret: boolean,
): Promise<void> {
  const exists = (await fs.stat(output)) !== undefined;
  if (exists && !(await ui.confirmOverwrite(output)))
    throw new EtlsError('exists', `${basename(output)} already exists and was left as it is`);
  // The user confirmed replacing this very file (a key stripped of its pass phrase in place, say).
  await writeGuarded(fs, output, data, { replace: exists ? 'anything' : 'nothing', secret, mode: 0o644 });
}

/** Opens an encrypted key with the pass phrase the user gives; undefined pass phrase for plain keys. */
async function keyObject(
  fs: FileSystemPort,
  ui: FixUi,
  file: string,
): Promise<{ key: KeyObject; info: PrivateKeyInfo; encoding: 'pem' | 'der' }> {
  const { found, bytes } = await firstObject(fs, file);
  if (found.object.kind !== 'privateKey')
    throw new EtlsError('unsupported', `${basename(file)} holds no private key`);
  const encoding = found.encoding === 'PEM' ? 'pem' : 'der';
  let passphrase: string | undefined;
  if (found.object.encrypted) {
    passphrase = await ui.askPassphrase(file);
    if (passphrase === undefined)
      throw new EtlsError('cancelled', 'No pass phrase was given; the key was left as it is');
  }
  try {
    const key = createPrivateKey(
      encoding === 'pem'
        ? { key: Buffer.from(bytes), format: 'pem', ...(passphrase !== undefined ? { passphrase } : {}) }
        : {
            key: Buffer.from(bytes),
            format: 'der',
            type: formatType[found.object.format] as 'pkcs1' | 'sec1' | 'pkcs8',
            ...(passphrase !== undefined ? { passphrase } : {}),
          },
    );
    return { key, info: found.object, encoding };
  } catch {
    throw found.object.encrypted
      ? new EtlsError(
          'wrong-passphrase',
          `The pass phrase does not open ${basename(file)}`,
          'Try again with the pass phrase the key was created with.',
        )
      : new EtlsError('malformed', `${basename(file)} could not be read as a private key`);
  }
}

/** The DER or PEM of the file's first object; keys keep their container. */
async function convert(
  fs: FileSystemPort,
  ui: FixUi,
  file: string,
  output: string,
  to: 'der' | 'pem',
): Promise<FixResult> {
  const { found } = await firstObject(fs, file);
  const o = found.object;
  let der: Uint8Array | undefined;
  let label = 'CERTIFICATE';
  if (o.kind === 'certificate') der = o.der;
  else if (o.kind === 'csr') [der, label] = [o.der, 'CERTIFICATE REQUEST'];
  else if (o.kind === 'privateKey') {
    const { key, info } = await keyObject(fs, ui, file);
    const type = formatType[info.format];
    await writeOutput(fs, ui, output, exportPrivateKey(key, type, to), true);
    return {
      changed: [output],
      message: `Wrote ${basename(output)} (${to.toUpperCase()}, ${info.format}, mode 0600)`,
    };
  }
  if (!der) throw new EtlsError('unsupported', `${basename(file)}: a ${o.kind} cannot be converted here`);
  await writeOutput(fs, ui, output, to === 'der' ? der : toPem(label, der), false);
  return { changed: [output], message: `Wrote ${basename(output)} (${to.toUpperCase()})` };
}

async function appendIgnore(fs: FileSystemPort, gitignore: string, pattern: string): Promise<FixResult> {
  const existing = (await fs.stat(gitignore)) ? new TextDecoder().decode(await fs.readFile(gitignore)) : '';
  if (existing.split(/\r?\n/).some((l) => l.trim() === pattern))
    return { changed: [], message: `${pattern} is already in .gitignore` };
  const sep = existing && !existing.endsWith('\n') ? '\n' : '';
  await writeGuarded(fs, gitignore, `${existing}${sep}${pattern}\n`, { replace: 'anything-but-keys' });
  return { changed: [gitignore], message: `Added ${pattern} to ${basename(dirname(gitignore))}/.gitignore` };
}

function setPointer(doc: unknown, pointer: string, value: unknown): void {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let at = doc as Record<string, unknown>;
  for (const p of parts.slice(0, -1)) {
    if (typeof at[p] !== 'object' || at[p] === null) at[p] = {};
    at = at[p] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1];
  if (last === undefined) throw new EtlsError('invalid-argument', `Bad JSON pointer ${pointer}`);
  at[last] = value;
}

/** Carries out one Quick Fix. Throws EtlsError with a plain sentence when it cannot. */
export async function applyFix(fix: FindingFix, fs: FileSystemPort, ui: FixUi): Promise<FixResult> {
  const a = fix.args;
  switch (fix.kind) {
    case 'convert-to-der':
      return convert(fs, ui, str(a, 'file'), str(a, 'output'), 'der');
    case 'convert-to-pem':
      return convert(fs, ui, str(a, 'file'), str(a, 'output'), 'pem');
    case 'convert-key-format': {
      const { key, encoding } = await keyObject(fs, ui, str(a, 'file'));
      const format = ({ 'PKCS#1': 'pkcs1', SEC1: 'sec1', 'PKCS#8': 'pkcs8' } as const)[
        str(a, 'format') as Exclude<PrivateKeyInfo['format'], 'DSA'>
      ];
      if (!format) throw new EtlsError('invalid-argument', `Unknown key format ${String(a.format)}`);
      const output = str(a, 'output');
      const der = exportPrivateKey(key, format, 'der');
      await writeOutput(fs, ui, output, encoding === 'pem' ? toPem(keyPemLabel[format], der) : der, true);
      return { changed: [output], message: `Wrote ${basename(output)} as ${String(a.format)} (mode 0600)` };
    }
    case 'strip-passphrase': {
      const file = str(a, 'file');
      const output = typeof a.output === 'string' && a.output ? a.output : file;
      const { key, info, encoding } = await keyObject(fs, ui, file);
      const der = exportPrivateKey(key, formatType[info.format], 'der');
      await writeOutput(
        fs,
        ui,
        output,
        encoding === 'pem' ? toPem(keyPemLabel[formatType[info.format]], der) : der,
        true,
      );
      return {
        changed: [output],
        message: `Wrote ${basename(output)} without a pass phrase (mode 0600). Keep it out of git.`,
      };
    }
    case 'add-to-gitignore':
      return appendIgnore(fs, str(a, 'gitignore'), str(a, 'pattern'));
    case 'untrack-key': {
      const file = str(a, 'file');
      const root = typeof a.root === 'string' ? a.root : dirname(file);
      await ui.git(root, ['rm', '--cached', '--quiet', '--', file]);
      const rel = relative(root, file).split('\\').join('/');
      const ignored = await appendIgnore(
        fs,
        `${root}/.gitignore`,
        isAbsolute(rel) ? basename(file) : `/${rel}`,
      );
      return {
        changed: [file, ...ignored.changed],
        message: `${basename(file)} is no longer tracked by git and is ignored`,
      };
    }
    case 'chmod-key': {
      const file = str(a, 'file');
      const mode = typeof a.mode === 'number' ? a.mode : KEY_MODE;
      await chmod(file, mode);
      return {
        changed: [file],
        message: `${basename(file)} is now mode ${mode.toString(8).padStart(4, '0')}`,
      };
    }
    case 'regenerate-header': {
      // The header feature's own command regenerates a header file; older hosts only have Generate C Header.
      const output = typeof a.output === 'string' ? a.output : undefined;
      const done =
        (output !== undefined && (await ui.runCommand('embeddedTls.regenerateHeader', output))) ||
        (await ui.runCommand('embeddedTls.generateHeader', { ...a }));
      if (!done)
        throw new EtlsError(
          'unsupported',
          'The header generator is not available',
          'Run `etls header` from a terminal instead.',
        );
      return { changed: output ? [output] : [], message: 'Header regenerated' };
    }
    case 'push-module-roots': {
      // The push dialog asks for the port and whether to keep the module's current roots.
      const done = await ui.runCommand('embeddedTls.pushCertificatesToBoard', {
        profile: str(a, 'profile'),
        protocol: str(a, 'protocol'),
        files: [str(a, 'file')],
        ask: true,
      });
      if (!done)
        throw new EtlsError(
          'unsupported',
          'The push command is not available',
          'Run `etls push` from a terminal instead.',
        );
      return {
        changed: [str(a, 'project')],
        message: 'Push into the module finished (its notification tells the result)',
      };
    }
    case 'edit-project': {
      const project = str(a, 'project');
      const doc = JSON.parse(new TextDecoder().decode(await fs.readFile(project))) as unknown;
      setPointer(doc, str(a, 'pointer'), a.value);
      await writeGuarded(fs, project, JSON.stringify(doc, null, 2) + '\n', { replace: 'anything-but-keys' });
      return { changed: [project], message: `Updated ${basename(project)}` };
    }
  }
}
