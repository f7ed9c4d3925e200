/**
 * The reference for `server/src/service/markdownEvents.ts`: the tree walk x1051 used until
 * 2026-12-05, which compiled micromark's events into an mdast tree (remark-parse, remark-frontmatter
 * and the GFM subset's mdast extensions) and read the blocks from the tree. The event reader must
 * give exactly what this gives; `test/hardening/markdownEvents.test.ts` compares them.
 */
import { unified, type Processor } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import type { FrontMatter, HeadingInfo, HtmlComment, ProseBlock } from '../../server/src/service/markdown';
// The end-of-text check is shared: what the reference checks is which node is last.
import { endsOpen } from '../../server/src/service/markdownEvents';

/** Adds the GFM subset's syntax and tree builders to a remark processor. */
export function remarkGfmSubset(this: Processor): void {
  const data = this.data() as { micromarkExtensions?: unknown[]; fromMarkdownExtensions?: unknown[] };
  (data.micromarkExtensions ??= []).push(gfmFootnote(), gfmStrikethrough(), gfmTable(), gfmTaskListItem());
  (data.fromMarkdownExtensions ??= []).push(gfmFootnoteFromMarkdown(), gfmStrikethroughFromMarkdown(), gfmTableFromMarkdown(), gfmTaskListItemFromMarkdown());
}

/** What one micromark run yields, with offsets relative to the text it was given. */
export interface CoreParse {
  headings: HeadingInfo[];
  blocks: ProseBlock[];
  comments: HtmlComment[];
  frontMatter?: FrontMatter;
  /** The text ends inside a fenced code block or an HTML block of types 1–5. */
  openAtEnd: boolean;
}

interface MdNode {
  type: string;
  depth?: number;
  value?: string;
  children?: MdNode[];
  position?: { start: { offset?: number }; end: { offset?: number } };
}

let processor: Processor | undefined;

function getProcessor(): Processor {
  // One processor for the process: building it is the costly part, parsing is reentrant.
  processor ??= unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfmSubset) as unknown as Processor;
  return processor;
}

/**
 * Parses one text with a single micromark run: headings (their `sectionEnd` still unset), prose
 * blocks, comments, front matter, and whether the text ends inside a fenced code block or an
 * HTML block of types 1–5 (which a following chunk would have continued).
 */
export function parseWithMdast(text: string): CoreParse {
  // micromark drops a leading BOM and counts offsets without it; we shift them back.
  const shift = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const tree = getProcessor().parse(shift ? text.slice(1) : text) as unknown as MdNode;
  const off = (n: MdNode, which: 'start' | 'end'): number => (n.position?.[which].offset ?? 0) + shift;

  const result: CoreParse = { headings: [], blocks: [], comments: [], openAtEnd: false };

  const addBlock = (node: MdNode, kind: ProseBlock['kind'], leadIn?: number): number => {
    const start = off(node, 'start');
    const end = off(node, 'end');
    const chars: string[] = [];
    const src = text.slice(start, end);
    for (let i = 0; i < src.length; i++) {
      const c = src[i];
      chars.push(c === '\n' || c === '\r' ? c : ' ');
    }
    const keep = (n: MdNode) => {
      if (n.type === 'text') {
        const s = off(n, 'start') - start;
        const e = off(n, 'end') - start;
        for (let i = Math.max(0, s); i < Math.min(e, chars.length); i++) chars[i] = src[i];
        return;
      }
      if (n.type === 'inlineCode' || n.type === 'html' || n.type === 'image' || n.type === 'imageReference') {
        if (n.type === 'html') collectComments(n);
        return;
      }
      for (const c of n.children ?? []) keep(c);
    };
    keep(node);
    const block: ProseBlock = { kind, start, end, text: chars.join(''), rendered: renderInline(node, text, shift) };
    if (leadIn !== undefined) block.leadIn = leadIn;
    result.blocks.push(block);
    return result.blocks.length - 1;
  };

  const collectComments = (n: MdNode) => {
    const start = off(n, 'start');
    const src = text.slice(start, off(n, 'end'));
    // indexOf, not a lazy regular expression: with many "<!--" and no "-->" the regex retried
    // from every opener to the end (quadratic); without a closer there is no further comment.
    for (let open = src.indexOf('<!--'); open >= 0; ) {
      const close = src.indexOf('-->', open + 4);
      if (close < 0) break;
      result.comments.push({ start: start + open, end: start + close + 3, body: src.slice(open + 4, close) });
      open = src.indexOf('<!--', close + 3);
    }
  };

  // Walks a container's children. A list or table right after a paragraph is led in by that
  // paragraph; otherwise it keeps the lead-in of its container (a nested list in an item whose
  // paragraph comes first is led in by that paragraph).
  const walkChildren = (n: MdNode, topLevel: boolean, leadIn: number | undefined) => {
    let prevParagraph: number | undefined;
    for (const c of n.children ?? []) {
      const before = result.blocks.length;
      const own = (c.type === 'list' || c.type === 'table') && prevParagraph !== undefined ? prevParagraph : leadIn;
      walk(c, topLevel, own);
      prevParagraph = c.type === 'paragraph' && result.blocks.length > before ? before : undefined;
    }
  };

  const walk = (n: MdNode, topLevel: boolean, leadIn: number | undefined) => {
    switch (n.type) {
      case 'yaml': {
        if (result.frontMatter) return;
        const start = off(n, 'start');
        const end = off(n, 'end');
        const firstBreak = text.slice(start, end).search(/\r\n|\r|\n/);
        const valueStart = firstBreak < 0 ? end : start + firstBreak + (text.startsWith('\r\n', start + firstBreak) ? 2 : 1);
        result.frontMatter = { start, end, value: n.value ?? '', valueStart };
        return;
      }
      case 'heading': {
        const b = addBlock(n, 'heading');
        if (topLevel) {
          const h: HeadingInfo = {
            depth: n.depth ?? 1,
            start: off(n, 'start'),
            end: off(n, 'end'),
            sectionEnd: text.length,
            block: b,
            // Display text: the rendered text (markup and escapes gone), spaces collapsed.
            text: result.blocks[b].rendered.text.replace(/\s+/g, ' ').trim(),
          };
          result.blocks[b].heading = result.headings.length;
          result.headings.push(h);
        }
        return;
      }
      case 'paragraph':
        addBlock(n, 'paragraph', leadIn);
        return;
      case 'tableRow':
        addBlock(n, 'table-row', leadIn);
        return;
      case 'table': {
        // The header row names the columns ("Kept for", "保存期間"), so it leads in every body
        // row; the header itself is led in by the paragraph before the table.
        const rows = n.children ?? [];
        if (rows.length === 0) return;
        const header = addBlock(rows[0], 'table-row', leadIn);
        for (const r of rows.slice(1)) addBlock(r, 'table-row', header);
        return;
      }
      case 'html':
        collectComments(n);
        return;
      case 'code':
        return;
      default:
        walkChildren(n, false, leadIn);
    }
  };
  walkChildren(tree, true, undefined);
  result.comments.sort((a, b) => a.start - b.start);
  const last = tree.children?.[tree.children.length - 1];
  if (last) result.openAtEnd = endsOpen(last.type === 'code' ? 'codeFenced' : last.type === 'html' ? 'htmlFlow' : last.type, text.slice(off(last, 'start'), off(last, 'end')));
  return result;
}

/**
 * A link whose whole source is `[n](label)`: the list part of a stable item id written right
 * after a control (`TEL.18.1.6[2](c)`), which Markdown reads as a link to "c".
 */
const LIST_ID_LINK = /^\[[1-9]\]\([a-z]\)$|^\[[1-9]\]\([1-9][0-9]?\)$/u;

/** Renders a block's inline content to text with an offset map (see `ProseBlock.rendered`). */
function renderInline(node: MdNode, text: string, shift: number): { text: string; map: number[] } {
  const out: string[] = [];
  const map: number[] = [];
  const off = (n: MdNode, which: 'start' | 'end'): number => (n.position?.[which].offset ?? 0) + shift;
  const emit = (s: string, at: number) => {
    for (let k = 0; k < s.length; k++) {
      out.push(s[k]);
      map.push(at);
    }
  };
  // Emits a text node's value aligned with its source: escapes and entities make the value
  // shorter than its source, so each value character is matched to the next equal source
  // character within a short window, else mapped to the current position.
  const emitText = (n: MdNode) => {
    const value = n.value ?? '';
    const s = off(n, 'start');
    const e = off(n, 'end');
    let j = s;
    for (let k = 0; k < value.length; k++) {
      const ch = value[k];
      let at = j;
      for (let w = j; w < e && w < j + 12; w++) {
        if (text[w] === ch) {
          at = w;
          break;
        }
      }
      out.push(ch);
      map.push(Math.min(at, Math.max(s, e - 1)));
      j = Math.min(at + 1, e);
    }
  };
  const visit = (n: MdNode, first: boolean) => {
    switch (n.type) {
      case 'text':
        emitText(n);
        return;
      case 'inlineCode':
      case 'html':
      case 'image':
      case 'imageReference':
      case 'footnoteReference':
        emit(' ', off(n, 'start'));
        return;
      case 'break':
        emit('\n', off(n, 'start'));
        return;
      case 'link': {
        const s = off(n, 'start');
        const src = text.slice(s, off(n, 'end'));
        if (LIST_ID_LINK.test(src)) {
          for (let k = 0; k < src.length; k++) emit(src[k], s + k);
          return;
        }
        break;
      }
      case 'tableCell':
        // Cells never run into each other: a cell ending in an id and the next starting with
        // "e)" are two things, not an item citation.
        if (!first) emit('\n', off(n, 'start'));
        break;
    }
    (n.children ?? []).forEach((c, i) => visit(c, i === 0));
  };
  (node.children ?? []).forEach((c, i) => visit(c, i === 0));
  map.push(off(node, 'end'));
  return { text: out.join(''), map };
}
