// Runs every rule over the linked workspace and the project's device profiles.
import type { LoadedProject } from '../project/types';
import { makeLocate, resolveProfiles, type RuleContext } from './context';
import type { CheckOptions, Finding, Severity, WorkspaceModel } from './types';
import { syncRules } from './rules';
import { gitRule } from './rules/git';
import { keyPermissionsRule } from './rules/permissions';

const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** The worst severity among findings (for a tree node's colour); undefined when there are none. */
export function worstSeverity(findings: readonly Finding[]): Severity | undefined {
  let worst: Severity | undefined;
  for (const f of findings) if (!worst || rank[f.severity] < rank[worst]) worst = f.severity;
  return worst;
}

/** By file, then position, then severity and code: stable output for the CLI and tests. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      (a.range?.start.line ?? -1) - (b.range?.start.line ?? -1) ||
      (a.range?.start.column ?? -1) - (b.range?.start.column ?? -1) ||
      rank[a.severity] - rank[b.severity] ||
      a.code.localeCompare(b.code) ||
      a.message.localeCompare(b.message),
  );
}

export async function checkProject(
  input: { model: WorkspaceModel; project?: LoadedProject },
  options: CheckOptions = {},
): Promise<Finding[]> {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const ctx: RuleContext = {
    model: input.model,
    profiles: resolveProfiles(input.model, input.project),
    now: options.now ?? Date.now(),
    expiryDays: options.expiryDays ?? 30,
    locate: makeLocate(options.projectText),
    unscanned: [],
    report(f) {
      // Two profiles sharing a file would report the same thing twice.
      const key = `${f.file}\0${f.range?.start.line}:${f.range?.start.column}\0${f.code}\0${f.message}`;
      if (seen.has(key)) return;
      seen.add(key);
      findings.push(f);
    },
  };
  if (input.project) ctx.project = input.project;
  for (const rule of syncRules) rule(ctx);
  // A host that scanned less than the whole folder (the explorer's exclude globs) must not call a
  // present file missing: with a stat port, only files that really are absent are reported.
  for (const { path, finding } of ctx.unscanned)
    if (!options.stat || !(await options.stat(path).catch(() => undefined))) ctx.report(finding);
  const root = options.root ?? input.project?.dir;
  if (options.git && root) await gitRule(ctx, options.git, root);
  if (options.stat) await keyPermissionsRule(ctx, options.stat);
  return sortFindings(findings);
}
