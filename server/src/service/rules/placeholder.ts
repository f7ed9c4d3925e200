import type { Rule } from './rule';
import { docsUrl } from './rule';
import { findPlaceholders } from '../wording';

/**
 * placeholder: template remnants — `[Company Name]`, `<組織名>`, `○○`, `TBD`, `TODO`, `XXX`,
 * `{{ … }}`, `{% … %}`, lorem ipsum — in prose, headings or front-matter values. Code (fenced
 * or inline) and HTML comments are not read.
 */
export const placeholder: Rule = {
  code: 'placeholder',
  description: {
    en: 'A template remnant ([Company Name], TBD, TODO, {{ … }}) shows the policy was never finished.',
    ja: '［会社名］、○○、TBD、TODO、{{ … }} などのひな形の残りは、ポリシーが未完成であることを示す。',
  },
  defaultSeverity: 'warning',
  docs: docsUrl('placeholder'),
  tags: ['hygiene'],
  scope: 'document',
  check(ctx) {
    const { parsed } = ctx.model;
    const report = (start: number, end: number) => {
      const written = parsed.text.slice(start, end);
      ctx.report({
        message: ctx.lang === 'ja' ? `ひな形の記入欄「${written}」が残っています` : `Template placeholder "${written}" was never filled in`,
        range: parsed.lines.range(start, end),
        data: { placeholder: written },
      });
    };
    for (const block of parsed.blocks) {
      // The source slice, not the prose text: `<Company Name>` parses as inline HTML and is
      // blanked in the prose; spans inside inline code are dropped below.
      const src = parsed.text.slice(block.start, block.end);
      for (const hit of findPlaceholders(src)) {
        const s = block.start + hit.start;
        const e = block.start + hit.end;
        if (insideInlineCode(src, hit.start) || insideComment(parsed.comments, s)) continue;
        report(s, e);
      }
    }
    const fm = parsed.frontMatter;
    if (fm) {
      // Values only: a key such as `todo:` is the author's structure, not a remnant.
      const re = /^(\s*[^:#\n]+:\s*)(.*)$/gm;
      for (const line of fm.value.matchAll(re)) {
        const valueStart = fm.valueStart + line.index! + line[1].length;
        for (const hit of findPlaceholders(line[2])) report(valueStart + hit.start, valueStart + hit.end);
      }
    }
  },
};

/** Whether offset `at` of a block's source lies inside an inline code span (odd backtick runs before it on its line). */
function insideInlineCode(src: string, at: number): boolean {
  const lineStart = src.lastIndexOf('\n', at - 1) + 1;
  const before = src.slice(lineStart, at);
  return ((before.match(/`+/g) ?? []).length & 1) === 1;
}

function insideComment(comments: ReadonlyArray<{ start: number; end: number }>, at: number): boolean {
  return comments.some((c) => at >= c.start && at < c.end);
}
