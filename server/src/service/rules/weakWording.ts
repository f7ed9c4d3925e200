import type { Rule } from './rule';
import { docsUrl } from './rule';
import { inBlockquote, insideSpan, quotedSpans } from './prose';
import { WeakWordingMatcher, weakPhrases } from '../wording';
import type { ResolvedConfig } from '../config';
import { rangeContains } from '../text';
import { keepRecent } from '../recent';

/**
 * One compiled list per list of phrases, as text: an analysis worker receives a new copy of the
 * same configuration with every document. The few most recent lists are kept.
 */
const matchers = new Map<string, WeakWordingMatcher>();
const KEPT_MATCHERS = 8;

/** The configuration's phrase list as text (its additions and removals). */
function phrasesKey(config: ResolvedConfig): string {
  return JSON.stringify([config.weakWording?.add ?? null, config.weakWording?.remove ?? null]);
}

function matcherFor(config: ResolvedConfig, key: string): WeakWordingMatcher {
  let m = matchers.get(key);
  if (!m) {
    m = new WeakWordingMatcher(weakPhrases(config.weakWording?.add, config.weakWording?.remove));
    keepRecent(matchers, key, m, KEPT_MATCHERS);
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
    const key = phrasesKey(ctx.config);
    const matcher = matcherFor(ctx.config, key);
    const claimed = ctx.config.weakWording?.inClaimedSections;
    // The phrases come from the configuration: a block's hits are remembered per list of phrases.
    const kind = `weak-wording:${key}`;
    const unquoted = (text: string) => {
      const hits = matcher.scan(text);
      if (hits.length === 0) return hits;
      const quotes = quotedSpans(text);
      return hits.filter((hit) => !insideSpan(quotes, hit.start, hit.end));
    };
    for (const block of parsed.blocks) {
      if (block.kind === 'heading' || inBlockquote(parsed, block)) continue;
      for (const hit of ctx.memo(kind, block.text, unquoted)) {
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
