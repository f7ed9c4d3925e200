/**
 * From parsed Markdown to what a policy document says: citations, claims, and per claimed item
 * whether the claimed section addresses it.
 *
 * Decisions (documented for authors in docs/rules/missing-item.md):
 * - A heading citing a control claims its section (to the next heading of the same or a higher
 *   level, subsections included); one heading may claim several controls.
 * - A heading citing only items of a control (`TEL.18.1.6 e)`) claims just those items (and their
 *   sub-items); citing the control as well claims the whole control.
 * - Front matter `controls: [...]` claims the whole document; the claim's range is the entry.
 * - The claiming heading's own text is not evidence (naming the control is not addressing it);
 *   subsection headings are.
 * - A bare number (`8.2.1`) is a citation only when bracketed (`[8.2.1]`, `（8.2.1）`); a heading's
 *   own section number is not one. A bracketed bare number that is not in the catalogue is
 *   ignored (it is more likely another document's numbering than a mistyped control).
 * - A parent item with sub-items counts as addressed when it or any sub-item is.
 */
import { parseDocument as parseYaml, isSeq, isScalar, isMap, visit, type Node as YamlNode } from 'yaml';
import type { CatalogIndex } from '../../../catalog/src/query';
import { findIdCandidates, normalizeId, type IdCandidate } from '../../../catalog/src/normalize';
import { DEFAULT_HEADING_SIMILARITY, leadingNumberRest, titleSimilarity } from './numberedHeadings';
import type { BlockScan, EvidenceHit, EvidenceMatcher, LeadIn } from './evidence';
import { languageCounts, languageOfCounts } from './language';
import { TextMemo } from './textMemo';
import { MAX_YAML_DEPTH, yamlNestingDepth } from './yamlGuard';
import type { ParsedMarkdown } from './markdown';
import { parseDirectives, type Directive, type NotApplicableDirective } from './directives';
import type { ResolvedConfig } from './config';
import type { Citation, Claim, Finding, Item, ItemStatus, Lang, Range, Via } from './types';
import { applyConfigApplicability } from './applicability';
import { lookupEditionId } from '../../../catalog/src/editionLookup';
import { findEditionIdCandidates, type EditionIdCandidate } from '../../../catalog/src/editionIds';
import { editionCitations, parseEditionSetting, type AmbiguousId, type DocumentEdition } from './editionCitations';
import type { EditionSetting } from './config';
import { evidenceFilters } from './stubs';

/** What the service knows about one document version (the rules read this). */
export interface DocumentModel {
  uri: string;
  version: number;
  lang: Lang;
  parsed: ParsedMarkdown;
  /** Every citation, known or not (`control` undefined when unknown). */
  citations: Citation[];
  claims: Claim[];
  /** For each claim, the heading index that makes it (undefined for front matter). */
  claimHeadings: Array<number | undefined>;
  /** Evidence per prose block (index as `parsed.blocks`), every catalogue item considered. */
  blockHits: Array<ReadonlyMap<string, EvidenceHit>>;
  /** Near-evidence per prose block (`weak` hits), for items without evidence in the block. */
  blockWeak?: Array<ReadonlyMap<string, EvidenceHit>>;
  directives: Directive[];
  /** Problems found while reading the document (front matter, directives). */
  problems: Finding[];
  /** The numbering ambiguous ids were read in (ISO/IEC 27002:2013 or 2022), and how it was decided. */
  edition: DocumentEdition;
  /** Ambiguous ids (`A.5.1`) the edition could not decide: they claim nothing. */
  ambiguousIds: AmbiguousId[];
}

/** The evidence of a block without any (shared, never written to). */
const NO_HITS: ReadonlyMap<string, EvidenceHit> = new Map();
/** The lead-in context of a block that gives none (shared, never written to). */
const NO_LEAD_IN: LeadIn = { contexts: new Set(), parts: new Set() };

/** `text` (starting at document offset `base`) with the document range `[from, to)` blanked. */
function blankRange(text: string, base: number, [from, to]: [number, number]): string {
  const s = Math.max(0, from - base);
  const e = Math.min(text.length, to - base);
  if (e <= s) return text;
  return text.slice(0, s) + text.slice(s, e).replace(/[^\n]/g, ' ') + text.slice(e);
}

/**
 * The evidence scans of one document's blocks, kept from one build of its model to the next (an
 * edit changes a few blocks; the others are not scanned again). Scans are stored with offsets
 * relative to their block, keyed by the block's text and its lead-in; each build keeps only the
 * scans it used, so the memo never outgrows the document.
 */
export class ScanMemo {
  // Scans keyed by the lead-in's context words and parts (the kind), then by the block's text
  // (the string the parse already holds: no copy).
  private readonly scans = new TextMemo();
  // A block's id candidates and language counts, which depend on its text alone.
  private readonly texts = new TextMemo();
  constructor(readonly matcher: EvidenceMatcher) {}

  /** Scans taken from the previous build (for tests: the work saved). */
  get reused(): number {
    return this.scans.reused;
  }

  set reused(n: number) {
    this.scans.reused = n;
  }

  /** Block texts whose id candidates or language counts were computed (not remembered) so far (for tests). */
  get textsComputed(): number {
    return this.texts.computed;
  }

  /** The scan of `text` after `inherited` (offsets relative to the block), from memory or fresh. */
  scan(text: string, inherited: LeadIn | undefined): BlockScan {
    return this.scans.get(inherited ? leadKey(inherited) : '', text, (t) => this.matcher.scanBlock(t, 0, inherited));
  }

  /**
   * The id candidates of a block's rendered text, in both numberings (they depend on nothing
   * else), from memory or fresh: one lookup for both.
   */
  candidates(text: string): RenderedIds {
    return this.texts.get('ids', text, renderedIds);
  }

  /** A block's counts for telling the document's language (they add up over blocks), from memory or fresh. */
  languageCounts(text: string): { ja: number; latin: number } {
    return this.texts.get('language', text, languageCounts);
  }

  /**
   * What the document rules compute from a block's or a heading's text alone, kept between their
   * runs over this document (`computeDiagnostics` ends each run).
   */
  readonly rules = new TextMemo();

  /** Ends a build: what it did not use is dropped. */
  endBuild(): void {
    this.scans.endRun();
    this.texts.endRun();
  }
}

/** The id candidates of a block's rendered text: X.1051:2016 ids, and ids of the 2022 and 2024 numberings. */
export interface RenderedIds {
  ids: readonly IdCandidate[];
  edition: readonly EditionIdCandidate[];
}

function renderedIds(text: string): RenderedIds {
  return { ids: findIdCandidates(text), edition: findEditionIdCandidates(text) };
}

/**
 * The document's language from its blocks' counts (`detectLanguage` of their texts joined, since
 * the counts add up), each block's taken from the memo when there is one.
 */
function languageFromBlocks(blocks: ParsedMarkdown['blocks'], memo: ScanMemo | undefined): Lang | undefined {
  let ja = 0;
  let latin = 0;
  for (const b of blocks) {
    const c = memo ? memo.languageCounts(b.text) : languageCounts(b.text);
    ja += c.ja;
    latin += c.latin;
  }
  return languageOfCounts(ja, latin);
}

/** The memo key of a lead-in (computed once per lead-in: a list's items share their lead-in). */
const leadKeys = new WeakMap<LeadIn, string>();
function leadKey(lead: LeadIn): string {
  let key = leadKeys.get(lead);
  if (key === undefined) leadKeys.set(lead, (key = `${[...lead.contexts].join(',')};${[...lead.parts].join(',')}`));
  return key;
}

/** `scan` (offsets relative to its block) moved to the block's offset `base`, as fresh objects. */
function atOffset(scan: BlockScan, base: number, inherited: LeadIn | undefined): BlockScan {
  const move = (hits: Map<string, EvidenceHit>) => {
    if (hits.size === 0) return hits;
    const out = new Map<string, EvidenceHit>();
    for (const [id, h] of hits) out.set(id, { ...h, start: h.start + base, end: h.end + base });
    return out;
  };
  // The lead-in's context words and parts are added to the block's own (a fresh set when there are).
  const merge = (own: Set<number>, more: ReadonlySet<number> | undefined) => {
    if (!more || more.size === 0) return own;
    const out = new Set(own);
    for (const x of more) out.add(x);
    return out;
  };
  return { hits: move(scan.hits), weak: move(scan.weak), contexts: merge(scan.contexts, inherited?.contexts), parts: merge(scan.parts, inherited?.parts) };
}

/**
 * Builds the document model. Pure and deterministic for a given text, catalogue and config
 * (`memo`, the previous build's evidence scans of the same document, saves work, never changes the
 * result).
 */
export function buildModel(
  uri: string,
  version: number,
  parsed: ParsedMarkdown,
  catalog: CatalogIndex,
  matcher: EvidenceMatcher,
  config: ResolvedConfig,
  memo?: ScanMemo,
): DocumentModel {
  // Scans made with another matcher (another config's terms) are of no use here.
  const reuse = memo?.matcher === matcher ? memo : undefined;
  const lines = parsed.lines;
  const lang: Lang =
    config.language !== 'auto'
      ? config.language
      : languageFromBlocks(parsed.blocks, reuse) ?? config.fallbackLanguage;
  const problems: Finding[] = [];
  const citations: Citation[] = [];

  // Citations in prose and headings.
  const headingCitations = new Map<number, Citation[]>();
  // The first citation of each item in prose: the author saying "this paragraph addresses item X"
  // (the fix of the same name inserts one). Collected per block here, kept below unless the block
  // is x1051's own text (a stub, a stub's label, quoted control text: see evidenceFilters).
  const itemCitations: Array<{ block: number; hit: EvidenceHit }> = [];
  // The 2022/2024 ids of each block, when the memo gives them (editionCitations finds them otherwise).
  const editionIds: Array<readonly EditionIdCandidate[]> | undefined = reuse ? [] : undefined;
  parsed.blocks.forEach((block, bi) => {
    const where = block.heading !== undefined ? 'heading' : 'prose';
    // Ids are looked for in the rendered text, so that emphasis, links and escapes inside or
    // around an id do not split it; offsets go back to the source through the map.
    const r = block.rendered;
    let cands: readonly IdCandidate[];
    if (reuse) {
      const both = reuse.candidates(r.text);
      cands = both.ids;
      editionIds![bi] = both.edition;
    } else cands = findIdCandidates(r.text);
    for (const cand of cands) {
      const cit =
        citationOf(cand, r.map[cand.start], r.map[cand.end - 1] + 1, where, catalog, lines) ??
        (where === 'heading' ? numberedHeadingCitation(cand, r.text, r.map, catalog, lines, config) : undefined);
      if (!cit) continue;
      citations.push(cit);
      if (where === 'prose' && cit.item) itemCitations.push({ block: bi, hit: { item: cit.item, term: cit.raw, start: r.map[cand.start], end: r.map[cand.end - 1] + 1 } });
      if (block.heading !== undefined) {
        const list = headingCitations.get(block.heading) ?? [];
        list.push(cit);
        headingCitations.set(block.heading, list);
      }
    }
  });

  // Front matter.
  const fmClaims: Array<{ control: string; items?: string[]; range: Range; via?: Via }> = [];
  const fm: { edition?: EditionSetting } = {};
  if (parsed.frontMatter) readFrontMatter(parsed, catalog, lang, citations, fmClaims, problems, fm, config.edition ?? 'auto');

  // Ids in the numbering of ISO/IEC 27002:2022 / ISO/IEC 27011:2024, read in the document's edition.
  const other = editionCitations(parsed, catalog, citations, config.edition ?? 'auto', fm.edition, editionIds);
  for (const { citation, heading } of other.citations) {
    citations.push(citation);
    if (heading !== undefined) {
      const list = headingCitations.get(heading) ?? [];
      list.push(citation);
      headingCitations.set(heading, list);
    }
  }
  if (other.citations.length > 0) citations.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);

  // Evidence per block: one scan of each block, whatever the number of claims. A block in a
  // list or table also has the context words of its lead-in (and of the lead-in's own lead-in).
  // Text x1051 inserted (unfilled stubs, a filled stub's label, quoted catalogue text) is never
  // evidence: such blocks are skipped, or scanned with the label blanked (stubs.ts).
  const filters = evidenceFilters(parsed, catalog);
  const leadIns: LeadIn[] = [];
  const blockWeak: Array<ReadonlyMap<string, EvidenceHit>> = [];
  // Term parts present per block (only blocks that have some), for a missing item's nearest text.
  const blockParts: Array<ReadonlySet<number> | undefined> = [];
  const blockHits = parsed.blocks.map((b, bi) => {
    const inherited = b.leadIn !== undefined ? leadIns[b.leadIn] : undefined;
    const filter = filters[bi];
    if (filter === 'skip') {
      leadIns[bi] = inherited ?? NO_LEAD_IN;
      return NO_HITS;
    }
    const input = filter ? blankRange(b.text, b.start, filter.blank) : b.text;
    // From the memo, a moved copy with the lead-in merged in; fresh, merged in place.
    const scanned = reuse ? atOffset(reuse.scan(input, inherited), b.start, inherited) : matcher.scanBlock(input, b.start, inherited);
    if (inherited && !reuse) {
      for (const c of inherited.contexts) scanned.contexts.add(c);
      for (const p of inherited.parts) scanned.parts.add(p);
    }
    leadIns[bi] = scanned;
    blockWeak[bi] = scanned.weak.size > 0 ? scanned.weak : NO_HITS;
    blockParts[bi] = scanned.parts.size > 0 ? scanned.parts : undefined;
    // Most blocks have no evidence: they share one empty map instead of keeping one each.
    return scanned.hits.size > 0 ? scanned.hits : NO_HITS;
  });

  // Where each item has evidence anywhere in the document (first two blocks), for items a claimed
  // section misses: evidence elsewhere makes them weak ("addressed in §4.2, outside the section?").
  const anywhere = new Map<string, Array<{ hit: EvidenceHit; block: number }>>();
  blockHits.forEach((hits, bi) => {
    // A heading that cites a control names items, it does not address them.
    const h = parsed.blocks[bi].heading;
    if (h !== undefined && headingCitations.has(h)) return;
    for (const [id, hit] of hits) {
      const list = anywhere.get(id);
      if (!list) anywhere.set(id, [{ hit, block: bi }]);
      else if (list.length < 2) list.push({ hit, block: bi });
    }
  });
  const citedItems = new Map<string, EvidenceHit>();
  for (const { block, hit } of itemCitations) {
    const filter = filters[block];
    if (filter === 'skip' || (filter && hit.start < filter.blank[1] && hit.end > filter.blank[0]) || citedItems.has(hit.item)) continue;
    citedItems.set(hit.item, hit);
  }
  const near: NearContext = { blockWeak, blockParts, anywhere, citedItems, matcher };

  const claims: Claim[] = [];
  const claimHeadings: Array<number | undefined> = [];
  const fullRange = lines.range(0, parsed.text.length);
  for (const fc of fmClaims) {
    const claim = makeClaim(fc.control, 'front-matter', fc.range, fullRange, selectItems(catalog, fc.control, fc.items), parsed, blockHits, 0, parsed.text.length, undefined, near);
    if (fc.via) claim.via = fc.via;
    claims.push(claim);
    claimHeadings.push(undefined);
  }
  parsed.headings.forEach((h, hi) => {
    const cits = headingCitations.get(hi) ?? [];
    const byControl = new Map<string, { whole: boolean; items: string[]; direct: boolean; via?: Via }>();
    for (const c of cits) {
      if (!c.control) continue;
      const entry = byControl.get(c.control) ?? { whole: false, items: [], direct: false };
      if (c.item) entry.items.push(c.item);
      else entry.whole = true;
      if (c.via) entry.via ??= c.via;
      else entry.direct = true;
      byControl.set(c.control, entry);
    }
    const headingRange = lines.range(h.start, h.end);
    const section = lines.range(h.start, h.sectionEnd);
    for (const [control, sel] of byControl) {
      const items = selectItems(catalog, control, sel.whole ? undefined : sel.items);
      const claim = makeClaim(control, 'heading', headingRange, section, items, parsed, blockHits, h.end, h.sectionEnd, h.block, near);
      claim.heading = h.text;
      if (!sel.direct && sel.via) claim.via = sel.via;
      claims.push(claim);
      claimHeadings.push(hi);
    }
  });

  const { directives, findings } = parseDirectives(parsed, catalog, lang);
  for (const f of findings) problems.push(f);
  applyNotApplicable(directives, claims, claimHeadings, parsed);
  applyConfigApplicability(claims, config, lang);

  return { uri, version, lang, parsed, citations, claims, claimHeadings, blockHits, blockWeak, directives, problems, edition: other.edition, ambiguousIds: other.ambiguous };
}

/**
 * Turns an id candidate into a citation, or undefined when it is not one (an unbracketed bare
 * number). `start` and `end` are the candidate's document offsets.
 */
function citationOf(cand: IdCandidate, start: number, end: number, where: Citation['where'], catalog: CatalogIndex, lines: ParsedMarkdown['lines']): Citation | undefined {
  if (cand.prefix === 'none' && !cand.bracketed) return undefined;
  const range = lines.range(start, end);
  let control: string | undefined = cand.control;
  if (!catalog.control(control)) {
    const tel = `TEL.${control}`;
    if (cand.prefix === 'standard' && cand.standard !== '27002' && catalog.control(tel)) control = tel;
    else control = undefined;
  }
  if (!control) {
    // A bare number outside the catalogue is someone else's numbering ("（5.2.1 参照）") unless it
    // alone fills its brackets (`[19.1.1]`): that is written as a citation, and reported unknown.
    if (cand.prefix === 'none' && !cand.enclosed) return undefined;
    const unknown: Citation = { raw: cand.raw, range, normalized: cand.normalized, where };
    if (cand.suspicious) unknown.suspicious = cand.suspicious;
    return unknown;
  }
  const cit: Citation = { raw: cand.raw, range, control, normalized: cand.normalized, where };
  if (cand.suspicious) cit.suspicious = cand.suspicious;
  if (cand.itemLabels.length > 0) {
    const item = catalog.resolveItem(control, cand.itemLabels, cand.list);
    if (!item) {
      // A known control with an unknown item: reported as unknown, and it claims nothing.
      return { raw: cand.raw, range, normalized: cand.normalized, where };
    }
    cit.item = item.id;
  }
  return cit;
}

/**
 * A heading's leading section number that is also a control's number (`## 12.4.1 Event logging`):
 * a citation when the heading's words match the control's title (numberedHeadings.ts).
 */
function numberedHeadingCitation(
  cand: IdCandidate,
  text: string,
  map: number[],
  catalog: CatalogIndex,
  lines: ParsedMarkdown['lines'],
  config: ResolvedConfig,
): Citation | undefined {
  const threshold = config.numberedHeadings ?? DEFAULT_HEADING_SIMILARITY;
  if (threshold === 'off') return undefined;
  const rest = leadingNumberRest(text, cand);
  const control = rest !== undefined ? catalog.control(cand.control) : undefined;
  if (!control || titleSimilarity(rest!, control.title) < threshold) return undefined;
  const cit: Citation = { raw: cand.raw, range: lines.range(map[cand.start], map[cand.end - 1] + 1), control: control.id, normalized: cand.normalized, where: 'heading', numbered: true };
  if (cand.suspicious) cit.suspicious = cand.suspicious;
  return cit;
}

/** Items a claim covers: all of the control's, or the cited items and their sub-items. */
function selectItems(catalog: CatalogIndex, control: string, items?: string[]): Item[] {
  const all = catalog.itemsOf(control);
  if (!items) return all;
  return all.filter((it) => items.some((id) => it.id === id || it.id.startsWith(id + '(')));
}

function makeClaim(
  control: string,
  how: Claim['how'],
  range: Range,
  section: Range,
  items: Item[],
  parsed: ParsedMarkdown,
  blockHits: Array<ReadonlyMap<string, EvidenceHit>>,
  from: number,
  to: number,
  ownBlock: number | undefined,
  near?: NearContext,
): Claim {
  const first = new Map<string, EvidenceHit>();
  // Blocks are in document order, so the section's blocks are one run: found by binary search and
  // walked to the section's end. Walking every block for every claim made a document with many
  // claiming headings quadratic.
  const blocks = parsed.blocks;
  // The section's blocks are [lo, hi): two binary searches, so the loops below read no block.
  const lo = firstBlockAtOrAfter(blocks, from);
  const hi = firstBlockAtOrAfter(blocks, to);
  for (let bi = lo; bi < hi; bi++) {
    if (bi === ownBlock) continue;
    const hits = blockHits[bi];
    if (hits.size === 0) continue;
    for (const it of items) {
      if (first.has(it.id)) continue;
      const hit = hits.get(it.id);
      if (hit) first.set(it.id, hit);
    }
    if (first.size === items.length) break;
  }
  // Near-evidence inside the section, for the items without evidence there.
  const weakFirst = new Map<string, EvidenceHit>();
  if (near && first.size < items.length) {
    for (let bi = lo; bi < hi; bi++) {
      if (bi === ownBlock) continue;
      const weak = near.blockWeak[bi];
      if (!weak || weak.size === 0) continue;
      for (const it of items) if (!first.has(it.id) && !weakFirst.has(it.id) && weak.has(it.id)) weakFirst.set(it.id, weak.get(it.id)!);
    }
  }
  const lines = parsed.lines;
  /** The nearest evidence of one item (not through its sub-items). */
  const nearOf = (id: string): ItemStatus['near'] | undefined => {
    const w = weakFirst.get(id);
    if (w) return { range: lines.range(w.start, w.end), term: w.term, reason: w.why ?? 'partial' };
    for (const { hit, block } of near?.anywhere.get(id) ?? []) {
      if (block === ownBlock || (hit.start >= from && hit.start < to)) continue;
      const heading = headingBefore(parsed, hit.start);
      return { range: lines.range(hit.start, hit.end), term: hit.term, reason: 'elsewhere', ...(heading !== undefined ? { heading } : {}) };
    }
    return undefined;
  };
  const statuses: ItemStatus[] = items.map((item) => {
    let hit = first.get(item.id) ?? near?.citedItems.get(item.id);
    if (!hit) {
      // A parent is addressed through any of its sub-items.
      for (const it of items) {
        if (it.id.startsWith(item.id + '(') && (first.has(it.id) || near?.citedItems.has(it.id))) {
          hit = first.get(it.id) ?? near?.citedItems.get(it.id);
          break;
        }
      }
    }
    const st: ItemStatus = { item, addressed: hit !== undefined, status: hit !== undefined ? 'addressed' : 'missing' };
    if (hit) st.evidence = { range: lines.range(hit.start, hit.end), term: hit.term };
    else {
      let n = nearOf(item.id);
      for (const it of items) {
        if (n) break;
        if (it.id.startsWith(item.id + '(')) n = nearOf(it.id);
      }
      if (n) {
        st.status = 'weak';
        st.near = n;
      } else if (near) {
        const closest = nearestText(item, near, parsed, lo, hi, ownBlock);
        if (closest) st.near = closest;
      }
    }
    return st;
  });
  return { control, how, range, section, items: statuses };
}

/** What `makeClaim` needs to tell weak items from missing ones (computed once per document). */
interface NearContext {
  blockWeak: Array<ReadonlyMap<string, EvidenceHit>>;
  blockParts: Array<ReadonlySet<number> | undefined>;
  matcher: EvidenceMatcher;
  /** Each item's first evidence blocks anywhere in the document. */
  anywhere: Map<string, Array<{ hit: EvidenceHit; block: number }>>;
  /** Each item's first citation in prose. */
  citedItems: Map<string, EvidenceHit>;
}

/**
 * A missing item's nearest text in its section: the paragraph holding the largest share of the
 * parts of one of its two-part terms (at least one part), for the hover's explanation. Its status
 * stays `missing`.
 */
function nearestText(item: Item, near: NearContext, parsed: ParsedMarkdown, lo: number, hi: number, ownBlock: number | undefined): ItemStatus['near'] | undefined {
  const terms = near.matcher.multiPartTerms(item.id);
  if (terms.length === 0) return undefined;
  let best: { block: number; share: number; term: string } | undefined;
  const blocks = parsed.blocks;
  for (let bi = lo; bi < hi; bi++) {
    const present = near.blockParts[bi];
    if (bi === ownBlock || !present) continue;
    for (const t of terms) {
      // Counted, not filtered: this runs per block of the section and per term of the item.
      let have = 0;
      for (const p of t.parts) if (present.has(p)) have++;
      const share = have / t.parts.length;
      if (share > 0 && (!best || share > best.share)) best = { block: bi, share, term: t.term };
    }
  }
  if (!best) return undefined;
  const b = blocks[best.block];
  let end = Math.min(b.end, b.start + 80);
  while (end > b.start && /\s/.test(parsed.text[end - 1])) end--;
  return { range: parsed.lines.range(b.start, end), term: best.term, reason: 'nearest' };
}

/** The text of the last heading starting before `offset`, if any. */
function headingBefore(parsed: ParsedMarkdown, offset: number): string | undefined {
  let found: string | undefined;
  for (const h of parsed.headings) {
    if (h.start > offset) break;
    found = h.text;
  }
  return found;
}

/** Index of the first block starting at or after `offset` (blocks are sorted by start). */
export function firstBlockAtOrAfter(blocks: ReadonlyArray<{ start: number }>, offset: number): number {
  let lo = 0;
  let hi = blocks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (blocks[mid].start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Marks items not applicable in the claim that holds the directive, or in every claim of its control. */
function applyNotApplicable(directives: Directive[], claims: Claim[], claimHeadings: Array<number | undefined>, parsed: ParsedMarkdown): void {
  for (const d of directives) {
    if (d.kind !== 'not-applicable') continue;
    const na = d as NotApplicableDirective;
    const ofControl = claims.map((c, i) => ({ c, i })).filter(({ c }) => c.control === na.control);
    const containing = ofControl.filter(({ i }) => {
      const hi = claimHeadings[i];
      if (hi === undefined) return false;
      const h = parsed.headings[hi];
      return h.start <= na.offset && na.offset < h.sectionEnd;
    });
    // The innermost containing section is the one whose heading starts last.
    const targets = containing.length > 0
      ? [containing.reduce((a, b) => (parsed.headings[claimHeadings[b.i]!].start > parsed.headings[claimHeadings[a.i]!].start ? b : a))]
      : ofControl;
    for (const { c } of targets) {
      for (const st of c.items) {
        const hit = na.item ? st.item.id === na.item || st.item.id.startsWith(na.item + '(') : na.list === undefined || st.item.list === na.list;
        if (hit) {
          st.notApplicable = { reason: na.reason, range: na.range };
        }
      }
    }
  }
}

/** Reads `controls:` from the front matter; problems become invalid-front-matter findings. */
function readFrontMatter(
  parsed: ParsedMarkdown,
  catalog: CatalogIndex,
  lang: Lang,
  citations: Citation[],
  claims: Array<{ control: string; items?: string[]; range: Range; via?: Via }>,
  problems: Finding[],
  out: { edition?: EditionSetting } = {},
  configEdition: EditionSetting = 'auto',
): void {
  const fm = parsed.frontMatter!;
  const lines = parsed.lines;
  const base = fm.valueStart;
  const ja = lang === 'ja';
  const problem = (start: number, end: number, en: string, jaMsg: string) =>
    problems.push({ code: 'invalid-front-matter', severity: 'error', message: ja ? jaMsg : en, range: lines.range(base + start, base + Math.max(end, start + 1)) });
  if (yamlNestingDepth(fm.value) > MAX_YAML_DEPTH) {
    problem(0, fm.value.length, `Front matter is refused: it nests more than ${MAX_YAML_DEPTH} levels deep.`, `フロントマターを拒否しました: ${MAX_YAML_DEPTH} 段より深く入れ子になっています。`);
    return;
  }
  let doc;
  try {
    doc = parseYaml(fm.value, { prettyErrors: false });
  } catch (e) {
    problem(0, fm.value.length, `Front matter is not valid YAML: ${(e as Error).message}`, `フロントマターが YAML として不正です: ${(e as Error).message}`);
    return;
  }
  if (doc.errors.length > 0) {
    for (const err of doc.errors) {
      const msg = err.message.split('\n')[0];
      problem(err.pos[0], err.pos[1], `Front matter is not valid YAML: ${msg}`, `フロントマターが YAML として不正です: ${msg}`);
    }
    return;
  }
  try {
    // Resolving the aliases with a cap refuses an alias bomb ("billion laughs") up front.
    // mapAsMap: a list or mapping used as a key stays a key (the library would stringify it and
    // print a process warning on the server's stderr).
    doc.toJS({ maxAliasCount: 100, mapAsMap: true });
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    problem(0, fm.value.length, `Front matter is refused: ${msg}`, `フロントマターを拒否しました: ${msg}`);
    return;
  }
  const root = doc.contents as YamlNode | null;
  if (!root || !isMap(root)) return;
  // Ids written in other front-matter values (`related: TEL.18.1.7`) are citations, not claims.
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === 'controls') return visit.SKIP;
      return undefined;
    },
    Scalar(_, scalar) {
      if (!scalar.range || typeof scalar.value !== 'string') return;
      const [start, end] = scalar.range;
      const slice = fm.value.slice(start, end);
      for (const cand of findIdCandidates(slice)) {
        const cit = citationOf(cand, base + start + cand.start, base + start + cand.end, 'front-matter', catalog, lines);
        if (cit) citations.push(cit);
      }
    },
  });
  const editionNode = root.get('edition', true) as YamlNode | undefined;
  if (editionNode !== undefined && editionNode !== null) {
    const v = isScalar(editionNode) ? parseEditionSetting(editionNode.value) : undefined;
    if (v) out.edition = v;
    else {
      const r = editionNode.range ?? [0, 0, 0];
      problem(r[0], r[1], '`edition` must be 2013, 2022 or auto.', '`edition` は 2013、2022、auto のいずれかにしてください。');
    }
  }
  const node = root.get('controls', true) as YamlNode | undefined;
  if (node === undefined || node === null) return;
  const items = isSeq(node) ? node.items : null;
  if (!items) {
    const r = node.range ?? [0, 0, 0];
    problem(r[0], r[1], '`controls` must be a list of control ids, e.g. controls: [TEL.18.1.6, 12.4.1]', '`controls` は管理策 ID のリストにしてください（例: controls: [TEL.18.1.6, 12.4.1]）');
    return;
  }
  const byControl = new Map<string, { whole: boolean; items: string[]; range: Range; direct?: boolean; via?: Via }>();
  for (const it of items) {
    const n = it as YamlNode;
    const r = n.range ?? [0, 0, 0];
    const raw = isScalar(n) ? String(n.value ?? '') : '';
    const shaped = raw ? normalizeId(raw) : undefined;
    if (!shaped && raw) {
      // An id in ISO/IEC 27002:2022 / 27011:2024 numbering claims the 2016 controls it maps from.
      const choice = out.edition && out.edition !== 'auto' ? out.edition : configEdition !== 'auto' ? configEdition : undefined;
      const other = lookupEditionId(catalog, raw, choice);
      const range = lines.range(base + r[0], base + r[1]);
      if (other?.kind === 'edition-control') {
        const e = other.control;
        const via: Via = { id: e.id, edition: / TEL$/.test(e.id) ? '27011:2024' : '27002:2022', known: true };
        if (e.from.length === 0) citations.push({ raw, range, normalized: e.id, where: 'front-matter', via });
        for (const f of e.from) {
          citations.push({ raw, range, control: f, normalized: f, where: 'front-matter', via });
          const entry = byControl.get(f) ?? { whole: false, items: [], range };
          entry.whole = true;
          if (entry.direct !== true) entry.via ??= via;
          byControl.set(f, entry);
        }
        continue;
      }
      if (other?.kind === 'unknown') {
        citations.push({ raw, range, normalized: other.id, where: 'front-matter', via: { id: other.id, edition: other.edition, known: false } });
        continue;
      }
      if (other?.kind === 'ambiguous') {
        problem(
          r[0],
          r[1],
          `"${raw}" is objective ${other.objective.id} in ISO/IEC 27002:2013 and control ${other.control.id} in 2022: add edition: 2022 (or 2013) to the front matter.`,
          `「${raw}」は 2013 年版では管理目的 ${other.objective.id}、2022 年版では管理策 ${other.control.id} です。フロントマターに edition: 2022（または 2013）を書いてください。`,
        );
        continue;
      }
    }
    if (!shaped) {
      problem(r[0], r[1], `"${raw || '…'}" is not a control id (write it like TEL.18.1.6 or 12.4.1).`, `「${raw || '…'}」は管理策 ID ではありません（TEL.18.1.6 や 12.4.1 のように書いてください）。`);
      continue;
    }
    const range = lines.range(base + r[0], base + r[1]);
    const resolved = normalizeId(raw, catalog);
    if (!resolved) {
      citations.push({ raw, range, normalized: shaped.item ?? shaped.control, where: 'front-matter' });
      continue;
    }
    citations.push({ raw, range, control: resolved.control, item: resolved.item, normalized: shaped.item ?? shaped.control, where: 'front-matter' });
    const entry = byControl.get(resolved.control) ?? { whole: false, items: [], range };
    if (resolved.item) entry.items.push(resolved.item);
    else entry.whole = true;
    entry.direct = true;
    entry.via = undefined;
    byControl.set(resolved.control, entry);
  }
  for (const [control, e] of byControl) claims.push({ control, items: e.whole ? undefined : e.items, range: e.range, ...(e.via ? { via: e.via } : {}) });
}
