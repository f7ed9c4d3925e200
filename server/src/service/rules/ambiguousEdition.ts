import type { Rule } from './rule';
import { docsUrl } from './rule';

/**
 * ambiguous-edition: an id such as `A.5.1` that is both an ISO/IEC 27002:2013 objective and an
 * ISO/IEC 27002:2022 control, in a document whose edition is `auto` and cannot be inferred from
 * its other citations. The id claims nothing until the edition is set.
 */
export const ambiguousEdition: Rule = {
  code: 'ambiguous-edition',
  description: {
    en: 'An id means different things in ISO/IEC 27002:2013 and 2022 (A.5.1), and the document\'s edition cannot be told.',
    ja: 'ISO/IEC 27002 の 2013 年版と 2022 年版で意味が異なる ID（A.5.1 など）で、文書の版が判断できない。',
  },
  defaultSeverity: 'hint',
  docs: docsUrl('ambiguous-edition'),
  tags: ['citation', 'edition'],
  scope: 'document',
  check(ctx) {
    const ja = ctx.lang === 'ja';
    for (const a of ctx.model.ambiguousIds) {
      const objective = ctx.catalog.objective(a.number);
      const control = ctx.catalog.editions.control2022(a.number);
      if (!objective || !control) continue;
      const lang = ctx.lang;
      ctx.report({
        message: ja
          ? `${a.raw} は 2013 年版では管理目的 ${a.number} ${objective.title.ja}、2022 年版では管理策 ${a.number} ${control.title.ja} です。どちらか判断できないため、何も引用していない扱いです。フロントマターか .x1051.yaml に edition: 2022 または edition: 2013 を書いてください`
          : `${a.raw} is objective ${a.number} ${objective.title.en} in ISO/IEC 27002:2013 and control ${a.number} ${control.title.en} in 2022; the document's edition cannot be told, so it claims nothing. Write edition: 2022 (or 2013) in the front matter or .x1051.yaml`,
        range: a.range,
        data: { number: a.number, lang },
      });
    }
  },
};
