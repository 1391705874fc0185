// The folder route: copies certificates and keys onto a drive a board reads them from (an SD card for
// the Bosch XDK or a data logger, a CircuitPython/MicroPython drive). Each file goes through the guarded
// write (temporary name, fsync, rename), is read back and checked by SHA-256. A push target is outside
// the project by nature, so the guard's folder is the one the user named with --to: a REMOTE with ".."
// or a link that leads out of it is refused, and a key on the drive is replaced only with --force.
import { promises as fsp } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { EtlsError } from '../errors';
import { ensureOutputDir, removeStaleTemps, writeGuarded } from '../files/guard';
import type { CancellationPort, FileSystemPort, LoggerPort, ProgressPort } from '../ports';
import { classify, sha256Hex } from './convert';
import { formatBytes } from './progress';
import { checkRemoteName, printableName } from './remoteName';
import type { PushSource, PushedFile } from './types';

/** `8.3`: FAT without long names (FatFs built without LFN, an msdos mount); `long`: any name the drive takes. */
export type FolderNames = '8.3' | 'long';

export interface FolderPushOptions {
  fs: FileSystemPort;
  /** The folder the board reads: the mounted drive or a folder on it. */
  to: string;
  /** File-name rule; default: 8.3 when the folder is on an msdos mount, else long names. */
  names?: FolderNames;
  /** Replace a private key already on the drive (never done without it). */
  force?: boolean;
  logger: LoggerPort;
  progress?: ProgressPort;
  cancel?: CancellationPort;
}

export interface FolderPushReport {
  protocol: 'folder';
  files: PushedFile[];
  elapsedMs: number;
}

/** Characters FAT refuses in long names too. */
const FAT_FORBIDDEN = /["*:<>?\\|]/;
/** What an 8.3 name may hold: letters, digits and FAT's punctuation. */
const SHORT_CHARS = /^[A-Za-z0-9!#$%&'()\-@^_`{}~]+$/;

/** Why one part of a path is not a valid name under `names`, or undefined when it is. */
export function folderNameProblem(part: string, names: FolderNames): string | undefined {
  if (part === '..' || part === '.') return 'it steps out of the folder';
  if (names === 'long') {
    if (FAT_FORBIDDEN.test(part)) return 'FAT drives refuse the characters " * : < > ? \\ |';
    if (/[. ]$/.test(part)) return 'FAT drives drop a trailing dot or space, so the board would not find it';
    if (Buffer.byteLength(part, 'utf8') > 255) return 'it is longer than 255 bytes';
    return undefined;
  }
  const dot = part.lastIndexOf('.');
  const base = dot < 0 ? part : part.slice(0, dot);
  const ext = dot < 0 ? '' : part.slice(dot + 1);
  if (
    !base ||
    base.length > 8 ||
    ext.length > 3 ||
    !SHORT_CHARS.test(base) ||
    (ext && !SHORT_CHARS.test(ext))
  )
    return 'it is not an 8.3 name (at most 8 letters or digits, a dot and 3 more, e.g. DEVCERT.PEM), and the drive has no long names';
  return undefined;
}

/** The file system type the folder is mounted with, from /proc/self/mounts (Linux); undefined elsewhere. */
export async function mountTypeOf(folder: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await fsp.readFile('/proc/self/mounts', 'utf8');
  } catch {
    return undefined;
  }
  const real = await fsp.realpath(folder).catch(() => resolve(folder));
  let best: { point: string; type: string } | undefined;
  for (const line of text.split('\n')) {
    const [, point, type] = line.split(' ');
    if (!point || !type) continue;
    const p = point.replace(/\\040/g, ' ');
    const inside = p === '/' || real === p || real.startsWith(p.endsWith(sep) ? p : p + sep);
    if (inside && (!best || p.length > best.point.length)) best = { point: p, type };
  }
  return best?.type;
}

function remoteParts(remote: string): string[] {
  return remote.split(/[\\/]+/).filter((p) => p !== '');
}

/** Where REMOTE lands under DIR; refuses a REMOTE that leaves it (`..`, an absolute path elsewhere). */
export function folderTarget(to: string, remote: string, local: string): string {
  checkRemoteName(remote, local);
  const root = resolve(to);
  const target = resolve(root, ...remoteParts(remote));
  const rel = relative(root, target);
  if (!rel || rel.startsWith('..') || isAbsolute(rel) || remoteParts(remote).includes('..'))
    throw new EtlsError(
      'refused',
      `"${printableName(remote)}" for ${printableName(local)} leads out of ${root}; nothing was written`,
      'Give a name inside the folder, e.g. certs/ca.pem',
    );
  return target;
}

/** Copies every file, verified, in order; stops at the first failure, which names the file. */
export async function pushToFolder(sources: PushSource[], o: FolderPushOptions): Promise<FolderPushReport> {
  const started = Date.now();
  const st = await o.fs.stat(o.to);
  if (!st || st.isFile)
    throw new EtlsError(
      'not-found',
      `${o.to} is not a folder${st ? '' : ' (it does not exist)'}`,
      'Mount the drive (SD card, CIRCUITPY) and name its folder with --to',
    );
  const fsType = await mountTypeOf(o.to);
  const names: FolderNames = o.names ?? (fsType === 'msdos' ? '8.3' : 'long');
  if (sources.length === 0)
    throw new EtlsError('invalid-argument', 'No files to push', 'Name at least one LOCAL:REMOTE pair');
  // Every name is checked before anything is written.
  const planned = sources.map((s) => {
    const target = folderTarget(o.to, s.remote, s.local);
    for (const part of remoteParts(s.remote)) {
      const why = folderNameProblem(part, names);
      if (why)
        throw new EtlsError(
          'invalid-argument',
          `"${printableName(s.remote)}" cannot be written to ${o.to}: ${why}; nothing was written`,
          names === '8.3'
            ? 'Choose a short name such as CA.PEM or DEVICE.DER (the firmware must open that name)'
            : 'Rename it',
        );
    }
    if (s.data.length === 0)
      throw new EtlsError('empty', `${s.local} is empty`, 'Choose the certificate or key file itself');
    return { ...s, target, kind: classify(s.data), sha256: sha256Hex(s.data) };
  });
  const total = planned.reduce((n, f) => n + f.data.length, 0);
  o.logger.info(
    `push: ${planned.length} file(s), ${formatBytes(total)} to ${o.to}${fsType ? ` (${fsType}` : ''}${fsType ? `, ${names === '8.3' ? '8.3 names' : 'long names'})` : ''}`,
  );
  const files: PushedFile[] = [];
  for (const f of planned) {
    if (o.cancel?.isCancellationRequested)
      throw new EtlsError('cancelled', 'The push was cancelled', 'Run it again when ready');
    const dir = dirname(f.target);
    await ensureOutputDir(o.fs, dir, o.to);
    // Temporary files a copy killed outright (power, a pulled card) left beside this one.
    for (const t of await removeStaleTemps(o.fs, dir))
      o.logger.info(`removed ${t}, left by an interrupted copy`);
    const existing = await o.fs.stat(f.target);
    const same =
      existing?.isFile &&
      existing.size === f.data.length &&
      sha256Hex(await o.fs.readFile(f.target)) === f.sha256;
    if (!same) {
      await writeGuarded(o.fs, f.target, f.data, {
        within: o.to,
        replace: o.force ? 'anything' : 'anything-but-keys',
        secret: f.kind === 'key',
        sync: true,
        forceHint: 'Pass --force to replace the key on the drive',
      });
    }
    const back = await o.fs.readFile(f.target);
    if (sha256Hex(back) !== f.sha256)
      throw new EtlsError(
        'verify-failed',
        `${f.target}: the file read back from the drive differs from ${f.local}`,
        'Check the drive (it may be full or failing) and push again',
      );
    const how = same ? 'already there, SHA-256 matches' : 'fsynced, renamed, read back: SHA-256 matches';
    o.logger.info(`${f.remote}: verified, ${how}`);
    o.progress?.report({ increment: total ? (f.data.length / total) * 100 : 0, message: f.remote });
    files.push({ local: f.local, remote: f.remote, bytes: f.data.length, sha256: f.sha256, verifiedBy: how });
  }
  return { protocol: 'folder', files, elapsedMs: Date.now() - started };
}
