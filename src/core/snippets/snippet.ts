// `etls snippet`: the connection code for one profile and one kind of target, with the profile's
// exact header symbols and the names its files were pushed under.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { dirname, relative } from 'node:path';
import { EtlsError } from '../errors';
import type { FileSystemPort } from '../ports';
import type { LoadedProject } from '../project/types';
import type { TargetId } from '../targets/ids';
import { parsePemBlocks, toPem } from '../x509';
import { arduinoEsp32, esp8266BearSsl, wifiNina } from './arduinoSnippets';
import {
  boardFiles,
  pemFile,
  requireFiles,
  snippetContext,
  type FileRole,
  type ProfileFile,
  type SnippetContext,
} from './context';
import { boardNote, cc3200, CC3200_DEFAULT_IDS, coreMqtt, espIdf, simplelink } from './cSnippets';
import { headerSymbols, type HeaderWish } from './symbols';
import { mosquittoScript, simplelinkAt } from './textSnippets';

export const snippetKinds = [
  'esp-idf',
  'arduino-esp32',
  'esp8266-bearssl',
  'wifinina',
  'simplelink',
  'cc3200',
  'simplelink-at',
  'coremqtt',
  'mosquitto_pub',
  'mosquitto_sub',
] as const;
export type SnippetKind = (typeof snippetKinds)[number];

export function isSnippetKind(s: string): s is SnippetKind {
  return (snippetKinds as readonly string[]).includes(s);
}

/** One line per kind, for the CLI usage and the editor's picker. */
export const SNIPPET_KINDS: Record<SnippetKind, { label: string; detail: string; language: string }> = {
  'esp-idf': {
    label: 'ESP-IDF esp-mqtt',
    detail: 'esp_mqtt_client_config_t, IDF 5.x and 4.x',
    language: 'c',
  },
  'arduino-esp32': { label: 'Arduino ESP32', detail: 'WiFiClientSecure + PubSubClient', language: 'cpp' },
  'esp8266-bearssl': { label: 'Arduino ESP8266', detail: 'BearSSL::X509List / PrivateKey', language: 'cpp' },
  wifinina: { label: 'Arduino WiFiNINA', detail: 'WiFiSSLClient + ArduinoMqttClient', language: 'cpp' },
  simplelink: {
    label: 'TI SimpleLink',
    detail: 'sl_SetSockOpt SL_SO_SECURE_FILES_*_FILE_NAME',
    language: 'c',
  },
  cc3200: { label: 'TI CC3200 SDK 1.x', detail: 'SlSockSecureFiles_t file IDs', language: 'c' },
  'simplelink-at': {
    label: 'CC32xx AT commands',
    detail: 'AT+SetSockOpt / AT+MqttCreate',
    language: 'plaintext',
  },
  coremqtt: { label: 'coreMQTT + mbedTLS', detail: 'NetworkCredentials_t', language: 'c' },
  mosquitto_pub: { label: 'mosquitto_pub', detail: 'a script that publishes', language: 'shellscript' },
  mosquitto_sub: { label: 'mosquitto_sub', detail: 'a script that subscribes', language: 'shellscript' },
};

/** The kind offered first for a board: what its firmware most likely uses. */
const KIND_FOR_TARGET: Partial<Record<TargetId, SnippetKind>> = {
  esp32: 'esp-idf',
  esp8266: 'esp8266-bearssl',
  wifinina: 'wifinina',
  cc3200: 'cc3200',
  cc3220: 'simplelink',
  cc3235: 'simplelink-at',
  cc3100: 'simplelink',
  linux: 'mosquitto_pub',
};

/** Every kind, the one the target most likely wants first. */
export function snippetKindsFor(target: TargetId | undefined): SnippetKind[] {
  const first = target ? KIND_FOR_TARGET[target] : undefined;
  return first ? [first, ...snippetKinds.filter((k) => k !== first)] : [...snippetKinds];
}

export interface Snippet {
  kind: SnippetKind;
  text: string;
  language: string;
  /** What the user should know or do: one sentence each (unrecorded headers or pushes). */
  notes: string[];
}

export interface SnippetOptions {
  /** Where the snippet will be written, so a script can find the project from its own folder. */
  outFile?: string;
}

const HEADER_WISH: Partial<Record<SnippetKind, HeaderWish>> = {
  'esp-idf': { layout: 'c', format: 'pem', accepts: ['c', 'arduino'], pemOnly: false },
  'arduino-esp32': { layout: 'arduino', accepts: ['arduino', 'c'], pemOnly: true },
  'esp8266-bearssl': { layout: 'arduino', accepts: ['arduino', 'c'], pemOnly: false },
  wifinina: { layout: 'arduino', accepts: ['arduino', 'c'], pemOnly: true },
  coremqtt: { layout: 'coremqtt', accepts: ['coremqtt', 'freertos'], pemOnly: true },
};

async function keyKind(
  fs: FileSystemPort,
  file: ProfileFile | undefined,
  isCert: boolean,
): Promise<'rsa' | 'ec' | undefined> {
  if (!file) return undefined;
  try {
    const bytes = await fs.readFile(file.path);
    const text = new TextDecoder().decode(bytes);
    const isPem = text.includes('-----BEGIN');
    let key;
    if (isCert) {
      const der = isPem ? parsePemBlocks(text).blocks[0]?.der : bytes;
      key = der ? createPublicKey(toPem('CERTIFICATE', der)) : undefined;
    } else
      key = isPem
        ? createPrivateKey(text)
        : createPrivateKey({ key: Buffer.from(bytes), format: 'der', type: 'pkcs8' });
    return key?.asymmetricKeyType === 'ec' ? 'ec' : key ? 'rsa' : undefined;
  } catch {
    return undefined;
  }
}

function pushHint(ctx: SnippetContext, files: ReturnType<typeof boardFiles>, kind: SnippetKind): string {
  if (kind === 'cc3200')
    return `flash them under these names with UniFlash, and list them under push.files of "${ctx.profileName}"`;
  const pairs = Object.values(files)
    .filter((f) => !f.recorded)
    .map((f) => `${f.local.rel}:${f.remote}`);
  return `etls push --port PORT --protocol simplelink-at ${pairs.join(' ')} (or list them under push.files of "${ctx.profileName}")`;
}

/** The snippet, or an EtlsError that says what the profile lacks and the command that makes it. */
export async function buildSnippet(
  fs: FileSystemPort,
  project: LoadedProject,
  profileName: string,
  kind: SnippetKind,
  options: SnippetOptions = {},
): Promise<Snippet> {
  const ctx = snippetContext(project, profileName);
  const info = SNIPPET_KINDS[kind];
  const title = `etls snippet --profile ${profileName} --for ${kind}: generated by etls snippet.`;
  const notes: string[] = [];
  const done = (text: string): Snippet => ({ kind, text, language: info.language, notes });
  const wish = HEADER_WISH[kind];
  const clientRoles: FileRole[] = ['ca', 'cert', 'key'];
  if (kind === 'wifinina') {
    requireFiles(ctx, ['ca'], info.label);
    const h = ctx.files.cert ? await headerSymbols(fs, ctx, ['cert'], wish!) : undefined;
    if (h?.makeCommand)
      notes.push(`The profile records no header for the certificate; write it: ${h.makeCommand}`);
    const caDer = ctx.files.ca!.rel.replace(/\.pem$|\.crt$/i, '.der');
    return done(wifiNina(ctx, h, title, caDer));
  }
  if (wish) {
    requireFiles(ctx, ['ca'], info.label);
    const h = await headerSymbols(fs, ctx, clientRoles, wish);
    if (h.makeCommand)
      notes.push(
        `Profile "${profileName}" records no header these names come from; write it: ${h.makeCommand}`,
      );
    if (!h.symbols.ca)
      throw new EtlsError(
        'not-found',
        `no header of profile "${profileName}" holds its CA certificate in a form the ${info.label} snippet can use`,
        `Add one: ${h.makeCommand ?? `etls header --format pem -o certs.h ${ctx.files.ca!.rel}`}`,
      );
    switch (kind) {
      case 'esp-idf':
        return done(espIdf(ctx, h, title));
      case 'arduino-esp32':
        return done(arduinoEsp32(ctx, h, title));
      case 'esp8266-bearssl':
        return done(
          esp8266BearSsl(ctx, h, title, {
            ...(await keyKind(fs, ctx.files.key, false).then((k) => (k ? { device: k } : {}))),
            ...(await keyKind(fs, ctx.files.ca, true).then((k) => (k ? { ca: k } : {}))),
          }),
        );
      default:
        return done(coreMqtt(ctx, h, title));
    }
  }
  if (kind === 'simplelink' || kind === 'cc3200' || kind === 'simplelink-at') {
    requireFiles(ctx, ['ca'], info.label);
    const files = boardFiles(ctx, clientRoles);
    if (kind === 'cc3200')
      for (const f of Object.values(files))
        if (!f.recorded) f.remote = `/cert/${CC3200_DEFAULT_IDS[f.role]}.der`;
    const hint = pushHint(ctx, files, kind);
    if (Object.values(files).some((f) => !f.recorded))
      notes.push(
        `Profile "${profileName}" records no push of some files; the snippet uses the names etls push offers. Push them: ${hint}`,
      );
    if (kind === 'simplelink') return done(simplelink(ctx, files, hint, title));
    if (kind === 'cc3200') return done(cc3200(ctx, files, hint, title));
    return done(
      simplelinkAt(
        ctx,
        files,
        boardNote(files, hint).map((l) => l.replace(/^ \* /, '')),
        title,
      ),
    );
  }
  requireFiles(ctx, ['ca'], info.label);
  const pem: Partial<Record<FileRole, ProfileFile>> = {};
  for (const r of clientRoles) if (ctx.files[r]) pem[r] = await pemFile(fs, ctx, ctx.files[r]!, kind);
  const place = options.outFile
    ? { projectFromScript: relative(dirname(options.outFile), project.dir).split('\\').join('/') || '.' }
    : {};
  return done(mosquittoScript(ctx, kind as 'mosquitto_pub' | 'mosquitto_sub', pem, place, title));
}
