// Keys against certificates: the configured key must belong to the certificate; RSA below 2048 bits;
// weak signature hashes.
import { isCert, isKey, onObject, type RuleContext } from '../context';
import type { PublicKeyDetails } from '../../x509/types';

function publicKeyOf(o: { kind: string; publicKey?: PublicKeyDetails }): PublicKeyDetails | undefined {
  return o.publicKey;
}

export function keyMatchRule(ctx: RuleContext): void {
  for (const r of ctx.profiles) {
    const { cert, key } = r;
    // An encrypted key without its pass phrase has no readable public key: nothing to compare.
    if (!cert || !key || !key.keyId) continue;
    if (key.keyId === cert.keyId) continue;
    ctx.report(
      onObject(key, {
        severity: 'error',
        code: 'key-mismatch',
        profile: r.name,
        objectIds: [cert.id],
        message: `this key does not belong to certificate ${cert.label} (their public keys differ); the broker rejects the client certificate${r.target?.errorCodes.badKeyFile ? ` and the ${r.target.name} reports ${r.target.errorCodes.badKeyFile}` : ''}. Use the key the CSR was made with, or re-issue the certificate`,
      }),
    );
  }
}

export function rsaSizeRule(ctx: RuleContext): void {
  for (const m of ctx.model.objects) {
    if (!isCert(m) && !isKey(m)) continue;
    const pk = publicKeyOf(m.object);
    if (!pk || (pk.algorithm !== 'RSA' && pk.algorithm !== 'RSA-PSS') || pk.bits >= 2048) continue;
    const what = isCert(m) ? `certificate ${m.label} has an` : 'this is an';
    ctx.report(
      onObject(m, {
        severity: 'warning',
        code: 'rsa-too-small',
        message: `${what} RSA-${pk.bits} key; below 2048 bits it is breakable and AWS IoT, current OpenSSL and most brokers refuse it. Generate an RSA-2048 (or EC P-256) key`,
      }),
    );
  }
}

export function weakSignatureRule(ctx: RuleContext): void {
  for (const m of ctx.model.objects) {
    // A root's self-signature is never checked, so only issued certificates count.
    if (!isCert(m) || m.object.selfSigned) continue;
    const alg = m.object.signatureAlgorithm.toLowerCase();
    if (!/(sha1|md5|md2)/.test(alg)) continue;
    ctx.report(
      onObject(m, {
        severity: 'warning',
        code: 'weak-signature',
        message: `certificate ${m.label} is signed with ${m.object.signatureAlgorithm}; OpenSSL 3 at its default security level and the clouds reject SHA-1/MD5 signatures. Re-issue it with SHA-256`,
      }),
    );
  }
}
