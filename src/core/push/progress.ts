// Turns bytes sent into progress updates a user can read: "1.2 of 2.4 KB, about 3 s left".
import type { ClockPort, ProgressPort } from '../ports';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export class TransferProgress {
  private done = 0;
  private readonly started: number;

  constructor(
    private readonly port: ProgressPort,
    private readonly clock: ClockPort,
    private readonly total: number,
    /** The expected rate before there is a measurement, in bytes per second. */
    private readonly expectedRate: number,
  ) {
    this.started = clock.now();
  }

  get bytesDone(): number {
    return this.done;
  }

  /** Counts `n` more payload bytes as delivered; `label` names the current file. */
  advance(n: number, label: string): void {
    const before = this.done;
    this.done = Math.min(this.total, this.done + n);
    const increment = this.total ? ((this.done - before) / this.total) * 100 : 0;
    this.port.report({ increment, message: `${label}: ${this.describe()}` });
  }

  /** A status line without moving the bar. */
  note(message: string): void {
    this.port.report({ message });
  }

  describe(): string {
    const elapsed = (this.clock.now() - this.started) / 1000;
    const measured = elapsed > 0.5 && this.done > 0 ? this.done / elapsed : this.expectedRate;
    const left = Math.ceil((this.total - this.done) / Math.max(1, measured));
    return `${formatBytes(this.done)} of ${formatBytes(this.total)}, about ${left} s left`;
  }
}
