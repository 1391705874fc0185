// Which certificates of the workspace are a profile's broker, and whether a chain reaches a CA.
import { isIP } from 'node:net';
import { isCert, type CertObject, type ResolvedProfile, type RuleContext } from '../context';
import type { CertificateInfo } from '../../x509/types';

/** True when `m` is one of `cas`, or one of its issuers is (by fingerprint, or by a verified signature). */
export function chainReaches(ctx: RuleContext, m: CertObject, cas: readonly CertObject[]): boolean {
  if (cas.length === 0) return true;
  const fingerprints = new Set(cas.map((c) => c.object.sha256Fingerprint));
  for (const link of ctx.model.chainOf(m.id)) {
    if (!isCert(link)) continue;
    if (fingerprints.has(link.object.sha256Fingerprint)) return true;
    if (cas.some((ca) => ctx.model.isIssuedBy(link.object, ca.object))) return true;
  }
  return false;
}

/** The name the client checks: the SNI server name when set, else the dialled host. */
export function dialledName(r: ResolvedProfile): string | undefined {
  return r.profile.broker?.servername ?? r.profile.broker?.host;
}

function wildcardMatch(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === h) return true;
  // `*.example.com` covers exactly one label (RFC 6125 §6.4.3).
  if (!p.startsWith('*.')) return false;
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot + 1) === p.slice(2);
}

/** The host appears in the CN or a SAN, matched or not by the TLS host check. */
export function mentionsHost(c: CertificateInfo, host: string): boolean {
  const h = host.toLowerCase();
  return (
    matchHost(c, host) !== 'none' ||
    c.subject.commonName?.toLowerCase() === h ||
    c.subjectAltNames.some((n) => n.value.toLowerCase() === h)
  );
}

export type NameMatch = 'san' | 'cn-only' | 'none';

/** How a certificate covers a host name or IP address, as OpenSSL and Node check it. */
export function matchHost(c: CertificateInfo, host: string): NameMatch {
  if (isIP(host)) {
    // IP addresses match IP SANs only; a CN holding the IP does not count in OpenSSL or Node.
    return c.subjectAltNames.some((n) => n.type === 'ip' && n.value === host) ? 'san' : 'none';
  }
  const dns = c.subjectAltNames.filter((n) => n.type === 'dns');
  if (dns.some((n) => wildcardMatch(n.value, host))) return 'san';
  if (dns.length === 0 && c.subject.commonName && wildcardMatch(c.subject.commonName, host)) return 'cn-only';
  return 'none';
}

/**
 * The broker certificates of a profile whose broker certificate is under the user's control
 * (Mosquitto, a generic broker): the certificates that name the dialled host, else the server
 * certificates issued by the profile's CA. A certificate naming the host is the broker's even with
 * CA:TRUE (`openssl req -x509` sets it on self-signed broker certificates), unless it issued others
 * in the workspace. The device's own certificate and certificates in C sources are never it.
 */
export function brokerCertificates(ctx: RuleContext, r: ResolvedProfile): CertObject[] {
  const host = dialledName(r);
  if (!host || !r.cloud.brokerCertInWorkspace) return [];
  const candidates = ctx.model.objects.filter(
    (m): m is CertObject => isCert(m) && !m.embedded && !m.usedBy.some((u) => u.as === 'cert'),
  );
  // A certificate naming the host anywhere is the broker's whatever its key usage says
  // (missing-server-auth and host-not-in-san then tell what is wrong with it).
  const named = candidates.filter(
    (m) => mentionsHost(m.object, host) && (m.role !== 'ca' || ctx.model.issuedBy(m.id).length === 0),
  );
  if (named.length > 0) return named;
  if (r.ca.length === 0) return [];
  return candidates.filter((m) => m.role === 'server' && chainReaches(ctx, m, r.ca));
}
