// Starts socat to make a pty pair (or a pty running a program) for the serial e2e tests and the benchmark.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SocatPtys {
  /** Paths of the links socat created, in the order asked for. */
  paths: string[];
  dir: string;
  proc: ChildProcess;
  /** Kills socat: both ends see the line drop. */
  kill(): void;
  /** Kills socat and removes the temp folder. */
  dispose(): Promise<void>;
}

async function waitFor(
  check: () => boolean,
  ms: number,
  what: string,
  proc: ChildProcess,
  errText: () => string,
) {
  const until = Date.now() + ms;
  while (!check()) {
    if (proc.exitCode !== null) throw new Error(`socat exited before ${what}: ${errText()}`);
    if (Date.now() > until) throw new Error(`socat did not create ${what} within ${ms} ms: ${errText()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Runs socat with two addresses; `{A}` and `{B}` in them are replaced by link paths in a fresh temp folder.
 * Fails loudly when socat is missing.
 */
export async function startSocat(
  addrA: string,
  addrB: string,
  links: ('A' | 'B')[] = ['A', 'B'],
): Promise<SocatPtys> {
  const dir = mkdtempSync(join(tmpdir(), 'etls-pty-'));
  const sub = (a: string) => a.replace('{A}', join(dir, 'A')).replace('{B}', join(dir, 'B'));
  let err = '';
  const proc = spawn('socat', [sub(addrA), sub(addrB)], { stdio: ['ignore', 'ignore', 'pipe'] });
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const failed = new Promise<never>((_, reject) =>
    proc.on('error', (e) =>
      reject(new Error(`socat cannot start (${e.message}); install it: apt-get install socat`)),
    ),
  );
  const paths = links.map((l) => join(dir, l));
  await Promise.race([
    failed,
    waitFor(
      () => paths.every((p) => existsSync(p)),
      10000,
      'the ptys',
      proc,
      () => err,
    ),
  ]);
  const kill = () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  };
  return {
    paths,
    dir,
    proc,
    kill,
    async dispose() {
      kill();
      if (proc.exitCode === null && proc.signalCode === null) await new Promise((r) => proc.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A plain pty pair: what one end writes, the other reads. */
export function ptyPair(): Promise<SocatPtys> {
  return startSocat('pty,raw,echo=0,link={A}', 'pty,raw,echo=0,link={B}');
}

/** A pty whose other end runs `command` (through a shell) on a pty of its own, like a serial console. */
export function ptyRunning(command: string): Promise<SocatPtys> {
  const quoted = command.replace(/'/g, `'\\''`);
  return startSocat('pty,raw,echo=0,link={A}', `exec:'${quoted}',pty,stderr,setsid,sigint,sane,ctty`, ['A']);
}
