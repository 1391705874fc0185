// Pushes files through a Linux board's serial console: find the shell (log in if asked), echo off,
// a paced base64 heredoc into a temporary file, sha256sum, then chmod and an atomic mv into place.
import { randomBytes } from 'node:crypto';
import { EtlsError } from '../errors';
import { LinkReader, sleep } from './link';
import { TransferProgress } from './progress';
import {
  verifiedFile,
  type PlannedFile,
  type PushContext,
  type PushPlan,
  type PushReport,
  type PushedFile,
} from './types';

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]/g;
const HEREDOC_END = 'ETLS_EOF';
/** Upload pace as a share of the line rate: a console has no flow control, so leave it some slack. */
const PACE = 0.9;
const SETTLE_MS = 200;

type ConsoleState = 'prompt' | 'login' | 'password';

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A path as one shell word that no command takes for an option (a name may start with "-"). */
function shellPath(p: string): string {
  return shellQuote(p.startsWith('-') ? `./${p}` : p);
}

function consoleState(text: string): ConsoleState | undefined {
  const tail = text.replace(ANSI, '').replace(/\r/g, '').split('\n').pop() ?? '';
  if (/password:\s*$/i.test(tail)) return 'password';
  if (/login:\s*$/i.test(tail)) return 'login';
  if (/[#$%>]\s*$/.test(tail)) return 'prompt';
  return undefined;
}

class Shell {
  private n = 0;
  constructor(
    private readonly r: LinkReader,
    private readonly ctx: PushContext,
  ) {}

  private timeout(bytes = 0): number {
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

  /** Reaches a shell prompt, logging in when the console asks. */
  async attach(): Promise<void> {
    let state: ConsoleState | undefined;
    // A bare Enter first: Ctrl-C only when something else (a program, a half-typed line) holds the console.
    for (let i = 0; i < 3 && !state; i++) {
      await this.r.write(i === 1 ? '\x03\r' : '\r');
      state = await this.state(Math.min(this.timeout(), 3000));
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
      this.ctx.logger.info(state === 'login' ? `logging in as ${login.username}` : 'sending the password');
      await this.r.write(`${state === 'login' ? login.username : (login.password ?? '')}\r`);
      const next = await this.state(this.timeout());
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
  }

  /** Runs one command line; resolves with its exit status and what it printed. */
  async run(cmd: string, bytes = 0, ownLine = false): Promise<{ status: number; output: string }> {
    const id = ++this.n;
    this.ctx.logger.debug(`$ ${cmd}`);
    // The quotes split the marker, so an echo of this command line never matches it. A heredoc
    // terminator must stand alone on its line, so then the marker goes on the next one.
    await this.r.write(`${cmd}${ownLine ? '\r' : '; '}echo "@@ETLS""_${id}_$?@@"\r`);
    const re = new RegExp(`@@ETLS_${id}_(\\d+)@@`);
    return this.r.waitFor(
      (b) => {
        const text = b.toString('latin1');
        const m = re.exec(text);
        if (!m) return undefined;
        const output = text.slice(0, m.index).replace(ANSI, '').replace(/\r/g, '');
        return { value: { status: Number(m[1]), output }, consumed: m.index + m[0].length };
      },
      this.timeout(bytes),
      `the board to finish \`${cmd.slice(0, 40)}\``,
    );
  }

  /** Runs a command that must succeed; the board's own words go into the error. */
  async must(cmd: string, what: string, fix?: string): Promise<string> {
    const { status, output } = await this.run(cmd);
    if (status !== 0) {
      const said = output.trim().split('\n').filter(Boolean).pop()?.slice(0, 160) ?? '';
      throw new EtlsError(
        'device',
        `${what} failed on the board (exit ${status})${said ? `: ${said}` : ''}`,
        fix,
      );
    }
    return output;
  }

  /** Sends base64 lines into a heredoc, paced to the line rate. */
  async upload(tmp: string, f: PlannedFile, progress: TransferProgress): Promise<void> {
    const umask = f.kind === 'key' ? '077' : '022';
    await this.r.write(`(umask ${umask}; base64 -d > ${shellQuote(tmp)}) <<'${HEREDOC_END}'\r`);
    const b64 = Buffer.from(f.data).toString('base64');
    const rate = (this.ctx.baud / 10) * PACE;
    const start = this.ctx.clock.now();
    let sent = 0;
    for (let i = 0; i < b64.length; i += 76) {
      const line = b64.slice(i, i + 76) + '\r';
      await this.r.write(line);
      sent += line.length;
      progress.advance(Math.round((line.length - 1) * 0.75), f.remote);
      const ahead = (sent / rate) * 1000 - (this.ctx.clock.now() - start);
      if (ahead > 2) await sleep(ahead, this.ctx.cancel);
    }
    const { status, output } = await this.run(HEREDOC_END, b64.length, true);
    if (status !== 0) {
      throw new EtlsError(
        'device',
        `Writing ${tmp} failed on the board: ${output.trim().split('\n').pop() ?? ''}`,
        'Check that the folder exists and is writable',
      );
    }
  }
}

async function pushOne(
  sh: Shell,
  f: PlannedFile,
  ctx: PushContext,
  progress: TransferProgress,
): Promise<string> {
  const slash = f.remote.lastIndexOf('/');
  const dir = slash >= 0 ? f.remote.slice(0, slash) || '/' : '.';
  const tmp = `${dir === '/' ? '' : dir}/.${f.remote.slice(slash + 1)}.etls-${randomBytes(4).toString('hex')}.tmp`;
  const mode = f.kind === 'key' ? '600' : '644';
  for (let attempt = 1; ; attempt++) {
    try {
      await sh.upload(tmp, f, progress);
      const sum = /^([0-9a-f]{64})\b/m.exec(await sh.must(`sha256sum ${shellQuote(tmp)}`, 'sha256sum'))?.[1];
      if (sum !== f.sha256) {
        throw new EtlsError(
          'verify-failed',
          `${f.remote}: the board's SHA-256 differs from the local file`,
          'Push again at a lower baud rate',
        );
      }
      break;
    } catch (e) {
      // End a heredoc that may still be open, then drop the temporary file; the live file was never touched.
      await ctx.link
        .write(Buffer.from(`\r${HEREDOC_END}\rrm -f ${shellQuote(tmp)}\r`))
        .catch(() => undefined);
      if (!(e instanceof EtlsError && e.code === 'verify-failed') || attempt >= 2) throw e;
      ctx.logger.warn(`${e.message}; sending it again`);
    }
  }
  const out = await sh.must(
    `chmod ${mode} ${shellQuote(tmp)} && mv -f ${shellQuote(tmp)} ${shellPath(f.remote)} && sha256sum ${shellPath(f.remote)}`,
    `Moving the file into place as ${f.remote}`,
    'Check that the folder exists and is writable (sudo may be needed)',
  );
  if (/^([0-9a-f]{64})\b/m.exec(out)?.[1] !== f.sha256) {
    throw new EtlsError(
      'verify-failed',
      `${f.remote}: the file in place differs from the local file`,
      'Push again',
    );
  }
  return `sha256sum matches, mode ${mode}`;
}

export async function pushLinuxShell(plan: PushPlan, ctx: PushContext): Promise<PushReport> {
  const started = ctx.clock.now();
  const r = new LinkReader(ctx.link, ctx.cancel);
  const sh = new Shell(r, ctx);
  const progress = new TransferProgress(
    ctx.progress,
    ctx.clock,
    plan.totalBytes,
    (ctx.baud / 10) * 0.75 * PACE,
  );
  const files: PushedFile[] = [];
  try {
    await sh.attach();
    // Echo off so the upload is not sent back; history off so base64 of a key never lands in ~/.bash_history.
    await sh.run(`stty -echo; set +o history 2>/dev/null; ETLS_PS1="$PS1"; PS1=''; PS2=''`);
    await sh.must(
      'command -v base64 >/dev/null && command -v sha256sum >/dev/null',
      'Looking for base64 and sha256sum',
      'Install coreutils or busybox on the board',
    );
    for (const f of plan.files) {
      ctx.logger.info(`${f.local} → ${f.remote}: ${f.data.length} bytes`);
      const how = await pushOne(sh, f, ctx, progress);
      files.push(verifiedFile(f, how, ctx.logger));
    }
    await sh.run(`PS1="$ETLS_PS1"; stty echo; set -o history 2>/dev/null`).catch(() => undefined);
  } catch (e) {
    // Leave the console usable: end any open heredoc and turn echo back on, without waiting for replies.
    await ctx.link
      .write(Buffer.from(`\r${HEREDOC_END}\rPS1="$ETLS_PS1"; stty echo; set -o history\r`))
      .catch(() => undefined);
    throw e;
  } finally {
    r.dispose();
  }
  return { protocol: 'linux-shell', files, elapsedMs: ctx.clock.now() - started };
}
