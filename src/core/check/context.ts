// What every rule sees: the linked model, each device profile resolved to its objects and to the
// target and cloud specs, the clock, and a report function that places findings.
import type { DeviceProfile, LoadedProject } from '../project/types';
import { resolveProjectPath } from '../project/load';
import { targetCatalog, type TargetSpec } from '../targets/catalog';
import { cloudCatalog, inferCloud, type CloudSpec } from '../targets/clouds';
import type { CertificateInfo, PrivateKeyInfo } from '../x509/types';
import type { Finding, FindingFix, ModelObject, Range, WorkspaceModel } from './types';
import { locateJson } from './jsonLocate';

/** A certificate model object, narrowed. */
export type CertObject = ModelObject & { object: CertificateInfo };
export type KeyObject = ModelObject & { object: PrivateKeyInfo };

export function isCert(m: ModelObject | undefined): m is CertObject {
  return m?.object.kind === 'certificate';
}

export function isKey(m: ModelObject | undefined): m is KeyObject {
  return m?.object.kind === 'privateKey';
}

export interface ResolvedProfile {
  name: string;
  profile: DeviceProfile;
  target?: TargetSpec;
  cloud: CloudSpec;
  caPath?: string;
  certPath?: string;
  keyPath?: string;
  /** Certificates in the CA file (a bundle may hold several). */
  ca: CertObject[];
  /** The first certificate of the cert file: the device certificate. */
  cert?: CertObject;
  /** Further certificates in the cert file (intermediates sent with the device certificate). */
  certExtras: CertObject[];
  key?: KeyObject;
}

export interface RuleContext {
  model: WorkspaceModel;
  project?: LoadedProject;
  profiles: ResolvedProfile[];
  now: number;
  expiryDays: number;
  /** The range of a value in the project file, by JSON path (`['profiles', name, 'broker', 'port']`). */
  locate(path: Array<string | number>): Range | undefined;
  report(f: Finding): void;
  /** Files a profile names that were not scanned, with the finding to report if they do not exist. */
  unscanned: Array<{ path: string; finding: Finding }>;
}

/** The range of an object inside its file, as a finding wants it. */
export function objectRange(m: ModelObject): Range {
  return { start: { ...m.location.start }, end: { ...m.location.end } };
}

/** A finding anchored on an object: its file, its range, its id. */
export function onObject(
  m: ModelObject,
  f: Omit<Finding, 'file' | 'range' | 'objectIds'> & { objectIds?: string[] },
): Finding {
  return { ...f, file: m.file, range: objectRange(m), objectIds: [m.id, ...(f.objectIds ?? [])] };
}

export function resolveProfiles(
  model: WorkspaceModel,
  project: LoadedProject | undefined,
): ResolvedProfile[] {
  if (!project) return [];
  return Object.entries(project.file.profiles).map(([name, profile]) => {
    const r: ResolvedProfile = {
      name,
      profile,
      cloud: cloudCatalog[profile.broker?.cloud ?? inferCloud(profile.broker?.host)],
      ca: [],
      certExtras: [],
    };
    if (profile.target) r.target = targetCatalog[profile.target];
    if (profile.ca) {
      r.caPath = resolveProjectPath(project, profile.ca);
      r.ca = (model.byFile.get(r.caPath) ?? []).filter(isCert);
    }
    if (profile.cert) {
      r.certPath = resolveProjectPath(project, profile.cert);
      const certs = (model.byFile.get(r.certPath) ?? []).filter(isCert);
      if (certs[0]) r.cert = certs[0];
      r.certExtras = certs.slice(1);
    }
    if (profile.key) {
      r.keyPath = resolveProjectPath(project, profile.key);
      const key = (model.byFile.get(r.keyPath) ?? []).find(isKey);
      if (key) r.key = key;
    }
    return r;
  });
}

export function makeLocate(text: string | undefined): RuleContext['locate'] {
  if (text === undefined) return () => undefined;
  let index: Map<string, Range> | undefined;
  return (path) => {
    index ??= locateJson(text);
    // Fall back to the nearest enclosing value that is in the file.
    for (let n = path.length; n >= 0; n--) {
      const r = index.get(JSON.stringify(path.slice(0, n)));
      if (r) return r;
    }
    return undefined;
  };
}

/** A Quick Fix that sets one scalar of the project file: `pointer` is a JSON pointer, `json` the value's JSON text. */
export function editFix(
  ctx: RuleContext,
  r: ResolvedProfile,
  path: string[],
  value: string | number | boolean,
  title: string,
): FindingFix {
  const pointer = ['profiles', r.name, ...path]
    .map((p) => '/' + p.replace(/~/g, '~0').replace(/\//g, '~1'))
    .join('');
  return {
    kind: 'edit-project',
    title,
    args: { project: ctx.project!.path, profile: r.name, pointer, value, json: JSON.stringify(value) },
  };
}
