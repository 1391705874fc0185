// The synchronous rules, in the order their findings are most useful to read.
import type { RuleContext } from '../context';
import { chainRule, caNotCaRule } from './chain';
import { cloudRule } from './cloud';
import { headerRule, problemsRule, profileFilesRule } from './files';
import { keyMatchRule, rsaSizeRule, weakSignatureRule } from './keys';
import { hostNameRule } from './names';
import { pushNamesRule } from './push';
import { targetRule } from './target';
import { keyUsageRule } from './usage';
import { validityRule } from './validity';

export const syncRules: Array<(ctx: RuleContext) => void> = [
  problemsRule,
  profileFilesRule,
  validityRule,
  keyMatchRule,
  rsaSizeRule,
  weakSignatureRule,
  chainRule,
  caNotCaRule,
  hostNameRule,
  keyUsageRule,
  targetRule,
  cloudRule,
  headerRule,
  pushNamesRule,
];
