// Push settings: a name on the board with a control character in it would act on the board's console
// (^U wipes the typed line, so the rest of the name runs as a command); `etls push` refuses it.
import { printableName, remoteNameProblem } from '../../push/remoteName';
import type { RuleContext } from '../context';

export function pushNamesRule(ctx: RuleContext): void {
  const project = ctx.project;
  if (!project) return;
  for (const r of ctx.profiles) {
    (r.profile.push?.files ?? []).forEach((f, i) => {
      if (typeof f?.remote !== 'string') return;
      const p = remoteNameProblem(f.remote);
      if (!p) return;
      const range = ctx.locate(['profiles', r.name, 'push', 'files', i, 'remote']);
      ctx.report({
        file: project.path,
        ...(range ? { range } : {}),
        severity: 'error',
        code: 'push-remote-name',
        profile: r.name,
        message: `the name on the board "${printableName(f.remote)}" holds ${p.what} at position ${p.index + 1}; on a console it would act as a keystroke (it can run commands), so etls push refuses it. Use printable characters only`,
      });
    });
  }
}
