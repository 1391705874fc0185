// Extended key usage: the device certificate needs clientAuth, the broker certificate serverAuth.
import { onObject, type RuleContext } from '../context';
import { brokerCertificates } from './brokers';

// No extendedKeyUsage extension means any purpose (RFC 5280 §4.2.1.12), so only a list lacking the purpose counts.
function lacks(eku: string[] | undefined, purpose: string): boolean {
  return !!eku && !eku.includes(purpose) && !eku.includes('anyExtendedKeyUsage');
}

export function keyUsageRule(ctx: RuleContext): void {
  for (const r of ctx.profiles) {
    if (r.cert && lacks(r.cert.object.extendedKeyUsage, 'clientAuth'))
      ctx.report(
        onObject(r.cert, {
          severity: 'error',
          code: 'missing-client-auth',
          profile: r.name,
          message: `device certificate ${r.cert.label} has extendedKeyUsage ${r.cert.object.extendedKeyUsage?.join(', ')} without clientAuth; brokers reject it as a client certificate (unsupported certificate purpose). Re-issue it with extendedKeyUsage=clientAuth`,
        }),
      );
    for (const b of brokerCertificates(ctx, r))
      if (lacks(b.object.extendedKeyUsage, 'serverAuth'))
        ctx.report(
          onObject(b, {
            severity: 'error',
            code: 'missing-server-auth',
            profile: r.name,
            message: `broker certificate ${b.label} has extendedKeyUsage ${b.object.extendedKeyUsage?.join(', ')} without serverAuth; devices reject it (unsupported certificate purpose). Re-issue it with extendedKeyUsage=serverAuth`,
          }),
        );
  }
}
