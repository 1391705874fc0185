// Push certificates and keys to a board over a serial link: plan (convert), execute, verify.
import { EtlsError } from '../errors';
import { pushEtlsFrame } from './etlsFrame';
import { pushLinuxShell } from './linuxShell';
import { pushSimpleLink } from './simplelinkAt';
import { checkRemoteName } from './remoteName';
import type { PushContext, PushPlan, PushReport } from './types';

export * from './types';
export { planPush, classify } from './convert';
export { explainSimpleLinkError, SimpleLinkAtError } from './simplelinkErrors';
export { identifyBoard, identifyPorts, describePort } from './boards';
export type { SerialPortInfo, IdentifiedPort, BoardGuess } from './boards';
export { formatBytes } from './progress';
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
  for (const f of plan.files) checkRemoteName(f.remote, f.local);
  ctx.logger.info(
    `push: ${plan.files.length} file(s), ${plan.totalBytes} bytes over ${plan.protocol} at ${ctx.baud} baud`,
  );
  switch (plan.protocol) {
    case 'simplelink-at':
      return pushSimpleLink(plan, ctx);
    case 'linux-shell':
      return pushLinuxShell(plan, ctx);
    case 'etls-frame':
      return pushEtlsFrame(plan, ctx);
  }
}
export { suggestProtocol, defaultRemoteName, remoteFromProfile } from './defaults';
