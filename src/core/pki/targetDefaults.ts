// What the development PKI picks for a board when the user doesn't say: key type, key container,
// and the warnings for a choice the board can't use (field notes §1a, §1b, §3, §5).
import type { TargetId } from '../targets/ids';
import type { KeyContainer, KeyType } from './keys';

/** TI SimpleLink and the WINC1500 need RSA (the CC3200 NWP and the WINC root store have no ECDSA). */
const RSA_TARGETS: ReadonlySet<TargetId> = new Set(['cc3200', 'cc3220', 'cc3235', 'cc3100', 'winc1500']);
const RSA_ONLY: ReadonlySet<TargetId> = new Set(['cc3200', 'cc3100', 'winc1500']);
const RSA_MAX_2048: ReadonlySet<TargetId> = new Set(['cc3200', 'cc3220', 'cc3235', 'cc3100', 'winc1500']);

export function defaultKeyType(target?: TargetId): KeyType {
  return target && RSA_TARGETS.has(target) ? 'rsa2048' : 'p256';
}

/**
 * PKCS#1/SEC1 for boards: SimpleLink parses only those, and mbedTLS/BearSSL read them too.
 * PKCS#8 for Linux and when no target is known, which is what OpenSSL 3 writes by default.
 */
export function defaultKeyContainer(target?: TargetId): KeyContainer {
  return target && target !== 'linux' ? 'traditional' : 'pkcs8';
}

/** Sentences about a key type the target will reject; empty when it fits. */
export function keyTypeWarnings(keyType: KeyType, target?: TargetId): string[] {
  if (!target) return [];
  const warnings: string[] = [];
  const ec = keyType === 'p256' || keyType === 'p384';
  if (ec && RSA_ONLY.has(target))
    warnings.push(
      `${target} cannot use ECDSA keys or roots; use --key-type rsa2048 for the certificates it loads`,
    );
  if (!ec && keyType !== 'rsa2048' && RSA_MAX_2048.has(target))
    warnings.push(`${target} handles RSA keys up to 2048 bits only; use --key-type rsa2048`);
  return warnings;
}
