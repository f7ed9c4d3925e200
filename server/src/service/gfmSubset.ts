/**
 * The parts of GitHub Flavored Markdown a policy check reads, as a unified plugin: tables (rows
 * and cells are blocks of their own), footnotes (a footnote's text is prose of the policy, and a
 * `[^1]: …` line must not be read as a link definition), strikethrough and task list items (so
 * that `~~` and `[ ]` are markup, not words). remark-gfm adds autolink literals too: they turn a
 * bare URL into a link whose text is the URL itself, which changes nothing the checks see, and
 * they cost a tokenizer hook at every `w`, `h` and `@` plus a pass over every text node — about a
 * tenth of the parse of a long policy (docs/performance.md).
 */
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import type { Processor } from 'unified';

/** Adds the GFM subset's syntax and tree builders to a remark processor. */
export function remarkGfmSubset(this: Processor): void {
  const data = this.data() as { micromarkExtensions?: unknown[]; fromMarkdownExtensions?: unknown[] };
  (data.micromarkExtensions ??= []).push(gfmFootnote(), gfmStrikethrough(), gfmTable(), gfmTaskListItem());
  (data.fromMarkdownExtensions ??= []).push(gfmFootnoteFromMarkdown(), gfmStrikethroughFromMarkdown(), gfmTableFromMarkdown(), gfmTaskListItemFromMarkdown());
}
