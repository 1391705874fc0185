// Between the panel's form and the core: connection settings from what the user entered, and the TLS
// session as the webview shows it. Pure (no vscode), so it is unit-tested in Node.
import type { ConnectionSettings, TlsSessionInfo } from '../../core/mqtt/types';
import { isEngine, stackForTarget, stacks, targetStackOptions } from '../../core/stacks/ids';
import { isTargetId, targetIds } from '../../core/targets/ids';
import type { ConnectionForm, TlsDetails } from '../../shared/protocol';

export function settingsFromForm(
  form: ConnectionForm,
  password: string | undefined,
  timeoutMs = 10_000,
): ConnectionSettings {
  return {
    host: form.host,
    port: form.port,
    mqttVersion: form.mqttVersion,
    clientId: form.clientId,
    username: form.username || undefined,
    password,
    cleanSession: form.cleanSession,
    keepalive: form.keepalive,
    servername: form.servername || undefined,
    alpn: form.alpn
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
    minVersion: form.minTls || undefined,
    maxVersion: form.maxTls || undefined,
    target: isTargetId(form.target) ? form.target : undefined,
    rejectUnauthorized: form.rejectUnauthorized,
    timeoutMs,
    ...boardStack(form),
  };
}

/** The board's own TLS library when the form's target has one and "Run as the board" is on. */
function boardStack(form: ConnectionForm): Pick<ConnectionSettings, 'stack' | 'stackOptions'> {
  if (form.runAsBoard === false || !isTargetId(form.target)) return {};
  const stack = stackForTarget(form.target);
  return isEngine(stack) ? { stack, stackOptions: targetStackOptions(form.target, stack) } : {};
}

const libraryNames = { mbedtls: 'mbedTLS', bearssl: 'BearSSL', openssl: 'OpenSSL' } as const;

/** Each target whose library the panel can run, and that library's name for the form. */
export function boardStackLabels(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of targetIds) {
    const s = stackForTarget(t);
    if (isEngine(s)) out[t] = `${libraryNames[stacks[s].library]} ${stacks[s].family}`;
  }
  return out;
}

/** The session as the webview shows it: names and dates, no certificate bytes. */
export function toDetails(t: TlsSessionInfo): TlsDetails {
  return {
    protocol: t.protocol,
    cipher: t.cipher,
    alpn: t.alpn,
    authorized: t.authorized,
    verifiedBy: t.verifiedBy,
    chain: t.chain.map((c) => ({ commonName: c.commonName, issuer: c.issuer, validTo: c.validTo })),
  };
}

/**
 * The device profile to load when the panel opens with none named: the project's only one, and only
 * while no CA, certificate or key has been picked (a form the user filled in is kept).
 */
export function profileToLoadByDefault(form: ConnectionForm, projectProfiles: string[]): string | undefined {
  if (form.caFile || form.certFile || form.keyFile) return undefined;
  return projectProfiles.length === 1 ? projectProfiles[0] : undefined;
}
