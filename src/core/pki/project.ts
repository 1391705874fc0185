// Links a new development PKI into embedded-tls.json: where the CA lives, and a profile that uses it.
import { relative, sep } from 'node:path';
import { EtlsError } from '../errors';
import type { FileSystemPort } from '../ports';
import { loadProject, saveProject } from '../project/load';
import type { DeviceProfile, LoadedProject } from '../project/types';
import type { TargetId } from '../targets/ids';

/** Boards whose stacks load DER files (SimpleLink file system, WiFiNINA/WINC1500 uploads). */
const DER_TARGETS: ReadonlySet<TargetId> = new Set([
  'cc3200',
  'cc3220',
  'cc3235',
  'cc3100',
  'wifinina',
  'winc1500',
]);

/** The profile a PKI command is about: the one named, else the only one, else none. */
export function pickProfile(
  project: LoadedProject,
  name?: string,
): { name: string; profile: DeviceProfile } | undefined {
  if (name) {
    const profile = project.file.profiles[name];
    if (!profile)
      throw new EtlsError(
        'not-found',
        `${project.path} has no profile "${name}"`,
        `Use one of: ${Object.keys(project.file.profiles).join(', ') || '(none yet)'}.`,
      );
    return { name, profile };
  }
  const names = Object.keys(project.file.profiles);
  return names.length === 1 ? { name: names[0]!, profile: project.file.profiles[names[0]!]! } : undefined;
}

export interface PkiLink {
  outDir: string;
  /** The device whose certificate and key the profile gets. */
  device: string;
  brokerHost: string;
  port?: number;
}

/**
 * Records the PKI folder and fills the profile's missing ca/cert/key/broker; values already set are
 * kept (they may point at production credentials). Returns what changed, one phrase per field.
 */
export async function linkPkiToProject(
  fs: FileSystemPort,
  projectPath: string,
  link: PkiLink,
  profileName?: string,
): Promise<string[]> {
  const project = await loadProject(fs, projectPath);
  const rel = (p: string) => relative(project.dir, p).split(sep).join('/') || '.';
  const changes: string[] = [];
  const dir = rel(link.outDir);
  if (project.file.pki?.dir !== dir) {
    project.file.pki = { dir };
    changes.push(`pki.dir = ${dir}`);
  }
  let picked = pickProfile(project, profileName);
  if (!picked && Object.keys(project.file.profiles).length === 0) {
    project.file.profiles['local-broker'] = {};
    picked = { name: 'local-broker', profile: project.file.profiles['local-broker']! };
  }
  if (picked) {
    const p = picked.profile;
    const der = p.target !== undefined && DER_TARGETS.has(p.target);
    const fill = (field: 'ca' | 'cert' | 'key', value: string) => {
      if (p[field] === undefined) {
        p[field] = value;
        changes.push(`profiles.${picked!.name}.${field} = ${value}`);
      }
    };
    fill('ca', rel(`${link.outDir}/ca.${der ? 'der' : 'pem'}`));
    fill('cert', rel(`${link.outDir}/${link.device}.${der ? 'der' : 'pem'}`));
    fill('key', rel(`${link.outDir}/${link.device}.${der ? 'key.der' : 'key'}`));
    if (!p.broker) {
      p.broker = {
        host: link.brokerHost,
        port: link.port ?? 8883,
        cloud: 'mosquitto',
        clientId: link.device,
      };
      changes.push(`profiles.${picked.name}.broker = ${link.brokerHost}:${link.port ?? 8883}`);
    }
  }
  if (changes.length) await saveProject(fs, project);
  return changes;
}
