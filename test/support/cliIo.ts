// A CliIo that keeps what a command prints, for unit tests that call runCli in-process.
import type { CliIo } from '../../src/cli/command';

export function captureIo(cwd = process.cwd()): CliIo & { stdout: string; stderr: string } {
  const o = {
    stdout: '',
    stderr: '',
    cwd,
    env: {},
    out: (t: string) => void (o.stdout += t),
    err: (t: string) => void (o.stderr += t),
  };
  return o;
}
