/**
 * The registry of diagnostic rules, in a fixed order (the order of SARIF's `tool.driver.rules`
 * and of the documentation). To add a rule: write `rules/<name>.ts` exporting a `Rule`, list it
 * here, add its code to `RuleCode` in `types.ts`, and write `docs/rules/<code>.md`.
 */
import type { Rule } from './rule';
import { missingItem } from './missingItem';
import { unknownControl } from './unknownControl';
import { uncoveredControl } from './uncoveredControl';
import { unclaimedTopic } from './unclaimedTopic';
import { invalidFrontMatter } from './invalidFrontMatter';
import { invalidConfig } from './invalidConfig';
import { invalidDirective } from './invalidDirective';
import { documentTooLarge } from './documentTooLarge';
import { suspiciousId } from './suspiciousId';
import { weakWording } from './weakWording';
import { placeholder } from './placeholder';
import { documentMetadata } from './documentMetadata';
import { reviewOverdue } from './reviewOverdue';
import { supersededReference } from './supersededReference';
import { ambiguousEdition } from './ambiguousEdition';
import { documentTooComplex } from './documentTooComplex';
import { fileEncoding } from './fileEncoding';
import { unfilledStub } from './unfilledStub';
import { weakEvidence } from './weakEvidence';
import type { RuleCode } from '../types';

export type { Rule, RuleContext } from './rule';
export { docsUrl, DOCS_BASE } from './rule';
export { LEVEL_SEVERITY } from './missingItem';
export { itemLabel } from './messages';

/** Every rule. */
export const RULES: readonly Rule[] = [
  missingItem,
  unfilledStub,
  weakEvidence,
  unknownControl,
  suspiciousId,
  uncoveredControl,
  unclaimedTopic,
  invalidFrontMatter,
  invalidConfig,
  invalidDirective,
  documentTooLarge,
  weakWording,
  placeholder,
  documentMetadata,
  reviewOverdue,
  supersededReference,
  ambiguousEdition,
  documentTooComplex,
  fileEncoding,
];

const BY_CODE = new Map<RuleCode, Rule>(RULES.map((r) => [r.code, r]));

/** The rule with this code. */
export function ruleByCode(code: RuleCode): Rule | undefined {
  return BY_CODE.get(code);
}
