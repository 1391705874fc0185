// Pushes files through a Linux board's serial console: find the shell (log in if asked), echo off,
// a paced base64 heredoc into a temporary file, sha256sum, then chmod and an atomic mv into place.
import { randomBytes } from 'node:crypto';
import { EtlsError } from '../errors';
import { LinkReader, sleep } from './link';
import { TransferProgress } from './progress';
import {
  CONSOLE_RESTORE,
  CONSOLE_SETUP,
  HEREDOC_END,
  lastWords,
  shellQuote,
  ShellConsole,
} from './shellConsole';
import {
  verifiedFile,
  type PlannedFile,
  type PushContext,
  type PushPlan,
  type PushReport,
  type PushedFile,
} from './types';

export { shellQuote } from './shellConsole';

/** Upload pace as a share of the line rate: a console has no flow control, so leave it some slack. */
const PACE = 0.9;

/** A path as one shell word that no command takes for an option (a name may start with "-"). */
function shellPath(p: string): string {
  return shellQuote(p.startsWith('-') ? `./${p}` : p);
}

/** Sends base64 lines into a heredoc, paced to the line rate. */
async function upload(
  sh: ShellConsole,
  ctx: PushContext,
  tmp: string,
  f: PlannedFile,
  progress: TransferProgress,
): Promise<void> {
  const umask = f.kind === 'key' ? '077' : '022';
  sh.tmp = tmp;
  await sh.send(`(umask ${umask}; base64 -d > ${shellQuote(tmp)}) <<'${HEREDOC_END}'`);
  const b64 = Buffer.from(f.data).toString('base64');
  const rate = (ctx.baud / 10) * PACE;
  const start = ctx.clock.now();
  let sent = 0;
  for (let i = 0; i < b64.length; i += 76) {
    const line = b64.slice(i, i + 76);
    await sh.send(line);
    sent += line.length + 1;
    progress.advance(Math.round(line.length * 0.75), f.remote);
    const ahead = (sent / rate) * 1000 - (ctx.clock.now() - start);
    if (ahead > 2) await sleep(ahead, ctx.cancel);
  }
  const { status, output } = await sh.run(HEREDOC_END, b64.length, true);
  if (status !== 0) {
    throw new EtlsError(
      'device',
      `Writing ${tmp} failed on the board: ${lastWords(output) || `exit ${status}`}`,
      'Check that the folder exists and is writable',
    );
  }
}

async function pushOne(
  sh: ShellConsole,
  f: PlannedFile,
  ctx: PushContext,
  progress: TransferProgress,
): Promise<string> {
  const slash = f.remote.lastIndexOf('/');
  const dir = slash >= 0 ? f.remote.slice(0, slash) || '/' : '.';
  const stem = `${dir === '/' ? '' : dir}/.${f.remote.slice(slash + 1)}.etls-`;
  const tmp = `${stem}${randomBytes(4).toString('hex')}.tmp`;
  const mode = f.kind === 'key' ? '600' : '644';
  // Temporary files of this name that a push killed outright (power, kill -9) left behind.
  await sh.run(`rm -f ${shellQuote(stem)}${'[0-9a-f]'.repeat(8)}.tmp 2>/dev/null`);
  for (let attempt = 1; ; attempt++) {
    try {
      await upload(sh, ctx, tmp, f, progress);
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
      if (!(e instanceof EtlsError && e.code === 'verify-failed') || attempt >= 2) throw e;
      await sh.run(`rm -f ${shellQuote(tmp)}`);
      ctx.logger.warn(`${e.message}; sending it again`);
    }
  }
  const out = await sh.must(
    `chmod ${mode} ${shellQuote(tmp)} && mv -f ${shellQuote(tmp)} ${shellPath(f.remote)} && sha256sum ${shellPath(f.remote)}`,
    `Moving the file into place as ${f.remote}`,
    'Check that the folder exists and is writable (sudo may be needed)',
  );
  sh.tmp = undefined;
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
  const sh = new ShellConsole(r, ctx);
  const progress = new TransferProgress(
    ctx.progress,
    ctx.clock,
    plan.totalBytes,
    (ctx.baud / 10) * 0.75 * PACE,
  );
  const files: PushedFile[] = [];
  try {
    await sh.attach();
    await sh.run(CONSOLE_SETUP);
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
    await sh.run(CONSOLE_RESTORE).catch(() => undefined);
  } catch (e) {
    // Failed, cancelled or out of time: end an open heredoc, drop the temporary file, prompt and echo back.
    r.dispose();
    await sh.cleanup();
    throw e;
  } finally {
    r.dispose();
  }
  return { protocol: 'linux-shell', files, elapsedMs: ctx.clock.now() - started };
}
