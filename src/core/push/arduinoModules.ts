// Writes root certificates into an Arduino Wi-Fi module through the FirmwareUploader programmer sketch:
// HELLO, payload size, (with merge: read the current store), ERASE, WRITE blocks, then proof. WiFiNINA
// proves with the module's MD5 (its sketch cannot READ); WiFi101 by reading every byte back.
import { EtlsError } from '../errors';
import { LinkReader } from './link';
import {
  dropDuplicates,
  ninaArea,
  parseNinaArea,
  parseWincStore,
  rootFromWincEntry,
  wincFormatOf,
  wincEntry,
  wincStore,
  NINA_ROOTS_ADDRESS,
  NINA_ROOTS_SIZE,
  WINC_ROOTS_ADDRESS,
  WINC_ROOTS_SIZE,
  type WincFormat,
} from './moduleRoots';
import { hex, md5, Programmer } from './programmer';
import { TransferProgress } from './progress';
import type { ModuleRoot, PushContext, PushPlan, PushReport, PushedFile } from './types';

function replaced(module: string, roots: ModuleRoot[], logger: PushContext['logger']): void {
  logger.warn(
    `this replaces every root certificate on the ${module} module (Arduino's defaults included) with the ${roots.length} given; sketches can then reach only servers whose chain ends in one of them (--merge keeps the current roots)`,
  );
}

/** Writes `data` at `address` in payload-sized blocks; a refused block stops the push with what it means. */
async function writeBlocks(
  p: Programmer,
  address: number,
  data: Buffer,
  progress: TransferProgress,
  module: string,
  label: string,
): Promise<void> {
  const block = p.maxPayload;
  const blocks = Math.ceil(data.length / block);
  for (let i = 0; i < blocks; i++) {
    const chunk = data.subarray(i * block, (i + 1) * block);
    const at = address + i * block;
    const a = await p.write(at, chunk);
    if (a !== 'OK')
      throw new EtlsError(
        'device',
        `The programmer refused block ${i + 1} of ${blocks} (${chunk.length} bytes at 0x${hex(at)}${a === 'ER' ? ', it answered ER' : ', its answer was garbled'}); the ${module} root store is now incomplete and the module may trust no server until a push succeeds`,
        'Reset the board, check that the FirmwareUpdater sketch runs, and push again',
      );
    progress.advance(chunk.length, label);
  }
}

async function session(
  ctx: PushContext,
  module: 'wifinina' | 'wifi101',
): Promise<{ reader: LinkReader; p: Programmer }> {
  const reader = new LinkReader(ctx.link, ctx.cancel);
  const p = new Programmer(reader, ctx, module);
  try {
    await p.hello();
    const max = await p.readMaxPayload();
    ctx.logger.info(`programmer: FirmwareUpdater sketch answers, ${max}-byte blocks`);
    return { reader, p };
  } catch (e) {
    reader.dispose();
    throw e;
  }
}

function summary(roots: ModuleRoot[]): { subject: string; sha256: string }[] {
  return roots.map((r) => ({ subject: r.subject, sha256: r.sha256 }));
}

function report(
  plan: PushPlan,
  roots: ModuleRoot[],
  how: string,
  started: number,
  ctx: PushContext,
): PushReport {
  const files: PushedFile[] = plan.files.map((f) => ({
    local: f.local,
    remote: f.remote,
    bytes: f.data.length,
    sha256: f.sha256,
    verifiedBy: how,
  }));
  ctx.logger.info(`root store: ${roots.length} root(s), verified, ${how}`);
  return {
    protocol: plan.protocol,
    files,
    elapsedMs: ctx.clock.now() - started,
    moduleRoots: summary(roots),
  };
}

export async function pushNinaRoots(plan: PushPlan, ctx: PushContext): Promise<PushReport> {
  const started = ctx.clock.now();
  const { reader, p } = await session(ctx, 'wifinina');
  try {
    let roots = plan.roots ?? [];
    if (ctx.merge) {
      const current = await p.read(NINA_ROOTS_ADDRESS, Math.min(p.maxPayload, NINA_ROOTS_SIZE));
      if (!current)
        throw new EtlsError(
          'unsupported',
          'The WiFiNINA FirmwareUpdater sketch cannot read the module (it answers ER to READ), so the current roots cannot be kept with --merge; nothing was written',
          "Name the roots to keep as files: Arduino's defaults are nina-fw's data/roots.pem (https://github.com/arduino/nina-fw/blob/master/data/roots.pem); etls drops duplicates",
        );
      const parts = [current];
      // Read on until the NUL that ends the PEM text.
      for (let at = current.length; parts[parts.length - 1]!.indexOf(0) < 0 && at < NINA_ROOTS_SIZE;) {
        const more = await p.read(NINA_ROOTS_ADDRESS + at, Math.min(p.maxPayload, NINA_ROOTS_SIZE - at));
        if (!more) break;
        parts.push(more);
        at += more.length;
      }
      const onModule = parseNinaArea(Buffer.concat(parts));
      const { kept, dropped } = dropDuplicates([...onModule, ...roots]);
      ctx.logger.info(
        `merge: ${onModule.length} root(s) on the module, ${roots.length} given, ${dropped.length} duplicate(s) dropped`,
      );
      roots = kept;
    } else replaced('WiFiNINA', roots, ctx.logger);
    const area = ninaArea(roots, p.maxPayload);
    const progress = new TransferProgress(ctx.progress, ctx.clock, area.length, ctx.baud / 10 / 1.05);
    progress.note(`erasing ${area.length} bytes at 0x${hex(NINA_ROOTS_ADDRESS)}`);
    await p.erase(NINA_ROOTS_ADDRESS, area.length);
    await writeBlocks(p, NINA_ROOTS_ADDRESS, area, progress, 'WiFiNINA', 'root store');
    const theirs = await p.md5(NINA_ROOTS_ADDRESS, area.length);
    if (!theirs.equals(md5(area)))
      throw new EtlsError(
        'verify-failed',
        `The module's MD5 of the ${area.length} bytes at 0x${hex(NINA_ROOTS_ADDRESS)} differs from what was sent: the root store is damaged`,
        'Push again; if it fails again, reset the board and upload the FirmwareUpdater sketch again',
      );
    return report(
      plan,
      roots,
      `MD5 of ${area.length} bytes at 0x${hex(NINA_ROOTS_ADDRESS)} matches`,
      started,
      ctx,
    );
  } finally {
    reader.dispose();
  }
}

export async function pushWincRoots(plan: PushPlan, ctx: PushContext): Promise<PushReport> {
  const started = ctx.clock.now();
  const { reader, p } = await session(ctx, 'wifi101');
  try {
    let roots = plan.roots ?? [];
    const head = await p.read(WINC_ROOTS_ADDRESS, ctx.merge ? Math.min(p.maxPayload, WINC_ROOTS_SIZE) : 16);
    if (!head)
      throw new EtlsError(
        'device',
        'The programmer refused to read the WINC1500 root store, so its format is unknown; nothing was written',
        'Reset the board, upload the WiFi101 FirmwareUpdater sketch again and push again',
      );
    const seen = wincFormatOf(head);
    if (seen === undefined) parseWincStore(head); // throws the unknown-pattern error
    let format: WincFormat = seen === 'v0' ? 'v0' : 'v1';
    if (seen === 'erased')
      ctx.logger.warn('the root store is empty (erased); writing the format of firmware 19.5 and later');
    if (ctx.merge) {
      const parts = [head];
      for (let at = head.length; at < WINC_ROOTS_SIZE;) {
        const more = await p.read(WINC_ROOTS_ADDRESS + at, Math.min(p.maxPayload, WINC_ROOTS_SIZE - at));
        if (!more) throw new EtlsError('device', 'The programmer stopped reading the WINC1500 root store');
        parts.push(more);
        at += more.length;
      }
      const store = parseWincStore(Buffer.concat(parts));
      if (store.format !== 'erased') format = store.format;
      const onModule = store.entries.map((e) => rootFromWincEntry(e, format));
      // Entries are compared as stored: encode the given roots the same way first.
      const given = roots.map((r) => ({ ...r, wincEntry: wincEntry(r, format) }));
      const { kept, dropped } = dropDuplicates([...onModule, ...given]);
      ctx.logger.info(
        `merge: ${onModule.length} root(s) on the module, ${roots.length} given, ${dropped.length} duplicate(s) dropped`,
      );
      roots = kept;
    } else replaced('WiFi101', roots, ctx.logger);
    const store = wincStore(roots, format);
    const progress = new TransferProgress(ctx.progress, ctx.clock, store.length * 2, ctx.baud / 10 / 1.05);
    progress.note(`erasing the root store at 0x${hex(WINC_ROOTS_ADDRESS)}`);
    await p.erase(WINC_ROOTS_ADDRESS, WINC_ROOTS_SIZE);
    await writeBlocks(p, WINC_ROOTS_ADDRESS, store, progress, 'WiFi101', 'root store');
    const back: Buffer[] = [];
    for (let at = 0; at < store.length; at += p.maxPayload) {
      const n = Math.min(p.maxPayload, store.length - at);
      const got = await p.read(WINC_ROOTS_ADDRESS + at, n);
      if (!got)
        throw new EtlsError(
          'verify-failed',
          'The programmer refused to read back what was written; the root store is not verified',
          'Push again',
        );
      back.push(got);
      progress.advance(n, 'read-back');
    }
    if (!Buffer.concat(back).equals(store))
      throw new EtlsError(
        'verify-failed',
        `The ${store.length} bytes read back from 0x${hex(WINC_ROOTS_ADDRESS)} differ from what was written: the root store is damaged`,
        'Push again; if it fails again, reset the board and upload the FirmwareUpdater sketch again',
      );
    return report(
      plan,
      roots,
      `read back ${store.length} bytes at 0x${hex(WINC_ROOTS_ADDRESS)}, ${format} format`,
      started,
      ctx,
    );
  } finally {
    reader.dispose();
  }
}
