// `etls push`: sends certificates and keys to a board over a serial port and exits 0 only once verified.
import { resolve } from 'node:path';
import { EtlsError } from '../../core/errors';
import { nodeFileSystem } from '../../core/node/fileSystem';
import { openSerialLink } from '../../core/node/serialLink';
import { systemClock, type CancellationPort, type LoggerPort } from '../../core/ports';
import {
  executePush,
  formatBytes,
  isModuleProtocol,
  isPushProtocol,
  lineRateSeconds,
  planModuleRoots,
  planPush,
  pushProtocols,
  rootsFromFiles,
  type PushPlan,
  type PushReport,
  type PushSource,
} from '../../core/push';
import { findProjectFile, loadProject, resolveProjectPath, saveProject } from '../../core/project/load';
import { PROJECT_FILE_NAME, type LoadedProject, type PushSettings } from '../../core/project/types';
import { hasFlag, optionValue, parseArgs, type CliCommand, type CliIo } from '../command';
import { pushFolder } from './pushFolder';

const usage = `etls push --port PATH --protocol simplelink-at|linux-shell|etls-frame [options] LOCAL:REMOTE...
etls push --port PATH --protocol wifinina-roots|wifi101-roots [--merge] [options] CERT...
etls push --protocol folder --to DIR [--names 8.3|long] [--force] LOCAL:REMOTE...
etls push --profile NAME [options]

Sends each LOCAL file to REMOTE on the board and checks that the board holds it.
  --port PATH        serial port (see \`etls ports\`), e.g. /dev/ttyACM0 or COM5
  --protocol NAME    simplelink-at  TI CC3220/CC3235 running the AT-command application
                     linux-shell    a Linux board's serial console (base64 + sha256sum)
                     etls-frame     the etls reference receiver (firmware/etls-receiver)
                     wifinina-roots root CAs (PEM or DER) into the WiFiNINA module of a MKR WiFi 1010,
                                    Nano 33 IoT or UNO WiFi Rev2, through the FirmwareUpdater sketch
                     wifi101-roots  root CAs (RSA) into the WiFi101 (ATWINC1500) module of a MKR1000
                     folder         a drive the board reads (SD card, CIRCUITPY): temp name, fsync,
                                    rename, read back and checked by SHA-256
  --merge            wifinina-roots / wifi101-roots: keep the module's current roots (read first,
                     duplicates dropped); without it the push REPLACES them, Arduino's defaults included
  --to DIR           folder: the drive or folder the board reads
  --names 8.3|long   folder: file-name rule (default: 8.3 on an msdos mount, else long names)
  --force            folder: replace a private key already on the drive
  --profile NAME     take port, protocol, baud and files from the profile's push section (embedded-tls.json)
  --baud N           line rate (default 115200)
  --verify MODE      simplelink-at: length (default) or readback (reads every byte back)
  --chunk N          simplelink-at: raw bytes per FileWrite line (default 512; up to 744 fits the line buffer)
  --user NAME        linux-shell login name; the password comes from ETLS_PASSWORD
  --timeout MS       reply timeout (default 5000); the whole push, retries included, ends within
                     4 times this plus twice the time its bytes need at the line rate
  --verbose          print the transcript (never key bytes)
  --json             print the result as JSON

Exit status: 0 verified, 1 the push failed, 2 bad arguments, 128+N stopped by signal N (after clean-up).
Examples: etls push --port /dev/ttyACM0 --protocol simplelink-at certs/device.pem:/cert/device.der certs/device.key:/cert/device.key
          etls push --port /dev/ttyACM0 --protocol wifinina-roots --merge certs/ca.pem
          etls push --protocol folder --to /media/SDCARD certs/ca.der:CERTS/CA.DER`;

/** Splits LOCAL:REMOTE, keeping a Windows drive letter (C:\\...) on the local side. */
export function splitPair(arg: string): { local: string; remote: string } {
  const skip = /^[A-Za-z]:[\\/]/.test(arg) ? 2 : 0;
  const at = arg.indexOf(':', skip);
  if (at <= 0 || at === arg.length - 1) {
    throw new EtlsError(
      'invalid-argument',
      `"${arg}" is not LOCAL:REMOTE`,
      'Write it as certs/device.pem:/cert/device.der',
    );
  }
  return { local: arg.slice(0, at), remote: arg.slice(at + 1) };
}

function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new EtlsError('invalid-argument', `--${name} must be a positive whole number`);
  return n;
}

/** The push section of a device profile in embedded-tls.json, with its file paths made absolute. */
async function profilePush(
  name: string | undefined,
  cwd: string,
): Promise<
  | { name: string; project: LoadedProject; push: PushSettings; files: { local: string; remote: string }[] }
  | undefined
> {
  if (!name) return undefined;
  const file = await findProjectFile(nodeFileSystem, cwd);
  if (!file)
    throw new EtlsError(
      'not-found',
      `No ${PROJECT_FILE_NAME} here or above`,
      'Run etls in the project folder',
    );
  const project = await loadProject(nodeFileSystem, file);
  const push = project.file.profiles[name]?.push;
  if (!push) {
    throw new EtlsError(
      'invalid-argument',
      `Profile "${name}" has no push section in ${file}`,
      'Add "push": { "protocol": ..., "files": [...] }',
    );
  }
  const files = (push.files ?? []).map((f) => ({
    local: resolveProjectPath(project, f.local),
    remote: f.remote,
  }));
  // A module push without a file list pushes the profile's CA.
  const ca = project.file.profiles[name]?.ca;
  if (files.length === 0 && ca && isModuleProtocol(push.protocol))
    files.push({ local: resolveProjectPath(project, ca), remote: '' });
  return { name, project, push, files };
}

/** After a verified module push with a profile: what the module's store holds now, for `etls check`. */
async function recordModuleRoots(
  profile: NonNullable<Awaited<ReturnType<typeof profilePush>>>,
  report: PushReport,
  logger: LoggerPort,
): Promise<void> {
  if (!report.moduleRoots) return;
  const p = profile.project.file.profiles[profile.name]!;
  p.push = { ...p.push!, moduleRoots: report.moduleRoots };
  try {
    await saveProject(nodeFileSystem, profile.project);
    logger.info(`recorded the module's ${report.moduleRoots.length} root(s) in ${profile.project.path}`);
  } catch (e) {
    logger.warn(
      `the push succeeded, but ${PROJECT_FILE_NAME} could not record it: ${e instanceof EtlsError ? e.message : String(e)}`,
    );
  }
}

const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;
type StopSignal = keyof typeof SIGNALS;
/** How long an interrupted push may spend leaving the board's console clean before the process exits. */
const CLEANUP_GRACE_MS = 4000;

/**
 * Ctrl-C, a `kill` or a closed terminal stops the push cleanly instead of killing it mid-line: the
 * engine ends an open heredoc, drops its temporary file and puts the console's prompt and echo back.
 * A second signal, or a clean-up that overruns its grace period, exits at once.
 */
function interruption(io: CliIo): CancellationPort & { signal: StopSignal | undefined; dispose(): void } {
  let signal: StopSignal | undefined;
  const listeners = new Set<() => void>();
  let grace: ReturnType<typeof setTimeout> | undefined;
  const handlers = (Object.keys(SIGNALS) as StopSignal[]).map((sig) => {
    const h = () => {
      if (signal) process.exit(128 + SIGNALS[sig]);
      signal = sig;
      io.err(`\netls push: ${sig}: stopping and leaving the board's console clean (again to quit now)\n`);
      grace = setTimeout(() => process.exit(128 + SIGNALS[sig]), CLEANUP_GRACE_MS);
      grace.unref();
      for (const l of [...listeners]) l();
    };
    process.on(sig, h);
    return [sig, h] as const;
  });
  return {
    get isCancellationRequested() {
      return signal !== undefined;
    },
    get signal() {
      return signal;
    },
    onCancellationRequested(l) {
      listeners.add(l);
      return { dispose: () => listeners.delete(l) };
    },
    dispose: () => {
      if (grace) clearTimeout(grace);
      for (const [sig, h] of handlers) process.off(sig, h);
    },
  };
}

export const pushCommand: CliCommand = {
  name: 'push',
  summary: 'send certificates and keys to a board over a serial port, verified',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const p = parseArgs(args, {
      flags: ['verbose', 'json', 'merge', 'force'],
      options: ['port', 'protocol', 'baud', 'verify', 'user', 'timeout', 'chunk', 'profile', 'to', 'names'],
    });
    const profile = await profilePush(optionValue(p, 'profile'), io.cwd);
    const protocol = optionValue(p, 'protocol') ?? profile?.push.protocol;
    if (protocol === 'folder') return pushFolder(p, io, p.positional.map(splitPair));
    const port = optionValue(p, 'port') ?? profile?.push.port;
    if (!port)
      throw new EtlsError(
        'invalid-argument',
        '--port is required',
        'Run `etls ports` to see the serial ports',
      );
    if (!protocol || !isPushProtocol(protocol)) {
      throw new EtlsError(
        'invalid-argument',
        `--protocol must be one of ${[...pushProtocols, 'folder'].join(', ')}`,
      );
    }
    const verify = optionValue(p, 'verify') ?? 'length';
    if (verify !== 'length' && verify !== 'readback')
      throw new EtlsError('invalid-argument', '--verify is length or readback');
    const baud = positiveInt(optionValue(p, 'baud'), 'baud', profile?.push.baud ?? 115200);
    const timeoutMs = positiveInt(optionValue(p, 'timeout'), 'timeout', 5000);
    const chunkBytes = positiveInt(optionValue(p, 'chunk'), 'chunk', 512);
    const module = isModuleProtocol(protocol);
    // Module roots have no name on the board: every argument is a certificate file.
    const pairs = p.positional.length
      ? p.positional.map((a) => (module ? { local: a, remote: '' } : splitPair(a)))
      : (profile?.files ?? []);
    if (pairs.length === 0) {
      throw new EtlsError(
        'invalid-argument',
        module ? 'name at least one root certificate file' : 'name at least one LOCAL:REMOTE pair',
        'Or list them under push.files in embedded-tls.json',
      );
    }
    const sources: PushSource[] = [];
    for (const pair of pairs) {
      sources.push({ ...pair, data: await nodeFileSystem.readFile(resolve(io.cwd, pair.local)) });
    }
    const plan: PushPlan = module
      ? planModuleRoots(protocol, rootsFromFiles(sources))
      : planPush(protocol, sources);
    if (hasFlag(p, 'merge') && !module)
      throw new EtlsError('invalid-argument', '--merge is for wifinina-roots and wifi101-roots');
    const json = hasFlag(p, 'json');
    const verbose = hasFlag(p, 'verbose');
    const logger: LoggerPort = {
      info: (m) => !json && io.err(`${m}\n`),
      warn: (m) => !json && io.err(`warning: ${m}\n`),
      debug: (m) => verbose && io.err(`  ${m}\n`),
    };
    const user = optionValue(p, 'user');
    let lastShown = 0;
    const cancel = interruption(io);
    let link: Awaited<ReturnType<typeof openSerialLink>>;
    try {
      link = await openSerialLink(port, baud);
    } catch (e) {
      cancel.dispose();
      throw e;
    }
    try {
      const report = await executePush(plan, {
        link,
        baud,
        timeoutMs,
        verify,
        chunkBytes,
        merge: hasFlag(p, 'merge'),
        logger,
        clock: systemClock,
        cancel,
        progress: {
          report: ({ message }) => {
            // one line a second is enough for a terminal or a CI log
            if (!json && !verbose && message && Date.now() - lastShown >= 1000) {
              lastShown = Date.now();
              io.err(`  ${message}\n`);
            }
          },
        },
        ...(user ? { login: { username: user, password: io.env['ETLS_PASSWORD'] ?? '' } } : {}),
      });
      if (profile && report.moduleRoots) await recordModuleRoots(profile, report, logger);
      if (json) {
        io.out(JSON.stringify({ ok: true, ...report }, null, 2) + '\n');
      } else {
        for (const f of report.files)
          io.out(`ok  ${f.local} → ${f.remote}  ${formatBytes(f.bytes)}  (${f.verifiedBy})\n`);
        const limit = lineRateSeconds(plan.totalBytes, baud);
        io.out(
          `pushed ${report.files.length} file(s), ${formatBytes(plan.totalBytes)} in ${(report.elapsedMs / 1000).toFixed(1)} s ` +
            `(line-rate limit ${limit.toFixed(1)} s)\n`,
        );
      }
      return 0;
    } catch (e) {
      const err = e instanceof EtlsError ? e : new EtlsError('io', 'The push failed unexpectedly');
      if (json)
        io.out(
          JSON.stringify({ ok: false, code: err.code, message: err.message, fix: err.fix ?? null }) + '\n',
        );
      io.err(`etls push: ${err.describe()}\n`);
      return cancel.signal ? 128 + SIGNALS[cancel.signal] : 1;
    } finally {
      await link.close();
      cancel.dispose();
    }
  },
};
