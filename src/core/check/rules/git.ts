// Secrets: private keys must not be tracked by git and should be ignored, so `git add .` cannot leak them.
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { RuleContext } from '../context';
import type { GitPort, ModelObject } from '../types';

function holdsSecret(m: ModelObject): boolean {
  return m.object.kind === 'privateKey' || m.object.kind === 'pkcs12';
}

/** Git refuses a whole batch when one path lies outside the work tree, so those are left out. */
export function isInside(root: string, file: string): boolean {
  const rel = relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

export async function gitRule(ctx: RuleContext, git: GitPort, root: string): Promise<void> {
  const secretFiles = new Map<string, ModelObject>();
  for (const m of ctx.model.objects)
    if (holdsSecret(m) && !secretFiles.has(m.file) && isInside(root, m.file)) secretFiles.set(m.file, m);
  if (secretFiles.size === 0 || !(await git.isRepository(root))) return;
  const paths = [...secretFiles.keys()];
  let tracked: Set<string>;
  let ignored: Set<string>;
  try {
    [tracked, ignored] = await Promise.all([git.tracked(root, paths), git.ignored(root, paths)]);
  } catch {
    // Git could not answer (a broken repository, a timeout): no guesses about secrets.
    return;
  }
  for (const [file, m] of secretFiles) {
    const range = { start: { ...m.location.start }, end: { ...m.location.end } };
    const rel = relative(root, file).split(sep).join('/');
    if (tracked.has(file)) {
      ctx.report({
        file,
        range,
        severity: m.embedded ? 'warning' : 'error',
        code: 'key-tracked-by-git',
        objectIds: [m.id],
        message: m.embedded
          ? `this source embeds a private key and is tracked by git: everyone with the repository has the device's identity. Generate the key on the device or keep the header out of git`
          : `this private key is tracked by git: everyone with the repository has the device's identity. Untrack it (git rm --cached), ignore it, and consider the key compromised if it was pushed`,
        ...(m.embedded
          ? {}
          : {
              fix: {
                kind: 'untrack-key' as const,
                title: 'Stop tracking the key in git',
                args: { file, root, gitignore: join(root, '.gitignore'), pattern: `/${rel}` },
              },
            }),
      });
    } else if (!ignored.has(file) && !m.embedded) {
      ctx.report({
        file,
        range,
        severity: 'warning',
        code: 'key-not-ignored',
        objectIds: [m.id],
        message: `this private key is not in .gitignore, so \`git add .\` would commit it. Add it to .gitignore`,
        fix: {
          kind: 'add-to-gitignore',
          title: 'Add to .gitignore',
          args: { gitignore: join(root, '.gitignore'), pattern: `/${rel}`, file, folder: dirname(file) },
        },
      });
    }
  }
}
