// Which TLS stack a probe runs for a target, and the engine options (wasm/ABI.md) that make it
// behave like the board's firmware. The facts and their sources are in ./stackProfiles.ts.
import type { TargetId } from './ids';
import {
  stackProfiles,
  type BoardStackId,
  type ClosedStackProfile,
  type OpenStackProfile,
  type StackProfile,
} from './stackProfiles';

export type {
  BoardStackId,
  ClosedStackProfile,
  OpenStackProfile,
  Sourced,
  StackProfile,
} from './stackProfiles';
export { stackProfiles } from './stackProfiles';

export const boardStackIds: readonly BoardStackId[] = ['mbedtls-2.28', 'mbedtls-3.6', 'bearssl', 'node'];

export function isBoardStackId(s: string): s is BoardStackId {
  return (boardStackIds as readonly string[]).includes(s);
}

/** What each engine's `etls_set_option` accepts, for "valid values are ..." messages (wasm/ABI.md). */
export interface StackOptionSpec {
  key: string;
  /** The values, or a sentence for free-form ones. */
  values: readonly string[] | string;
}

const versions = ['1.0', '1.1', '1.2', '1.3'];
const common: StackOptionSpec[] = [
  { key: 'in-content-len', values: 'bytes, 512..16384' },
  { key: 'out-content-len', values: 'bytes, 512..16384' },
  { key: 'tls-min', values: versions },
  { key: 'tls-max', values: versions },
  { key: 'ciphersuites', values: 'comma list of IANA names, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' },
  { key: 'curves', values: 'comma list, e.g. x25519,secp256r1,secp384r1' },
  { key: 'sni', values: ['on', 'off'] },
  { key: 'alpn', values: 'comma list, e.g. mqtt,x-amzn-mqtt-ca (empty: none)' },
  { key: 'verify', values: ['required', 'optional', 'none'] },
  { key: 'max-fragment-length', values: ['none', '512', '1024', '2048', '4096'] },
];

export const stackOptionSpecs: Readonly<Record<BoardStackId, readonly StackOptionSpec[]>> = {
  'mbedtls-2.28': [
    ...common,
    { key: 'sig-algs', values: 'comma list, e.g. ecdsa_secp256r1_sha256,rsa_pkcs1_sha256' },
  ],
  'mbedtls-3.6': [
    ...common,
    { key: 'sig-algs', values: 'comma list, e.g. ecdsa_secp256r1_sha256,rsa_pss_rsae_sha256' },
  ],
  // BearSSL's buffers: in-content-len/out-content-len, also spelled iobuf-in/iobuf-out; no
  // signature-algorithm list (it follows the hashes and curves compiled in), no "optional" mode.
  bearssl: [
    ...common.map((o) => (o.key === 'verify' ? { key: 'verify', values: ['required', 'none'] } : o)),
    { key: 'iobuf-in', values: 'bytes, 512..16384 (same as in-content-len)' },
    { key: 'iobuf-out', values: 'bytes, 512..16384 (same as out-content-len)' },
  ],
  node: [],
};

/** The sentence a CLI prints for an unknown stack id. */
export function validStacksSentence(): string {
  return `Valid stacks: ${boardStackIds.join(', ')}.`;
}

/** The sentence a CLI prints for an unknown option key or a value outside the listed ones; undefined when valid. */
export function checkStackOption(stack: BoardStackId, key: string, value: string): string | undefined {
  const specs = stackOptionSpecs[stack];
  if (specs.length === 0) return `The ${stack} stack takes no --stack-option; it runs Node's OpenSSL.`;
  const spec = specs.find((s) => s.key === key);
  if (!spec) return `${stack} has no option "${key}". Valid options: ${specs.map((s) => s.key).join(', ')}.`;
  if (typeof spec.values === 'string') {
    if (/^bytes/.test(spec.values)) {
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < 512 || n > 16384)
        return `${key} must be a number of bytes from 512 to 16384, not "${value}".`;
    }
    return undefined;
  }
  return spec.values.includes(value)
    ? undefined
    : `${key} must be one of ${spec.values.join(', ')}, not "${value}".`;
}

/** Every profile of a target, its default first. */
export function stackProfilesOf(target: TargetId): StackProfile[] {
  return stackProfiles.filter((p) => p.target === target);
}

/** All variant names, for "valid variants are ..." messages. */
export function stackVariantIds(): string[] {
  return [...new Set(stackProfiles.map((p) => p.variant))];
}

/** A target's profile: the named variant, else the target's default; undefined for an unknown variant. */
export function stackProfileFor(target: TargetId, variant?: string): StackProfile | undefined {
  const own = stackProfilesOf(target);
  return variant === undefined ? own[0] : own.find((p) => p.variant === variant);
}

/** The engine options (wasm/ABI.md keys, string values) that configure a profile's engine like the board. */
export function stackOptionsOf(profile: OpenStackProfile): Record<string, string> {
  if (profile.stack === 'node') return {};
  const o: Record<string, string> = {
    'in-content-len': String(profile.inContentLen.value),
    'out-content-len': String(profile.outContentLen.value),
    'tls-min': profile.tlsMin.value,
    'tls-max': profile.tlsMax.value,
    sni: profile.sni.value ? 'on' : 'off',
    verify: profile.verify.value,
    'max-fragment-length': profile.maxFragmentLength.value,
  };
  // mbedTLS 3.6 dropped TLS 1.0/1.1: the board's 1.0 floor (ESP-IDF 4.4) only means "1.2" there.
  if (profile.stack === 'mbedtls-3.6' && Number(o['tls-min']) < 1.2) o['tls-min'] = '1.2';
  if (profile.alpn.value.length > 0) o.alpn = profile.alpn.value.join(',');
  if (profile.ciphersuites) o.ciphersuites = profile.ciphersuites.value.join(',');
  if (profile.curves) o.curves = profile.curves.value.join(',');
  if (profile.sigAlgs && profile.stack !== 'bearssl') o['sig-algs'] = profile.sigAlgs.value.join(',');
  return o;
}

export interface BoardStackChoice {
  stack: BoardStackId;
  /** ABI options; empty for node. */
  options: Record<string, string>;
  /** Undefined when no target was named. */
  profile?: StackProfile;
  /** The sentence to show beside the stack (closed stacks, near engines). */
  note?: string;
}

/**
 * The stack a probe runs for a target (the target's library, else Node's OpenSSL), with the
 * board's configuration; `overrides` (from --stack-option) win over the profile's values.
 */
export function boardStackFor(
  target: TargetId | undefined,
  variant?: string,
  overrides: Record<string, string> = {},
): BoardStackChoice | { error: string } {
  if (target === undefined) return { stack: 'node', options: {} };
  const profile = stackProfileFor(target, variant);
  if (!profile) {
    const valid = stackProfilesOf(target).map((p) => p.variant);
    return {
      error: `${target} has no firmware variant "${variant ?? ''}". Valid variants: ${valid.join(', ')}.`,
    };
  }
  if (profile.kind === 'closed') return closedChoice(profile);
  const options = { ...stackOptionsOf(profile), ...overrides };
  return { stack: profile.stack, options, profile, ...(profile.note ? { note: profile.note } : {}) };
}

function closedChoice(profile: ClosedStackProfile): BoardStackChoice {
  return { stack: 'node', options: {}, profile, note: profile.note };
}
