// Checks a board stack's options before any network, so a typo is an argument error that lists
// what the engine accepts rather than a failed probe.
import { StackInternalError, TlsEngine } from './engine';
import { isEngine, type StackId } from './ids';

/** A sentence naming the first option the stack refuses (with the valid ones), or undefined. */
export async function checkStackOptions(
  stack: StackId,
  options: Record<string, string>,
): Promise<string | undefined> {
  const keys = Object.keys(options);
  if (!keys.length) return undefined;
  if (!isEngine(stack))
    return `--stack-option needs a board stack (mbedtls-2.28, mbedtls-3.6, bearssl), not ${stack}.`;
  let engine: TlsEngine;
  try {
    engine = await TlsEngine.create(stack);
  } catch (e) {
    // A missing or broken engine is reported by the probe itself, as stack-internal-error.
    if (e instanceof StackInternalError) return undefined;
    throw e;
  }
  return applyStackOptions(engine, options);
}

/** KEY=VALUE pairs, in order; a later key wins. */
export function parseStackOptions(pairs: string[]): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) return `--stack-option takes KEY=VALUE, not "${p}"`;
    out[p.slice(0, eq).trim()] = p.slice(eq + 1).trim();
  }
  return out;
}

/** Applies the board's options; returns a sentence for the first one the engine refuses. */
export function applyStackOptions(engine: TlsEngine, options: Record<string, string>): string | undefined {
  for (const [k, v] of Object.entries(options)) {
    const r = engine.setOption(k, v);
    if (r === 'ok') continue;
    const valid = engine.options();
    if (r === 'unknown-key')
      return `${engine.id} has no option "${k}"; options: ${Object.keys(valid).join(', ')}.`;
    const accepted = valid[k];
    return `${engine.id} does not accept ${k}=${v}; valid: ${Array.isArray(accepted) ? accepted.join(', ') : accepted}.`;
  }
  return undefined;
}
