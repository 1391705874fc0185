// Typed failures with a sentence a firmware developer understands and, where there is one, the fix.

export type EtlsErrorCode =
  | 'malformed'
  | 'truncated'
  | 'unrecognized'
  | 'encrypted'
  | 'wrong-passphrase'
  | 'too-large'
  /** Opening it would take more key-derivation work than etls does without being asked. */
  | 'too-costly'
  | 'empty'
  | 'unsupported'
  | 'not-found'
  | 'io'
  | 'exists'
  | 'invalid-argument'
  | 'cancelled'
  | 'timeout'
  | 'link'
  | 'device'
  | 'verify-failed'
  /** A write the file guard will not make: outside the project, over a key, through a link. */
  | 'refused';

export class EtlsError extends Error {
  override readonly name = 'EtlsError';
  constructor(
    readonly code: EtlsErrorCode,
    message: string,
    readonly fix?: string,
  ) {
    super(message);
  }

  /** The message and the fix as one or two sentences, for a log line or a notification. */
  describe(): string {
    return this.fix ? `${this.message}. ${this.fix}` : this.message;
  }
}

/**
 * True for an EtlsError, also one made by another copy of this module (a test runner's ESM and CJS
 * loaders can hold two), so the CLI never mistakes a user's bad input for an internal error.
 */
export function isEtlsError(e: unknown): e is EtlsError {
  return (
    e instanceof EtlsError ||
    (e instanceof Error && e.name === 'EtlsError' && typeof (e as EtlsError).describe === 'function')
  );
}

/** Turns anything thrown into an EtlsError without leaking a raw library message as the headline. */
export function toEtlsError(e: unknown, fallback: string, code: EtlsErrorCode = 'malformed'): EtlsError {
  if (isEtlsError(e)) return e;
  return new EtlsError(code, fallback);
}
