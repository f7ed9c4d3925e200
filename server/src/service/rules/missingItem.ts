import type { Rule, RuleContext } from './rule';
import { describeMapping } from '../../../../catalog/src/editions';
import { docsUrl } from './rule';
import { itemLabel } from './messages';
import type { Claim, Item, ItemLevel, Lang, RelatedInformation, Severity } from '../types';
import type { ResolvedConfig, SeverityOrOff } from '../config';

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
 *
 * Each missing **required** item is its own finding. A claim's missing recommended and
 * informative items, when there are several, are folded into one finding that lists them
 * (`data.items`, and one `related` entry per item), so a heading missing ten guidelines gets one
 * line, not ten; a single one is reported as itself.
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
    /** One finding for one item, on the claim. */
    const report = (claim: Claim, item: Item) => {
      const label = itemLabel(item, ctx.lang);
      const subject = item.subject[ctx.lang];
      ctx.report({
        severity: LEVEL_SEVERITY[item.level],
        message: (ctx.lang === 'ja' ? `${label} ${subject} が記述されていません` : `${label} ${subject} is not addressed`) + viaNote(claim, ctx),
        range: claim.range,
        control: claim.control,
        item: item.id,
        data: { level: item.level, claim: claim.how },
      });
    };
    for (const [control, claims] of byControl) {
      const done = new Set<string>();
      for (const claim of claims) for (const st of claim.items) if (st.addressed || st.notApplicable) done.add(st.item.id);
      const reported = new Set<string>();
      for (const claim of claims) {
        const folded: Item[] = [];
        for (const st of claim.items) {
          const id = st.item.id;
          // A weak item is a weak-evidence hint, not a miss (unless another claim misses it).
          if (st.status === 'weak' || done.has(id) || reported.has(id)) continue;
          reported.add(id);
          if (st.item.level !== 'required') {
            folded.push(st.item);
            continue;
          }
          report(claim, st.item);
        }
        // One missing recommended or informative item is reported as itself; several are folded.
        if (folded.length === 1) report(claim, folded[0]);
        else {
          const fold = foldedFinding(control, claim, folded, ctx.config, ctx.lang);
          if (fold) ctx.report({ ...fold, message: fold.message + viaNote(claim, ctx) });
        }
      }
    }
  },
};

/**
 * The one finding for a claim's missing recommended and informative items, or undefined when
 * none is left after the level settings (`levels: {informative: off}`). Its severity is the most
 * severe of its items' levels (each: the level's setting, else the rule's, else the level's
 * default), so the finding is already resolved: `applySeverity` leaves it as it is.
 */
function foldedFinding(control: string, claim: Claim, items: Item[], config: ResolvedConfig, lang: Lang) {
  const levelSeverity = (level: ItemLevel): SeverityOrOff => config.severity.levels[level] ?? config.severity.rules['missing-item'] ?? LEVEL_SEVERITY[level];
  const kept = items.filter((i) => levelSeverity(i.level) !== 'off');
  if (kept.length === 0) return undefined;
  const severity = kept.map((i) => levelSeverity(i.level) as Severity).reduce((a, b) => (severityRank(b) > severityRank(a) ? b : a));
  const levels = [...new Set(kept.map((i) => i.level))];
  const top: ItemLevel = levels.includes('recommended') ? 'recommended' : 'informative';
  // Under the claim the control id is implied: "guideline a)", not "TEL.18.1.6 guideline a)".
  const short = (i: Item) => itemLabel(i, lang).slice(control.length + 1);
  const related: RelatedInformation[] = kept.map((i) => ({
    range: claim.range,
    message: `${itemLabel(i, lang)} ${i.subject[lang]} (${LEVEL_WORDS[i.level][lang]})`,
  }));
  const what = levels.map((l) => LEVEL_WORDS[l][lang]).join(lang === 'ja' ? '・' : ' and ');
  const message =
    lang === 'ja'
      ? `${control} の${what}の項目 ${kept.length} 件が記述されていません：${kept.map(short).join('、')}`
      : `${kept.length} ${what} item${kept.length === 1 ? '' : 's'} of ${control} ${kept.length === 1 ? 'is' : 'are'} not addressed: ${kept.map(short).join(', ')}`;
  return {
    severity,
    message,
    range: claim.range,
    control,
    related,
    data: { level: top, claim: claim.how, items: kept.map((i) => i.id), folded: true, resolved: true },
  };
}

/** Severity order, error highest (features/diagnostics has the same; imported there from rules). */
const RANK: Record<Severity, number> = { error: 3, warning: 2, information: 1, hint: 0 };
const severityRank = (s: Severity): number => RANK[s];

const LEVEL_WORDS: Record<ItemLevel, { ja: string; en: string }> = {
  required: { ja: '必須', en: 'required' },
  recommended: { ja: '推奨', en: 'recommended' },
  informative: { ja: '参考', en: 'informative' },
};
