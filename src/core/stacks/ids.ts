// The TLS stacks a probe can run: a board's own library compiled to WebAssembly, or Node's OpenSSL.
import type { TargetId } from '../targets/ids';
import { boardStackFor } from '../targets/stacks';

export const stackIds = ['mbedtls-2.28', 'mbedtls-3.6', 'bearssl', 'node'] as const;
export type StackId = (typeof stackIds)[number];
/** The stacks that run as a wasm engine (wasm/ABI.md); `node` is Node's OpenSSL. */
export type EngineId = Exclude<StackId, 'node'>;

export type StackLibrary = 'mbedtls' | 'bearssl' | 'openssl';

export interface StackDescription {
  id: StackId;
  library: StackLibrary;
  /** The version family; the exact version comes from the engine itself (etls_info). */
  family: string;
  /** The .wasm file in wasm/dist, for the engines. */
  wasmFile?: string;
}

export const stacks: Record<StackId, StackDescription> = {
  'mbedtls-2.28': { id: 'mbedtls-2.28', library: 'mbedtls', family: '2.28', wasmFile: 'mbedtls-2.28.wasm' },
  'mbedtls-3.6': { id: 'mbedtls-3.6', library: 'mbedtls', family: '3.6', wasmFile: 'mbedtls-3.6.wasm' },
  bearssl: { id: 'bearssl', library: 'bearssl', family: '0.6', wasmFile: 'bearssl-0.6.wasm' },
  node: { id: 'node', library: 'openssl', family: process.versions.openssl ?? '' },
};

export function isStackId(s: string): s is StackId {
  return (stackIds as readonly string[]).includes(s);
}

export function isEngine(s: StackId): s is EngineId {
  return s !== 'node';
}

/**
 * The library a board runs, from the target catalog's stack profiles (src/core/targets/stacks.ts):
 * the target's default firmware variant, or Node's OpenSSL for the closed stacks (SimpleLink,
 * WINC1500), which keep the cipher emulation, and for Linux boards.
 */
export function stackForTarget(target: TargetId | undefined): StackId {
  const choice = boardStackFor(target);
  return 'error' in choice ? 'node' : choice.stack;
}

/** The board's configuration as engine options (wasm/ABI.md keys) when `stack` is the target's own. */
export function targetStackOptions(target: TargetId | undefined, stack: StackId): Record<string, string> {
  const choice = boardStackFor(target);
  return 'error' in choice || choice.stack !== stack ? {} : choice.options;
}

/** A board library's error as the board prints it (src/core/stacks/libraryError.ts fills it in). */
export interface LibraryError {
  library: Exclude<StackLibrary, 'openssl'>;
  /** As the board prints it: "-0x2700" for mbedTLS, 62 for BearSSL. */
  code: string | number;
  /** The library's symbol, e.g. MBEDTLS_ERR_X509_CERT_VERIFY_FAILED. */
  name?: string;
  /** The library's own text (mbedtls_strerror) or the catalog's meaning. */
  text: string;
  /** mbedTLS X.509 verify flags by name (MBEDTLS_X509_BADCERT_NOT_TRUSTED, ...). */
  verifyFlags?: string[];
  /** The line the board's log shows, e.g. "mbedtls_ssl_handshake returned -0x2700". */
  line: string;
}
