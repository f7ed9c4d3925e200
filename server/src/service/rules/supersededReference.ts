import type { Rule } from './rule';
import { docsUrl } from './rule';
import { SUPERSEDED } from '../wording';

/**
 * superseded-reference: a withdrawn edition of a standard named in prose (ISO/IEC 27001:2013,
 * JIS Q 27001:2014; ISO/IEC 27002:2013 and JIS Q 27002:2014 when the document is read in 2022
 * numbering), with the edition that replaced it.
 */
/** A number every withdrawn edition in SUPERSEDED contains (checked before its patterns). */
const MENTIONS_STANDARD = /2700[12]|17799/;

export const supersededReference: Rule = {
  code: 'superseded-reference',
  description: {
    en: 'The policy names a withdrawn edition of a standard (e.g. ISO/IEC 27001:2013).',
    ja: '廃止された版の規格（ISO/IEC 27001:2013 など）を参照している。',
  },
  defaultSeverity: 'information',
  docs: docsUrl('superseded-reference'),
  tags: ['hygiene', 'references'],
  scope: 'document',
  check(ctx) {
    const { parsed } = ctx.model;
    const edition = ctx.model.edition?.edition ?? (ctx.config.edition === '2022' ? '2022' : undefined);
    for (const block of parsed.blocks) {
      // Every edition named has one of these numbers: most blocks are passed over at once.
      if (!MENTIONS_STANDARD.test(block.text)) continue;
      for (const ed of SUPERSEDED) {
        if (ed.when === '2022' && edition !== '2022') continue;
        for (const m of block.text.matchAll(ed.pattern)) {
          ctx.report({
            message:
              ctx.lang === 'ja'
                ? `${ed.name} は廃止された版です。現行版は ${ed.current} です`
                : `${ed.name} is withdrawn; the current edition is ${ed.current}`,
            range: parsed.lines.range(block.start + m.index!, block.start + m.index! + m[0].length),
            data: { superseded: ed.name, current: ed.current },
          });
        }
      }
    }
  },
};
