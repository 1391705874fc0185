// Push certificates and keys to a board over a serial link: plan (convert), execute, verify.
import { EtlsError } from '../errors';
import { pushEtlsFrame } from './etlsFrame';
import { pushLinuxShell } from './linuxShell';
import { pushSimpleLink } from './simplelinkAt';
import { pushNinaRoots, pushWincRoots } from './arduinoModules';
import { isModuleProtocol } from './moduleRoots';
import { checkRemoteName } from './remoteName';
import { pushBudgetMs, pushDeadline } from './deadline';
import type { PushContext, PushPlan, PushReport } from './types';

export * from './types';
export { planPush, classify } from './convert';
export { explainSimpleLinkError, SimpleLinkAtError } from './simplelinkErrors';
export { identifyBoard, identifyPorts, describePort } from './boards';
export type { SerialPortInfo, IdentifiedPort, BoardGuess } from './boards';
export { formatBytes } from './progress';
export { rootsFromFiles, planModuleRoots, isModuleProtocol, type ModuleProtocol } from './moduleRoots';
export { pushToFolder, folderNameProblem, type FolderPushOptions, type FolderPushReport } from './folder';
export { pushBudgetMs } from './deadline';
export { checkRemoteName, remoteNameProblem, printableName } from './remoteName';

/** Sends every file in the plan and resolves only once the board has proved it holds each one. */
export async function executePush(plan: PushPlan, ctx: PushContext): Promise<PushReport> {
  if (!Number.isFinite(ctx.baud) || ctx.baud < 300) {
    throw new EtlsError(
      'invalid-argument',
      `Baud rate ${ctx.baud} is not usable`,
      'Use the rate the board runs at, e.g. 115200',
    );
  }
  // Again here, for a plan not made by planPush: nothing reaches the board with a control character in a name.
  if (!isModuleProtocol(plan.protocol)) for (const f of plan.files) checkRemoteName(f.remote, f.local);
  ctx.logger.info(
    `push: ${plan.files.length} file(s), ${plan.totalBytes} bytes over ${plan.protocol} at ${ctx.baud} baud`,
  );
  const deadline = pushDeadline(ctx.cancel, pushBudgetMs(plan, ctx));
  const bounded: PushContext = { ...ctx, cancel: deadline };
  try {
    switch (plan.protocol) {
      case 'simplelink-at':
        return await pushSimpleLink(plan, bounded);
      case 'linux-shell':
        return await pushLinuxShell(plan, bounded);
      case 'etls-frame':
        return await pushEtlsFrame(plan, bounded);
      case 'wifinina-roots':
        return await pushNinaRoots(plan, bounded);
      case 'wifi101-roots':
        return await pushWincRoots(plan, bounded);
    }
  } catch (e) {
    // The engines stop on the deadline as on a cancellation (cleaning up the same way); say which it was.
    if (deadline.expired && e instanceof EtlsError && e.code === 'cancelled') throw deadline.timeoutError();
    throw e;
  } finally {
    deadline.dispose();
  }
}
export { suggestProtocol, defaultRemoteName, remoteFromProfile } from './defaults';
