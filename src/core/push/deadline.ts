// One deadline for a whole push: login, retries and every wait included. It acts as a cancellation, so
// the engines stop (and clean up) the same way as when the user stops them.
import { EtlsError } from '../errors';
import type { CancellationPort } from '../ports';
import { lineRateSeconds, type PushContext, type PushPlan } from './types';

/** How long a whole push may take: every retry's reply timeout, plus twice the wire time of its bytes. */
export function pushBudgetMs(
  plan: PushPlan,
  ctx: Pick<PushContext, 'baud' | 'timeoutMs' | 'retries' | 'verify' | 'merge'>,
): number {
  const replies = ((ctx.retries ?? 3) + 1) * (ctx.timeoutMs ?? 5000);
  if (plan.protocol === 'wifinina-roots' || plan.protocol === 'wifi101-roots') {
    // Up to the whole store: read for a merge, written, and read back (WiFi101) or hashed (WiFiNINA),
    // framed in 1 KB blocks; the flash erase may take 300 ms per 4 KB sector.
    const store = plan.protocol === 'wifinina-roots' ? 0x20000 : 0x1000;
    const bytes = Math.min(store, plan.totalBytes * 2 + 4096);
    const moves = (ctx.merge ? 3 : 2) * bytes;
    return Math.ceil(replies + 2 * lineRateSeconds(moves, ctx.baud) * 1000 + (bytes / 4096 + 1) * 300 + 2000);
  }
  // base64 or framing, command lines and replies: half as much again, and the read-back doubles it
  const readBack = plan.protocol === 'simplelink-at' && ctx.verify === 'readback' ? 2 : 1;
  const wire = lineRateSeconds(plan.totalBytes * 1.5 * readBack + 512 * plan.files.length, ctx.baud) * 1000;
  return Math.ceil(replies + 2 * wire);
}

export interface PushDeadline extends CancellationPort {
  /** True once the time ran out (rather than the user stopping). */
  readonly expired: boolean;
  /** The error to report when the time ran out. */
  timeoutError(): EtlsError;
  dispose(): void;
}

/** A cancellation that fires when `parent` does or when `ms` have passed. */
export function pushDeadline(parent: CancellationPort, ms: number): PushDeadline {
  let requested = parent.isCancellationRequested;
  let expired = false;
  const listeners = new Set<() => void>();
  const fire = () => {
    if (requested) return;
    requested = true;
    for (const l of [...listeners]) l();
  };
  const sub = parent.onCancellationRequested(fire);
  const timer = setTimeout(() => {
    expired = !requested;
    fire();
  }, ms);
  return {
    get isCancellationRequested() {
      return requested;
    },
    get expired() {
      return expired;
    },
    onCancellationRequested(l) {
      listeners.add(l);
      return { dispose: () => listeners.delete(l) };
    },
    timeoutError: () =>
      new EtlsError(
        'timeout',
        `The push did not finish within ${(ms / 1000).toFixed(1)} s, the limit for the whole push`,
        'Check that the board answers (cable, port, baud rate, the expected firmware); a slow board may need a longer timeout (etls push --timeout MS)',
      ),
    dispose() {
      clearTimeout(timer);
      sub.dispose();
      listeners.clear();
    },
  };
}
