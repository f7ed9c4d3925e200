/**
 * The parts of GitHub Flavored Markdown a policy check reads, as micromark syntax extensions:
 * tables (rows and cells are blocks of their own), footnotes (a footnote's text is prose of the
 * policy, and a `[^1]: …` line must not be read as a link definition), strikethrough and task
 * list items (so that `~~` and `[ ]` are markup, not words). remark-gfm adds autolink literals
 * too: they turn a bare URL into a link whose text is the URL itself, which changes nothing the
 * checks see, and they cost a tokenizer hook at every `w`, `h` and `@` plus a pass over every
 * text node — about a tenth of the parse of a long policy (docs/performance.md).
 */
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import type { Extension } from 'micromark-util-types';

/**
 * The GFM subset's micromark extensions but tables, which the parser adds only where a table
 * may be (`markdownEvents.ts`).
 */
export function gfmSubsetSyntax(): Extension[] {
  return [gfmFootnote(), gfmStrikethrough(), gfmTaskListItem()];
}

/** GFM tables. */
export function gfmTableSyntax(): Extension {
  return gfmTable();
}
