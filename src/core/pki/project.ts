// Links a new development PKI into embedded-tls.json: where the CA lives, and a profile that uses it.
import { dirname, join, relative, sep } from 'node:path';
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

/**
 * A folder of this project holding a CA certificate with its key (ca.pem + ca.key, as etls pki init
 * writes them): the PKI folder first, then the folder of each profile's CA file.
 */
export async function findProjectCa(fs: FileSystemPort, project: LoadedProject): Promise<string | undefined> {
  const dirs: string[] = [];
  if (project.file.pki?.dir) dirs.push(join(project.dir, project.file.pki.dir));
  for (const p of Object.values(project.file.profiles))
    if (p.ca && !p.ca.includes('://')) dirs.push(dirname(join(project.dir, p.ca)));
  for (const d of dirs)
    if ((await fs.stat(join(d, 'ca.pem'))) && (await fs.stat(join(d, 'ca.key')))) return d;
  return undefined;
}

export interface PkiLink {
  outDir: string;
  /** The device whose certificate and key the profile gets. */
  device: string;
  brokerHost: string;
  /** Every name the broker certificate carries: a profile host among them is kept when replacing. */
  brokerNames?: string[];
  port?: number;
  /**
   * Point the profile at the new files even where it names others (the user said so): without it,
   * values already set are kept, since they may be production credentials.
   */
  replace?: boolean;
}

/** What linking would change, one phrase per field, without writing: the question to ask first. */
export async function plannedPkiLink(
  fs: FileSystemPort,
  projectPath: string,
  link: PkiLink,
  profileName?: string,
): Promise<string[]> {
  return linkPkiToProject(fs, projectPath, link, profileName, { dryRun: true });
}

/**
 * Records the PKI folder and fills the profile's missing ca/cert/key/broker; values already set are
 * kept (they may point at production credentials) unless `link.replace`. Returns what changed, one
 * phrase per field.
 */
export async function linkPkiToProject(
  fs: FileSystemPort,
  projectPath: string,
  link: PkiLink,
  profileName?: string,
  options: { dryRun?: boolean } = {},
): Promise<string[]> {
  const project = await loadProject(fs, projectPath);
  const rel = (p: string) => relative(project.dir, p).split(sep).join('/') || '.';
  const changes: string[] = [];
  const dir = rel(link.outDir);
  if (project.file.pki?.dir !== dir) {
    project.file.pki = { dir };
    changes.push(`pki.dir = ${dir}`);
  }
  // A profile named on the command line that the file does not have yet is made, as an empty file gets one.
  if (profileName && !project.file.profiles[profileName]) {
    project.file.profiles[profileName] = {};
    changes.push(`profiles.${profileName} added`);
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
      if (p[field] === undefined || (link.replace && p[field] !== value)) {
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
    } else if (link.replace) {
      const names = (link.brokerNames ?? [link.brokerHost]).map((n) => n.toLowerCase());
      if (!p.broker.host || !names.includes(p.broker.host.toLowerCase())) {
        p.broker.host = link.brokerHost;
        changes.push(`profiles.${picked.name}.broker.host = ${link.brokerHost}`);
      }
    }
  }
  if (changes.length && !options.dryRun) await saveProject(fs, project);
  return changes;
}
