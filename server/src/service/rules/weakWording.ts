import type { Rule } from './rule';
import { docsUrl } from './rule';
import { inBlockquote, insideSpan, quotedSpans } from './prose';
import { WeakWordingMatcher, weakPhrases } from '../wording';
import type { ResolvedConfig } from '../config';
import { rangeContains } from '../text';

/** One compiled list per configuration object (configs are immutable once resolved). */
const matchers = new WeakMap<ResolvedConfig, WeakWordingMatcher>();

function matcherFor(config: ResolvedConfig): WeakWordingMatcher {
  let m = matchers.get(config);
  if (!m) {
    m = new WeakWordingMatcher(weakPhrases(config.weakWording?.add, config.weakWording?.remove));
    matchers.set(config, m);
  }
  return m;
}

/**
 * weak-wording: hedged or optional wording ("should", "where possible", 「望ましい」, 「努める」)
 * in a policy's statements, which turns a requirement into a wish. Quotations are exempt:
 * blockquotes (such as the control text x1051 inserts) and text in quotation marks. Inside a
 * claimed section the severity is `weakWording.inClaimedSections` when the config sets it.
 */
export const weakWording: Rule = {
  code: 'weak-wording',
  description: {
    en: 'Hedged or optional wording ("should", "may", "where possible") makes a requirement optional.',
    ja: '「望ましい」「努める」「可能な限り」などの弱い表現は、要求事項を任意のものにしてしまう。',
  },
  defaultSeverity: 'information',
  docs: docsUrl('weak-wording'),
  tags: ['hygiene', 'wording'],
  scope: 'document',
  check(ctx) {
    const { parsed } = ctx.model;
    const matcher = matcherFor(ctx.config);
    const claimed = ctx.config.weakWording?.inClaimedSections;
    for (const block of parsed.blocks) {
      if (block.kind === 'heading' || inBlockquote(parsed, block)) continue;
      const hits = matcher.scan(block.text);
      if (hits.length === 0) continue;
      const quotes = quotedSpans(block.text);
      for (const hit of hits) {
        if (insideSpan(quotes, hit.start, hit.end)) continue;
        const range = parsed.lines.range(block.start + hit.start, block.start + hit.end);
        const written = block.text.slice(hit.start, hit.end);
        const inClaim = claimed !== undefined && ctx.model.claims.some((c) => rangeContains(c.section, range.start));
        const replacement = hit.entry.replacement;
        ctx.report({
          severity: inClaim ? claimed : undefined,
          message:
            ctx.lang === 'ja'
              ? `「${written}」は要求事項を任意にする弱い表現です${replacement ? `（例: 「${replacement}」）` : ''}`
              : `"${written}" makes this requirement optional${replacement ? ` (say "${replacement}")` : ''}`,
          range,
          data: { phrase: hit.entry.phrase, ...(replacement ? { replacement } : {}) },
        });
      }
    }
  },
};
