import type { Rule, RuleContext } from './rule';
import { docsUrl } from './rule';
import type { Via } from '../types';

/** The message for an id written in another edition's numbering that the edition does not have. */
function otherEditionMessage(via: Via, raw: string, ctx: RuleContext): string {
  const ja = ctx.lang === 'ja';
  if (via.edition === '27011:2024') {
    const known = ctx.catalog.editions.tel2024().map((c) => c.id).join(', ');
    return ja
      ? `${raw}: ISO/IEC 27011:2024 の TEL 管理策番号としては不明です（公開情報で番号が確認できるのは ${known} のみ）。X.1051:2016 の番号（TEL.18.1.6 など）で引用してください`
      : `${raw}: not a known ISO/IEC 27011:2024 TEL control number (only ${known} is known from a public source); cite it by its X.1051:2016 number (such as TEL.18.1.6)`;
  }
  return ja
    ? `管理策 ${raw} は ISO/IEC 27002:2022 にも 27002:2013 にもありません（2022 年版は 5.1–5.37、6.1–6.8、7.1–7.14、8.1–8.34）`
    : `Unknown control ${raw}: in neither ISO/IEC 27002:2022 (5.1–5.37, 6.1–6.8, 7.1–7.14, 8.1–8.34) nor 27002:2013`;
}

/**
 * unknown-control: a citation of a control or item that the catalogue does not have. The
 * did-you-mean candidates go into `data.candidates` for the quick fix.
 */
export const unknownControl: Rule = {
  code: 'unknown-control',
  description: {
    en: 'A cited control or item id is not in the X.1051 catalogue (a typo, or an id from another edition).',
    ja: '引用された管理策・項目の ID が X.1051 のカタログにない（誤記、または別の版の ID）。',
  },
  defaultSeverity: 'error',
  docs: docsUrl('unknown-control'),
  tags: ['citation'],
  scope: 'document',
  check(ctx) {
    const ja = ctx.lang === 'ja';
    for (const c of ctx.model.citations) {
      if (c.control) continue;
      if (c.via) {
        // Another edition's id: known ones that map from nothing (5.7) are fine.
        if (c.via.known) continue;
        ctx.report({ message: otherEditionMessage(c.via, c.raw, ctx), range: c.range, data: { candidates: [], written: c.raw } });
        continue;
      }
      const controlPart = c.normalized.replace(/[[(].*$/, '');
      const itemPart = c.normalized.slice(controlPart.length);
      const candidates = ctx.catalog.didYouMean(c.normalized, 3, 'controls');
      const what = ctx.catalog.control(controlPart)
        ? ja
          ? `${controlPart} に項目 ${itemPart} はありません`
          : `${controlPart} has no item ${itemPart}`
        : ja
          ? `管理策 ${c.raw} はカタログにありません`
          : `Unknown control ${c.raw}`;
      const hint = candidates.length === 0 ? '' : ja ? `。もしかして: ${candidates.join(', ')}` : `; did you mean ${candidates.join(', ')}?`;
      ctx.report({ message: what + hint, range: c.range, data: { candidates, written: c.raw } });
    }
  },
};
