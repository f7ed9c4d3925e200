/**
 * Markdown structure: micromark (remark-parse's tokenizer) with YAML front matter and the GFM
 * subset policies use (tables, footnotes, strikethrough, task lists: `gfmSubset.ts`), its events
 * read straight into what the policy checks need (`markdownEvents.ts`): headings and their
 * sections, prose blocks, HTML comments and the front matter, with offsets into the text exactly
 * as given (a leading byte-order mark included).
 *
 * Prose blocks keep the author's offsets: a block's `text` is its source slice with everything
 * that is not prose (Markdown markup, inline code, inline HTML, link targets) blanked to spaces,
 * so an offset into `text` plus `start` is an offset into the document. Code blocks, inline code
 * and HTML comments therefore neither cite nor address anything.
 *
 * micromark is quadratic on long documents made of lists, so a long text is parsed in chunks cut
 * at safe top-level headings (`chunks.ts`), each cached by its text: parsing stays linear, and
 * after an edit only the edited chunk is parsed again (see `parseMarkdown`).
 */
import { parseEvents, type EventParse } from './markdownEvents';
import { LineIndex } from './text';
import { chunkStarts, FRONT_MATTER_OPEN, safeCuts } from './chunks';

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
  /**
   * The block as rendered text, for finding citations: Markdown markup (emphasis delimiters,
   * link brackets and destinations, backslash escapes) removed rather than blanked, inline code,
   * inline HTML and images replaced by one space, table cells on lines of their own. Removing the
   * markup keeps `**TEL.18.1.6** e)` and `[TEL.18.1.6](x1051-control:…) e)` readable as one
   * citation; a "link" that is really the list part of a stable item id (`TEL.18.1.6[2](c)`) is
   * kept as written. `map[i]` is the document offset of `text[i]`; `map[text.length]` is `end`.
   */
  rendered: { text: string; map: number[] };
  /** Index into `headings` when this block is a top-level heading. */
  heading?: number;
  /**
   * For a paragraph in a list item or a table row: the block that introduces its list or table
   * (the paragraph right before it, "次の事項を通信の秘密として扱う：", or for a table's body row
   * its header row), so that evidence in the item can take its sense from there. Always an
   * earlier block.
   */
  leadIn?: number;
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

/** What one micromark run yields, with offsets relative to the text it was given. */
type CoreParse = EventParse;

/**
 * A chunk's parse as cached: never handed out, only copied (shifted) into each result, so no
 * consumer can alter what a later parse reuses. Offset maps are stored compactly.
 */
interface CachedChunk {
  /** The chunk's text as stored in the cache (a copy that shares no memory with any document). */
  key: string;
  headings: readonly Readonly<HeadingInfo>[];
  blocks: readonly { kind: ProseBlock['kind']; start: number; end: number; text: string; rendered: string; map: Int32Array; heading?: number; leadIn?: number }[];
  comments: readonly Readonly<HtmlComment>[];
  frontMatter?: Readonly<FrontMatter>;
  openAtEnd: boolean;
}

/** Texts shorter than this are parsed whole: chunking pays off on long documents only. */
const CHUNK_THRESHOLD_LINES = 400;
/**
 * Bound of the chunk cache, in UTF-16 code units of cached chunk text (measured at about 10
 * bytes of heap per cached character, so some 20 MB when full). A text longer than this raises the bound to 1.25 times its length
 * while it is parsed: otherwise parsing it from start to end would evict its own first chunks
 * before it could reuse them, and no chunk of it would ever be reused.
 */
const CACHE_MAX_CHARS = 2_000_000;

const chunkCache = new Map<string, CachedChunk>();
let cachedChars = 0;

/** Internal switches, for tests and benchmarks only. */
export const markdownInternals = {
  /** Parse long texts chunk by chunk (the default). Off: always one micromark run. */
  chunking: true,
  /** One safe heading in this many (chosen by a hash of its line) starts a chunk; see `chunkStarts`. */
  every: 8,
  /** A chunk this long is cut at its next safe heading whatever the hash says. */
  maxChunkLines: 400,
  /** The chunk cache's bound (see `CACHE_MAX_CHARS`). */
  cacheMaxChars: CACHE_MAX_CHARS,
  /** Line count from which a text is chunked. */
  threshold: CHUNK_THRESHOLD_LINES,
  /** Empties the chunk cache. */
  clearCache(): void {
    chunkCache.clear();
    cachedChars = 0;
  },
  /** How many chunks are cached, and their total length. */
  cacheStats(): { chunks: number; chars: number } {
    return { chunks: chunkCache.size, chars: cachedChars };
  },
  /** Counts micromark runs (chunk or whole-text parses), so tests can see what was reused. */
  parses: 0,
};

/**
 * Parses Markdown text into headings, prose blocks, comments and front matter.
 *
 * A long text is cut before top-level ATX headings that nothing before them can reach into (see
 * `chunks.ts`), each chunk is parsed on its own — cached by its exact text, so after an edit only
 * the edited chunk is parsed again — and the chunks' results are joined with their offsets
 * shifted. The result is the one a single parse of the whole text gives, with one known
 * difference: a link reference definition (`[x]: url`) or footnote definition in one chunk does
 * not turn `[x]` in another chunk into a link, so there the brackets stay in the rendered text.
 * That is acceptable because citations are read from the rendered text of each block and a
 * bracketed id (`[TEL.13.1.4]`) is read as a citation either way; policies do not cite controls
 * through reference-style links to definitions in other sections.
 */
export function parseMarkdown(text: string): ParsedMarkdown {
  const result: ParsedMarkdown = { text, lines: new LineIndex(text), headings: [], blocks: [], comments: [] };
  const starts = markdownInternals.chunking && result.lines.lineCount >= markdownInternals.threshold ? chunkStarts(text, safeCuts(text), markdownInternals.every, markdownInternals.maxChunkLines) : [0];
  const whole = () => {
    markdownInternals.parses++;
    const core = parseWhole(text);
    result.headings = core.headings;
    result.blocks = core.blocks;
    result.comments = core.comments;
    if (core.frontMatter) result.frontMatter = core.frontMatter;
  };
  if (starts.length === 1) whole();
  else {
    starts.push(text.length);
    const budget = Math.max(markdownInternals.cacheMaxChars, Math.ceil(text.length * 1.25));
    for (let i = 0; i + 1 < starts.length; ) {
      // A chunk whose parse ends inside a fence or an HTML block would have continued into the
      // next one: join them until the chunk ends closed (or the text ends).
      let j = i + 1;
      let chunk = chunkParse(text.slice(starts[i], starts[j]), budget);
      while (chunk.openAtEnd && j + 1 < starts.length) {
        j++;
        chunk = chunkParse(text.slice(starts[i], starts[j]), budget);
      }
      // A first line that opens a front matter block the parser did not accept as one (the
      // scan's closing fence was not the parser's) would have changed how the text after the
      // cut parses: parse the text whole instead.
      if (i === 0 && !chunk.frontMatter && FRONT_MATTER_OPEN.test(text)) {
        whole();
        break;
      }
      materialise(chunk, starts[i], result);
      i = j;
    }
  }
  // Sections: a heading's section runs to the next heading of the same or a higher level.
  // A stack of open sections keeps this linear in the number of headings.
  const open: HeadingInfo[] = [];
  for (const h of result.headings) {
    h.sectionEnd = text.length;
    while (open.length > 0 && open[open.length - 1].depth >= h.depth) open.pop()!.sectionEnd = h.start;
    open.push(h);
  }
  return result;
}

/** The parse of one chunk, from the cache or from micromark (then cached, within `budget` chars). */
function chunkParse(chunk: string, budget: number): CachedChunk {
  const hit = chunkCache.get(chunk);
  if (hit) {
    // Least recently used first: re-inserting moves the entry to the end of the map's order.
    // It is re-inserted under its own key, not under `chunk`, which is a view of this version's
    // whole text (see below) and would keep that text alive with the entry.
    chunkCache.delete(chunk);
    chunkCache.set(hit.key, hit);
    return hit;
  }
  markdownInternals.parses++;
  // A copy of the chunk that shares no memory with the document: V8 represents a slice as a view
  // of its parent string, so a cached key (or a comment body sliced from it) would otherwise keep
  // the whole text of that document version alive for as long as the chunk stays cached — one
  // whole text per edit. Concatenating flattens; slicing that is a view of a chunk-sized string.
  const own = (' ' + chunk).slice(1);
  const core = parseWhole(own);
  const cached: CachedChunk = {
    key: own,
    headings: core.headings,
    blocks: core.blocks.map((b) => ({ kind: b.kind, start: b.start, end: b.end, text: b.text, rendered: b.rendered.text, map: Int32Array.from(b.rendered.map), heading: b.heading, leadIn: b.leadIn })),
    comments: core.comments,
    frontMatter: core.frontMatter,
    openAtEnd: core.openAtEnd,
  };
  if (own.length <= budget / 4) {
    chunkCache.set(own, cached);
    cachedChars += own.length;
    for (const [k] of chunkCache) {
      if (cachedChars <= budget) break;
      chunkCache.delete(k);
      cachedChars -= k.length;
    }
  }
  return cached;
}

/** Appends a chunk's parse to `out`, offsets shifted by `base` and indices by what `out` holds. */
function materialise(chunk: CachedChunk, base: number, out: ParsedMarkdown): void {
  const blockBase = out.blocks.length;
  const headingBase = out.headings.length;
  for (const b of chunk.blocks) {
    const block: ProseBlock = { kind: b.kind, start: b.start + base, end: b.end + base, text: b.text, rendered: shiftedRendering(b.rendered, b.map, base) };
    if (b.heading !== undefined) block.heading = b.heading + headingBase;
    if (b.leadIn !== undefined) block.leadIn = b.leadIn + blockBase;
    out.blocks.push(block);
  }
  for (const h of chunk.headings) {
    out.headings.push({ depth: h.depth, start: h.start + base, end: h.end + base, sectionEnd: 0, block: h.block + blockBase, text: h.text });
  }
  for (const c of chunk.comments) out.comments.push({ start: c.start + base, end: c.end + base, body: c.body });
  if (chunk.frontMatter && !out.frontMatter) {
    const f = chunk.frontMatter;
    out.frontMatter = { start: f.start + base, end: f.end + base, value: f.value, valueStart: f.valueStart + base };
  }
}

/**
 * A block's rendered text with its offset map shifted by `base`. Most blocks' maps are never
 * read (only where a citation is found), and shifting every map of a long document on every
 * parse was the largest cost of a parse served from the cache, so the map is shifted on first
 * read into an array of the block's own; it stays writable, and JSON shows `{ text, map }`.
 */
function shiftedRendering(text: string, rel: Int32Array, base: number): ProseBlock['rendered'] {
  return new ShiftedRendering(text, rel, base);
}

/** One object per block: an object with an accessor property made two closures per block. */
class ShiftedRendering {
  private shifted: number[] | undefined;
  constructor(
    readonly text: string,
    private readonly rel: Int32Array,
    private readonly base: number,
  ) {}

  get map(): number[] {
    if (!this.shifted) {
      const map = new Array<number>(this.rel.length);
      for (let k = 0; k < this.rel.length; k++) map[k] = this.rel[k] + this.base;
      this.shifted = map;
    }
    return this.shifted;
  }

  set map(v: number[]) {
    this.shifted = v;
  }

  toJSON(): { text: string; map: number[] } {
    return { text: this.text, map: this.map };
  }
}

/**
 * Parses one text with a single micromark run: headings (their `sectionEnd` still unset), prose
 * blocks, comments, front matter, and whether the text ends inside a fenced code block or an
 * HTML block of types 1–5 (which a following chunk would have continued).
 */
function parseWhole(text: string): CoreParse {
  return parseEvents(text);
}
