// The board's end of a socat pty pair as a ByteLinkPort, on Node's tty streams: simulators use it so
// they need no serialport (which the integration bundle cannot load; the extension loads its own).
import { constants, openSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';
import type { ByteLinkPort } from '../../../src/core/ports';

export function openPtyEnd(path: string): ByteLinkPort {
  // One descriptor per stream: each tty handle closes its own when destroyed.
  const input = new ReadStream(openSync(path, constants.O_RDWR | constants.O_NOCTTY));
  input.setRawMode(true);
  const output = new WriteStream(openSync(path, constants.O_RDWR | constants.O_NOCTTY));
  let closed = false;
  const closeListeners = new Set<(e?: Error) => void>();
  const onEnd = (e?: Error) => {
    if (closed) return;
    closed = true;
    for (const l of closeListeners) l(e);
  };
  input.on('error', (e) => onEnd(e));
  input.on('end', () => onEnd());
  output.on('error', () => {});
  return {
    write: (data) =>
      new Promise((resolve, reject) => {
        if (closed) return reject(new Error('closed'));
        output.write(Buffer.from(data), (e) => (e ? reject(e) : resolve()));
      }),
    onData(l) {
      const h = (d: Buffer) => l(d);
      input.on('data', h);
      return { dispose: () => input.off('data', h) };
    },
    onClose(l) {
      closeListeners.add(l);
      return { dispose: () => closeListeners.delete(l) };
    },
    async close() {
      if (closed) return;
      closed = true;
      input.destroy();
      output.destroy();
    },
  };
}
