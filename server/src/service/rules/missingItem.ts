import type { Rule, RuleContext } from './rule';
import { describeMapping } from '../../../../catalog/src/editions';
import { docsUrl } from './rule';
import { itemLabel } from './messages';
import type { Claim, ItemLevel, Severity } from '../types';

/**
 * " (cited as 8.32 Change management ← 12.1.2, 14.2.2–14.2.4)" for a claim made through another
 * edition's id, so that the message names both numbers; "" otherwise.
 */
export function viaNote(claim: Claim, ctx: RuleContext): string {
  if (!claim.via) return '';
  const ed = ctx.catalog.editions;
  const c = claim.via.edition === '27002:2022' ? ed.control2022(claim.via.id) : ed.controlTel2024(claim.via.id);
  if (!c) return '';
  return ctx.lang === 'ja' ? `（${describeMapping(c, 'ja')} として引用）` : ` (cited as ${describeMapping(c, 'en')})`;
}

/** Default severity of a missing item by the level of its list. */
export const LEVEL_SEVERITY: Record<ItemLevel, Severity> = {
  required: 'warning',
  recommended: 'information',
  informative: 'hint',
};

/**
 * missing-item: a claimed control's item that the claimed section does not address.
 *
 * Reported once per document and item, on the first claim (in document order) that covers the
 * item, and only when no claim of the control in the document addresses it or marks it not
 * applicable — a policy may spread one control over several sections.
 */
export const missingItem: Rule = {
  code: 'missing-item',
  description: {
    en: 'A section claims a control (by citing it in its heading or front matter) but does not address one of its items.',
    ja: '見出しやフロントマターで管理策を引用した節が、その管理策の項目の一つを記述していない。',
  },
  defaultSeverity: 'warning',
  docs: docsUrl('missing-item'),
  tags: ['coverage', 'evidence'],
  scope: 'document',
  check(ctx) {
    const byControl = new Map<string, Claim[]>();
    for (const c of ctx.model.claims) {
      const list = byControl.get(c.control) ?? [];
      list.push(c);
      byControl.set(c.control, list);
    }
    for (const [control, claims] of byControl) {
      const done = new Set<string>();
      for (const claim of claims) for (const st of claim.items) if (st.addressed || st.notApplicable) done.add(st.item.id);
      const reported = new Set<string>();
      for (const claim of claims) {
        for (const st of claim.items) {
          const id = st.item.id;
          if (done.has(id) || reported.has(id)) continue;
          reported.add(id);
          const label = itemLabel(st.item, ctx.lang);
          const subject = st.item.subject[ctx.lang];
          const via = viaNote(claim, ctx);
          ctx.report({
            severity: LEVEL_SEVERITY[st.item.level],
            message: (ctx.lang === 'ja' ? `${label} ${subject} が記述されていません` : `${label} ${subject} is not addressed`) + via,
            range: claim.range,
            control,
            item: id,
            data: { level: st.item.level, claim: claim.how },
          });
        }
      }
    }
  },
};
