// Chains: the device certificate and the broker certificate against the configured CA; CAs without CA:TRUE.
import { isCert, onObject, type RuleContext } from '../context';
import { brokerCertificates, chainReaches } from './brokers';

export function chainRule(ctx: RuleContext): void {
  for (const m of ctx.model.objects) {
    if (isCert(m) && m.issuerSignatureBad)
      ctx.report(
        onObject(m, {
          severity: 'error',
          code: 'chain-unverified',
          message: `certificate ${m.label} names ${m.object.issuer.commonName ?? m.object.issuer.rfc4514} as its issuer, but the signature does not verify with that CA's key in this workspace (was the CA re-created under the same name?). Re-issue the certificate from the current CA`,
        }),
      );
  }
  for (const r of ctx.profiles) {
    if (r.ca.length === 0) continue;
    const caNames = r.ca.map((c) => c.label).join(', ');
    // AWS and Azure sign device certificates with a CA registered in the cloud, not the server root.
    if (
      r.cert &&
      r.cloud.brokerCertInWorkspace &&
      !r.cert.issuerSignatureBad &&
      !chainReaches(ctx, r.cert, r.ca)
    )
      ctx.report(
        onObject(r.cert, {
          severity: 'warning',
          code: 'chain-unverified',
          profile: r.name,
          message: `device certificate ${r.cert.label} does not chain to the configured CA (${caNames}); a broker that trusts only that CA (require_certificate with cafile) rejects the client. Issue it from that CA or give the broker the issuing CA`,
        }),
      );
    for (const b of brokerCertificates(ctx, r)) {
      if (chainReaches(ctx, b, r.ca)) continue;
      ctx.report(
        onObject(b, {
          severity: 'error',
          code: 'broker-issuer-not-ca',
          profile: r.name,
          message: `broker certificate ${b.label} is issued by ${b.object.issuer.commonName ?? b.object.issuer.rfc4514}, not by the CA the device trusts (${caNames}); the device rejects the broker${r.target?.errorCodes.wrongRoot ? ` (${r.target.errorCodes.wrongRoot} no signer)` : ' (unable to get local issuer certificate)'}. Configure the issuing CA in the profile, or re-issue the broker certificate`,
        }),
      );
    }
  }
}

export function caNotCaRule(ctx: RuleContext): void {
  const usedAsCa = new Set<string>();
  // A self-signed leaf in the CA slot that signed nothing is a pinned server certificate, which works.
  for (const r of ctx.profiles) for (const c of r.ca) if (!c.object.selfSigned) usedAsCa.add(c.id);
  for (const m of ctx.model.objects) if (m.issuerId) usedAsCa.add(m.issuerId);
  for (const id of usedAsCa) {
    const m = ctx.model.byId.get(id);
    if (!isCert(m) || m.object.isCA) continue;
    // Version 1 roots have no extensions and are accepted as trust anchors by OpenSSL and mbedTLS.
    if (m.object.version < 3) continue;
    ctx.report(
      onObject(m, {
        severity: 'error',
        code: 'ca-not-ca',
        message: `certificate ${m.label} is used as a CA but has no basicConstraints CA:TRUE; OpenSSL and mbedTLS refuse it as an issuer. Re-create the CA with basicConstraints=critical,CA:TRUE and keyUsage=keyCertSign,cRLSign`,
      }),
    );
  }
}
