/**
 * Lookups over a compiled catalogue: by id, by term, did-you-mean and ranked search.
 *
 * Pure: no Node built-ins. Built once per catalogue; every lookup by id is a map access.
 */
import type { Abbreviation, AnnexBEntry, Catalog, Clause, Control, Definition, Item, Objective, Text } from './types';
import { findIdCandidates, foldWidth, formatItemId, normalizeId, type IdResolver } from './normalize';
import { compareIds } from './compile';
import { EditionIndex } from './editions';

/** What a free-form reference (`x1051 show …`, a hover) turned out to name. */
export type CatalogEntryRef =
  | { kind: 'control'; control: Control }
  | { kind: 'item'; item: Item }
  | { kind: 'objective'; objective: Objective }
  | { kind: 'clause'; clause: Clause }
  | { kind: 'annex-b'; entry: AnnexBEntry }
  | { kind: 'definition'; definition: Definition }
  | { kind: 'abbreviation'; abbreviation: Abbreviation };

/** One search hit: an id, its title in both languages, and how well it matched. */
export interface SearchResult {
  kind: CatalogEntryRef['kind'];
  /** Control / item / objective / clause / Annex B / definition id, or the abbreviation. */
  id: string;
  title: Text;
  /** Higher is better; only meaningful for ordering results of one query. */
  score: number;
}

/**
 * A key for comparing words and titles: NFKC (full/half width), lower case, no white space,
 * no middle dots or long-vowel variants that authors write inconsistently.
 */
export function textKey(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/[\s・·]/gu, '');
}

/** Levenshtein distance, bounded: returns `limit + 1` as soon as the distance exceeds `limit`. */
export function editDistance(a: string, b: string, limit = Number.MAX_SAFE_INTEGER): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length];
}

/** Index over a compiled catalogue. Implements the resolver `normalizeId` needs. */
export class CatalogIndex implements IdResolver {
  private readonly controls = new Map<string, Control>();
  private readonly objectives = new Map<string, Objective>();
  private readonly clauses = new Map<string, Clause>();
  private readonly items = new Map<string, Item>();
  private readonly annexBEntries = new Map<string, AnnexBEntry>();
  private readonly definitions = new Map<string, Definition>();
  private readonly definitionsByTerm = new Map<string, Definition>();
  private readonly abbreviations = new Map<string, Abbreviation>();
  private readonly abbreviationsFolded = new Map<string, Abbreviation>();
  private readonly ordered: Control[];
  /** Text keys computed once: search runs on every keystroke of a quick pick. */
  private readonly keys = new Map<string, string>();
  /** The other editions (ISO/IEC 27002:2022, ISO/IEC 27011:2024 TEL) mapped onto this catalogue. */
  readonly editions: EditionIndex;

  /** @param catalog the compiled catalogue (`dist/catalog.json`). */
  constructor(readonly catalog: Catalog) {
    for (const c of catalog.controls) {
      this.controls.set(c.id, c);
      for (const i of c.items) this.items.set(i.id, i);
    }
    for (const o of catalog.objectives) this.objectives.set(o.id, o);
    for (const c of catalog.clauses) this.clauses.set(c.id, c);
    for (const b of catalog.annexB) {
      this.annexBEntries.set(b.id, b);
      for (const i of b.items) this.items.set(i.id, i);
    }
    for (const d of catalog.definitions) {
      this.definitions.set(d.id, d);
      this.definitionsByTerm.set(textKey(d.term.ja), d);
      this.definitionsByTerm.set(textKey(d.term.en), d);
    }
    for (const a of catalog.abbreviations) {
      this.abbreviations.set(a.abbr, a);
      this.abbreviationsFolded.set(textKey(a.abbr), a);
    }
    this.ordered = [...catalog.controls].sort((a, b) => compareIds(a.id, b.id));
    this.editions = new EditionIndex(catalog);
  }

  /** The control with this canonical id ("TEL.18.1.6", "12.4.1"). */
  control(id: string): Control | undefined {
    return this.controls.get(id);
  }

  /** The objective with this id ("TEL.18.1", "12.4"). */
  objective(id: string): Objective | undefined {
    return this.objectives.get(id);
  }

  /** The clause with this id ("TEL.18", "12"). */
  clause(id: string): Clause | undefined {
    return this.clauses.get(id);
  }

  /** The item with this stable id ("TEL.18.1.6(e)", "TEL.18.1.6[2](c)", "TEL.13.1.4(e)(4)"). */
  item(id: string): Item | undefined {
    return this.items.get(id);
  }

  /** The Annex B entry with this id ("B.1.1"). */
  annexB(id: string): AnnexBEntry | undefined {
    return this.annexBEntries.get(id);
  }

  /** The definition with this id ("3.1.4"). */
  definition(id: string): Definition | undefined {
    return this.definitions.get(id);
  }

  /** The definition whose Japanese or English term is `term` (width, case and spaces ignored). */
  definitionByTerm(term: string): Definition | undefined {
    return this.definitionsByTerm.get(textKey(term));
  }

  /** The abbreviation `abbr`: exact spelling first, then ignoring case and width. */
  abbreviation(abbr: string): Abbreviation | undefined {
    return this.abbreviations.get(abbr) ?? this.abbreviationsFolded.get(textKey(abbr));
  }

  /** Every control in standard order: main-body clauses 5–18, then Annex A (TEL). */
  allControls(): Control[] {
    return this.ordered;
  }

  /** Items of a control or Annex B entry, in list order (sub-items after their parent). */
  itemsOf(owner: string): Item[] {
    return this.controls.get(owner)?.items ?? this.annexBEntries.get(owner)?.items ?? [];
  }

  /** Direct sub-items of an item. */
  childrenOf(itemId: string): Item[] {
    const item = this.items.get(itemId);
    if (!item) return [];
    return this.itemsOf(item.control).filter((i) => i.parent === itemId);
  }

  /**
   * Resolves labels written after a control ("e", then "4") to its item. With an explicit `list`
   * only that list is used; otherwise list 1 when it has the first label, else the first list that
   * has it (so `TEL.18.1.6(i)` is `TEL.18.1.6[2](i)`).
   */
  resolveItem(control: string, labels: string[], list?: number): Item | undefined {
    if (labels.length === 0) return undefined;
    const owner = this.controls.get(control) ?? this.annexBEntries.get(control);
    if (!owner) return undefined;
    const first = labels[0];
    const numbers = list !== undefined ? [list] : owner.lists.map((l) => l.list).sort((a, b) => a - b);
    for (const n of numbers) {
      if (this.items.has(formatItemId(control, n, [first]))) return this.items.get(formatItemId(control, n, labels));
    }
    return undefined;
  }

  /**
   * Resolves free-form text to what it names: a control or item id in any accepted form, an
   * objective, clause, Annex B or definition id, a defined term (ja/en), a control title, or an
   * abbreviation.
   */
  lookup(text: string): CatalogEntryRef | undefined {
    const t = foldWidth(text.trim());
    if (t === '') return undefined;
    const id = normalizeId(t, this);
    if (id?.item) {
      const item = this.items.get(id.item);
      if (item) return { kind: 'item', item };
    }
    if (id) {
      const control = this.controls.get(id.control);
      if (control) return { kind: 'control', control };
    }
    // Annex B items ("B.1.1(a)") and ids the id scanner does not cover (objectives, clauses, B.x).
    const compact = t.replace(/\s+/g, '');
    const telSpelled = compact.replace(/^tel\.?/i, 'TEL.');
    const item = this.items.get(compact) ?? this.items.get(telSpelled);
    if (item) return { kind: 'item', item };
    const bItem = /^(B\.[0-9.]+?)\(([a-z0-9]+)\)$/.exec(compact);
    if (bItem) {
      const it = this.resolveItem(bItem[1], [bItem[2]]);
      if (it) return { kind: 'item', item: it };
    }
    for (const key of [compact, telSpelled]) {
      const objective = this.objectives.get(key);
      if (objective) return { kind: 'objective', objective };
      const clause = this.clauses.get(key);
      if (clause) return { kind: 'clause', clause };
      const entry = this.annexBEntries.get(key);
      if (entry) return { kind: 'annex-b', entry };
      const definition = this.definitions.get(key);
      if (definition) return { kind: 'definition', definition };
    }
    const definition = this.definitionByTerm(t);
    if (definition) return { kind: 'definition', definition };
    const key = textKey(t);
    const titled = this.ordered.find((c) => textKey(c.title.ja) === key || textKey(c.title.en) === key);
    if (titled) return { kind: 'control', control: titled };
    const abbreviation = this.abbreviation(t);
    if (abbreviation) return { kind: 'abbreviation', abbreviation };
    return undefined;
  }

  /** Every id the catalogue knows: controls, objectives, clauses, items, Annex B, definitions. */
  allIds(): string[] {
    return [
      ...this.controls.keys(),
      ...this.objectives.keys(),
      ...this.clauses.keys(),
      ...this.items.keys(),
      ...this.annexBEntries.keys(),
      ...this.definitions.keys(),
    ];
  }

  /**
   * Suggests up to `max` ids close to `text`: the same numbers under the other prefix first
   * (`TEL.12.4.1` → `12.4.1`, `18.1.6` → `TEL.18.1.6`), then ids within a small edit distance of
   * the normalised text. Items are suggested only when the text names an item.
   */
  didYouMean(text: string, max = 3, scope: 'any' | 'controls' = 'any'): string[] {
    const cand = findIdCandidates(text.trim())[0];
    const written = cand ? cand.normalized : foldWidth(text.trim()).replace(/\s+/g, '').replace(/^tel\.?/i, 'TEL.');
    const wantsItem = cand ? cand.itemLabels.length > 0 : /\(/.test(written);
    // For a cited control only controls are candidates (never a definition such as 3.1.9).
    const pool = wantsItem
      ? [...this.items.keys()]
      : scope === 'controls'
        ? [...this.controls.keys()]
        : [...this.controls.keys(), ...this.objectives.keys(), ...this.annexBEntries.keys(), ...this.definitions.keys()];
    const bare = (id: string) => id.replace(/^TEL\./, '');
    const limit = Math.max(1, Math.min(3, Math.floor(written.length / 4)));
    const scored: { id: string; score: number }[] = [];
    for (const id of pool) {
      if (id === written) continue;
      if (bare(id) === bare(written)) {
        scored.push({ id, score: 0 });
        continue;
      }
      const d = editDistance(written, id, limit);
      if (d <= limit) scored.push({ id, score: d });
    }
    scored.sort((a, b) => a.score - b.score || compareIds(a.id, b.id));
    return scored.slice(0, max).map((s) => s.id);
  }

  /**
   * Ranked search over ids, titles, terms and text in both languages (or one, with `lang`), for
   * quick picks and workspace symbols. An empty query returns every control in standard order.
   */
  search(query: string, lang?: 'ja' | 'en', max = 50): SearchResult[] {
    const q = textKey(query);
    const results: SearchResult[] = [];
    const key = (s: string): string => {
      let k = this.keys.get(s);
      if (k === undefined) {
        k = textKey(s);
        this.keys.set(s, k);
      }
      return k;
    };
    const pick = (t: Text): string[] => (lang ? [t[lang]] : [t.ja, t.en]);
    const matchScore = (candidates: string[], weight: number): number => {
      let best = 0;
      for (const c of candidates) {
        const k = key(c);
        if (k === q) best = Math.max(best, weight + 20);
        else if (k.startsWith(q)) best = Math.max(best, weight + 10);
        else if (k.includes(q)) best = Math.max(best, weight);
      }
      return best;
    };
    const idScore = (id: string): number => {
      const k = key(id);
      if (k === q || k.replace(/^tel\./, 'tel') === q) return 100;
      if (k.startsWith(q) || k.replace(/^tel\./, '').startsWith(q)) return 80;
      return 0;
    };
    if (q === '') {
      return this.ordered.slice(0, max).map((c) => ({ kind: 'control', id: c.id, title: c.title, score: 0 }));
    }
    for (const c of this.ordered) {
      const texts: string[] = [];
      if (c.control) texts.push(...pick(c.control));
      const score = Math.max(idScore(c.id), matchScore(pick(c.title), 50), matchScore(texts, 20));
      if (score > 0) results.push({ kind: 'control', id: c.id, title: c.title, score: score + (c.kind === 'iso-as-is' ? 0 : 1) });
      for (const i of c.items) {
        const s = Math.max(idScore(i.id) - 5, matchScore(pick(i.subject), 40), matchScore(lang ? i.terms[lang] : [...i.terms.ja, ...i.terms.en], 30), matchScore(pick(i.text), 15));
        if (s > 0) results.push({ kind: 'item', id: i.id, title: i.subject, score: s });
      }
    }
    for (const o of this.catalog.objectives) {
      const s = Math.max(idScore(o.id) - 10, matchScore(pick(o.title), 35));
      if (s > 0) results.push({ kind: 'objective', id: o.id, title: o.title, score: s });
    }
    for (const b of this.catalog.annexB) {
      const s = Math.max(idScore(b.id), matchScore(pick(b.title), 35));
      if (s > 0) results.push({ kind: 'annex-b', id: b.id, title: b.title, score: s });
    }
    for (const d of this.catalog.definitions) {
      const s = Math.max(idScore(d.id) - 10, matchScore(pick(d.term), 45), matchScore(pick(d.text), 10));
      if (s > 0) results.push({ kind: 'definition', id: d.id, title: d.term, score: s });
    }
    for (const a of this.catalog.abbreviations) {
      const s = Math.max(matchScore([a.abbr], 55), matchScore([a.expansion], 30));
      if (s > 0) results.push({ kind: 'abbreviation', id: a.abbr, title: { ja: a.text.ja, en: a.expansion }, score: s });
    }
    results.sort((a, b) => b.score - a.score || compareIds(a.id, b.id));
    return results.slice(0, max);
  }
}
