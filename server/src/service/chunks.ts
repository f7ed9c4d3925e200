/**
 * Where a Markdown text can be cut into chunks that parse on their own exactly as they parse as
 * part of the whole text.
 *
 * micromark (remark-parse's tokenizer) is quadratic on long documents made of lists, so
 * `parseMarkdown` parses a long policy chunk by chunk and caches the chunks by their text. A cut
 * is made only before a line that certainly starts a new top-level block no construct before it
 * can reach into:
 *
 * - an ATX heading (`#` … `######` followed by a space, a tab or the line's end) at column 0 — not
 *   columns 1–3, because an indented heading may belong to a list item's content;
 * - preceded by a blank line or by another ATX heading, so that a paragraph (and with it a lazy
 *   continuation line of a block quote or list item), a table and an HTML block of types 6–7 are
 *   closed; a heading at column 0 after a blank line also ends every open list item and block
 *   quote, since only paragraph text can continue them lazily;
 * - outside a fenced code block (``` or ~~~, closed by a fence of the same character at least as
 *   long, indented at most 3 columns, with nothing but spaces after it);
 * - outside an HTML block of types 1–5 (`<script|pre|style|textarea` … `</…>`, `<!--` … `-->`,
 *   `<?` … `?>`, `<!X` … `>`, `<![CDATA[` … `]]>`), which blank lines do not end;
 * - after the front matter.
 *
 * The scan is line by line and cannot see containers, so a fence opened in a list item and a
 * top-level fence look alike to it; `parseMarkdown` checks each chunk's parse for a fenced code
 * block or HTML block left open at its end and joins such a chunk to the next one, so a cut the
 * scan got wrong costs speed, never correctness.
 */

/** A cut candidate: the offset where a chunk starts, and the depth of the heading there. */
export interface Cut {
  offset: number;
  depth: number;
}

const LINE = /\r\n|\r|\n/g;
const ATX = /^(#{1,6})(?:[ \t]|$)/;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const BLANK = /^[ \t]*$/;

/** HTML block starts of types 1–5 and the text that ends each (searched from after the start). */
const HTML_BLOCKS: { open: RegExp; close: RegExp }[] = [
  { open: /^ {0,3}<(?:script|pre|style|textarea)(?=[ \t>]|$)/i, close: /<\/(?:script|pre|style|textarea)>/i },
  { open: /^ {0,3}<!--/, close: /-->/ },
  { open: /^ {0,3}<\?/, close: /\?>/ },
  { open: /^ {0,3}<![A-Za-z]/, close: />/ },
  { open: /^ {0,3}<!\[CDATA\[/, close: /\]\]>/ },
];

/** A first line that opens a front matter block (after an optional byte-order mark). */
export const FRONT_MATTER_OPEN = /^\uFEFF?---[ \t]*(?:\r\n|\r|\n)/;

/**
 * The end offset of a front matter block (`---` on the first line, closed by `---`), 0 when the
 * text has none, or -1 when the first line opens one that never closes: micromark then reads the
 * text in ways a chunk without that first line would not reproduce, so such a text is not cut.
 */
function frontMatterEnd(text: string): number {
  const first = FRONT_MATTER_OPEN.exec(text);
  if (!first) return 0;
  const close = /(?:\r\n|\r|\n)---[ \t]*(?=\r\n|\r|\n|$)/g;
  close.lastIndex = first[0].length - 1;
  const m = close.exec(text);
  return m ? m.index + m[0].length : -1;
}

/**
 * The safe cuts of `text` (see the module comment), in order, each at the start of an ATX
 * heading line. Offset 0 is never a cut: the first chunk always starts the text.
 */
export function safeCuts(text: string): Cut[] {
  const cuts: Cut[] = [];
  let fence: { char: string; len: number } | undefined;
  let html: RegExp | undefined;
  // Whether the previous line ends every block a heading could otherwise belong to. A heading
  // line passes on what it was given: after "<div>" a "#" line is HTML, and so is the next.
  let prevClosed = true;
  let pos = frontMatterEnd(text);
  if (pos < 0) return cuts;
  if (pos > 0) {
    // Skip the line break that ends the front matter's closing fence.
    LINE.lastIndex = pos;
    const m = LINE.exec(text);
    pos = m && m.index === pos ? pos + m[0].length : pos;
  }
  while (pos < text.length) {
    LINE.lastIndex = pos;
    const m = LINE.exec(text);
    const end = m ? m.index : text.length;
    const next = m ? end + m[0].length : text.length;
    const line = text.slice(pos, end);
    const start = pos;
    pos = next;
    if (fence) {
      const t = line.replace(/^ {0,3}/, '');
      const run = /^(`+|~+)[ \t]*$/.exec(t);
      if (run && run[1][0] === fence.char && run[1].length >= fence.len && line.length - t.length <= 3) fence = undefined;
      prevClosed = false;
      continue;
    }
    if (html) {
      if (html.test(line)) html = undefined;
      prevClosed = false;
      continue;
    }
    if (BLANK.test(line)) {
      prevClosed = true;
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      if (prevClosed && start > 0) cuts.push({ offset: start, depth: atx[1].length });
      continue;
    }
    // An indented heading line, like a heading, leaves the state as it was.
    if (!/^ {1,3}#{1,6}(?:[ \t]|$)/.test(line)) prevClosed = false;
    const f = FENCE_OPEN.exec(line);
    // A backtick fence's info string cannot contain a backtick (else the line is inline code).
    if (f && !(f[1][0] === '`' && f[2].includes('`'))) {
      fence = { char: f[1][0], len: f[1].length };
      continue;
    }
    for (const h of HTML_BLOCKS) {
      const o = h.open.exec(line);
      if (o) {
        if (!h.close.test(line.slice(o[0].length - (h === HTML_BLOCKS[1] ? 2 : 0)))) html = h.close;
        break;
      }
    }
  }
  return cuts;
}

/**
 * Chooses the chunk starts among the safe cuts. Each micromark run has a fixed cost (about half a
 * millisecond: it combines the syntax extensions anew), so cutting at every heading would make
 * chunks too small; but choosing by size ("at least n lines since the last cut") would let an
 * edit that adds a line move every later boundary, and the cache would miss. So the choice is
 * content-defined: a level-1 heading always starts a chunk, and another heading does when a hash
 * of its line falls in one of `every` buckets — a choice that depends on nothing but the heading
 * itself, so an edit moves at most the boundary at the edited heading. A chunk that has reached
 * `maxLines` lines is cut at its next safe heading, so a long run of unlucky headings stays short.
 */
export function chunkStarts(text: string, cuts: Cut[], every = 8, maxLines = 400): number[] {
  const starts = [0];
  let lastLine = 0;
  let line = 0;
  let at = 0;
  for (const c of cuts) {
    // The line number of this cut, counted incrementally from the previous cut.
    LINE.lastIndex = at;
    let m: RegExpExecArray | null;
    while ((m = LINE.exec(text)) && m.index < c.offset) line++;
    at = c.offset;
    if (c.depth <= 1 || lineHash(text, c.offset) % every === 0 || line - lastLine >= maxLines) {
      starts.push(c.offset);
      lastLine = line;
    }
  }
  return starts;
}

/** FNV-1a hash of the line that starts at `offset`. */
function lineHash(text: string, offset: number): number {
  let h = 0x811c9dc5;
  for (let i = offset; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) break;
    h = Math.imul(h ^ c, 0x01000193) >>> 0;
  }
  // Mix the high bits down: the low bits of FNV-1a alone are weak for a modulus.
  return (h ^ (h >>> 16)) >>> 0;
}
