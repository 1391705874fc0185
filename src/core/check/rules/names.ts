// Names: the host the device dials must be in the broker certificate's SAN (an IP in an IP SAN).
import { isIP } from 'node:net';
import { onObject, type RuleContext } from '../context';
import { brokerCertificates, dialledName, matchHost } from './brokers';

function sanList(names: Array<{ type: string; value: string }>): string {
  const s = names
    .filter((n) => n.type === 'dns' || n.type === 'ip')
    .map((n) => `${n.type.toUpperCase()}:${n.value}`);
  return s.length > 0 ? s.join(', ') : 'none';
}

export function hostNameRule(ctx: RuleContext): void {
  for (const r of ctx.profiles) {
    const host = dialledName(r);
    if (!host) continue;
    const brokers = brokerCertificates(ctx, r);
    const matches = brokers.map((b) => matchHost(b.object, host));
    if (matches.includes('san')) continue;
    brokers.forEach((b, i) => {
      const c = b.object;
      if (matches[i] === 'cn-only') {
        ctx.report(
          onObject(b, {
            severity: 'warning',
            code: 'host-only-in-cn',
            profile: r.name,
            message: `broker certificate ${b.label} names ${host} only in its CN and has no subjectAltName; mbedTLS and Node accept that, but Python, Go, browsers and strict clients do not. Re-issue it with subjectAltName=DNS:${host}`,
          }),
        );
      } else if (isIP(host)) {
        ctx.report(
          onObject(b, {
            severity: 'error',
            code: 'ip-without-ip-san',
            profile: r.name,
            message: `the device dials the IP address ${host}, but broker certificate ${b.label} has no IP SAN for it (SAN: ${sanList(c.subjectAltNames)}); TLS fails with ERR_TLS_CERT_ALTNAME_INVALID / hostname mismatch. Re-issue it with subjectAltName=IP:${host}, or dial a name it carries`,
          }),
        );
      } else {
        const cnNote = c.subject.commonName
          ? ` (CN ${c.subject.commonName} is not used when SANs are present)`
          : '';
        ctx.report(
          onObject(b, {
            severity: 'error',
            code: 'host-not-in-san',
            profile: r.name,
            message: `broker certificate ${b.label} does not cover ${host}: its SAN is ${sanList(c.subjectAltNames)}${cnNote}; the device fails the host check (ERR_TLS_CERT_ALTNAME_INVALID). Re-issue it with subjectAltName=DNS:${host}, or dial a name it carries`,
          }),
        );
      }
    });
  }
}
