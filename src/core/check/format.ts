// The one-line form of a finding, `path:line:col: severity code: message`, for terminals and problem matchers.
import { isAbsolute, relative } from 'node:path';
import type { Finding } from './types';

/** Lines and columns are printed 1-based; paths relative to `cwd` when they are inside it. */
export function formatFinding(f: Finding, cwd?: string): string {
  let path = f.file;
  if (cwd) {
    const rel = relative(cwd, f.file);
    if (rel && !rel.startsWith('..') && !isAbsolute(rel)) path = rel;
  }
  const line = (f.range?.start.line ?? 0) + 1;
  const col = (f.range?.start.column ?? 0) + 1;
  const profile = f.profile ? ` [${f.profile}]` : '';
  return `${path}:${line}:${col}: ${f.severity} ${f.code}: ${f.message}${profile}`;
}
