// Linux boards: the broker or client reads the key from a file, which must be private to its user.
import { onObject, type RuleContext } from '../context';

export async function keyPermissionsRule(
  ctx: RuleContext,
  stat: (path: string) => Promise<{ mode: number } | undefined>,
): Promise<void> {
  for (const r of ctx.profiles) {
    if (!r.target || r.target.id !== 'linux' || !r.key) continue;
    const s = await stat(r.key.file);
    if (!s || (s.mode & 0o077) === 0) continue;
    ctx.report(
      onObject(r.key, {
        severity: 'warning',
        code: 'target-key-permissions',
        profile: r.name,
        message: `this key is readable by other users (mode ${(s.mode & 0o777).toString(8)}); make it 600 and owned by the user the broker or client runs as (e.g. mosquitto), which must still be able to read it`,
        fix: {
          kind: 'chmod-key',
          title: 'Make the key private (chmod 600)',
          args: { file: r.key.file, mode: 0o600 },
        },
      }),
    );
  }
}
