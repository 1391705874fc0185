// Dates: expired, not yet valid, expiring soon, and freshly issued certificates on boards without a set clock.
import { wholeDays } from '../../x509/describe';
import { isCert, onObject, type CertObject, type RuleContext } from '../context';

const DAY = 86_400_000;

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The same whole-day count as `etls inspect` and the tree (wholeDays), never "0 days". */
function days(ms: number): string {
  const n = Math.max(1, wholeDays(ms));
  return `${n} day${n === 1 ? '' : 's'}`;
}

/**
 * A root in a trust bundle (a file of several self-signed roots, like cacert.pem) that no profile
 * uses: an expired one there is harmless, so it is only noted.
 */
function unusedBundleRoot(ctx: RuleContext, m: CertObject): boolean {
  if (!m.object.selfSigned || m.usedBy.length > 0) return false;
  const roots = (ctx.model.byFile.get(m.file) ?? []).filter((o) => isCert(o) && o.object.selfSigned);
  return roots.length >= 3;
}

export function validityRule(ctx: RuleContext): void {
  for (const m of ctx.model.objects) {
    if (!isCert(m)) continue;
    const c = m.object;
    const { notBefore, notAfter } = c;
    const name = `certificate ${m.label}`;
    const bundled = unusedBundleRoot(ctx, m);
    if (notAfter.getTime() < ctx.now) {
      ctx.report(
        onObject(m, {
          severity: bundled ? 'info' : 'error',
          code: 'cert-expired',
          message: `${name} expired on ${day(notAfter)} (${days(ctx.now - notAfter.getTime())} ago); peers reject it, boards with a set clock too (CC32xx -461)`,
        }),
      );
    } else if (notBefore.getTime() > ctx.now) {
      ctx.report(
        onObject(m, {
          severity: 'error',
          code: 'cert-not-yet-valid',
          message: `${name} is not valid until ${day(notBefore)}; check the clock of the machine that issued it`,
        }),
      );
    } else if (notAfter.getTime() - ctx.now < ctx.expiryDays * DAY && !bundled) {
      ctx.report(
        onObject(m, {
          severity: 'warning',
          code: 'cert-expiring',
          message: `${name} expires on ${day(notAfter)}, in ${days(notAfter.getTime() - ctx.now)}; plan its renewal and the push to the boards`,
        }),
      );
    }
  }
  // A board without SNTP starts its clock at build time or 2000-01-01 and sees a fresh certificate as
  // "not yet valid" (field notes §5, "clock not set").
  for (const r of ctx.profiles) {
    if (!r.target || r.target.id === 'linux') continue;
    for (const m of [r.cert, ...r.ca]) {
      if (!m) continue;
      const age = ctx.now - m.object.notBefore.getTime();
      if (age >= 0 && age < DAY)
        ctx.report(
          onObject(m, {
            severity: 'info',
            code: 'cert-recently-issued',
            profile: r.name,
            message: `certificate ${m.label} became valid less than a day ago; the ${r.target.name}, while its clock is not set yet (no SNTP), sees it as not yet valid${r.target.errorCodes.dateError ? ` (${r.target.errorCodes.dateError})` : ''}. Backdate notBefore or set the clock first`,
          }),
        );
    }
  }
}
