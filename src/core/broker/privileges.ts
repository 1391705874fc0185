// Mosquitto started as root switches to an unprivileged user before it loads the TLS files; a 0600
// key owned by root is then unreadable ("OpenSSL Error ... Permission denied"). This works out who
// the broker will run as and whether that user can read each file.
import { promises as fsp } from 'node:fs';
import { dirname, parse } from 'node:path';

export interface UnixUser {
  name: string;
  uid: number;
  gid: number;
  /** Supplementary groups from /etc/group. */
  groups: number[];
}

/** Reads /etc/passwd and /etc/group; undefined when the user doesn't exist (or on Windows). */
export async function lookupUser(name: string): Promise<UnixUser | undefined> {
  const passwd = await fsp.readFile('/etc/passwd', 'utf8').catch(() => '');
  const entry = passwd
    .split('\n')
    .map((l) => l.split(':'))
    .find((f) => f[0] === name);
  if (!entry || entry.length < 4) return undefined;
  const group = await fsp.readFile('/etc/group', 'utf8').catch(() => '');
  const groups = group
    .split('\n')
    .map((l) => l.split(':'))
    .filter((f) => (f[3] ?? '').split(',').includes(name))
    .map((f) => Number(f[2]));
  return { name, uid: Number(entry[2]), gid: Number(entry[3]), groups };
}

/**
 * Who a mosquitto process started by `uid` ends up running as: nobody changes when it isn't root;
 * as root it switches to the `user` from the configuration (default `mosquitto`, then `nobody`)
 * unless that is `root`.
 */
export async function brokerRunUser(
  uid: number | undefined,
  confUser: string | undefined,
): Promise<UnixUser | undefined> {
  if (uid !== 0) return undefined;
  const wanted = confUser ?? 'mosquitto';
  if (wanted === 'root') return undefined;
  return (await lookupUser(wanted)) ?? (confUser ? undefined : await lookupUser('nobody'));
}

function allows(mode: number, st: { uid: number; gid: number }, who: UnixUser, bit: 4 | 1): boolean {
  if (who.uid === 0) return true;
  if (st.uid === who.uid) return ((mode >> 6) & bit) !== 0;
  if (st.gid === who.gid || who.groups.includes(st.gid)) return ((mode >> 3) & bit) !== 0;
  return (mode & bit) !== 0;
}

/** True when `who` can enter the folder and every folder above it. */
export async function canUserEnter(dir: string, who: UnixUser): Promise<boolean> {
  try {
    const root = parse(dir).root;
    for (let d = dir; ; d = dirname(d)) {
      const ds = await fsp.stat(d);
      if (!allows(ds.mode, ds, who, 1)) return false;
      if (d === root) return true;
    }
  } catch {
    return false;
  }
}

/** True when `who` can reach (x on every parent folder) and read the file, from its mode bits. */
export async function canUserRead(path: string, who: UnixUser): Promise<boolean> {
  try {
    const st = await fsp.stat(path);
    if (!allows(st.mode, st, who, 4)) return false;
    const root = parse(path).root;
    for (let d = dirname(path); ; d = dirname(d)) {
      const ds = await fsp.stat(d);
      if (!allows(ds.mode, ds, who, 1)) return false;
      if (d === root) return true;
    }
  } catch {
    return false;
  }
}
