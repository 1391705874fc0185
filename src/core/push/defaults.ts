// What to offer first when pushing: the protocol a board most likely speaks and where each file goes.
import type { DeviceProfile } from '../project/types';
import type { BoardGuess } from './boards';
import type { PushKind, PushProtocol } from './types';

/** The profile's own choice wins, then the USB bridge, then the target family. */
export function suggestProtocol(
  profile: DeviceProfile | undefined,
  board: BoardGuess | undefined,
): PushProtocol {
  if (profile?.push?.protocol) return profile.push.protocol;
  if (board?.protocol) return board.protocol;
  switch (profile?.target) {
    case 'cc3220':
    case 'cc3235':
      return 'simplelink-at';
    case 'linux':
      return 'linux-shell';
    case 'wifinina':
      return 'wifinina-roots';
    case 'winc1500':
      return 'wifi101-roots';
    default:
      return 'etls-frame';
  }
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/**
 * The destination name to offer for a local file: SimpleLink keeps certificates under /cert as DER
 * (the name a firmware then passes to AT+MqttCreate); the others keep the file name.
 */
export function defaultRemoteName(protocol: PushProtocol, local: string, kind: PushKind): string {
  const base = baseName(local);
  if (protocol === 'simplelink-at') {
    const stem = base.replace(/\.(pem|crt|cer|der|key)$/i, '');
    return `/cert/${stem}${kind === 'key' ? '.key' : '.der'}`;
  }
  return base;
}

/** The remote name the project file gives a local file, if any (paths compared as written or resolved). */
export function remoteFromProfile(
  profile: DeviceProfile | undefined,
  local: string,
  resolve: (p: string) => string,
): string | undefined {
  return profile?.push?.files?.find((f) => f.local === local || resolve(f.local) === local)?.remote;
}
