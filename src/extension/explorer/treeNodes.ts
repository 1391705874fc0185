// The nodes of the Certificates view as plain data: an object, its chain, matching key or certificate,
// where it is embedded in C, and its findings. explorerTree.ts arranges them into groups.
import type { Finding, ModelObject, ObjectRole, Severity } from '../../core/check/types';
import {
  type NodeStatus,
  md,
  objectDescription,
  tooltipMarkdown,
  validityStatus,
  whereText,
  worse,
} from '../inspect/certificatePresentation';
import type { TreeInput, TreeNode } from './treeTypes';

const roleIcon: Record<ObjectRole, string> = {
  ca: 'shield',
  server: 'server',
  client: 'circuit-board',
  key: 'key',
  'public-key': 'key',
  csr: 'git-pull-request-draft',
  pkcs12: 'package',
  other: 'file',
};

const severityStatus: Record<Severity, NodeStatus> = { error: 'error', warning: 'warning', info: 'neutral' };

/** Everything the node builders need, computed once per rebuild. */
/** Links of one kind listed under a row before the rest are counted instead. */
export const MAX_LINKS = 20;

export class Context {
  readonly findingsByObject = new Map<string, Finding[]>();
  readonly findingsByFile = new Map<string, Finding[]>();
  /** Embedded objects by certificate fingerprint or public-key id, to find "where it is embedded in C". */
  readonly embeddedBySame = new Map<string, ModelObject[]>();
  /** Objects by the name a node shows, to tell apart rows that would read the same (ca.pem and ca.der). */
  readonly byShownName = new Map<string, ModelObject[]>();
  /** Per shown name, how many of its objects sit in a file of each base name: one lookup per row. */
  readonly baseNamesByShownName = new Map<string, Map<string, number>>();

  constructor(readonly input: TreeInput) {
    for (const f of input.findings) {
      if (f.objectIds?.length) for (const id of f.objectIds) push(this.findingsByObject, id, f);
      else push(this.findingsByFile, f.file, f);
    }
    for (const o of input.model.objects) if (o.embedded) push(this.embeddedBySame, sameKey(o), o);
    for (const o of input.model.objects)
      if (namedByContent(o) && !o.embedded) {
        push(this.byShownName, o.label, o);
        let bases = this.baseNamesByShownName.get(o.label);
        if (!bases) this.baseNamesByShownName.set(o.label, (bases = new Map()));
        bases.set(baseName(o.file), (bases.get(baseName(o.file)) ?? 0) + 1);
      }
  }

  findingsOf(o: ModelObject): Finding[] {
    return this.findingsByObject.get(o.id) ?? [];
  }

  statusOf(o: ModelObject): NodeStatus {
    const w = this.input.warningDays;
    let s: NodeStatus =
      o.object.kind === 'certificate'
        ? validityStatus(o.object.notBefore, o.object.notAfter, this.input.now, w)
        : 'ok';
    for (const f of this.findingsOf(o)) s = worse(s, severityStatus[f.severity]);
    return s;
  }

  where(o: ModelObject): string {
    return whereText(this.input.relative(o.file), o, this.input.model.byFile.get(o.file)?.length ?? 1);
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** What makes two objects "the same" across files: the certificate's fingerprint, or the public key. */
function sameKey(o: ModelObject): string {
  if (o.object.kind === 'certificate') return `cert:${o.object.sha256Fingerprint}`;
  // A trust anchor is not its certificate's copy: it links to it by key (matchIds), not as "Embedded in".
  return o.object.kind === 'trustAnchor' ? `ta:${o.id}` : `key:${o.keyId ?? o.id}`;
}

function namedByContent(o: ModelObject): boolean {
  return o.object.kind === 'certificate' || o.object.kind === 'csr' || o.embedded;
}

/**
 * Certificates and CSRs go by their CN; keys and bundles by their file (the description says what they
 * are). When several rows would read the same (a certificate as ca.pem and ca.der), each names its file.
 */
function nodeLabel(ctx: Context, o: ModelObject): string {
  if (namedByContent(o)) {
    const same = o.embedded ? [] : (ctx.byShownName.get(o.label) ?? []);
    if (same.length < 2) return o.label;
    const clash = (ctx.baseNamesByShownName.get(o.label)?.get(baseName(o.file)) ?? 0) > 1;
    return `${o.label} (${clash ? ctx.where(o) : baseName(ctx.where(o))})`;
  }
  const name = o.file.split(/[\\/]/).pop() ?? o.file;
  return (ctx.input.model.byFile.get(o.file)?.length ?? 1) > 1 ? `${name} #${o.index + 1}` : name;
}

function baseName(f: string): string {
  return f.slice(Math.max(f.lastIndexOf('/'), f.lastIndexOf('\\')) + 1);
}

function kindOf(o: ModelObject): string {
  return o.object.kind === 'privateKey' ? 'key' : o.object.kind;
}

export function objectNode(ctx: Context, o: ModelObject, idPrefix: string): TreeNode {
  const { input } = ctx;
  const findings = ctx.findingsOf(o);
  const status = ctx.statusOf(o);
  const node: TreeNode = {
    id: `${idPrefix}/${o.id}`,
    kind: 'object',
    label: nodeLabel(ctx, o),
    description: objectDescription(o.object, input.now),
    tooltip: () =>
      tooltipMarkdown(
        o.object,
        ctx.where(o),
        input.describe(o.object),
        findings.map((f) => `${f.severity} ${f.code}: ${f.message}`),
      ),
    status,
    icon: o.embedded ? 'file-code' : roleIcon[o.role],
    contextValue: `etls.${kindOf(o)}.${o.role}${o.embedded ? '.embedded' : ''}`,
    file: o.file,
    range: o.location,
    objectId: o.id,
    children: once(() => objectChildren(ctx, o, `${idPrefix}/${o.id}`)),
  };
  if (o.object.kind === 'certificate') node.fingerprint = o.object.sha256Fingerprint;
  return node;
}

function linkNode(ctx: Context, o: ModelObject, parentId: string, relation: string, icon: string): TreeNode {
  const node: TreeNode = {
    id: `${parentId}/${relation}/${o.id}`,
    kind: 'link',
    label: `${relation}: ${nodeLabel(ctx, o)}`,
    description: ctx.where(o),
    tooltip: () => tooltipMarkdown(o.object, ctx.where(o), ctx.input.describe(o.object)),
    status: ctx.statusOf(o),
    icon,
    contextValue: `etls.link.${kindOf(o)}`,
    file: o.file,
    range: o.location,
    objectId: o.id,
    children: () => [],
  };
  if (o.object.kind === 'certificate') node.fingerprint = o.object.sha256Fingerprint;
  return node;
}

export function infoNode(
  id: string,
  label: string,
  status: NodeStatus,
  icon: string,
  tooltip?: string,
): TreeNode {
  const node: TreeNode = {
    id,
    kind: 'info',
    label,
    status,
    icon,
    contextValue: 'etls.info',
    children: () => [],
  };
  if (tooltip) node.tooltip = () => md(tooltip);
  return node;
}

/** The chain up to the root, the matching key or certificate, where it is embedded, and the findings. */
function objectChildren(ctx: Context, o: ModelObject, id: string): TreeNode[] {
  const { model } = ctx.input;
  const out: TreeNode[] = [];
  if (o.object.kind === 'certificate') {
    const chain = model.chainOf(o.id).slice(1);
    for (const issuer of chain) out.push(linkNode(ctx, issuer, id, 'Issued by', 'arrow-up'));
    const top = chain[chain.length - 1]?.object ?? o.object;
    if (top.kind === 'certificate' && !top.selfSigned) {
      const bad = (chain[chain.length - 1] ?? o).issuerSignatureBad;
      out.push(
        infoNode(
          `${id}/missing-issuer`,
          bad
            ? `Issuer's signature does not verify: ${top.issuer.rfc4514}`
            : `Issuer not in workspace: ${top.issuer.rfc4514}`,
          bad ? 'error' : 'warning',
          'question',
        ),
      );
    }
  }
  // A fleet of copies of one key would give every row hundreds of links: show the first few and a count.
  for (const mid of o.matchIds.slice(0, MAX_LINKS)) {
    const m = model.byId.get(mid);
    if (m)
      out.push(
        linkNode(
          ctx,
          m,
          id,
          m.object.kind === 'privateKey'
            ? 'Key'
            : m.object.kind === 'csr'
              ? 'CSR'
              : m.object.kind === 'trustAnchor'
                ? 'Trust anchor'
                : 'Certificate',
          m.object.kind === 'privateKey' ? 'key' : 'link',
        ),
      );
  }
  if (o.matchIds.length > MAX_LINKS)
    out.push(
      infoNode(
        `${id}/more-matches`,
        `${o.matchIds.length - MAX_LINKS} more with the same public key`,
        'neutral',
        'ellipsis',
      ),
    );
  if (!o.embedded) {
    const embedded = ctx.embeddedBySame.get(sameKey(o)) ?? [];
    for (const e of embedded.slice(0, MAX_LINKS)) out.push(linkNode(ctx, e, id, 'Embedded in', 'file-code'));
    if (embedded.length > MAX_LINKS)
      out.push(
        infoNode(
          `${id}/more-embedded`,
          `Embedded in ${embedded.length - MAX_LINKS} more places`,
          'neutral',
          'ellipsis',
        ),
      );
  }
  ctx.findingsOf(o).forEach((f, i) => out.push(findingNode(f, `${id}/finding${i}`)));
  return out;
}

function findingNode(f: Finding, id: string): TreeNode {
  const node: TreeNode = {
    id,
    kind: 'finding',
    label: f.message,
    description: f.code,
    tooltip: () => (f.fix ? `${md(f.message)}\n\nQuick Fix: ${md(f.fix.title)}` : md(f.message)),
    status: severityStatus[f.severity],
    icon: f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'info',
    contextValue: `etls.finding.${f.code}`,
    file: f.file,
    children: () => [],
  };
  if (f.range) node.range = f.range;
  return node;
}

export function groupNode(
  id: string,
  label: string,
  icon: string,
  members: TreeNode[],
  description?: string,
): TreeNode {
  let status: NodeStatus = 'neutral';
  for (const m of members) status = worse(status, m.status === 'ok' ? 'neutral' : m.status);
  const node: TreeNode = {
    id,
    kind: 'group',
    label,
    description: description ?? String(members.length),
    status,
    icon,
    contextValue: `etls.group.${id.replace(/^group:/, '')}`,
    children: () => members,
    expanded: true,
  };
  return node;
}

/** Children are built on first expansion and then kept, so a node and its children stay the same objects. */
function once(f: () => TreeNode[]): () => TreeNode[] {
  let kids: TreeNode[] | undefined;
  return () => (kids ??= f());
}
