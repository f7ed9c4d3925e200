/**
 * One micromark run turned straight into what the checks read — headings, prose blocks, HTML
 * comments, front matter — without building an mdast tree first.
 *
 * Why not remark's tree: micromark (remark-parse's tokenizer) is the parser either way, but
 * compiling its events into mdast took about a quarter of a parse's time (0.75 of 2.75 s over
 * the bench's 1,000 policies), for nodes that were read once and thrown away
 * (docs/performance.md). This module reads the same events and yields exactly what the tree
 * walk yielded: the blocks, offsets, rendered text and lead-ins are compared with the tree walk
 * (kept as the reference in `test/helpers/mdastBlocks.ts`) on every Markdown file of the
 * repository and on random Markdown (`test/hardening/markdownEvents.test.ts`). Where the tree's rules are not obvious
 * from the events, the comment says which mdast behaviour is followed.
 */
import { parse, postprocess, preprocess } from 'micromark';
import type { Construct, Event, Extension, Token, TokenizeContext } from 'micromark-util-types';
import { frontmatter } from 'micromark-extension-frontmatter';
import { decodeNamedCharacterReference } from 'decode-named-character-reference';
import { decodeNumericCharacterReference } from 'micromark-util-decode-numeric-character-reference';
import { gfmSubsetSyntax, gfmTableSyntax } from './gfmSubset';
import type { FrontMatter, HeadingInfo, HtmlComment, ProseBlock } from './markdown';

/** What one micromark run yields, with offsets relative to the text it was given. */
export interface EventParse {
  /** The top-level headings (their `sectionEnd` is set by the caller). */
  headings: HeadingInfo[];
  blocks: ProseBlock[];
  comments: HtmlComment[];
  frontMatter?: FrontMatter;
  /** The text ends inside a fenced code block or an HTML block of types 1–5. */
  openAtEnd: boolean;
}

/**
 * Lines (1-based, as micromark counts them) where a table row may start in the text being parsed,
 * or undefined when no line can: see `tableLines`. Parsing is synchronous, so one variable serves.
 */
let tableRows: Uint8Array | undefined;

/**
 * GFM's table construct is tried at the start of every line of every paragraph, and most of
 * those tries parse the whole line as a possible header row before they fail on the next line:
 * a third of micromark's time on policies (docs/performance.md). A table needs a delimiter row
 * (cells of `-` with a `|` or `:` somewhere), so this wrapper lets it try only on the lines of a
 * possible table — from the line above a possible delimiter row to the next blank line — and
 * fails at once elsewhere, where it would have failed anyway.
 */
function guardedTable(): Construct {
  const table = (gfmTableSyntax().flow as Record<string, Construct>)['null'];
  return {
    name: table.name,
    resolveAll: table.resolveAll,
    tokenize(this: TokenizeContext, effects, ok, nok) {
      const self = this;
      const start = table.tokenize.call(this, effects, ok, nok);
      return (code) => (tableRows !== undefined && tableRows[self.now().line] === 1 ? start(code) : nok(code));
    },
  };
}

/** Internal counters, for tests only. */
export const markdownEventsInternals = {
  /** Lines marked by the last `tableLines` (each line is marked at most once). */
  tableLineMarks: 0,
};

/**
 * The lines where a table row may start (see `guardedTable`), or undefined if none may.
 *
 * One pass over the characters, no regular expression: a line may be a delimiter row when, after
 * its container prefixes (spaces, tabs, `>`), it holds only `|`, `:`, `-`, spaces and tabs, with a
 * `-` and a `|` or `:` (without one of those it is a thematic break or a setext underline). A
 * pattern written for this backtracked on long lines of `- ` (seconds per line), and marking each
 * candidate's lines to the next blank line was quadratic on a run of candidates: a region stops
 * where an earlier one already marked, so each line is marked once.
 */
function tableLines(text: string): Uint8Array | undefined {
  // Per line: 0 other, 1 blank, 2 a possible delimiter row. micromark counts "\r\n", "\r" and
  // "\n" each as one line ending, and so does this.
  const kinds: number[] = [];
  let any = false;
  const n = text.length;
  for (let i = 0; ; ) {
    let blank = true;
    let prefix = true;
    let ok = true;
    let dash = false;
    let mark = false;
    let j = i;
    for (; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === 10 || c === 13) break;
      if (c === 32 || c === 9) continue;
      blank = false;
      if (!ok) continue;
      if (prefix && c === 62 /* > */) continue;
      prefix = false;
      if (c === 45 /* - */) dash = true;
      else if (c === 124 /* | */ || c === 58 /* : */) mark = true;
      else ok = false;
    }
    const kind = blank ? 1 : ok && dash && mark ? 2 : 0;
    kinds.push(kind);
    if (kind === 2) any = true;
    if (j >= n) break;
    i = j + (text.charCodeAt(j) === 13 && text.charCodeAt(j + 1) === 10 ? 2 : 1);
  }
  markdownEventsInternals.tableLineMarks = 0;
  if (!any) return undefined;
  // mask[line] for 1-based lines: the line above a possible delimiter row (its header), the row,
  // and the lines after it up to the next blank line (its body).
  const mask = new Uint8Array(kinds.length + 2);
  for (let line = 1; line <= kinds.length; line++) {
    if (kinds[line - 1] !== 2) continue;
    if (line > 1 && mask[line - 1] !== 1) {
      mask[line - 1] = 1;
      markdownEventsInternals.tableLineMarks++;
    }
    for (let l = line; l <= kinds.length && kinds[l - 1] !== 1 && mask[l] !== 1; l++) {
      mask[l] = 1;
      markdownEventsInternals.tableLineMarks++;
    }
  }
  return mask;
}

let withTable: Extension[] | undefined;
let withoutTable: Extension[] | undefined;

/** The syntax extensions: YAML front matter and the GFM subset policies use. */
function syntax(tables: boolean): Extension[] {
  // The order of remark-gfm (footnotes, strikethrough, tables, task list items).
  const [footnote, strikethrough, taskList] = gfmSubsetSyntax();
  if (tables) return (withTable ??= [frontmatter(['yaml']), footnote, strikethrough, { flow: { null: [guardedTable()] } } as Extension, taskList]);
  return (withoutTable ??= [frontmatter(['yaml']), footnote, strikethrough, taskList]);
}

/**
 * A link whose whole source is `[n](label)`: the list part of a stable item id written right
 * after a control (`TEL.18.1.6[2](c)`), which Markdown reads as a link to "c".
 */
const LIST_ID_LINK = /^\[[1-9]\]\([a-z]\)$|^\[[1-9]\]\([1-9][0-9]?\)$/u;

/** A flow container: the root, a block quote, a list, a list item or a footnote definition. */
interface Container {
  kind: 'root' | 'quote' | 'list' | 'item';
  /** The block that leads in what this container holds (see `ProseBlock.leadIn`). */
  leadIn: number | undefined;
  /** The block of the paragraph just before the current child, if the previous child was one. */
  prev: number | undefined;
  /** For a list item: whether a paragraph was seen in it yet. */
  hadParagraph: boolean;
}

/** Tokens that open an inline node: entering or leaving one ends the text run before it. */
const INLINE_NODES = new Set(['emphasis', 'strong', 'strikethrough', 'link', 'autolink', 'tableData', 'tableHeader']);

/** Inline tokens read as one space and skipped whole (their contents are not prose). */
const OPAQUE = new Set(['codeText', 'htmlText', 'image', 'gfmFootnoteCall']);

/** Parses `text` (a byte-order mark allowed) with one micromark run. */
export function parseEvents(text: string): EventParse {
  // micromark drops a leading BOM and counts offsets without it; they are shifted back.
  const shift = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const body = shift ? text.slice(1) : text;
  tableRows = tableLines(body);
  let events: Event[];
  try {
    events = postprocess(parse({ extensions: syntax(tableRows !== undefined) }).document().write(preprocess()(body, undefined, true)));
  } finally {
    tableRows = undefined;
  }
  const startOf = (t: Token): number => t.start.offset + shift;
  const endOf = (t: Token): number => t.end.offset + shift;

  const result: EventParse = { headings: [], blocks: [], comments: [], openAtEnd: false };

  /** Index of the exit event of the token entered at `i`. */
  const exitOf = (i: number): number => {
    const token = events[i][1];
    let j = i + 1;
    while (events[j][1] !== token) j++;
    return j;
  };

  const collectComments = (start: number, end: number): void => {
    const src = text.slice(start, end);
    // indexOf, not a lazy regular expression: with many "<!--" and no "-->" the regex retried
    // from every opener to the end (quadratic); without a closer there is no further comment.
    for (let open = src.indexOf('<!--'); open >= 0; ) {
      const close = src.indexOf('-->', open + 4);
      if (close < 0) break;
      result.comments.push({ start: start + open, end: start + close + 3, body: src.slice(open + 4, close) });
      open = src.indexOf('<!--', close + 3);
    }
  };

  /**
   * Builds the block of a paragraph, heading or table row from the events `from`..`to`
   * (exclusive) that hold its inline content, and returns its index.
   *
   * The text runs are mdast's text nodes: a run goes on across data, character escapes and
   * references and line endings (with the line prefixes between them), and ends where an inline
   * node (emphasis, link, code, break…) starts or ends. `text` keeps the source of the runs and
   * blanks the rest; `rendered` is the runs' values, with inline code, HTML, images and
   * footnote calls read as one space, breaks as a line break and each table cell after the first
   * on a line of its own (see `ProseBlock.rendered`).
   */
  const addBlock = (kind: ProseBlock['kind'], start: number, end: number, from: number, to: number, leadIn: number | undefined, task: boolean): number => {
    const keeps: number[] = [];
    let out = '';
    const map: number[] = [];
    let runStart = -1;
    let runEnd = -1;
    let runValue = '';
    let firstChild: 'run' | 'node' | undefined;
    let suppress = 0;
    let atHardBreak = false;
    let cells = 0;
    let blockStart = start;

    const emit = (s: string, offset: number): void => {
      out += s;
      for (let k = 0; k < s.length; k++) map.push(offset);
    };
    const closeRun = (): void => {
      if (runStart < 0) return;
      let s = runStart;
      let value = runValue;
      runStart = -1;
      runValue = '';
      // mdast's task list items: the space after `[ ]` is taken off the paragraph's first text,
      // which then starts one later, and so does the paragraph (or the text goes if empty).
      if (task) {
        task = false;
        value = value.slice(1);
        if (value.length === 0) return;
        s++;
        blockStart = s;
      }
      keeps.push(s, runEnd);
      if (suppress > 0) return;
      // A run's value aligned with its source: escapes and entities make the value shorter than
      // the source, so each value character is matched to the next equal source character within
      // a short window, else mapped to the current position.
      const e = runEnd;
      let j = s;
      for (let k = 0; k < value.length; k++) {
        const ch = value[k];
        let found = j;
        for (let w = j; w < e && w < j + 12; w++) {
          if (text[w] === ch) {
            found = w;
            break;
          }
        }
        map.push(Math.min(found, Math.max(s, e - 1)));
        j = Math.min(found + 1, e);
      }
      out += value;
    };
    const extend = (s: number, e: number, value: string): void => {
      if (runStart < 0) {
        runStart = s;
        firstChild ??= 'run';
      }
      runValue += value;
      runEnd = e;
    };
    const node = (): void => {
      closeRun();
      if (firstChild === undefined) {
        firstChild = 'node';
        // The paragraph's first child is not text: mdast leaves it as it is.
        task = false;
      }
    };

    for (let i = from; i < to; i++) {
      const [phase, token] = events[i];
      const type = token.type;
      if (phase === 'exit') {
        if (INLINE_NODES.has(type)) {
          closeRun();
          if (type === 'link' && suppress > 0 && LIST_ID_LINK.test(text.slice(startOf(token), endOf(token)))) suppress--;
        }
        continue;
      }
      switch (type) {
        case 'data':
        case 'autolinkProtocol':
        case 'autolinkEmail':
          extend(startOf(token), endOf(token), text.slice(startOf(token), endOf(token)));
          i++;
          break;
        case 'lineEnding':
          if (atHardBreak) atHardBreak = false;
          else extend(startOf(token), endOf(token), text.slice(startOf(token), endOf(token)));
          i++;
          break;
        case 'characterEscape': {
          const e = endOf(token);
          extend(startOf(token), e, text[e - 1]);
          i = exitOf(i);
          break;
        }
        case 'characterReference': {
          const s = startOf(token);
          const e = endOf(token);
          const src = text.slice(s + 1, e - 1);
          let value: string;
          if (src[0] === '#') value = src[1] === 'x' || src[1] === 'X' ? decodeNumericCharacterReference(src.slice(2), 16) : decodeNumericCharacterReference(src.slice(1), 10);
          else value = decodeNamedCharacterReference(src) || '';
          extend(s, e, value);
          i = exitOf(i);
          break;
        }
        case 'hardBreakEscape':
        case 'hardBreakTrailing':
          node();
          if (suppress === 0) emit('\n', startOf(token));
          atHardBreak = true;
          i = exitOf(i);
          break;
        case 'resource':
        case 'reference':
          // A link's destination, title or reference label: not text of the block.
          i = exitOf(i);
          break;
        case 'tableData':
        case 'tableHeader':
          node();
          // Cells never run into each other: a cell ending in an id and the next starting with
          // "e)" are two things, not an item citation.
          if (cells++ > 0 && suppress === 0) emit('\n', startOf(token));
          break;
        case 'link':
          node();
          if (LIST_ID_LINK.test(text.slice(startOf(token), endOf(token)))) {
            if (suppress === 0) for (let k = startOf(token); k < endOf(token); k++) emit(text[k], k);
            suppress++;
          }
          break;
        default:
          if (OPAQUE.has(type)) {
            node();
            if (suppress === 0) emit(' ', startOf(token));
            if (type === 'htmlText') collectComments(startOf(token), endOf(token));
            i = exitOf(i);
          } else if (INLINE_NODES.has(type)) node();
      }
    }
    closeRun();
    map.push(end);

    // The block's source with everything but the runs blanked (line breaks kept).
    let blanked = '';
    let pos = blockStart;
    for (let k = 0; k < keeps.length; k += 2) {
      const a = Math.max(keeps[k], pos);
      const b = Math.min(keeps[k + 1], end);
      if (a > pos) blanked += blank(text.slice(pos, a));
      if (b > a) blanked += text.slice(a, b);
      if (b > pos) pos = b;
    }
    if (pos < end) blanked += blank(text.slice(pos, end));

    const block: ProseBlock = { kind, start: blockStart, end, text: blanked, rendered: { text: out, map } };
    if (leadIn !== undefined) block.leadIn = leadIn;
    result.blocks.push(block);
    return result.blocks.length - 1;
  };

  const stack: Container[] = [{ kind: 'root', leadIn: undefined, prev: undefined, hadParagraph: false }];
  /** The last child of the root, for `openAtEnd`. */
  let last: { type: string; start: number; end: number } | undefined;

  for (let i = 0; i < events.length; i++) {
    const [phase, token] = events[i];
    // A string: front matter's token types are not in micromark's type map.
    const type: string = token.type;
    const top = stack[stack.length - 1];
    if (phase === 'exit') {
      if (type === 'listOrdered' || type === 'listUnordered') {
        if (top.kind === 'item') stack.pop();
        stack.pop();
      } else if (type === 'blockQuote' || type === 'gfmFootnoteDefinition') stack.pop();
      continue;
    }
    const atRoot = stack.length === 1;
    switch (type) {
      case 'yaml': {
        const j = exitOf(i);
        if (!result.frontMatter) {
          const start = startOf(token);
          const end = endOf(token);
          // mdast's value: the line endings and value lines between the fences, less the first
          // and the last line ending.
          let data = '';
          for (let k = i + 1; k < j; k++) {
            const [p, t] = events[k];
            if (p === 'enter' && (t.type === 'lineEnding' || (t.type as string) === 'yamlValue')) data += text.slice(startOf(t), endOf(t));
          }
          const firstBreak = text.slice(start, end).search(/\r\n|\r|\n/);
          const valueStart = firstBreak < 0 ? end : start + firstBreak + (text.startsWith('\r\n', start + firstBreak) ? 2 : 1);
          result.frontMatter = { start, end, value: data.replace(/^(\r?\n|\r)|(\r?\n|\r)$/g, ''), valueStart };
        }
        top.prev = undefined;
        if (atRoot) last = { type, start: startOf(token), end: endOf(token) };
        i = j;
        break;
      }
      case 'atxHeading':
      case 'setextHeading': {
        const j = exitOf(i);
        // The inline content is inside the heading text token (not the markers or underline).
        let from = j;
        let to = j;
        let depth = 1;
        for (let k = i + 1; k < j; k++) {
          const t = events[k][1];
          if (events[k][0] !== 'enter') continue;
          if (t.type === 'atxHeadingText' || t.type === 'setextHeadingText') {
            from = k + 1;
            to = exitOf(k);
            k = to;
          } else if (t.type === 'atxHeadingSequence' && from === j) depth = endOf(t) - startOf(t);
          else if (t.type === 'setextHeadingLineSequence') depth = text.charCodeAt(startOf(t)) === 61 /* = */ ? 1 : 2;
        }
        const start = startOf(token);
        const end = endOf(token);
        const b = addBlock('heading', start, end, from, to, undefined, false);
        if (atRoot) {
          result.blocks[b].heading = result.headings.length;
          result.headings.push({ depth, start, end, sectionEnd: text.length, block: b, text: result.blocks[b].rendered.text.replace(/\s+/g, ' ').trim() });
        }
        top.prev = undefined;
        if (atRoot) last = { type, start, end };
        i = j;
        break;
      }
      case 'paragraph': {
        const j = exitOf(i);
        const task = top.kind === 'item' && !top.hadParagraph && events[i + 1]?.[1].type === 'taskListCheck';
        if (top.kind === 'item') top.hadParagraph = true;
        top.prev = addBlock('paragraph', startOf(token), endOf(token), i + 1, j, top.leadIn, task);
        if (atRoot) last = { type, start: startOf(token), end: endOf(token) };
        i = j;
        break;
      }
      case 'listOrdered':
      case 'listUnordered': {
        const own = top.prev !== undefined ? top.prev : top.leadIn;
        top.prev = undefined;
        if (atRoot) last = { type, start: startOf(token), end: endOf(token) };
        stack.push({ kind: 'list', leadIn: own, prev: undefined, hadParagraph: false });
        break;
      }
      case 'listItemPrefix': {
        // mdast's list items start at each item prefix of the list.
        if (top.kind === 'item') stack.pop();
        stack.push({ kind: 'item', leadIn: stack[stack.length - 1].leadIn, prev: undefined, hadParagraph: false });
        i = exitOf(i);
        break;
      }
      case 'blockQuote':
      case 'gfmFootnoteDefinition':
        top.prev = undefined;
        if (atRoot) last = { type, start: startOf(token), end: endOf(token) };
        stack.push({ kind: 'quote', leadIn: top.leadIn, prev: undefined, hadParagraph: false });
        break;
      case 'table': {
        const j = exitOf(i);
        // The header row names the columns ("Kept for", "保存期間"), so it leads in every body
        // row; the header itself is led in by the paragraph before the table.
        const own = top.prev !== undefined ? top.prev : top.leadIn;
        let header: number | undefined;
        for (let k = i + 1; k < j; k++) {
          if (events[k][0] !== 'enter' || events[k][1].type !== 'tableRow') continue;
          const row = events[k][1];
          const end = exitOf(k);
          const b = addBlock('table-row', startOf(row), endOf(row), k + 1, end, header === undefined ? own : header, false);
          header ??= b;
          k = end;
        }
        top.prev = undefined;
        if (atRoot) last = { type, start: startOf(token), end: endOf(token) };
        i = j;
        break;
      }
      case 'htmlFlow':
        collectComments(startOf(token), endOf(token));
        top.prev = undefined;
        if (atRoot) last = { type, start: startOf(token), end: endOf(token) };
        i = exitOf(i);
        break;
      case 'definition':
      case 'codeFenced':
      case 'codeIndented':
      case 'thematicBreak':
        top.prev = undefined;
        if (atRoot) last = { type, start: startOf(token), end: endOf(token) };
        i = exitOf(i);
        break;
      default:
        break;
    }
  }
  result.comments.sort((a, b) => a.start - b.start);
  if (last) result.openAtEnd = endsOpen(last.type, text.slice(last.start, last.end));
  return result;
}

/** Blanks a slice of source: every character but line breaks becomes a space. */
function blank(s: string): string {
  return s.replace(/[^\r\n]/g, ' ');
}

/**
 * Whether a text's last top-level node (of micromark token `type`, with source `src`) is a fenced
 * code block without its closing fence or an HTML block of types 1–5 without its end marker:
 * text after it would have continued it.
 */
export function endsOpen(type: string, src: string): boolean {
  if (type === 'codeFenced' || type === 'codeIndented') {
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(src);
    if (!open) return false;
    const lines = src.split(/\r\n|\r|\n/);
    if (lines.length < 2) return true;
    const close = /^ {0,3}(`+|~+)[ \t]*$/.exec(lines[lines.length - 1]);
    return !(close && close[1][0] === open[1][0] && close[1].length >= open[1].length);
  }
  if (type === 'htmlFlow') {
    const kinds: [RegExp, RegExp][] = [
      [/^ {0,3}<(?:script|pre|style|textarea)(?=[ \t>\r\n]|$)/i, /<\/(?:script|pre|style|textarea)>/i],
      [/^ {0,3}<!--/, /-->/],
      [/^ {0,3}<\?/, /\?>/],
      [/^ {0,3}<!\[CDATA\[/, /\]\]>/],
      [/^ {0,3}<![A-Za-z]/, />/],
    ];
    for (const [open, close] of kinds) {
      const o = open.exec(src);
      // The end marker may overlap the start of a comment (`<!-->` is a whole comment).
      if (o) return !close.test(src.slice(o[0].length - (o[0].endsWith('<!--') ? 2 : 0)));
    }
  }
  return false;
}
