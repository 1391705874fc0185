// The ByteLinkPort on the `serialport` package, and the port list; used by the CLI and the extension host.
import { SerialPort } from 'serialport';
import { EtlsError } from '../errors';
import type { ByteLinkPort } from '../ports';
import { identifyPorts, type IdentifiedPort } from '../push/boards';

function describeOpenError(path: string, e: unknown): EtlsError {
  const msg = e instanceof Error ? e.message : String(e);
  if (/ENOENT|No such file|cannot find/i.test(msg)) {
    return new EtlsError(
      'not-found',
      `${path}: no such serial port`,
      'Plug the board in and run `etls ports` to see the ports',
    );
  }
  if (/EACCES|Permission denied|Access denied/i.test(msg)) {
    return new EtlsError(
      'io',
      `${path}: permission denied`,
      'On Linux add yourself to the dialout group (sudo usermod -aG dialout $USER) and log in again',
    );
  }
  if (/EBUSY|busy|Resource temporarily unavailable|lock/i.test(msg)) {
    return new EtlsError(
      'io',
      `${path} is in use by another program`,
      'Close serial terminals or flashers that hold the port',
    );
  }
  return new EtlsError(
    'link',
    `${path}: the serial port cannot be opened`,
    'Check the cable and the port name (`etls ports`)',
  );
}

/** Opens a serial port (or a pty) as a ByteLinkPort; rejects with a plain EtlsError. */
export async function openSerialLink(path: string, baudRate: number): Promise<ByteLinkPort> {
  const port = new SerialPort({ path, baudRate, autoOpen: false, lock: false });
  await new Promise<void>((resolve, reject) =>
    port.open((e) => (e ? reject(describeOpenError(path, e)) : resolve())),
  );
  const closeListeners = new Set<(e?: Error) => void>();
  let closed = false;
  const onGone = (e?: Error) => {
    if (closed) return;
    closed = true;
    for (const l of [...closeListeners]) l(e);
  };
  port.on('close', (e?: Error) => onGone(e ?? undefined));
  port.on('error', (e: Error) => onGone(e));
  return {
    write: (data) =>
      new Promise<void>((resolve, reject) => {
        if (closed) return reject(new EtlsError('link', `${path} is closed`));
        const dropped = () =>
          new EtlsError(
            'link',
            `${path}: the serial link dropped`,
            'Check that the board is still plugged in',
          );
        // A hung-up tty can leave a write waiting forever; allow four times its wire time plus slack.
        const timer = setTimeout(
          () => {
            reject(dropped());
            onGone(dropped());
          },
          2000 + (data.length * 10 * 1000 * 4) / baudRate,
        );
        port.write(Buffer.from(data), (e) => {
          clearTimeout(timer);
          if (e) reject(dropped());
          else resolve();
        });
      }),
    onData(listener) {
      const l = (d: Buffer) => listener(new Uint8Array(d.buffer, d.byteOffset, d.length));
      port.on('data', l);
      return { dispose: () => port.off('data', l) };
    },
    onClose(listener) {
      closeListeners.add(listener);
      return { dispose: () => closeListeners.delete(listener) };
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (closed || !port.isOpen) return resolve();
        closed = true;
        port.close(() => resolve());
      }),
  };
}

/** The serial ports of this machine, known boards first. */
export async function listSerialPorts(): Promise<IdentifiedPort[]> {
  try {
    const ports = await SerialPort.list();
    return identifyPorts(
      ports.map((p) => ({
        path: p.path,
        ...(p.manufacturer ? { manufacturer: p.manufacturer } : {}),
        ...(p.serialNumber ? { serialNumber: p.serialNumber } : {}),
        ...(p.vendorId ? { vendorId: p.vendorId } : {}),
        ...(p.productId ? { productId: p.productId } : {}),
        ...(p.pnpId ? { pnpId: p.pnpId } : {}),
      })),
    );
  } catch {
    throw new EtlsError(
      'io',
      'The serial ports cannot be listed',
      'Check that the serial drivers are installed',
    );
  }
}
