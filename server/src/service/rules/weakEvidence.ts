import type { Rule } from './rule';
import { docsUrl } from './rule';
import { itemLabel } from './messages';
import type { Claim, ItemStatus, Lang } from '../types';

/**
 * The one-line explanation of a weak item's near-evidence: where it is and why it is not enough.
 * Shared by the finding and the hover.
 */
export function nearMessage(st: ItemStatus, lang: Lang, quote: string): string {
  const n = st.near!;
  const q = lang === 'ja' ? `「${quote}」` : `"${quote}"`;
  switch (n.reason) {
    case 'elsewhere': {
      const where = n.heading !== undefined ? (lang === 'ja' ? `「${n.heading}」` : `§ "${n.heading}"`) : lang === 'ja' ? '文書の別の箇所' : 'another part of the document';
      return lang === 'ja'
        ? `${where}で記述されています（${q}）。対象の節の外ですが、この項目の記述ですか？`
        : `addressed in ${where} (${q}), outside the claimed section?`;
    }
    case 'context':
      return lang === 'ja' ? `${q} はありますが、この項目の文脈（${contextWords(st, lang)}）がありません` : `${q} is there, but not in the item's sense (no ${contextWords(st, lang)} near it)`;
    case 'partial':
    default:
      return lang === 'ja' ? `用語「${n.term}」の一部（${q}）だけがあります` : `only part of the term "${n.term}" (${q}) is there`;
  }
}

function contextWords(st: ItemStatus, lang: Lang): string {
  const words = st.item.context?.[lang] ?? [];
  return words.slice(0, 4).join(lang === 'ja' ? '・' : ', ') || (lang === 'ja' ? '文脈語' : 'context word');
}

/**
 * weak-evidence: a claimed item with near-evidence only — part of a compound term, a term without
 * its context word, or evidence outside the claimed section. A hint, not a miss: it says where the
 * near-evidence is, and a quick fix cites the item there (which then counts as evidence).
 */
export const weakEvidence: Rule = {
  code: 'weak-evidence',
  description: {
    en: 'A claimed item has only near-evidence: part of a term, a term out of context, or text outside the claimed section.',
    ja: '引用した管理策の項目に、近い記述しかない（用語の一部、文脈の違う用語、対象の節の外の記述）。',
  },
  defaultSeverity: 'hint',
  docs: docsUrl('weak-evidence'),
  tags: ['coverage', 'evidence'],
  scope: 'document',
  check(ctx) {
    const byControl = new Map<string, Claim[]>();
    for (const c of ctx.model.claims) byControl.set(c.control, [...(byControl.get(c.control) ?? []), c]);
    const text = ctx.model.parsed.text;
    for (const [control, claims] of byControl) {
      const done = new Set<string>();
      // Addressed somewhere, or missing in some claim (then missing-item reports it): no hint.
      for (const claim of claims) for (const st of claim.items) if (st.addressed || st.notApplicable || st.status === 'missing') done.add(st.item.id);
      for (const claim of claims) {
        for (const st of claim.items) {
          if (st.status !== 'weak' || !st.near || done.has(st.item.id)) continue;
          done.add(st.item.id);
          const label = itemLabel(st.item, ctx.lang);
          const quote = sliceRange(text, ctx.model.parsed.lines, st.near.range);
          ctx.report({
            message: `${label} ${st.item.subject[ctx.lang]}: ${nearMessage(st, ctx.lang, quote)}`,
            range: claim.range,
            control,
            item: st.item.id,
            related: [{ range: st.near.range, message: ctx.lang === 'ja' ? `${label} に近い記述` : `near-evidence of ${label}` }],
            data: { level: st.item.level, reason: st.near.reason, nearOffset: ctx.model.parsed.lines.offsetAt(st.near.range.start) },
          });
        }
      }
    }
  },
};

function sliceRange(text: string, lines: { offsetAt(p: { line: number; character: number }): number }, r: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  const s = text.slice(lines.offsetAt(r.start), lines.offsetAt(r.end)).replace(/\s+/g, ' ').trim();
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
