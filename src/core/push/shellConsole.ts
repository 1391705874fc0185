// A Linux board's serial console as the push sees it: finds the shell (logging in, or recovering a
// console an interrupted push left without prompt or echo), runs commands that end in a marker, tells
// the board's own words from the echo of what was typed, and leaves the console as it found it.
import { EtlsError } from '../errors';
import { neverCancelled, type LoggerPort } from '../ports';
import { LinkReader, sleep } from './link';
import type { PushContext } from './types';

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]/g;
export const HEREDOC_END = 'ETLS_EOF';
const SETTLE_MS = 200;
/** How long the clean-up after a failure or an interruption may wait for the board. */
const CLEANUP_MS = 1500;

/**
 * Prompt and echo off for the push, history off so a key's base64 never lands in ~/.bash_history.
 * The prompts are kept in ETLS_PS1/ETLS_PS2 unless an interrupted push already keeps them there.
 */
export const CONSOLE_SETUP = `stty -echo; set +o history 2>/dev/null; ETLS_PS1="\${ETLS_PS1-$PS1}"; ETLS_PS2="\${ETLS_PS2-$PS2}"; PS1=''; PS2=''`;
/** Puts back what CONSOLE_SETUP changed; a prompt that would stay empty becomes "$ ". */
export const CONSOLE_RESTORE = `PS1="\${ETLS_PS1:-\${PS1:-\\$ }}"; PS2="\${ETLS_PS2:-\${PS2:-> }}"; unset ETLS_PS1 ETLS_PS2; stty echo; set -o history 2>/dev/null`;

type ConsoleState = 'prompt' | 'login' | 'password';

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function consoleState(text: string): ConsoleState | undefined {
  const tail = text.replace(ANSI, '').replace(/\r/g, '').split('\n').pop() ?? '';
  if (/password:\s*$/i.test(tail)) return 'password';
  if (/login:\s*$/i.test(tail)) return 'login';
  if (/[#$%>]\s*$/.test(tail)) return 'prompt';
  return undefined;
}

/** A line as compared with what was typed: no white space (a line editor may wrap a long line). */
function squeeze(line: string): string {
  return line.replace(/\s+/g, '');
}

export class ShellConsole {
  private n = 0;
  private attached = false;
  /** Lines typed since the last marker: a console that keeps echoing sends them back. */
  private readonly typed = new Set<string>();
  /** A temporary file on the board that the clean-up removes. */
  tmp: string | undefined;

  constructor(
    private readonly r: LinkReader,
    private readonly ctx: PushContext,
  ) {}

  private get logger(): LoggerPort {
    return this.ctx.logger;
  }

  timeout(bytes = 0): number {
    return (this.ctx.timeoutMs ?? 5000) + (bytes * 10 * 1000 * 2) / this.ctx.baud;
  }

  /** Waits for the console to show a prompt, a login or a password question. */
  private async state(ms: number): Promise<ConsoleState | undefined> {
    let state: ConsoleState | undefined;
    try {
      state = await this.r.waitFor(
        (b) => {
          const s = consoleState(b.toString('latin1'));
          return s ? { value: s, consumed: b.length } : undefined;
        },
        ms,
        'a shell prompt',
      );
    } catch (e) {
      if (e instanceof EtlsError && e.code === 'timeout') return undefined;
      throw e;
    }
    // A console may print a second prompt right after the first (e.g. getty answering an empty line):
    // let it settle and believe the last thing shown.
    await sleep(SETTLE_MS, this.ctx.cancel);
    const later = consoleState(this.r.pending.toString('latin1'));
    this.r.discard();
    return later ?? state;
  }

  /**
   * A console an interrupted push left behind shows no prompt (PS1 is empty, echo off) and may be
   * inside an open heredoc. Ctrl-C (sent before) dropped the heredoc; a terminator ends one that a
   * shell kept; then a shell, if there is one, answers an echo.
   */
  private async recover(ms: number): Promise<ConsoleState | 'hidden' | undefined> {
    const id = `R${++this.n}`;
    await this.r.write(`\r${HEREDOC_END}\recho "@@ETLS""_${id}@@"\r`);
    const re = new RegExp(`@@ETLS_${id}@@`);
    try {
      return await this.r.waitFor(
        (b) => {
          const text = b.toString('latin1');
          if (re.test(text)) return { value: 'hidden' as const, consumed: b.length };
          const s = consoleState(text);
          return s === 'login' || s === 'password' ? { value: s, consumed: b.length } : undefined;
        },
        ms,
        'a shell',
      );
    } catch (e) {
      if (e instanceof EtlsError && e.code === 'timeout') return undefined;
      throw e;
    }
  }

  /** Reaches a shell prompt, logging in when the console asks; bounded by the reply timeout. */
  async attach(): Promise<void> {
    const per = Math.max(400, Math.min(3000, (this.ctx.timeoutMs ?? 5000) / 3));
    // A bare Enter first: Ctrl-C only when something else (a program, a half-typed line) holds the console.
    let state: ConsoleState | 'hidden' | undefined;
    for (let i = 0; i < 2 && !state; i++) {
      await this.r.write(i === 1 ? '\x03\r' : '\r');
      state = await this.state(per);
    }
    if (!state) {
      state = await this.recover(per);
      if (state === 'hidden') {
        this.logger.warn(
          'the console showed no prompt but a shell answered (an interrupted push leaves it so); restoring it',
        );
        state = 'prompt';
      } else if (state === 'password') {
        // A slow login prompt took the probe for a user name: an empty password brings it back.
        await this.r.write('\r');
        state = await this.state(this.timeout());
      }
    }
    if (!state) {
      throw new EtlsError(
        'timeout',
        'No shell prompt on the serial console',
        'Check the baud rate (often 115200) and that the board has finished booting; open it in a terminal once to see what it prints',
      );
    }
    for (let step = 0; state !== 'prompt' && step < 4; step++) {
      const login = this.ctx.login;
      if (!login) {
        throw new EtlsError(
          'device',
          'The console asks for a login',
          'Give the user name (--user) and the password (ETLS_PASSWORD)',
        );
      }
      this.logger.info(state === 'login' ? `logging in as ${login.username}` : 'sending the password');
      await this.r.write(`${state === 'login' ? login.username : (login.password ?? '')}\r`);
      const next: ConsoleState | undefined = await this.state(this.timeout());
      if (state === 'password' && next === 'login') {
        throw new EtlsError(
          'device',
          `The board refused the login for ${login.username}`,
          'Check the user name and password',
        );
      }
      state = next;
    }
    if (state !== 'prompt')
      throw new EtlsError(
        'timeout',
        'No shell prompt after logging in',
        'Log in once in a terminal to check',
      );
    this.attached = true;
  }

  /** Types one line; remembered so that its echo is never taken for the board's words. */
  async send(line: string): Promise<void> {
    this.typed.add(squeeze(line));
    await this.r.write(`${line}\r`);
  }

  /** True for a line that is only the echo of something typed (maybe after a prompt). */
  private isEcho(line: string): boolean {
    const s = squeeze(line);
    if (!s || s.includes('"@@ETLS""_')) return true;
    return this.typed.has(s) || this.typed.has(s.replace(/^[^#$%>]*[#$%>]/, ''));
  }

  /** Runs one command line; resolves with its exit status and what it printed, echoes left out. */
  async run(cmd: string, bytes = 0, ownLine = false): Promise<{ status: number; output: string }> {
    const id = ++this.n;
    this.logger.debug(`$ ${cmd}`);
    // The quotes split the marker, so an echo of this command line never matches it. A heredoc
    // terminator must stand alone on its line, so then the marker goes on the next one.
    const marker = `echo "@@ETLS""_${id}_$?@@"`;
    if (ownLine) {
      await this.send(cmd);
      await this.send(marker);
    } else {
      await this.send(`${cmd}; ${marker}`);
    }
    const re = new RegExp(`@@ETLS_${id}_(\\d+)@@`);
    try {
      return await this.r.waitFor(
        (b) => {
          const text = b.toString('latin1');
          const m = re.exec(text);
          if (!m) return undefined;
          const output = text
            .slice(0, m.index)
            .replace(ANSI, '')
            .replace(/\r/g, '')
            .split('\n')
            .filter((l) => !this.isEcho(l))
            .join('\n');
          return { value: { status: Number(m[1]), output }, consumed: m.index + m[0].length };
        },
        this.timeout(bytes),
        `the board to finish \`${cmd.slice(0, 40)}\``,
      );
    } finally {
      this.typed.clear();
    }
  }

  /** Runs a command that must succeed; the board's own words go into the error. */
  async must(cmd: string, what: string, fix?: string): Promise<string> {
    const { status, output } = await this.run(cmd);
    if (status !== 0) {
      const said = lastWords(output);
      throw new EtlsError(
        'device',
        `${what} failed on the board (exit ${status})${said ? `: ${said}` : ''}`,
        fix,
      );
    }
    return output;
  }

  /**
   * Leaves the console usable after a failure or an interruption: Ctrl-C drops a half-sent heredoc
   * (the terminator ends one a shell kept open), the temporary file goes, prompt and echo come back.
   * Waits a moment for the board to confirm; the next push recovers the console if this is cut short.
   */
  async cleanup(): Promise<void> {
    if (!this.attached) return;
    const r = new LinkReader(this.ctx.link, neverCancelled);
    try {
      const rm = this.tmp ? `rm -f ${shellQuote(this.tmp)}; ` : '';
      await r.write(`\x03\r${HEREDOC_END}\r${rm}${CONSOLE_RESTORE}; echo "@@ETLS""_CLEAN@@"\r`);
      await r.waitFor(
        (b) => {
          const at = b.indexOf('@@ETLS_CLEAN@@');
          return at >= 0 ? { value: true, consumed: at + 14 } : undefined;
        },
        CLEANUP_MS,
        'the console to be restored',
      );
      this.tmp = undefined;
      this.logger.debug('console restored');
    } catch {
      this.logger.debug('the console did not confirm the clean-up; the next push restores it');
    } finally {
      r.dispose();
    }
  }
}

/** The last line the board printed, for an error message. */
export function lastWords(output: string): string {
  return (
    output
      .trim()
      .split('\n')
      .filter((l) => l.trim())
      .pop()
      ?.trim()
      .slice(0, 160) ?? ''
  );
}
