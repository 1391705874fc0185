// The Certificates view as plain data: groups, object nodes and their children (chain, matching key or
// certificate, where it is embedded in C, findings). Host-neutral: the TreeDataProvider only maps these
// to vscode.TreeItems, and the unit tests and bench/explorer run it in Node.
import type { ObjectRole } from '../../core/check/types';
import { Context, groupNode, infoNode, objectNode } from './treeNodes';
import type { TreeInput, TreeNode } from './treeTypes';

export type { Grouping, TreeInput, TreeNode } from './treeTypes';

const roleGroups: Array<{ id: string; label: string; icon: string; roles: ObjectRole[] }> = [
  { id: 'ca', label: 'Certificate Authorities', icon: 'shield', roles: ['ca'] },
  { id: 'server', label: 'Brokers/Servers', icon: 'server', roles: ['server'] },
  { id: 'client', label: 'Devices/Clients', icon: 'circuit-board', roles: ['client'] },
  { id: 'key', label: 'Keys', icon: 'key', roles: ['key', 'public-key'] },
  { id: 'csr', label: 'CSRs', icon: 'git-pull-request-draft', roles: ['csr'] },
  { id: 'other', label: 'Bundles and Other', icon: 'package', roles: ['pkcs12', 'other'] },
];
const byLabel = (a: TreeNode, b: TreeNode) => a.label.localeCompare(b.label) || a.id.localeCompare(b.id);
/** The root nodes of the view; empty when the workspace holds no certificate, key or CSR. */
export function buildTree(input: TreeInput): TreeNode[] {
  const ctx = new Context(input);
  const objects = input.model.objects;
  if (objects.length === 0) return [];
  if (input.grouping === 'role') return byRole(ctx);
  if (input.project && Object.keys(input.project.profiles).length) return byProfile(ctx);
  // Grouping by profile without profiles: say so, and show the roles rather than one flat list.
  const why = input.project
    ? 'embedded-tls.json has no device profiles'
    : 'no embedded-tls.json in this folder';
  return [
    infoNode(
      'info:no-profiles',
      `No device profiles: ${why}`,
      'neutral',
      'info',
      'Showing the files by role instead.',
    ),
    ...byRole(ctx),
  ];
}

function byRole(ctx: Context): TreeNode[] {
  const roots: TreeNode[] = [];
  for (const g of roleGroups) {
    const members = ctx.input.model.objects
      .filter((o) => !o.embedded && g.roles.includes(o.role))
      .map((o) => objectNode(ctx, o, `group:${g.id}`))
      .sort(byLabel);
    if (members.length) roots.push(groupNode(`group:${g.id}`, g.label, g.icon, members));
  }
  const embedded = ctx.input.model.objects
    .filter((o) => o.embedded)
    .map((o) => objectNode(ctx, o, 'group:embedded'))
    .sort(byLabel);
  if (embedded.length) roots.push(groupNode('group:embedded', 'Embedded in sources', 'file-code', embedded));
  return roots;
}

function byProfile(ctx: Context): TreeNode[] {
  const profiles = ctx.input.project?.profiles ?? {};
  const roots: TreeNode[] = [];
  const used = new Set<string>();
  for (const [name, profile] of Object.entries(profiles)) {
    const members = ctx.input.model.objects
      .filter((o) => o.usedBy.some((u) => u.profile === name))
      .map((o) => {
        used.add(o.id);
        const node = objectNode(ctx, o, `profile:${name}`);
        const as = o.usedBy.filter((u) => u.profile === name).map((u) => u.as);
        node.description = `${as.join(', ')} · ${node.description ?? ''}`;
        return node;
      })
      .sort(byLabel);
    const broker = profile.broker ? `${profile.broker.host}:${profile.broker.port ?? 8883}` : undefined;
    const description = [profile.target, broker].filter(Boolean).join(' · ') || undefined;
    roots.push(groupNode(`profile:${name}`, name, 'circuit-board', members, description));
  }
  const rest = ctx.input.model.objects
    .filter((o) => !used.has(o.id))
    .map((o) => objectNode(ctx, o, 'profile:-'))
    .sort(byLabel);
  if (rest.length) roots.push(groupNode('profile:-', 'Not used by a profile', 'files', rest));
  return roots;
}
