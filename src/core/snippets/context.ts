// What a connection snippet is made from: one profile of embedded-tls.json with its broker, its
// certificate and key files, and the names those files were pushed under on the board.
import { basename, dirname, join } from 'node:path';
import { EtlsError } from '../errors';
import { relativePath } from '../headers/args';
import type { FileSystemPort } from '../ports';
import { resolveProjectPath } from '../project/load';
import type { DeviceProfile, LoadedProject } from '../project/types';
import { defaultRemoteName } from '../push/defaults';

export type FileRole = 'ca' | 'cert' | 'key';
export const FILE_ROLES: readonly FileRole[] = ['ca', 'cert', 'key'];

export interface ProfileFile {
  role: FileRole;
  /** Absolute path. */
  path: string;
  /** Relative to the project folder, `/` separators: what a command line in the project uses. */
  rel: string;
}

export interface BrokerTarget {
  host: string;
  port: number;
  clientId: string;
  alpn?: string;
  servername?: string;
  mqttVersion: 3 | 5;
}

export interface SnippetContext {
  project: LoadedProject;
  profileName: string;
  profile: DeviceProfile;
  broker: BrokerTarget;
  files: Partial<Record<FileRole, ProfileFile>>;
}

/** The ALPN a broker needs: the profile's own, else AWS IoT's on port 443. */
function alpnOf(profile: DeviceProfile, port: number): string | undefined {
  const own = profile.broker?.alpn?.[0];
  if (own) return own;
  return profile.broker?.cloud === 'aws-iot' && port === 443 ? 'x-amzn-mqtt-ca' : undefined;
}

/** The profile a snippet is for, with the sentence that says what to do when it is not there. */
export function snippetContext(project: LoadedProject, profileName: string): SnippetContext {
  const profile = project.file.profiles[profileName];
  if (!profile)
    throw new EtlsError(
      'not-found',
      `${project.path} has no profile "${profileName}"`,
      `Use one of: ${Object.keys(project.file.profiles).join(', ') || '(none yet: etls pki init --profile NAME --broker-host HOST makes one)'}.`,
    );
  const b = profile.broker;
  if (!b?.host)
    throw new EtlsError(
      'not-found',
      `profile "${profileName}" names no broker, so there is nothing to connect to`,
      `Add "broker": { "host": ..., "port": 8883 } to it in embedded-tls.json, or make a local one: etls pki init --profile ${profileName} --broker-host HOST.`,
    );
  const port = b.port ?? 8883;
  const files: Partial<Record<FileRole, ProfileFile>> = {};
  for (const role of FILE_ROLES) {
    const p = profile[role];
    if (!p || p.includes('://')) continue;
    const path = resolveProjectPath(project, p);
    files[role] = { role, path, rel: relativePath(project.dir, path) };
  }
  const alpn = alpnOf(profile, port);
  return {
    project,
    profileName,
    profile,
    broker: {
      host: b.host,
      port,
      clientId: b.clientId ?? profileName,
      ...(alpn ? { alpn } : {}),
      ...(b.servername && b.servername !== b.host ? { servername: b.servername } : {}),
      mqttVersion: b.mqttVersion === 5 ? 5 : 3,
    },
    files,
  };
}

const WHAT: Record<FileRole, string> = {
  ca: 'CA certificate ("ca")',
  cert: 'device certificate ("cert")',
  key: 'device key ("key")',
};

/** The files a kind cannot do without; the error names the missing ones and the command that makes them. */
export function requireFiles(ctx: SnippetContext, roles: FileRole[], kindLabel: string): void {
  const missing = roles.filter((r) => !ctx.files[r]);
  if (missing.length === 0) return;
  throw new EtlsError(
    'not-found',
    `profile "${ctx.profileName}" has no ${missing.map((r) => WHAT[r]).join(', ')}, which the ${kindLabel} snippet needs`,
    `Point it at your files in embedded-tls.json, or make a development set: etls pki init --profile ${ctx.profileName} --broker-host ${ctx.broker.host}.`,
  );
}

/**
 * Same folder and name up to the extension, and the same kind: `device.pem` and `device.der` are one
 * certificate in two forms, `device.key` and `device.key.der` one key; the key is not the certificate.
 */
function stem(path: string): string {
  const name = basename(path);
  const key = /\.key(\.(der|pem))?$/i.test(name);
  return `${join(dirname(path), name.replace(/(\.key)?\.(pem|der|crt|cer|key)$/i, ''))}#${key ? 'key' : 'cert'}`;
}

export interface BoardFile {
  role: FileRole;
  /** The name on the board. */
  remote: string;
  /** True when the profile's push section records it; false when it is the name etls push would offer. */
  recorded: boolean;
  local: ProfileFile;
}

/**
 * The name each file has on the board: the one the profile's push section records for it (or for
 * another form of the same file), else the name `etls push` offers for SimpleLink.
 */
export function boardFiles(ctx: SnippetContext, roles: FileRole[]): Partial<Record<FileRole, BoardFile>> {
  const out: Partial<Record<FileRole, BoardFile>> = {};
  const pushed = (ctx.profile.push?.files ?? []).map((f) => ({
    path: resolveProjectPath(ctx.project, f.local),
    remote: f.remote,
  }));
  for (const role of roles) {
    const local = ctx.files[role];
    if (!local) continue;
    const hit =
      pushed.find((f) => f.path === local.path) ?? pushed.find((f) => stem(f.path) === stem(local.path));
    out[role] = hit
      ? { role, remote: hit.remote, recorded: true, local }
      : {
          role,
          remote: defaultRemoteName('simplelink-at', local.path, role === 'key' ? 'key' : 'certificate'),
          recorded: false,
          local,
        };
  }
  return out;
}

/** The PEM form of a file for tools that read PEM only (mosquitto, Node.js): itself, or its `.pem`/`.key` sibling. */
export async function pemFile(
  fs: FileSystemPort,
  ctx: SnippetContext,
  file: ProfileFile,
  tool: string,
): Promise<ProfileFile> {
  const isDer = /\.der$/i.test(file.path);
  if (!isDer) return file;
  const sibling =
    file.role === 'key' ? file.path.replace(/(\.key)?\.der$/i, '.key') : file.path.replace(/\.der$/i, '.pem');
  if ((await fs.stat(sibling))?.isFile)
    return { ...file, path: sibling, rel: relativePath(ctx.project.dir, sibling) };
  throw new EtlsError(
    'unsupported',
    `${tool} reads PEM files, and profile "${ctx.profileName}" names ${file.rel}, a DER file with no PEM copy beside it`,
    `Make one: etls convert ${file.rel} --to pem -o ${relativePath(ctx.project.dir, sibling)}.`,
  );
}
