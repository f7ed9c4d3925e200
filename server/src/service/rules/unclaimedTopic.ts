import type { Rule, RuleContext } from './rule';
import { docsUrl } from './rule';
import { normalizeTerm } from '../language';
import type { CatalogIndex } from '../../../../catalog/src/query';

/** Normalised control titles per catalogue, built once. */
const titleCache = new WeakMap<CatalogIndex, Array<{ id: string; titles: string[] }>>();

function titlesOf(catalog: CatalogIndex): Array<{ id: string; titles: string[] }> {
  let t = titleCache.get(catalog);
  if (!t) {
    t = catalog.allControls().map((c) => ({ id: c.id, titles: [strip(normalizeTerm(c.title.ja)), strip(normalizeTerm(c.title.en))].filter((s) => s.length >= 4) }));
    titleCache.set(catalog, t);
  }
  return t;
}

/**
 * The controls whose title a heading names: its normalised text contains the title, or is most
 * of it. None for a heading of fewer than four characters once stripped.
 */
function titlesNamedBy(catalog: CatalogIndex, heading: string): string[] {
  const head = strip(normalizeTerm(heading));
  if (head.length < 4) return [];
  return titlesOf(catalog)
    .filter((t) => t.titles.some((title) => head.includes(title) || (title.includes(head) && head.length / title.length >= 0.6)))
    .map((t) => t.id);
}

/** Removes numbering, ids and punctuation from a normalised heading or title. */
function strip(s: string): string {
  return s.replace(/tel\.?\s*[0-9.]+|[0-9０-９.．()（）[\]【】「」:：、,。#第条章節\s-]+/g, '');
}

/** Position in `order` (block indices sorted by start) of the first block starting at or after `pos`. */
function firstAtOrAfter(blocks: ReadonlyArray<{ start: number }>, order: readonly number[], pos: number): number {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (blocks[order[mid]].start < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The controls claimed over each block: every claim without a heading, plus the claims whose
 * heading's section contains the block's start. One sweep in document order over the claims'
 * sections sorted by start, keeping only the sections still open (they nest, so few are open at
 * once), instead of testing every claim for every block (blocks × claims grew quadratically).
 */
function claimedControlsByBlock(model: RuleContext['model'], order: readonly number[]): Array<Set<string>> {
  const headings = model.parsed.headings;
  const everywhere: string[] = [];
  const sections: Array<{ start: number; end: number; control: string }> = [];
  model.claims.forEach((claim, ci) => {
    const hi = model.claimHeadings[ci];
    if (hi === undefined) everywhere.push(claim.control);
    else sections.push({ start: headings[hi].start, end: headings[hi].sectionEnd, control: claim.control });
  });
  sections.sort((a, b) => a.start - b.start);
  const out: Array<Set<string>> = new Array(model.parsed.blocks.length);
  let open: typeof sections = [];
  let next = 0;
  let last: Set<string> | undefined;
  let lastKey = '';
  for (const bi of order) {
    const at = model.parsed.blocks[bi].start;
    while (next < sections.length && sections[next].start <= at) open.push(sections[next++]);
    open = open.filter((s) => at < s.end);
    // Consecutive blocks under the same claims share one set.
    const key = open.map((s) => s.control).join('\n');
    if (!last || key !== lastKey) {
      last = new Set([...everywhere, ...open.map((s) => s.control)]);
      lastKey = key;
    }
    out[bi] = last;
  }
  return out;
}

/** Minimum number of distinct items of one control a section must address to be flagged. */
const MIN_ITEMS = 2;

/**
 * unclaimed-topic: a section that plainly discusses a control's subject — its heading names the
 * control's title (one control only), or its own prose addresses at least two distinct items of
 * the control — but cites the control nowhere in the document. Tuned for precision: a hint;
 * headings that claim a control are not examined, and words that are evidence for a control
 * claimed over the section do not count for another.
 */
export const unclaimedTopic: Rule = {
  code: 'unclaimed-topic',
  description: {
    en: 'A section discusses a control’s subject (its title, or two or more of its items) without citing the control.',
    ja: '節が管理策の主題（表題、または二つ以上の項目）を扱っているのに、その管理策を引用していない。',
  },
  defaultSeverity: 'hint',
  docs: docsUrl('unclaimed-topic'),
  tags: ['coverage', 'suggestion'],
  scope: 'document',
  check(ctx) {
    const { model, catalog } = ctx;
    const cited = new Set<string>();
    for (const c of model.citations) if (c.control) cited.add(c.control);
    for (const c of model.claims) cited.add(c.control);
    const headings = model.parsed.headings;
    const blocks = model.parsed.blocks;
    const claiming = new Set(model.claimHeadings.filter((x): x is number => x !== undefined));
    // Blocks in document order, so that each heading finds its own blocks by binary search instead
    // of scanning every block of the document (headings × blocks grew quadratically).
    const order = blocks.map((_, bi) => bi).sort((a, b) => blocks[a].start - blocks[b].start);
    const claimedAt = claimedControlsByBlock(model, order);
    headings.forEach((h, hi) => {
      // A heading that claims a control has made its choice; suggesting another is noise.
      if (claiming.has(hi)) return;
      const end = hi + 1 < headings.length ? headings[hi + 1].start : model.parsed.text.length;
      // Distinct items per control in the heading and the section's own prose (not subsections).
      const perControl = new Map<string, Set<string>>();
      for (let k = firstAtOrAfter(blocks, order, h.start); k < order.length && blocks[order[k]].start < end; k++) {
        const bi = order[k];
        // Words that are evidence for a control claimed over this block belong to that claim:
        // a secrecy section mentioning retention periods is not an unclaimed logging section.
        const claimedHere = claimedAt[bi];
        const spans: Array<[number, number]> = [];
        for (const hit of model.blockHits[bi].values()) {
          const item = catalog.item(hit.item);
          if (item && claimedHere.has(item.control)) spans.push([hit.start, hit.end]);
        }
        for (const hit of model.blockHits[bi].values()) {
          const item = catalog.item(hit.item);
          if (!item || cited.has(item.control)) continue;
          if (spans.some(([s, e]) => hit.start < e && s < hit.end)) continue;
          const set = perControl.get(item.control) ?? new Set<string>();
          set.add(item.id);
          perControl.set(item.control, set);
        }
      }
      let best: { id: string; items: string[]; byTitle: boolean } | undefined;
      for (const [control, set] of perControl) {
        if (set.size < MIN_ITEMS) continue;
        if (!best || set.size > best.items.length) best = { id: control, items: [...set], byTitle: false };
      }
      if (!best) {
        // The controls whose title the heading names, cited or not (a function of its text alone).
        const named = ctx.memo('unclaimed-topic:titles', h.text, (text) => titlesNamedBy(catalog, text));
        const matches = named.filter((id) => !cited.has(id));
        if (matches.length === 1) best = { id: matches[0], items: [], byTitle: true };
      }
      if (!best) return;
      const control = catalog.control(best.id);
      const title = control ? control.title[ctx.lang] : '';
      const subjects = best.items.map((id) => catalog.item(id)?.subject[ctx.lang]).filter(Boolean).join(ctx.lang === 'ja' ? '、' : ', ');
      // The advice names a form that the rules read as a claim: a bare number in a heading is a
      // section number, so an ISO control is cited in brackets.
      const form = best.id.startsWith('TEL.') ? best.id : ctx.lang === 'ja' ? `（${best.id}）` : `(${best.id})`;
      const message =
        ctx.lang === 'ja'
          ? `この節は ${best.id} ${title}${subjects ? `（${subjects}）` : ''} を扱っていますが、引用していません。実施しているなら見出しに ${form} と書いてください。`
          : `This section discusses ${best.id} ${title}${subjects ? ` (${subjects})` : ''} but does not cite it; if it implements it, cite it in the heading as ${form}.`;
      ctx.report({ message, range: model.parsed.lines.range(h.start, h.end), control: best.id, data: { control: best.id, items: best.items, byTitle: best.byTitle } });
    });
  },
};
