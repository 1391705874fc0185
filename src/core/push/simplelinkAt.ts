// Pushes files to a TI CC3220/CC3235 running TI's AT-command application: FileOpen (failsafe), base64
// FileWrite lines, FileClose, then a length check (FileGetInfo) or a full read-back.
import { EtlsError } from '../errors';
import { neverCancelled } from '../ports';
import { LinkReader } from './link';
import { TransferProgress } from './progress';
import { parseErrorLine, SimpleLinkAtError } from './simplelinkErrors';
import { sha256Hex } from './convert';
import {
  verifiedFile,
  type PlannedFile,
  type PushContext,
  type PushPlan,
  type PushReport,
  type PushedFile,
} from './types';

/** 512 raw bytes per line (684 base64 characters), as TI recommends, keeps a FileWrite well inside the line buffer. */
export const SIMPLELINK_CHUNK = 512;
/** The AT-command application reads one line into a 1024-byte buffer (ATCOMMANDS_CMD_BUFFER_SIZE). */
const LINE_BUFFER = 1024;
const READ_CHUNK = 512;

class AtSession {
  private probes = 0;
  constructor(
    private readonly reader: LinkReader,
    private readonly ctx: PushContext,
  ) {}

  private timeoutFor(lineBytes: number, replyBytes = 64): number {
    const wire = ((lineBytes + replyBytes) * 10 * 1000) / this.ctx.baud;
    return (this.ctx.timeoutMs ?? 5000) + wire * 2;
  }

  /**
   * Sends one command line and collects its `+<cmd>:` values up to `OK`.
   * Throws SimpleLinkAtError on `ERROR:<class>,<code>`.
   */
  async command(line: string, label: string, replyBytes = 64): Promise<string[]> {
    const name = /^AT\+(\w+)/.exec(line)?.[1] ?? line;
    this.ctx.logger.debug(`> ${label}`);
    await this.reader.write(line + '\r');
    const values: string[] = [];
    const deadline = this.timeoutFor(line.length, replyBytes);
    for (;;) {
      const reply = (await this.reader.readLine(deadline, `the reply to AT+${name}`)).trim();
      if (!reply || reply.toUpperCase().startsWith('AT+')) continue; // blank or an echo of the command
      if (reply === 'OK') {
        // FileRead replies carry file bytes (maybe a key): the transcript shows only their size.
        const shown = /^fileread$/i.test(name) ? values.map((v) => `${v.length} characters`) : values;
        this.ctx.logger.debug(`< OK${shown.length ? ` (${shown.join('; ')})` : ''}`);
        return values;
      }
      const err = parseErrorLine(reply);
      if (err) throw new SimpleLinkAtError(`AT+${name}`, err.errorClass, err.code);
      const m = /^\+(\w+):(.*)$/.exec(reply);
      if (m && m[1]!.toLowerCase() === name.toLowerCase()) values.push(m[2]!);
      // anything else is an unsolicited event (e.g. +eventwlan) and is ignored
    }
  }

  /**
   * After a lost reply, a late one may still come and would be taken for the next command's. The board
   * answers lines in order, so ask about a file that cannot exist and drop everything before its -10341.
   */
  private async resync(): Promise<void> {
    const probe = `AT+FileGetInfo=/etls-sync-${++this.probes}`;
    for (let i = 0; i <= (this.ctx.retries ?? 3); i++) {
      await this.reader.write(probe + '\r');
      try {
        for (;;) {
          const line = await this.reader.readLine(this.timeoutFor(probe.length) * 2, 'the board to catch up');
          if (parseErrorLine(line)?.code === -10341) return;
        }
      } catch (e) {
        if (!(e instanceof EtlsError && e.code === 'timeout')) throw e;
      }
    }
    throw new EtlsError('timeout', 'The board stopped answering', 'Check the cable and reset the board');
  }

  /**
   * Closes a file with the signature "A": the failsafe copy of the old file stays the live one. After a
   * cancellation (the user, or the push's deadline) the board is still told, with a short wait.
   */
  async abortClose(fileId: string, name: string): Promise<void> {
    const line = `AT+FileClose=${fileId},,A`;
    if (!this.ctx.cancel.isCancellationRequested) {
      await this.command(line, `FileClose ${name} (abort)`).catch(() => undefined);
      return;
    }
    const r = new LinkReader(this.ctx.link, neverCancelled);
    try {
      await r.write(`${line}\r`);
      await r.waitFor(
        (b) => {
          const m = /(?:^|[\r\n])(OK|ERROR[^\r\n]*)[\r\n]/.exec(b.toString('latin1'));
          return m ? { value: m[1], consumed: m.index + m[0].length } : undefined;
        },
        1000,
        'the board to drop the file',
      );
    } catch {
      // best effort: the old file stays live until a close without "A" anyway
    } finally {
      r.dispose();
    }
  }

  /** Runs a command that may safely be sent again after a garbled line or a lost reply. */
  async retrying(line: string, label: string, replyBytes?: number): Promise<string[]> {
    const attempts = (this.ctx.retries ?? 3) + 1;
    for (let i = 1; ; i++) {
      try {
        return await this.command(line, label, replyBytes);
      } catch (e) {
        const again =
          (e instanceof SimpleLinkAtError && e.retryable) || (e instanceof EtlsError && e.code === 'timeout');
        if (!again || i >= attempts) throw e;
        this.ctx.logger.warn(`${label}: ${(e as EtlsError).message}; trying again (${i}/${attempts - 1})`);
        if ((e as EtlsError).code === 'timeout') await this.resync();
      }
    }
  }
}

function quoteName(name: string): string {
  if (/[,\r\n"]/.test(name)) {
    throw new EtlsError(
      'invalid-argument',
      `SimpleLink file name "${name}" contains a comma, quote or line break`,
    );
  }
  if (name.length > 180)
    throw new EtlsError('invalid-argument', `SimpleLink file name "${name}" is too long`);
  return name;
}

async function writeFile(
  s: AtSession,
  f: PlannedFile,
  chunkBytes: number,
  progress: TransferProgress,
): Promise<void> {
  const name = quoteName(f.remote);
  const maxSize = Math.max(4096, Math.ceil(f.data.length / 4096) * 4096);
  // create_failsafe: the old file stays valid until FileClose succeeds, so a broken push never leaves half a file.
  const [opened] = await s.command(
    `AT+FileOpen=${name},create|overwrite|create_failsafe|write,${maxSize}`,
    `FileOpen ${name}`,
  );
  const fileId = /^\s*(\d+)/.exec(opened ?? '')?.[1];
  if (!fileId)
    throw new EtlsError(
      'device',
      `AT+FileOpen ${name}: the board sent no file id`,
      'Check the AT-command application version',
    );
  try {
    for (let off = 0; off < f.data.length; off += chunkBytes) {
      const chunk = f.data.subarray(off, off + chunkBytes);
      const b64 = Buffer.from(chunk).toString('base64');
      const line = `AT+FileWrite=${fileId},${off},1,${b64.length},${b64}`;
      if (line.length + 1 > LINE_BUFFER) {
        throw new EtlsError(
          'invalid-argument',
          `${chunkBytes}-byte chunks make lines longer than the board's ${LINE_BUFFER}-byte line buffer`,
          `Use at most ${maxChunk(fileId)} bytes per line`,
        );
      }
      const [written] = await s.retrying(line, `FileWrite ${name} @${off} (${chunk.length} bytes)`);
      if (written !== undefined && Number(written) !== b64.length) {
        throw new EtlsError(
          'verify-failed',
          `${name}: the board wrote ${written} of ${b64.length} characters at offset ${off}`,
        );
      }
      progress.advance(chunk.length, f.remote);
    }
    await s.command(`AT+FileClose=${fileId},,`, `FileClose ${name}`);
  } catch (e) {
    // The signature "A" tells sl_FsClose to abort: the failsafe copy of the old file stays the live one.
    await s.abortClose(fileId, name);
    throw e;
  }
}

/** The largest chunk whose FileWrite line still fits the line buffer with its CR. */
function maxChunk(fileId: string): number {
  const overhead = `AT+FileWrite=${fileId},99999,1,9999,`.length + 1;
  return Math.floor((LINE_BUFFER - overhead) / 4) * 3;
}

async function verifyLength(s: AtSession, f: PlannedFile): Promise<string> {
  const [info] = await s.retrying(`AT+FileGetInfo=${f.remote}`, `FileGetInfo ${f.remote}`);
  const len = Number((info ?? '').split(',')[1]);
  if (len !== f.data.length) {
    throw new EtlsError(
      'verify-failed',
      `${f.remote}: the board holds ${len} bytes, expected ${f.data.length}`,
      'Push again',
    );
  }
  return `length ${len} matches (FileGetInfo)`;
}

async function verifyReadBack(s: AtSession, f: PlannedFile): Promise<string> {
  const [opened] = await s.command(`AT+FileOpen=${f.remote},read,0`, `FileOpen ${f.remote} (read)`);
  const fileId = /^\s*(\d+)/.exec(opened ?? '')?.[1];
  const parts: Buffer[] = [];
  try {
    for (let off = 0; off < f.data.length; off += READ_CHUNK) {
      const n = Math.min(READ_CHUNK, f.data.length - off);
      const [reply] = await s.retrying(
        `AT+FileRead=${fileId},${off},1,${n}`,
        `FileRead ${f.remote} @${off}`,
        720,
      );
      const m = /^\s*1\s*,\s*(\d+)\s*,(.*)$/.exec(reply ?? '');
      parts.push(Buffer.from((m?.[2] ?? '').trim(), 'base64'));
    }
  } finally {
    await s.command(`AT+FileClose=${fileId},,`, `FileClose ${f.remote}`).catch(() => undefined);
  }
  const got = Buffer.concat(parts);
  if (sha256Hex(got) !== f.sha256) {
    throw new EtlsError(
      'verify-failed',
      `${f.remote}: the bytes read back differ from the local file`,
      'Push again',
    );
  }
  return 'read back, SHA-256 matches';
}

export async function pushSimpleLink(plan: PushPlan, ctx: PushContext): Promise<PushReport> {
  const started = ctx.clock.now();
  const reader = new LinkReader(ctx.link, ctx.cancel);
  const s = new AtSession(reader, ctx);
  const progress = new TransferProgress(ctx.progress, ctx.clock, plan.totalBytes, ctx.baud / 10 / 1.45);
  const files: PushedFile[] = [];
  try {
    reader.discard();
    for (const f of plan.files) {
      ctx.logger.info(
        `${f.local} → ${f.remote}: ${f.data.length} bytes${f.conversion ? ` (${f.conversion})` : ''}`,
      );
      const attempts = ctx.verify === 'readback' ? 2 : 1;
      for (let i = 1; ; i++) {
        try {
          await writeFile(s, f, ctx.chunkBytes ?? SIMPLELINK_CHUNK, progress);
          const how = ctx.verify === 'readback' ? await verifyReadBack(s, f) : await verifyLength(s, f);
          files.push(verifiedFile(f, how, ctx.logger));
          break;
        } catch (e) {
          if (!(e instanceof EtlsError && e.code === 'verify-failed') || i >= attempts) throw e;
          ctx.logger.warn(`${e.message}; writing the file again`);
        }
      }
    }
  } finally {
    reader.dispose();
  }
  return { protocol: 'simplelink-at', files, elapsedMs: ctx.clock.now() - started };
}
