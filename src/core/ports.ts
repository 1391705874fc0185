// The interfaces the core needs from its host (VS Code or the CLI). The core never touches
// `vscode`, and reaches files, serial links, time and progress only through these.

/** Reads and writes files; paths are absolute or relative to the host's working folder. */
export interface FileSystemPort {
  /** The whole file as bytes; rejects with an EtlsError('not-found' | 'io') on failure. */
  readFile(path: string): Promise<Uint8Array>;
  /**
   * Writes through a temporary file beside the target (created exclusively, never through a link)
   * and a rename, so readers never see half a file. With `within`, refuses a target whose real
   * path (after links) leaves that folder. With `sync`, the data reaches the device before the rename
   * and the rename before it resolves. Only src/core/files calls it: use `writeGuarded`.
   */
  writeFileAtomic(
    path: string,
    data: Uint8Array | string,
    options?: { mode?: number; within?: string; sync?: boolean },
  ): Promise<void>;
  /** Size and modification time, or undefined when the path does not exist. */
  stat(path: string): Promise<{ size: number; mtimeMs: number; isFile: boolean; mode: number } | undefined>;
  /** Creates a folder and its parents when missing (hosts without folders may omit it). */
  ensureDir?(path: string, options?: { within?: string }): Promise<void>;
  /** Deletes temporary files an interrupted write of ours left in a folder; returns their names. */
  removeStaleTemps?(dir: string): Promise<string[]>;
}

/** A message sink that must never receive key bytes or pass phrases. */
export interface LoggerPort {
  /** Progress and transcript lines a user may read. */
  info(message: string): void;
  /** Something went wrong but work goes on. */
  warn(message: string): void;
  /** Detail for troubleshooting; hosts may drop it. */
  debug(message: string): void;
}

/** The current time; injectable so expiry rules can be tested. */
export interface ClockPort {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** Reports how far long work has gone. */
export interface ProgressPort {
  /** `increment` is a percentage of the whole, `message` a short status. */
  report(update: { message?: string; increment?: number }): void;
}

/** Lets the user stop long work; the core checks it between steps. */
export interface CancellationPort {
  /** True once the user asked to stop. */
  readonly isCancellationRequested: boolean;
  /** Called once when cancellation is requested. */
  onCancellationRequested(listener: () => void): { dispose(): void };
}

/** A duplex byte stream to a board: a serial port, a pty, or a simulator. */
export interface ByteLinkPort {
  /** Queues bytes for sending; resolves when they were handed to the driver. */
  write(data: Uint8Array): Promise<void>;
  /** Subscribes to received bytes. */
  onData(listener: (data: Uint8Array) => void): { dispose(): void };
  /** Subscribes to the link closing, with the reason when it was an error. */
  onClose(listener: (error?: Error) => void): { dispose(): void };
  /** Closes the link. */
  close(): Promise<void>;
}

export const systemClock: ClockPort = { now: () => Date.now() };

export const silentLogger: LoggerPort = { info: () => {}, warn: () => {}, debug: () => {} };

export const neverCancelled: CancellationPort = {
  isCancellationRequested: false,
  onCancellationRequested: () => ({ dispose: () => {} }),
};
