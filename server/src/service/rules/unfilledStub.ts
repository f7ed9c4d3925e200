import type { Rule } from './rule';
import { docsUrl } from './rule';
import { itemLabel } from './messages';
import { findStubs } from '../stubs';

/**
 * unfilled-stub: a stub inserted by a quick fix (`<!-- x1051-stub <item>: … -->`) whose paragraph
 * still holds nothing but its label. One finding per stub, with the item's `control` and `item`.
 * A stub is never evidence (see stubs.ts), so its item also stays a `missing-item` until written;
 * this finding points at the place to write it, so a file of stubs keeps CI red item by item.
 */
export const unfilledStub: Rule = {
  code: 'unfilled-stub',
  description: {
    en: 'A stub inserted by a quick fix was never written: the item it names is still not addressed.',
    ja: 'クイックフィックスで挿入した記述欄がまだ記入されていない（その項目は記述されていない）。',
  },
  defaultSeverity: 'warning',
  docs: docsUrl('unfilled-stub'),
  tags: ['coverage', 'evidence'],
  scope: 'document',
  check(ctx) {
    const { parsed } = ctx.model;
    const ja = ctx.lang === 'ja';
    for (const stub of findStubs(parsed)) {
      if (stub.filled) continue;
      const item = ctx.catalog.item(stub.item);
      const name = item ? `${itemLabel(item, ctx.lang)} ${item.subject[ctx.lang]}` : stub.item;
      ctx.report({
        message: ja
          ? `${name} の記述欄が未記入です。記述欄の後にこの項目をどう実施するかを書いてください`
          : `The stub for ${name} is not written yet: write after its label how the policy addresses it`,
        range: parsed.lines.range(stub.blockStart, stub.blockEnd),
        ...(item ? { control: item.control, item: item.id } : {}),
        data: { stub: stub.item },
      });
    }
  },
};
