// The Certificates view's data types: a node of the tree and what the tree is built from.
import type { Finding, ModelObject, Range, WorkspaceModel } from '../../core/check/types';
import type { ProjectFile } from '../../core/project/types';
import type { NodeStatus } from '../inspect/certificatePresentation';

export type Grouping = 'role' | 'profile';

export interface TreeNode {
  /** Unique within the tree, stable across rebuilds so expansion state survives. */
  id: string;
  kind: 'group' | 'object' | 'link' | 'finding' | 'info';
  label: string;
  description?: string;
  /** Markdown, made when the view asks for it (resolveTreeItem): most nodes are never hovered. */
  tooltip?: () => string;
  status: NodeStatus;
  /** Codicon id. */
  icon: string;
  /** `viewItem` for menus: `etls.certificate.ca`, `etls.key`, `etls.link.certificate`, `etls.group.ca`, ... */
  contextValue: string;
  file?: string;
  range?: Range;
  /** SHA-256 fingerprint of a certificate, for Copy Fingerprint. */
  fingerprint?: string;
  objectId?: string;
  children: () => TreeNode[];
  expanded?: boolean;
}

export interface TreeInput {
  model: WorkspaceModel;
  findings: readonly Finding[];
  project?: ProjectFile;
  grouping: Grouping;
  now: number;
  warningDays: number;
  /** Workspace-relative path of an absolute one, for descriptions and tooltips. */
  relative: (file: string) => string;
  /** One-line summary (the x509 reader's describeObject). */
  describe: (o: ModelObject['object']) => string;
}
