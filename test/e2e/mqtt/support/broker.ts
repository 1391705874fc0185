// Starts a real mosquitto with a per-test config on a free loopback port, and stops it.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface RunningBroker {
  port: number;
  log(): string;
  stop(): Promise<void>;
}

/** A port the kernel just handed out; the caller retries when someone else takes it first. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * `listener` is the body of the listener block (certfile, cafile, require_certificate, ...); the
 * listener line and the port are added here. Fails loudly when mosquitto cannot start.
 */
export async function startMosquitto(
  dir: string,
  name: string,
  listener: string,
  global = '',
): Promise<RunningBroker> {
  let lastError = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const conf = join(dir, `${name}.conf`);
    writeFileSync(
      conf,
      [
        'per_listener_settings false',
        'allow_anonymous true',
        'persistence false',
        'log_dest stderr',
        'log_type error',
        'log_type warning',
        'log_type notice',
        'log_type information',
        // Running as root, mosquitto would otherwise switch to its own user and lose the 0600 keys.
        'user root',
        global,
        `listener ${port} 127.0.0.1`,
        listener,
        '',
      ].join('\n'),
    );
    const child = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    const started = await waitForStart(child, () => log);
    if (started) {
      return {
        port,
        log: () => log,
        stop: () => stopChild(child),
      };
    }
    lastError = log;
    await stopChild(child);
    if (!/address already in use/i.test(log)) break;
  }
  throw new Error(`mosquitto did not start:\n${lastError}`);
}

function waitForStart(child: ChildProcess, log: () => string): Promise<boolean> {
  return new Promise((resolve) => {
    const deadline = setTimeout(() => finish(false), 15000);
    const timer = setInterval(() => {
      if (/ running/.test(log())) finish(true);
    }, 20);
    const onExit = () => finish(false);
    child.once('exit', onExit);
    child.once('error', onExit);
    function finish(ok: boolean) {
      clearTimeout(deadline);
      clearInterval(timer);
      child.off('exit', onExit);
      resolve(ok);
    }
  });
}

export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
