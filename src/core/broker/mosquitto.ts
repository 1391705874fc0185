// Runs a local Mosquitto with a generated configuration on a chosen port, for the CLI and VS Code.
import { spawn, type ChildProcess } from 'node:child_process';
import { constants, promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { EtlsError } from '../errors';
import { writeGuarded } from '../files/guard';
import { nodeFileSystem, readFileBounded } from '../node/fileSystem';
import type { LoggerPort } from '../ports';
import { confValue, parseConf, rewriteConf, TLS_FILE_KEYS } from '../pki/mosquittoConf';
import { brokerRunUser, canUserEnter, canUserRead, type UnixUser } from './privileges';

export function installHint(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'Install it with: brew install mosquitto';
  if (platform === 'win32') return 'Install it with: winget install EclipseFoundation.Mosquitto';
  return 'Install it with: sudo apt-get install mosquitto (Debian/Ubuntu) or sudo dnf install mosquitto (Fedora)';
}

// Debian puts mosquitto in /usr/sbin, which is not on a normal user's PATH.
const EXTRA_DIRS = [
  '/usr/sbin',
  '/usr/local/sbin',
  '/opt/homebrew/sbin',
  '/usr/local/opt/mosquitto/sbin',
  'C:\\Program Files\\mosquitto',
];

export async function findMosquitto(
  env: Record<string, string | undefined> = process.env,
): Promise<string | undefined> {
  const exe = process.platform === 'win32' ? 'mosquitto.exe' : 'mosquitto';
  const dirs = [...(env['PATH'] ?? '').split(delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const d of dirs) {
    const p = join(d, exe);
    try {
      await fsp.access(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

export interface BrokerOptions {
  confPath: string;
  port: number;
  /** Listen only on this address; all interfaces when undefined (boards on the LAN must reach it). */
  bindAddress?: string;
  /** The mosquitto executable; found on PATH (and /usr/sbin) when undefined. */
  mosquittoPath?: string;
  logger: LoggerPort;
  /** Every line mosquitto prints. */
  onOutput?: (line: string) => void;
  /** How long to wait for "running"; default 15 s. */
  timeoutMs?: number;
  /** The current user id; injectable for tests of the root case. Default process.getuid(). */
  uid?: number;
}

export interface RunningBroker {
  port: number;
  pid: number;
  /** The configuration this run uses (in a private temporary folder). */
  runConfPath: string;
  /** Sentences telling the user what was done about file permissions, if anything. */
  notes: string[];
  /** Resolves when mosquitto has exited, for whatever reason. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

interface Staging {
  pathMap: Map<string, string>;
  notes: string[];
}

/**
 * When mosquitto will drop to another user that cannot read a TLS file, copy the files into a
 * private folder owned by that user (keys stay 0600). Safer than `user root`, which would keep a
 * network-facing broker running as root, and than loosening the modes of the original keys.
 */
async function stageForUser(
  files: string[],
  keyFile: string | undefined,
  runDir: string,
  who: UnixUser,
): Promise<Staging> {
  const unreadable: string[] = [];
  for (const f of files) if (!(await canUserRead(f, who))) unreadable.push(f);
  const pathMap = new Map<string, string>();
  if (unreadable.length === 0) return { pathMap, notes: [] };
  const stageDir = join(runDir, 'tls');
  await fsp.mkdir(stageDir, { mode: 0o700 });
  await fsp.chown(runDir, who.uid, who.gid);
  await fsp.chown(stageDir, who.uid, who.gid);
  for (const [i, f] of files.entries()) {
    const target = join(stageDir, `${i}-${basename(f)}`);
    await writeGuarded(nodeFileSystem, target, await nodeFileSystem.readFile(f), {
      within: runDir,
      replace: 'nothing',
      secret: f === keyFile,
    });
    await fsp.chown(target, who.uid, who.gid);
    pathMap.set(f, target);
  }
  return {
    pathMap,
    notes: [
      `Mosquitto is started as root and then switches to user "${who.name}", which cannot read ${unreadable.map((u) => basename(u)).join(', ')} (mode 0600, or a folder it cannot enter).`,
      `So this run uses copies in ${stageDir}, owned by "${who.name}" with the key still 0600; they are deleted when the broker stops. The originals are unchanged.`,
      'Running the broker as root instead ("user root") would also work, but keeps a network-facing process privileged.',
    ],
  };
}

function explainExit(lines: string[], port: number, confPath: string): EtlsError {
  const text = lines.join('\n');
  if (/address already in use/i.test(text))
    return new EtlsError(
      'io',
      `port ${port} is already in use`,
      'Stop the other broker (or service) on it, or choose another port.',
    );
  if (/permission denied/i.test(text) && /key|cert|ca/i.test(text))
    return new EtlsError(
      'io',
      'mosquitto cannot read its certificate or key files (Permission denied)',
      'Check the owner and mode of the files named in the configuration, and that every parent folder can be entered.',
    );
  if (/unable to load server key|key values mismatch|private key does not match/i.test(text))
    return new EtlsError(
      'malformed',
      'mosquitto rejected the broker key or certificate',
      'Check that keyfile belongs to certfile (etls pki init writes a matching pair).',
    );
  const last =
    lines
      .filter((l) => /error/i.test(l))
      .slice(-2)
      .join(' ') || lines.slice(-1).join('');
  return new EtlsError(
    'io',
    `mosquitto stopped during start-up${last ? `: ${last.replace(/^\d+: /, '')}` : ''}`,
    `Check ${confPath}.`,
  );
}

export async function startBroker(o: BrokerOptions): Promise<RunningBroker> {
  if (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535)
    throw new EtlsError('invalid-argument', `port ${o.port} is not 1-65535`);
  const exe = o.mosquittoPath ?? (await findMosquitto());
  if (!exe)
    throw new EtlsError(
      'not-found',
      'Mosquitto is not installed (no mosquitto on PATH or in /usr/sbin)',
      installHint(),
    );
  const confPath = resolve(o.confPath);
  const confText = new TextDecoder().decode(
    await readFileBounded(confPath).catch((e: unknown) => {
      if (e instanceof EtlsError && e.code !== 'not-found') throw e; // a device, a FIFO, 16 MB
      throw new EtlsError(
        'not-found',
        `${confPath}: no such configuration`,
        'Create one with etls pki init, or pick the mosquitto.conf it wrote.',
      );
    }),
  );
  const lines = parseConf(confText);
  const confDir = dirname(confPath);
  const tlsFiles = TLS_FILE_KEYS.filter((k) => k !== 'capath')
    .map((k) => confValue(lines, k))
    .filter((v): v is string => !!v)
    .map((p) => (isAbsolute(p) ? p : resolve(confDir, p)));
  const keyValue = confValue(lines, 'keyfile');
  const keyFile = keyValue ? resolve(confDir, keyValue) : undefined;
  for (const f of tlsFiles) {
    if (!(await fsp.stat(f).catch(() => undefined)))
      throw new EtlsError(
        'not-found',
        `${f} (named in ${basename(confPath)}) does not exist`,
        'Run etls pki init again, or fix the path.',
      );
  }

  const who = await brokerRunUser(o.uid ?? process.getuid?.(), confValue(lines, 'user'));
  // The staged copies must be reachable by that user: TMPDIR may sit in a private folder (as in
  // some editor hosts), so fall back to the system's world-traversable temporary folders.
  let base = tmpdir();
  if (who)
    for (const c of [tmpdir(), '/tmp', '/var/tmp'])
      if (await canUserEnter(c, who)) {
        base = c;
        break;
      }
  const runDir = await fsp.mkdtemp(join(base, 'etls-broker-'));
  const cleanup = () => fsp.rm(runDir, { recursive: true, force: true }).catch(() => {});
  let child: ChildProcess;
  let notes: string[] = [];
  const runConfPath = join(runDir, 'mosquitto.conf');
  try {
    const staging = who
      ? await stageForUser(tlsFiles, keyFile, runDir, who)
      : { pathMap: new Map<string, string>(), notes: [] };
    notes = staging.notes;
    for (const n of notes) o.logger.info(n);
    const text = rewriteConf(confText, {
      confDir,
      port: o.port,
      bindAddress: o.bindAddress,
      pathMap: staging.pathMap,
      extra: ['log_type error', 'log_type warning', 'log_type notice', 'log_type information'],
    });
    await writeGuarded(nodeFileSystem, runConfPath, text, { within: runDir, replace: 'nothing' });
    child = spawn(exe, ['-c', runConfPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    await cleanup();
    throw e instanceof EtlsError
      ? e
      : new EtlsError(
          'io',
          `could not prepare the broker run (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
        );
  }

  const output: string[] = [];
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  void exited.then(cleanup);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    }
    await cleanup();
  };

  await new Promise<void>((res, rej) => {
    const timer = setTimeout(() => {
      void stop();
      rej(
        new EtlsError(
          'timeout',
          `mosquitto did not report "running" within ${(o.timeoutMs ?? 15000) / 1000} s`,
          'See its output above.',
        ),
      );
    }, o.timeoutMs ?? 15000);
    const onLine = (line: string) => {
      output.push(line);
      o.onOutput?.(line);
      if (/mosquitto version \S+ running/.test(line)) {
        clearTimeout(timer);
        res();
      }
    };
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString('utf8');
      const parts = buf.split(/\r?\n/);
      buf = parts.pop() ?? '';
      parts.forEach(onLine);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      void cleanup();
      rej(
        e.code === 'ENOENT'
          ? new EtlsError('not-found', `Mosquitto was not found at ${exe}`, installHint())
          : new EtlsError('io', `mosquitto could not be started (${e.code ?? 'error'})`),
      );
    });
    void exited.then((code) => {
      clearTimeout(timer);
      if (buf) onLine(buf);
      rej(
        code === null
          ? new EtlsError('io', 'mosquitto was stopped during start-up')
          : explainExit(output, o.port, confPath),
      );
    });
  });
  return { port: o.port, pid: child.pid ?? -1, runConfPath, notes, exited, stop };
}
