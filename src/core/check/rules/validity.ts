// Dates: expired, not yet valid, expiring soon, and freshly issued certificates that a board with a
// lagging clock would see as not yet valid.
import { wholeDays } from '../../x509/describe';
import { isCert, onObject, type CertObject, type RuleContext } from '../context';
import { brokerCertificates } from './brokers';

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
  // The board checks the dates of what it verifies: the broker's certificate and the CA it trusts
  // (never its own certificate; the broker checks that one, with a set clock). A clock that is not
  // set at all rejects every certificate; one that lags (set from the firmware build time, an RTC
  // that drifts, local time taken for UTC) rejects only the ones issued in the last hours
  // (field notes §5, "clock not set").
  for (const r of ctx.profiles) {
    if (!r.target || r.target.id === 'linux') continue;
    const verified = new Map<string, CertObject>();
    for (const m of [...r.ca, ...brokerCertificates(ctx, r)]) verified.set(m.id, m);
    for (const m of verified.values()) {
      const age = ctx.now - m.object.notBefore.getTime();
      if (age >= 0 && age < DAY)
        ctx.report(
          onObject(m, {
            severity: 'info',
            code: 'cert-recently-issued',
            profile: r.name,
            message: `certificate ${m.label}, which the ${r.target.name} verifies, became valid less than a day ago (${m.object.notBefore.toISOString().replace('.000Z', 'Z')}); a board whose clock lags behind (set from the firmware build time, a drifting RTC, local time taken for UTC) sees it as not yet valid${r.target.errorCodes.dateError ? ` (${r.target.errorCodes.dateError})` : ''}. Backdate notBefore by a day (etls pki does), and set the clock with SNTP before connecting: an unset clock rejects every certificate`,
          }),
        );
    }
  }
}
