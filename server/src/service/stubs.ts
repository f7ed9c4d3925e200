/**
 * Text x1051 itself inserts — quick-fix stubs and quoted control text — recognised in a document,
 * so that it never counts as evidence ("green means written").
 *
 * A stub is the paragraph that holds a marker comment `<!-- x1051-stub <item id>: … -->`, e.g.
 * `- **TEL.18.1.6 e) 通信の日時**：<!-- x1051-stub TEL.18.1.6(e): 記述してください — 通信の日時情報 -->`.
 *
 * - A stub is **unfilled** while its paragraph holds nothing but the list marker, the bold label,
 *   a separator (`:` / `：`) and comments; it is **filled** once the author wrote any other letter or
 *   digit in that paragraph (on the stub's line or on lines continuing it). Removing the marker
 *   comment also ends the stub: the paragraph is then the author's own.
 * - An unfilled stub is no evidence at all; a filled stub is evidence only through what the author
 *   wrote (its bold label is blanked before the scan, as it repeats the item's own words).
 * - A paragraph that is only a bold label beginning with an item reference
 *   (`- **TEL.18.1.6 e) 通信の日時**：`, a stub whose marker was deleted) is not evidence either.
 * - A blockquote that reproduces catalogue text (the control statement "insert control text"
 *   quotes, the control text Insert Control… quotes, or any control's guidance or item's text) is
 *   not evidence: quoting the standard is not doing it. A quoted paragraph is a reproduction when
 *   it contains the first 30 characters (normalised) of such a text, or when every line of it,
 *   printed label aside, is such a text whole (a quoted item list: `> a) 通信の存在`).
 *
 * Pure: no node or editor imports.
 */
import type { CatalogIndex } from '../../../catalog/src/query';
import { findIdCandidates } from '../../../catalog/src/normalize';
import type { ParsedMarkdown, ProseBlock } from './markdown';
import type { Item, Lang } from './types';

/** The marker's keyword; the item id follows it. */
export const STUB_MARKER = 'x1051-stub';

/** Matches the body of a stub marker comment and captures the item id. */
const MARKER_BODY = /^\s*x1051-stub\s+([^\s:]+)\s*:/;

/** The marker comment of an item's stub, with what to write as guidance. */
export function stubComment(itemId: string, guidance: string): string {
  return `<!-- ${STUB_MARKER} ${itemId}: ${guidance} -->`;
}

/**
 * The stub line of an item: `- **<ref> <subject>**：<marker>`, where `ref` is how the item is
 * cited (`TEL.18.1.6 e)`, left unescaped so it still reads as a citation) and the marker says what to
 * write and carries the item's own text. `cursor` (a snippet tab stop) goes where the author writes.
 */
export function stubText(ref: string, item: Item, lang: Lang, cursor = ''): string {
  const name = `${ref} ${escapeInline(item.subject[lang])}`;
  const todo = lang === 'ja' ? '記述してください' : 'describe how this is addressed';
  const guidance = commentSafe(item.text[lang] || item.text[lang === 'ja' ? 'en' : 'ja']);
  const sep = lang === 'ja' ? '：' : ': ';
  return `- **${name}**${sep}${cursor}${stubComment(item.id, `${todo} — ${guidance}`)}`;
}

/** The item's text may not close the comment early. */
function commentSafe(s: string): string {
  return s.replace(/-->/g, '‐‐>').replace(/--/g, '‐‐').replace(/\s+/g, ' ').trim();
}

function escapeInline(s: string): string {
  return s.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
}

/** One stub found in a document. */
export interface StubInfo {
  /** The item id the marker names (as written; may be unknown to the catalogue). */
  item: string;
  /** Offsets of the marker comment. */
  start: number;
  end: number;
  /** Offsets of the stub's paragraph (the comment itself when it stands alone). */
  blockStart: number;
  blockEnd: number;
  /** Index of the paragraph in `parsed.blocks`, when the marker is inside one. */
  block?: number;
  /** True when the author wrote text other than the label in the stub's paragraph. */
  filled: boolean;
}

/** Every stub marker of the document, in document order. */
export function findStubs(parsed: ParsedMarkdown): StubInfo[] {
  const out: StubInfo[] = [];
  for (const c of parsed.comments) {
    const m = MARKER_BODY.exec(c.body);
    if (!m) continue;
    const bi = blockAt(parsed.blocks, c.start);
    if (bi === undefined) {
      out.push({ item: m[1], start: c.start, end: c.end, blockStart: c.start, blockEnd: c.end, filled: false });
      continue;
    }
    const b = parsed.blocks[bi];
    out.push({ item: m[1], start: c.start, end: c.end, blockStart: b.start, blockEnd: b.end, block: bi, filled: residue(parsed.text.slice(b.start, b.end)) !== '' });
  }
  return out;
}

/** The index of the block containing `offset`, if any. */
function blockAt(blocks: readonly ProseBlock[], offset: number): number | undefined {
  let lo = 0;
  let hi = blocks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (blocks[mid].start <= offset) lo = mid + 1;
    else hi = mid;
  }
  const i = lo - 1;
  return i >= 0 && offset < blocks[i].end ? i : undefined;
}

/** A leading bold label (`**…**` or `__…__`) and its separator. */
const LABEL = /^(\s*)(\*\*|__)([^\n]+?)\2(\s*[:：]?)/;

/** What the author wrote in a paragraph besides its label, list markers, separators and comments. */
function residue(src: string): string {
  const noComments = src.replace(/<!--[\s\S]*?(?:-->|$)/g, ' ');
  const noLabel = noComments.replace(LABEL, ' ');
  // Continuation lines of a list item or a blockquote keep their markers in the source.
  const words = noLabel.replace(/^[ \t]*(?:>[ \t]?)*/gm, '');
  return /[\p{L}\p{N}]/u.test(words) ? words.trim() : '';
}

/**
 * How a block's evidence is read: `skip` (none at all), a range to blank before the scan (a filled
 * stub's label), or undefined (as written). Indexed as `parsed.blocks`.
 */
export type EvidenceFilter = 'skip' | { blank: [number, number] } | undefined;

/** The evidence filter of every block of the document (see the module comment). */
export function evidenceFilters(parsed: ParsedMarkdown, catalog: CatalogIndex): EvidenceFilter[] {
  const out: EvidenceFilter[] = new Array(parsed.blocks.length).fill(undefined);
  const stubBlocks = new Set<number>();
  for (const s of findStubs(parsed)) {
    if (s.block === undefined) continue;
    stubBlocks.add(s.block);
    if (!s.filled) {
      out[s.block] = 'skip';
      continue;
    }
    if (out[s.block] === 'skip') continue;
    const b = parsed.blocks[s.block];
    const m = LABEL.exec(parsed.text.slice(b.start, b.end));
    if (m) out[s.block] = { blank: [b.start + m[1].length, b.start + m[0].length] };
  }
  let quotes: CatalogueQuotes | undefined;
  parsed.blocks.forEach((b, bi) => {
    if (b.kind !== 'paragraph' || stubBlocks.has(bi)) return;
    const src = parsed.text.slice(b.start, b.end);
    if (isItemLabelOnly(src, catalog)) {
      out[bi] = 'skip';
      return;
    }
    if (inBlockquote(parsed.text, b.start)) {
      quotes ??= catalogueQuotes(catalog);
      const body = src.replace(/<!--[\s\S]*?-->/g, '').replace(LABEL, '');
      const flat = flatten(body);
      const whole = flat.length >= MIN_QUOTE && quotes.starts.some((q) => flat.includes(q));
      // A quoted list ("> a) 通信の存在" / "> b) 通信の内容") is one paragraph: each of its lines is
      // compared, its printed label left out, short item texts included.
      const lines = src.replace(/<!--[\s\S]*?-->/g, '').split('\n').map((l) => flatten(l.replace(/^\s*(?:>\s?)*\s*(?:[-*+]\s+)?(?:[(（]?[a-z0-9０-９]{1,3}[).）．]\s*)*/i, '')));
      const everyLine = lines.some((l) => l !== '') && lines.every((l) => l === '' || quotes!.exact.has(l) || (l.length >= MIN_QUOTE && quotes!.starts.some((q) => l.includes(q))));
      if (whole || everyLine) out[bi] = 'skip';
    }
  });
  return out;
}

/**
 * A paragraph that is only a stub's label, `**<item reference> [<its subject>]**:`, without text.
 * A bold sentence of the author's own that starts with an id (`**TEL.18.1.6 e) 日時は開示しない**`)
 * is not a label: only the reference alone or followed by an item's catalogue subject is.
 */
function isItemLabelOnly(src: string, catalog: CatalogIndex): boolean {
  const m = LABEL.exec(src);
  if (!m || residue(src) !== '') return false;
  const label = m[3].replace(/\\(.)/g, '$1');
  const first = findIdCandidates(label)[0];
  if (first === undefined || first.start !== 0 || first.itemLabels.length === 0) return false;
  const rest = flatten(label.slice(first.end));
  if (rest === '') return true;
  const control = catalog.control(first.control) ? first.control : `TEL.${first.control}`;
  return catalog.itemsOf(control).some((it) => flatten(it.subject.ja) === rest || flatten(it.subject.en) === rest);
}

/** Whether the block starting at `offset` is inside a blockquote (`>` before it on its line). */
function inBlockquote(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^\s{0,3}>/.test(text.slice(lineStart, offset));
}

/** Quoted text shorter than this (normalised) is not compared with the catalogue. */
const MIN_QUOTE = 12;

/** Text compared without whitespace, markup or punctuation, case-folded. */
function flatten(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/[\s*_`>\\[\](){}「」『』（）、。,.;:：;!?！？"'’“”-]+/gu, '');
}

/** Catalogue text a quote may reproduce, normalised (see `flatten`). */
interface CatalogueQuotes {
  /** The first 30 characters of every control statement, guidance paragraph and item text at least MIN_QUOTE long. */
  starts: string[];
  /** Every item text, control statement and control title (with and without its id) whole, however short ("通信の存在"). */
  exact: Set<string>;
}

const QUOTES = new WeakMap<CatalogIndex, CatalogueQuotes>();

/** The catalogue's quotable text (control statements and item texts, both languages), cached per catalogue. */
function catalogueQuotes(catalog: CatalogIndex): CatalogueQuotes {
  const cached = QUOTES.get(catalog);
  if (cached) return cached;
  const starts = new Set<string>();
  const exact = new Set<string>();
  const add = (s: string | undefined) => {
    if (!s) return;
    const f = flatten(s);
    if (f.length === 0) return;
    exact.add(f);
    if (f.length >= MIN_QUOTE) starts.add(f.slice(0, 30));
  };
  for (const c of catalog.allControls()) {
    add(c.control?.ja);
    add(c.control?.en);
    for (const it of c.items) {
      add(it.text.ja);
      add(it.text.en);
    }
    // A quote's title line ("**6.1.3 関係当局との連絡**").
    // Whole lines only: a title inside an author's own quoted sentence is the author's.
    for (const t of [c.title.ja, c.title.en]) {
      exact.add(flatten(t));
      exact.add(flatten(`${c.id} ${t}`));
    }
    // The guidance paragraphs and notes a full quote of the control carries.
    for (const block of [...(c.telecomGuidance ?? []), ...(c.guidance ?? []), ...(c.relatedInfo ?? [])]) {
      const t = 'p' in block ? block.p : 'note' in block ? block.note : undefined;
      add(t?.ja);
      add(t?.en);
    }
  }
  const out = { starts: [...starts], exact };
  QUOTES.set(catalog, out);
  return out;
}
