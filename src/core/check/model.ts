// Links the objects of a workspace: which key belongs to which certificate, who issued whom
// (verified by signature), and what each object is for. Indexed, so linking stays O(n).
import { basename } from 'node:path';
import type { LoadedProject } from '../project/types';
import { resolveProjectPath } from '../project/load';
import { nameKey, sameName } from '../x509/names';
import { certificateSignedBy } from '../x509/signature';
import type { CertificateInfo, X509Object } from '../x509/types';
import type { ModelObject, ObjectRole, ScannedFile, WorkspaceModel } from './types';

type Use = ModelObject['usedBy'][number];

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Absolute path -> the profiles that name it, with what for. */
export function profileUses(project: LoadedProject | undefined): Map<string, Use[]> {
  const uses = new Map<string, Use[]>();
  if (!project) return uses;
  for (const [profile, p] of Object.entries(project.file.profiles)) {
    if (p.ca) push(uses, resolveProjectPath(project, p.ca), { profile, as: 'ca' });
    if (p.cert) push(uses, resolveProjectPath(project, p.cert), { profile, as: 'cert' });
    if (p.key) push(uses, resolveProjectPath(project, p.key), { profile, as: 'key' });
    for (const h of p.headers ?? [])
      for (const i of h.inputs ?? [])
        push(uses, resolveProjectPath(project, i.file), { profile, as: 'header-input' });
  }
  return uses;
}

function keyLabel(o: X509Object, file: string): string {
  const name = basename(file);
  switch (o.kind) {
    case 'privateKey': {
      const bits = o.publicKey?.bits;
      return `${name} (${o.algorithm}${bits ? `-${bits}` : ''} private key${o.encrypted ? ', encrypted' : ''})`;
    }
    case 'publicKey':
      return `${name} (${o.publicKey.algorithm}-${o.publicKey.bits} public key)`;
    case 'csr':
      return o.subject.commonName ?? `${name} (CSR)`;
    case 'certificate':
      return o.subject.commonName ?? (o.subject.rfc4514 || name);
    case 'pkcs12':
      return `${name} (PKCS#12)`;
    case 'ecParameters':
      return `${name} (EC parameters ${o.curve})`;
    case 'trustAnchor':
      return o.subject.commonName ?? (o.subject.rfc4514 || `${name} (trust anchor)`);
    case 'dhParameters':
      return `${name} (DH parameters, ${o.bits} bits)`;
    case 'crl':
      return `${name} (CRL of ${o.issuer.commonName ?? (o.issuer.rfc4514 || 'an unnamed issuer')})`;
  }
}

/** A certificate's role: how profiles use it, then whether it names a broker host, then its EKU and SAN. */
function certificateRole(c: CertificateInfo, uses: Use[], brokerHosts: Set<string>): ObjectRole {
  if (c.isCA || uses.some((u) => u.as === 'ca')) return 'ca';
  if (uses.some((u) => u.as === 'cert')) return 'client';
  // Naming a broker host beats the key usage: a broker certificate with the wrong EKU is still the
  // broker's (and missing-server-auth says so).
  const names = c.subjectAltNames.filter((n) => n.type === 'dns' || n.type === 'ip');
  if (names.some((n) => brokerHosts.has(n.value.toLowerCase()))) return 'server';
  if (c.subject.commonName && brokerHosts.has(c.subject.commonName.toLowerCase())) return 'server';
  const eku = c.extendedKeyUsage;
  const server = eku?.includes('serverAuth') ?? false;
  const client = eku?.includes('clientAuth') ?? false;
  if (server && !client) return 'server';
  if (client && !server) return 'client';
  return names.length > 0 ? 'server' : 'client';
}

function roleOf(o: X509Object, uses: Use[], brokerHosts: Set<string>): ObjectRole {
  switch (o.kind) {
    case 'certificate':
      return certificateRole(o, uses, brokerHosts);
    case 'privateKey':
      return 'key';
    case 'publicKey':
      return 'public-key';
    case 'csr':
      return 'csr';
    case 'pkcs12':
      return 'pkcs12';
    case 'trustAnchor':
      return 'ca';
    default:
      return 'other';
  }
}

function keyIdOf(o: X509Object): string | undefined {
  switch (o.kind) {
    case 'certificate':
    case 'csr':
    case 'publicKey':
      return o.publicKey.sha256;
    case 'privateKey':
    case 'trustAnchor':
      return o.publicKey?.sha256;
    default:
      return undefined;
  }
}

/** Signature checks memoised by (child, issuer key): the same pair comes up again on every relink. */
class SignatureChecker {
  private readonly results = new Map<string, boolean>();

  verifies(child: CertificateInfo, issuer: CertificateInfo): boolean {
    const memo = `${child.sha256Fingerprint}/${issuer.publicKey.sha256}`;
    let ok = this.results.get(memo);
    if (ok === undefined) {
      try {
        ok = certificateSignedBy(child, issuer);
      } catch {
        ok = false;
      }
      if (this.results.size > 50_000) this.results.clear();
      this.results.set(memo, ok);
    }
    return ok;
  }
}

const signatures = new SignatureChecker();

/** Whether `issuer` signed `child`, by the signature (crypto.verify over the TBS bytes). */
export function signatureVerifies(child: CertificateInfo, issuer: CertificateInfo): boolean {
  return signatures.verifies(child, issuer);
}

export interface LinkOptions {
  /** Replaces the signature check; unit tests with plain-object certificates pass one. */
  verifySignature?: (child: CertificateInfo, issuer: CertificateInfo) => boolean;
}

export function linkWorkspace(
  files: Iterable<ScannedFile>,
  project?: LoadedProject,
  options: LinkOptions = {},
): WorkspaceModel {
  const verify = options.verifySignature ?? signatureVerifies;
  const isIssuedBy = (child: CertificateInfo, issuer: CertificateInfo) =>
    sameName(child.issuer, issuer.subject) && verify(child, issuer);
  const uses = profileUses(project);
  const brokerHosts = new Set(
    Object.values(project?.file.profiles ?? {})
      .map((p) => p.broker?.host?.toLowerCase())
      .filter((h): h is string => !!h),
  );
  const fileMap = new Map<string, ScannedFile>();
  const objects: ModelObject[] = [];
  const byFile = new Map<string, ModelObject[]>();
  const add = (
    f: ScannedFile,
    id: string,
    index: number,
    found: ScannedFile['objects'][number],
    object: X509Object,
  ) => {
    const fileUses = uses.get(f.path) ?? [];
    const m: ModelObject = {
      id,
      file: f.path,
      index,
      encoding: found.encoding,
      location: found.location,
      object,
      role: roleOf(object, fileUses, brokerHosts),
      embedded: found.location.container === 'c-array' || found.location.container === 'c-string',
      label: keyLabel(object, f.path),
      matchIds: [],
      usedBy: fileUses,
    };
    const keyId = keyIdOf(object);
    if (keyId) m.keyId = keyId;
    objects.push(m);
    push(byFile, f.path, m);
  };
  for (const f of files) {
    fileMap.set(f.path, f);
    for (const found of f.objects) {
      add(f, `${f.path}#${found.index}`, found.index, found, found.object);
      // PKCS#12 contents become objects of their own so keys and chains link through them.
      if (found.object.kind === 'pkcs12')
        found.object.contents.forEach((inner, j) =>
          add(f, `${f.path}#${found.index}.${j}`, found.index, found, inner),
        );
    }
  }

  const bySubject = new Map<string, ModelObject[]>();
  const bySki = new Map<string, ModelObject[]>();
  const byKey = new Map<string, ModelObject[]>();
  for (const m of objects) {
    if (m.keyId) push(byKey, m.keyId, m);
    if (m.object.kind !== 'certificate') continue;
    push(bySubject, nameKey(m.object.subject), m);
    if (m.object.subjectKeyIdentifier) push(bySki, m.object.subjectKeyIdentifier, m);
  }

  // Keys/CSRs list the certificates; certificates list keys and CSRs; never the same kind. Objects of one
  // kind and key share one list, so a thousand copies of a key and its certificate link in linear time.
  const matchLists = new Map<string, string[]>();
  for (const m of objects) {
    if (m.keyId) {
      const listKey = `${m.keyId}\0${m.object.kind}`;
      let list = matchLists.get(listKey);
      if (!list) {
        list = (byKey.get(m.keyId) ?? []).filter((o) => o.object.kind !== m.object.kind).map((o) => o.id);
        matchLists.set(listKey, list);
      }
      if (list.length) m.matchIds = list;
    }
    const c = m.object;
    if (c.kind !== 'certificate' || c.selfSigned) continue;
    const bySkiCandidates = c.authorityKeyIdentifier ? bySki.get(c.authorityKeyIdentifier) : undefined;
    const candidates = (bySkiCandidates ?? bySubject.get(nameKey(c.issuer)) ?? []).filter((p) => p !== m);
    const issuer = candidates.find((p) => p.object.kind === 'certificate' && isIssuedBy(c, p.object));
    if (issuer) m.issuerId = issuer.id;
    else if (candidates.length > 0) m.issuerSignatureBad = true;
  }

  const byId = new Map(objects.map((m) => [m.id, m]));
  const children = new Map<string, ModelObject[]>();
  for (const m of objects) if (m.issuerId) push(children, m.issuerId, m);
  // A certificate that issued others is a CA in the tree even without CA:TRUE (the ca-not-ca rule says so).
  for (const id of children.keys()) {
    const issuer = byId.get(id);
    if (issuer && issuer.role !== 'ca') issuer.role = 'ca';
  }

  return {
    files: fileMap,
    objects,
    byId,
    byFile,
    isIssuedBy,
    chainOf(id) {
      const chain: ModelObject[] = [];
      const seen = new Set<string>();
      for (let m = byId.get(id); m && !seen.has(m.id); m = m.issuerId ? byId.get(m.issuerId) : undefined) {
        seen.add(m.id);
        chain.push(m);
      }
      return chain;
    },
    issuedBy(id) {
      return children.get(id) ?? [];
    },
  };
}
