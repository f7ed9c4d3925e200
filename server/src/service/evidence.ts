/**
 * Evidence matching: does a piece of prose address an item?
 *
 * Each item carries evidence terms (ja and en). A term `A + B` needs all its parts in one
 * sentence. Terms and text are compared after `normalizeForMatch`. A clause that states the
 * topic is out of scope ("通信の内容は対象外とする", "does not cover the content") does not count
 * as evidence.
 *
 * The matcher is compiled once per catalogue (and set of extra terms): every distinct term part,
 * negation cue and clause connective goes into one Aho–Corasick automaton, so scanning a text is
 * one pass over its normalised form, whatever the number of terms — no regular expression is built
 * per term, and nothing can backtrack.
 */
import { normalizeForMatch, normalizeTerm } from './language';
import type { Item } from './types';

/** Where an item was found addressed. Offsets are into the scanned text (plus `offset0`). */
export interface EvidenceHit {
  item: string;
  /** The term as written in the catalogue or config. */
  term: string;
  start: number;
  end: number;
}

/** Terms of one item, as the matcher takes them. */
export interface ItemTerms {
  item: string;
  terms: string[];
}

/** Phrases saying that a topic is outside the text's scope (normalised before use). */
const NEGATION_CUES = [
  // Japanese: scope exclusions, not prohibitions ("提供しない" addresses an item, it does not negate it).
  // "扱わない" alone is left out: "通信の内容を目的外に扱わない" is a safeguard, not an exclusion.
  '対象外', '対象としない', '対象とはしない', '対象に含まない', '対象に含めない', '範囲外', '適用外',
  '適用しない', '適用されない', 'では扱わない', 'では取扱わない', '規定しない', '定めない', '言及しない', '考慮しない',
  // English.
  'not cover', "n't cover", 'not covered', 'not address', "n't address", 'not apply', "n't apply",
  'not applicable', 'out of scope', 'out of the scope', 'outside the scope', 'outside of the scope',
  'beyond the scope', 'not in scope', 'not within the scope', 'excluded from', 'not dealt with',
  'not part of this', 'not within scope',
];

/** Connectives that start a new clause, so that negation stays in its own clause. */
const CLAUSE_BREAKS = ['が、', 'けれども', 'しかし', 'ただし', '一方', 'but', 'however', 'whereas', 'except', 'although'];

const enum Kind {
  Part = 0,
  Negation = 1,
  Clause = 2,
}

interface Pattern {
  text: string;
  kind: Kind;
  /** Needs a word boundary before / after (the pattern starts / ends with an ASCII letter or digit). */
  leftB: boolean;
  rightB: boolean;
  /** Terms using this pattern as one of their parts (indices into `terms`). */
  users: number[];
}

interface CompiledTerm {
  item: string;
  term: string;
  /** Distinct pattern ids of the parts. */
  parts: number[];
}

const isWordCode = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);

/** A compiled matcher over a fixed set of items' terms. */
export class EvidenceMatcher {
  private readonly patterns: Pattern[] = [];
  private readonly byText = new Map<string, number>();
  private readonly terms: CompiledTerm[] = [];
  // The automaton: per state, its transitions, failure link and the patterns ending here.
  private readonly next: Array<Map<number, number>> = [new Map()];
  private readonly fail: number[] = [0];
  private readonly out: number[][] = [[]];

  /** Compiles the terms of `items`; call once per catalogue and reuse. */
  constructor(items: Iterable<ItemTerms>) {
    for (const { item, terms } of items) {
      for (const term of terms) {
        const parts = splitTerm(term)
          .map((p) => normalizeTerm(p))
          .filter((p) => p.length > 0);
        if (parts.length === 0) continue;
        const ids = [...new Set(parts.map((p) => this.addPattern(p, Kind.Part)))];
        const index = this.terms.length;
        this.terms.push({ item, term, parts: ids });
        for (const id of ids) this.patterns[id].users.push(index);
      }
    }
    for (const cue of NEGATION_CUES) this.addPattern(normalizeTerm(cue), Kind.Negation, cue.startsWith("n't"));
    for (const b of CLAUSE_BREAKS) this.addPattern(normalizeTerm(b), Kind.Clause);
    this.link();
  }

  /** Builds a matcher from catalogue items, adding extra terms per item id (from the config). */
  static forItems(items: Iterable<Item>, extra?: Record<string, { ja?: string[]; en?: string[] }>): EvidenceMatcher {
    const list: ItemTerms[] = [];
    for (const it of items) {
      const more = extra?.[it.id];
      list.push({
        item: it.id,
        terms: [...it.terms.ja, ...it.terms.en, ...(more?.ja ?? []), ...(more?.en ?? [])],
      });
    }
    return new EvidenceMatcher(list);
  }

  /** Number of distinct patterns in the automaton (for tests and benchmarks). */
  get patternCount(): number {
    return this.patterns.length;
  }

  /**
   * Scans one block of prose and returns, per item, its first (leftmost) evidence that is not in a
   * negated clause. `offset0` is added to the returned offsets (the block's offset in its
   * document). Sentences end at 。 ！ ？ ; and at a full stop followed by a space; a block never
   * shares a sentence with another block.
   */
  scan(text: string, offset0 = 0): Map<string, EvidenceHit> {
    const n = normalizeForMatch(text, offset0);
    const t = n.text;
    const found = new Map<string, EvidenceHit>();
    if (t.length === 0 || this.terms.length === 0) return found;

    // Sentence number of each position, and clause number (clauses nest inside sentences).
    const occurrences: Array<{ p: number; start: number; end: number }> = [];
    let state = 0;
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      for (;;) {
        const s = this.next[state].get(c);
        if (s !== undefined) {
          state = s;
          break;
        }
        if (state === 0) break;
        state = this.fail[state];
      }
      for (const p of this.out[state]) {
        const pat = this.patterns[p];
        const start = i + 1 - pat.text.length;
        if (pat.leftB && start > 0 && isWordCode(t.charCodeAt(start - 1))) continue;
        if (pat.rightB && i + 1 < t.length && isWordCode(t.charCodeAt(i + 1))) continue;
        occurrences.push({ p, start, end: i + 1 });
      }
    }
    if (occurrences.length === 0) return found;

    const sentenceOf = sentenceIndex(t);
    // Clause ids: a clause connective starts a new clause within its sentence. One sweep over
    // the text numbers every position's clause, so each lookup below is constant time.
    const breaks = new Uint8Array(t.length + 1);
    for (const o of occurrences) if (this.patterns[o.p].kind === Kind.Clause) breaks[o.start] = 1;
    const clauseId = new Int32Array(t.length + 1);
    let clause = 0;
    for (let i = 0; i <= t.length; i++) {
      if (breaks[i] || (i > 0 && sentenceOf[i] !== sentenceOf[i - 1])) clause++;
      clauseId[i] = clause;
    }
    const clauseOf = (pos: number): number => clauseId[pos];
    const negated = new Set<number>();
    for (const o of occurrences) {
      if (this.patterns[o.p].kind !== Kind.Negation) continue;
      // "別途定めない限り" / "対象としない場合" state a condition, not an exclusion.
      if (t.startsWith('限り', o.end) || t.startsWith('かぎり', o.end) || t.startsWith('場合', o.end)) continue;
      negated.add(clauseOf(o.start));
    }

    // Per sentence, the first non-negated occurrence of each part pattern.
    const bySentence = new Map<number, Map<number, { start: number; end: number }>>();
    for (const o of occurrences) {
      if (this.patterns[o.p].kind !== Kind.Part) continue;
      if (negated.size > 0 && negated.has(clauseOf(o.start))) continue;
      const s = sentenceOf[o.start];
      let parts = bySentence.get(s);
      if (!parts) bySentence.set(s, (parts = new Map()));
      if (!parts.has(o.p)) parts.set(o.p, { start: o.start, end: o.end });
    }
    for (const parts of bySentence.values()) {
      const tried = new Set<number>();
      for (const p of parts.keys()) {
        for (const ti of this.patterns[p].users) {
          if (tried.has(ti)) continue;
          tried.add(ti);
          const term = this.terms[ti];
          let start = Infinity;
          let end = -1;
          let all = true;
          for (const q of term.parts) {
            const occ = parts.get(q);
            if (!occ) {
              all = false;
              break;
            }
            start = Math.min(start, occ.start);
            end = Math.max(end, occ.end);
          }
          if (!all) continue;
          const hit: EvidenceHit = { item: term.item, term: term.term, start: n.map[start], end: n.map[end - 1] + 1 };
          // The source end is the end of the last code unit's source character (a surrogate pair
          // or a folded variant spans more than one unit).
          hit.end = Math.max(hit.end, sourceEnd(n.map, end));
          const prev = found.get(term.item);
          if (!prev || hit.start < prev.start) found.set(term.item, hit);
        }
      }
    }
    return found;
  }

  private addPattern(text: string, kind: Kind, noLeftBoundary = false): number {
    const key = `${kind}\u0000${text}`;
    const known = this.byText.get(key);
    if (known !== undefined) return known;
    const id = this.patterns.length;
    this.patterns.push({
      text,
      kind,
      leftB: !noLeftBoundary && isWordCode(text.charCodeAt(0)),
      rightB: isWordCode(text.charCodeAt(text.length - 1)),
      users: [],
    });
    this.byText.set(key, id);
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let t = this.next[s].get(c);
      if (t === undefined) {
        t = this.next.length;
        this.next.push(new Map());
        this.fail.push(0);
        this.out.push([]);
        this.next[s].set(c, t);
      }
      s = t;
    }
    this.out[s].push(id);
    return id;
  }

  /** Computes failure links breadth-first and merges outputs along them. */
  private link(): void {
    const queue: number[] = [];
    for (const t of this.next[0].values()) {
      this.fail[t] = 0;
      queue.push(t);
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi];
      for (const [c, t] of this.next[s]) {
        let f = this.fail[s];
        while (f !== 0 && !this.next[f].has(c)) f = this.fail[f];
        const g = this.next[f].get(c);
        this.fail[t] = g !== undefined && g !== t ? g : 0;
        this.out[t] = this.out[t].concat(this.out[this.fail[t]]);
        queue.push(t);
      }
    }
  }
}

/** Splits `A + B` (also with a full-width plus) into its parts. */
export function splitTerm(term: string): string[] {
  return term.split(/\s+[+＋]\s+|＋/u).map((p) => p.trim());
}

/** Source offset just past normalised position `end - 1`. */
function sourceEnd(map: number[], end: number): number {
  // Positions mapping to the same source offset belong to one source character; the next
  // distinct offset is where that character ends.
  const last = map[end - 1];
  for (let k = end; k < map.length; k++) if (map[k] !== last) return map[k];
  return last + 1;
}

/** For each position of a normalised text, the index of its sentence. */
function sentenceIndex(t: string): Int32Array {
  const idx = new Int32Array(t.length + 1);
  let s = 0;
  for (let i = 0; i < t.length; i++) {
    idx[i] = s;
    const c = t[i];
    if (c === '。' || c === '!' || c === '?' || c === ';' || c === '；') s++;
    else if (c === '.' && (i + 1 === t.length || t[i + 1] === ' ')) s++;
  }
  idx[t.length] = s;
  return idx;
}

/**
 * Finds, for each item, the first evidence in `text` — the entry point of the accuracy benchmark
 * and of tests. For repeated calls, build an `EvidenceMatcher` once and call `scan`.
 */
export function findEvidence(text: string, items: Iterable<Item>, extra?: Record<string, { ja?: string[]; en?: string[] }>): Map<string, EvidenceHit> {
  return EvidenceMatcher.forItems(items, extra).scan(text);
}
