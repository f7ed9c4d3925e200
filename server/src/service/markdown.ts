/**
 * Markdown structure: unified + remark-parse + remark-frontmatter (YAML) + remark-gfm, reduced to
 * what the policy checks need — headings and their sections, prose blocks, HTML comments and the
 * front matter — with offsets into the text exactly as given (a leading byte-order mark included).
 *
 * Prose blocks keep the author's offsets: a block's `text` is its source slice with everything
 * that is not prose (Markdown markup, inline code, inline HTML, link targets) blanked to spaces,
 * so an offset into `text` plus `start` is an offset into the document. Code blocks, inline code
 * and HTML comments therefore neither cite nor address anything.
 */
import { unified, type Processor } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import { LineIndex } from './text';

/** A top-level heading and the section it opens. */
export interface HeadingInfo {
  /** 1–6. */
  depth: number;
  /** Offsets of the whole heading (markers and setext underline included). */
  start: number;
  end: number;
  /** Where its section ends: the next heading of the same or a higher level, or the text's end. */
  sectionEnd: number;
  /** Index of its prose block in `blocks`. */
  block: number;
  /** The heading's plain text (markup and backslash escapes removed, spaces collapsed). */
  text: string;
}

/** A unit of prose: a paragraph, a heading, or a table row. Sentences never span blocks. */
export interface ProseBlock {
  kind: 'paragraph' | 'heading' | 'table-row';
  start: number;
  end: number;
  /** Source slice with non-prose blanked (same length as `end - start`). */
  text: string;
  /** Index into `headings` when this block is a top-level heading. */
  heading?: number;
}

/** An HTML comment (block or inline), where directives live. */
export interface HtmlComment {
  start: number;
  end: number;
  /** The text between `<!--` and `-->`. */
  body: string;
}

/** The YAML front matter. */
export interface FrontMatter {
  start: number;
  end: number;
  /** The YAML between the fences, and its offset in the document. */
  value: string;
  valueStart: number;
}

/** A parsed document. */
export interface ParsedMarkdown {
  text: string;
  lines: LineIndex;
  headings: HeadingInfo[];
  blocks: ProseBlock[];
  comments: HtmlComment[];
  frontMatter?: FrontMatter;
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
  processor ??= unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm) as unknown as Processor;
  return processor;
}

/** Parses Markdown text into headings, prose blocks, comments and front matter. */
export function parseMarkdown(text: string): ParsedMarkdown {
  // micromark drops a leading BOM and counts offsets without it; we shift them back.
  const shift = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const tree = getProcessor().parse(shift ? text.slice(1) : text) as unknown as MdNode;
  const off = (n: MdNode, which: 'start' | 'end'): number => (n.position?.[which].offset ?? 0) + shift;

  const result: ParsedMarkdown = { text, lines: new LineIndex(text), headings: [], blocks: [], comments: [] };

  const addBlock = (node: MdNode, kind: ProseBlock['kind']): number => {
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
    result.blocks.push({ kind, start, end, text: chars.join('') });
    return result.blocks.length - 1;
  };

  const collectComments = (n: MdNode) => {
    const start = off(n, 'start');
    const src = text.slice(start, off(n, 'end'));
    const re = /<!--([\s\S]*?)-->/g;
    for (let m = re.exec(src); m; m = re.exec(src)) {
      result.comments.push({ start: start + m.index, end: start + m.index + m[0].length, body: m[1] });
    }
  };

  const walk = (n: MdNode, topLevel: boolean) => {
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
            // Display text: spaces collapsed, backslash escapes resolved.
            text: result.blocks[b].text.replace(/\s+/g, ' ').trim().replace(/\\([!-/:-@[-`{-~])/g, '$1'),
          };
          result.blocks[b].heading = result.headings.length;
          result.headings.push(h);
        }
        return;
      }
      case 'paragraph':
        addBlock(n, 'paragraph');
        return;
      case 'tableRow':
        addBlock(n, 'table-row');
        return;
      case 'html':
        collectComments(n);
        return;
      case 'code':
        return;
      default:
        for (const c of n.children ?? []) walk(c, false);
    }
  };
  for (const c of tree.children ?? []) walk(c, true);

  // Sections: a heading's section runs to the next heading of the same or a higher level.
  // A stack of open sections keeps this linear in the number of headings.
  const open: HeadingInfo[] = [];
  for (const h of result.headings) {
    while (open.length > 0 && open[open.length - 1].depth >= h.depth) open.pop()!.sectionEnd = h.start;
    open.push(h);
  }
  result.comments.sort((a, b) => a.start - b.start);
  return result;
}
