import type { Rule } from './rule';
import { docsUrl } from './rule';

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
      const controlPart = c.normalized.replace(/[[(].*$/, '');
      const itemPart = c.normalized.slice(controlPart.length);
      const candidates = ctx.catalog.didYouMean(c.normalized);
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
