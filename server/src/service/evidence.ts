/**
 * Evidence matching: does a piece of prose address an item?
 *
 * Each item carries evidence terms (ja and en). A term `A + B` needs all its parts in one
 * sentence. Terms and text are compared after `normalizeForMatch`. A clause that states the
 * topic is out of scope ("通信の内容は対象外とする", "does not cover the content") does not count
 * as evidence.
 *
 * An item may have *context* words (in the catalogue, per item or per list): words showing that
 * a sentence is about the item's subject — communications, calls, messages for the elements of the
 * secrecy of communications. A term of such an item counts only when it contains a context word
 * itself ("通信日時", "calling party"), or when the word that modifies it is one (送信日時,
 * 通信の日時, "the timestamp of each call", "call timestamps"), or, when nothing modifies it, when a
 * context word stands within a clause of it or in the lead-in of its list. So "日時" counts in
 * "通信が行われた日時" but not in "委員会の開催日時" or "研修の日時", and "origin" in "the origin of each
 * call" but not in "the origin of this requirement". A Japanese context word that only starts a
 * compound (通信 in 通信障害) is not one: the compound is about something else.
 *
 * English words are stemmed, but a phrase keeps its participles apart: a multi-word term written
 * with "-ing" does not match the text's "-ed" form of the same word, nor the other way round, so
 * "calling party" and "called party" stay different (while "calling parties" still matches).
 *
 * The matcher is compiled once per catalogue (and set of extra terms): every distinct term part,
 * context word, negation cue and clause connective goes into one Aho–Corasick automaton, so
 * scanning a text is one pass over its normalised form, whatever the number of terms — no regular
 * expression is built per term, and nothing can backtrack.
 */
import { normalizeForMatch, normalizeTerm, Participle } from './language';
import { EnglishLexicon, japaneseVariants, type Analyser } from './morphology';
import type { Item } from './types';
import { alternateTerm, conceptLookup, expandTerm, type ConceptExtras, type Thesaurus } from '../../../catalog/src/thesaurus';

/** Morphology and thesaurus the matcher compiles with (all optional). */
export interface MatcherOptions {
  /** Lemmas and Japanese morphemes, from the host (see morphology.ts). */
  analyser?: Analyser;
  /** English derivational families (first word is the head), from the thesaurus. */
  families?: ReadonlyArray<ReadonlyArray<string>>;
}

/** What `forItems` compiles with: morphology, the thesaurus and a config's extra concept words. */
export interface ItemMatcherOptions {
  analyser?: Analyser;
  thesaurus?: Thesaurus;
  concepts?: ConceptExtras;
}

/** Version of `MatcherSnapshot`'s shape (part of every key: an old snapshot is never read). */
export const MATCHER_SNAPSHOT_FORMAT = 2;

/** A compiled matcher as plain data (`EvidenceMatcher.toSnapshot`). */
export interface MatcherSnapshot {
  format: number;
  /** `EvidenceMatcher.sourceKey` of what it was compiled from. */
  key: string;
  longestContext: number;
  /** Per pattern id: text, kind, word boundary needed before / after, participles (or 0). */
  patterns: Array<[text: string, kind: number, leftB: 0 | 1, rightB: 0 | 1, forms: Array<[number, Participle]> | 0]>;
  /** Per term: item id, term as written, part pattern ids, context set index (-1: none), weak. */
  terms: Array<[item: string, term: string, parts: number[], context: number, weak: 0 | 1]>;
  /** Context sets (pattern ids), shared by the terms of one item. */
  contexts: number[][];
  /**
   * The automaton's flat arrays (see `Automaton`; the root's table is rebuilt from state 0's
   * transitions), read as they are: building the trie again took about 8 MiB of maps and arrays
   * per thread, garbage as soon as it was frozen.
   */
  automaton: { edgeStart: number[]; edgeChar: number[]; edgeTo: number[]; fail: number[]; outStart: number[]; outList: number[] };
}

/** A shape check of a parsed snapshot file (its consistency is checked while loading). */
function isSnapshot(x: unknown): x is MatcherSnapshot {
  const s = x as MatcherSnapshot;
  return (
    typeof s === 'object' && s !== null && s.format === MATCHER_SNAPSHOT_FORMAT && typeof s.key === 'string' && typeof s.longestContext === 'number' &&
    Array.isArray(s.patterns) && Array.isArray(s.terms) && Array.isArray(s.contexts) &&
    s.patterns.every((p) => Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'number' && (p[4] === 0 || Array.isArray(p[4]))) &&
    s.terms.every((t) => Array.isArray(t) && typeof t[0] === 'string' && typeof t[1] === 'string' && Array.isArray(t[2]) && typeof t[3] === 'number') &&
    s.contexts.every((c) => Array.isArray(c)) &&
    typeof s.automaton === 'object' && s.automaton !== null &&
    (['edgeStart', 'edgeChar', 'edgeTo', 'fail', 'outStart', 'outList'] as const).every((k) => Array.isArray(s.automaton[k]))
  );
}

/** 32-bit FNV-1a of a string's code units (from `seed`), as hex: a fingerprint, not a secret. */
function fnv1a(text: string, seed: number): string {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** The automaton of a compiled matcher (see `EvidenceMatcher.freeze`). */
interface Automaton {
  /** The root's target per UTF-16 code unit (0: the root). */
  root: Int32Array;
  /** Per state, where its transitions start in `edgeChar` / `edgeTo` (one more entry at the end). */
  edgeStart: Int32Array;
  edgeChar: Uint16Array;
  edgeTo: Int32Array;
  fail: Int32Array;
  /** Per state, where its pattern ids start in `outList` (one more entry at the end). */
  outStart: Int32Array;
  outList: Int32Array;
}

/** Where an item was found addressed. Offsets are into the scanned text (plus `offset0`). */
export interface EvidenceHit {
  item: string;
  /** The term as written in the catalogue or config. */
  term: string;
  start: number;
  end: number;
  /**
   * Near-evidence, not evidence: part of a compound term ("アクセス権 + 削除" for
   * 「アクセス権削除」), or a term whose context word is absent ("content" with no communication
   * near). Such a hit makes an item `weak`, never `addressed`.
   */
  weak?: boolean;
  /** Why a weak hit is weak: part of a compound term, or a term without its context word. */
  why?: 'partial' | 'context';
}

/** Terms of one item, as the matcher takes them. */
export interface ItemTerms {
  item: string;
  terms: string[];
  /** Context words: when given, a term counts only with one of them in or near it (see above). */
  context?: string[];
}

/** The result of scanning one block. */
export interface BlockScan {
  /** Per item, its first evidence (as `scan` returns). */
  hits: Map<string, EvidenceHit>;
  /** Per item without evidence in the block, its first near-evidence (`weak` hits). */
  weak: Map<string, EvidenceHit>;
  /**
   * Context words present anywhere in the block (opaque ids), to pass to the blocks this one
   * leads in (the items of a list that follows it).
   */
  contexts: Set<number>;
  /** Term parts present (not negated) anywhere in the block (opaque ids), for the same purpose. */
  parts: Set<number>;
}

/**
 * What a block inherits from the paragraph that leads in its list or table (and from that
 * paragraph's own lead-in): its context words and its term parts. A list item reads as the
 * continuation of its lead-in sentence.
 */
export interface LeadIn {
  contexts: ReadonlySet<number>;
  parts: ReadonlySet<number>;
}

/**
 * How far (in normalised code units) a context word may stand from a term and still count, when
 * no modifier of the term decides: about a clause ("communications are protected, not just what
 * was said"), not a whole long sentence.
 */
const CONTEXT_REACH = 30;
/** How much of an English "of" complement ("the timestamp of every call") is read. */
const COMPLEMENT_REACH = 40;

/**
 * True for a kanji or katakana unit: a Japanese context word followed by one is only the first
 * half of a compound (通信障害, 通信設備), which is about something else.
 */
const continuesCompound = (c: number): boolean =>
  (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x30a1 && c <= 0x30fa) || c === 0x30fc || c === 0x3005;

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
  Context = 3,
}

interface Pattern {
  text: string;
  kind: Kind;
  /**
   * For a multi-word English part: offsets (into `text`) of words written as participles, with
   * the participle; the text's word there must not have the other participle ending.
   */
  forms?: Array<[offset: number, form: Participle]>;
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
  /** Context pattern ids, one of which must be near; absent when the term needs no context. */
  context?: ReadonlySet<number>;
  /** Only near-evidence (the parts of a compound term). */
  weak?: boolean;
}

/** The other participle: a phrase's "-ing" word must not meet the text's "-ed", and vice versa. */
const otherForm = (f: number): number => (f === Participle.Ing ? Participle.Ed : f === Participle.Ed ? Participle.Ing : -1);

const isWordCode = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);

/** A compiled matcher over a fixed set of items' terms. */
export class EvidenceMatcher {
  private readonly patterns: Pattern[] = [];
  private readonly terms: CompiledTerm[] = [];
  // While compiling: pattern ids by kind and text, and the trie (per state, its transitions,
  // failure link and the patterns ending there). Dropped once the automaton is built.
  private byText = new Map<string, number>();
  private next: Array<Map<number, number>> = [new Map()];
  private fail: number[] = [0];
  private out: number[][] = [[]];
  /** The automaton, in flat arrays (see `freeze`). */
  private automaton!: Automaton;
  /** Length of the longest context word (bounds the window scans of `scanBlock`). */
  private longestContext = 0;
  /** Automaton steps (transitions and failure links followed) of the last scan: for tests. */
  lastScanSteps = 0;
  /**
   * Scratch of the term pass, reused by every scan instead of a set and a map per sentence: a
   * term was tried in the current sentence when `termSeen[term] === sentenceMark`, and a part
   * pattern stands in it when `partSeen[pattern] === sentenceMark`, its first occurrence at
   * `partStart`..`partEnd`. Scans are synchronous, so one scratch serves.
   */
  private termSeen = new Int32Array(0);
  private partSeen = new Int32Array(0);
  private partStart = new Int32Array(0);
  private partEnd = new Int32Array(0);
  private sentenceMark = 0;

  /** English lemma and family folding shared by terms and text (absent without morphology). */
  private readonly lexicon?: EnglishLexicon;

  /**
   * Compiles the terms of `items`; call once per catalogue and reuse. With `from` (a snapshot of a
   * matcher compiled from the same items and options: see `fromSnapshot`), nothing is compiled:
   * the patterns and terms are read from it.
   */
  constructor(items: Iterable<ItemTerms>, options: MatcherOptions = {}, from?: MatcherSnapshot) {
    const lexicon = new EnglishLexicon(options.analyser, options.families);
    if (!lexicon.empty) this.lexicon = lexicon;
    if (from) {
      this.load(from);
      return;
    }
    const lx = this.lexicon;
    for (const { item, terms, context } of items) {
      const ctxTexts = [...new Set((context ?? []).map((c) => normalizeTerm(c, lx)).filter((c) => c.length > 0))];
      const ctxIds = new Set(ctxTexts.map((c) => this.addPattern(c, Kind.Context)));
      for (const c of ctxTexts) this.longestContext = Math.max(this.longestContext, c.length);
      const seen = new Set<string>();
      const addTerm = (term: string, rawParts: string[], weak: boolean) => {
        const parts = rawParts.map((p) => partOf(p, lx)).filter((p) => p.text.length > 0);
        if (parts.length === 0) return;
        const key = `${weak ? 1 : 0}\u0000${parts.map((p) => p.text).sort().join('\u0000')}`;
        if (seen.has(key)) return;
        seen.add(key);
        const ids = [...new Set(parts.map((p) => this.addPattern(p.text, Kind.Part, false, p.forms)))];
        const index = this.terms.length;
        const compiled: CompiledTerm = { item, term, parts: ids };
        if (weak) compiled.weak = true;
        // A term that names a context word itself ("通信日時", "calling party") needs no other.
        if (ctxIds.size > 0 && !parts.some((p) => ctxTexts.some((c) => containsWord(p.text, c)))) compiled.context = ctxIds;
        this.terms.push(compiled);
        for (const id of ids) this.patterns[id].users.push(index);
      };
      for (const term of terms) {
        // Japanese parts meet every conjugation through their invariant stem; a noun compound
        // written as one part also counts, split in two, as near-evidence.
        const variants = splitTerm(term).map((p) => japaneseVariants(p, options.analyser));
        addTerm(term, variants.map((v) => v.stem), false);
        const split = variants.length === 1 ? variants[0].split : undefined;
        if (split) {
          // The same two nouns joined by 「の」 say the same thing (インシデント件数 → インシデントの件数).
          addTerm(term, [split.join('の')], false);
          addTerm(term, split, true);
        }
      }
    }
    for (const cue of NEGATION_CUES) this.addPattern(normalizeTerm(cue, lx), Kind.Negation, cue.startsWith("n't"));
    for (const b of CLAUSE_BREAKS) this.addPattern(normalizeTerm(b, lx), Kind.Clause);
    this.link();
    this.freeze();
  }

  /**
   * What a matcher compiled from `items` with `options` is made of, as a key: equal keys compile
   * to equal matchers (the same terms, thesaurus, concept words and morphology). A snapshot is used
   * only under its own key.
   */
  static sourceKey(items: Iterable<Item>, extra: Record<string, { ja?: string[]; en?: string[] }> | undefined, options: ItemMatcherOptions): string {
    const source = JSON.stringify([
      MATCHER_SNAPSHOT_FORMAT,
      options.analyser ? options.analyser.id ?? null : 'none',
      [...items].map((it) => [it.id, it.terms, it.context ?? null]),
      extra && Object.keys(extra).length > 0 ? extra : null,
      options.thesaurus ?? null,
      options.concepts && Object.keys(options.concepts).length > 0 ? options.concepts : null,
    ]);
    return `${source.length.toString(36)}-${fnv1a(source, 0x811c9dc5)}-${fnv1a(source, 0x01000193)}`;
  }

  /**
   * The compiled matcher as plain data (JSON-safe), to be read back by `fromSnapshot` without
   * compiling: the build stores the default matcher's (`dist/dict/matcher.json`).
   */
  toSnapshot(key: string): MatcherSnapshot {
    const contextSets: Array<ReadonlySet<number>> = [];
    const contextIndex = new Map<ReadonlySet<number>, number>();
    const terms: MatcherSnapshot['terms'] = this.terms.map((t) => {
      let ci = -1;
      if (t.context) {
        ci = contextIndex.get(t.context) ?? -1;
        if (ci < 0) {
          ci = contextSets.length;
          contextSets.push(t.context);
          contextIndex.set(t.context, ci);
        }
      }
      return [t.item, t.term, t.parts, ci, t.weak ? 1 : 0];
    });
    return {
      format: MATCHER_SNAPSHOT_FORMAT,
      key,
      longestContext: this.longestContext,
      patterns: this.patterns.map((p) => [p.text, p.kind, p.leftB ? 1 : 0, p.rightB ? 1 : 0, p.forms ?? 0]),
      terms,
      contexts: contextSets.map((set) => [...set]),
      automaton: {
        edgeStart: [...this.automaton.edgeStart],
        edgeChar: [...this.automaton.edgeChar],
        edgeTo: [...this.automaton.edgeTo],
        fail: [...this.automaton.fail],
        outStart: [...this.automaton.outStart],
        outList: [...this.automaton.outList],
      },
    };
  }

  /**
   * A matcher read from `snapshot` when it was taken under `key` (see `sourceKey`) and is well
   * formed; undefined otherwise (the caller compiles).
   */
  static fromSnapshot(snapshot: unknown, key: string, options: MatcherOptions = {}): EvidenceMatcher | undefined {
    if (!isSnapshot(snapshot) || snapshot.key !== key) return undefined;
    try {
      return new EvidenceMatcher([], options, snapshot);
    } catch {
      return undefined;
    }
  }

  /** The key a parsed snapshot file was taken under (undefined when it is not a snapshot). */
  static snapshotKeyOf(snapshot: unknown): string | undefined {
    const key = (snapshot as { key?: unknown } | null)?.key;
    return typeof snapshot === 'object' && typeof key === 'string' ? key : undefined;
  }

  /** Reads patterns, terms and the automaton from a snapshot (throws when inconsistent). */
  private load(from: MatcherSnapshot): void {
    const contexts = from.contexts.map((c) => new Set(c));
    for (const [text, kind, leftB, rightB, forms] of from.patterns) {
      if (kind < Kind.Part || kind > Kind.Context) throw new Error(`pattern kind ${kind}`);
      if (typeof text !== 'string' || text.length === 0) throw new Error('empty pattern');
      const pattern: Pattern = { text, kind: kind as Kind, leftB: leftB === 1, rightB: rightB === 1, users: [] };
      if (forms !== 0) pattern.forms = forms;
      this.patterns.push(pattern);
    }
    for (const [item, term, parts, ci, weak] of from.terms) {
      const compiled: CompiledTerm = { item, term, parts };
      if (ci >= 0) {
        const context = contexts[ci];
        if (!context) throw new Error(`context set ${ci} missing`);
        compiled.context = context;
      }
      if (weak === 1) compiled.weak = true;
      const index = this.terms.length;
      this.terms.push(compiled);
      for (const id of parts) {
        const pattern = this.patterns[id];
        if (!pattern) throw new Error(`pattern ${id} missing`);
        pattern.users.push(index);
      }
    }
    this.longestContext = from.longestContext;
    this.automaton = automatonOf(from.automaton, this.patterns.length);
    this.dropTrie();
  }

  /**
   * Builds a matcher from catalogue items, adding extra terms per item id (from the config).
   * Concept references (`{supplier}`) are expanded with the thesaurus and the config's concepts.
   */
  static forItems(items: Iterable<Item>, extra?: Record<string, { ja?: string[]; en?: string[] }>, options: ItemMatcherOptions = {}): EvidenceMatcher {
    const variantsOf = conceptLookup(options.thesaurus, options.concepts);
    const expand = (terms: string[]) => terms.flatMap((t) => expandTerm(t, variantsOf)).flatMap((t) => alternateTerm(t, options.thesaurus?.alternations?.ja));
    const list: ItemTerms[] = [];
    for (const it of items) {
      const more = extra?.[it.id];
      const entry: ItemTerms = {
        item: it.id,
        terms: expand([...it.terms.ja, ...it.terms.en, ...(more?.ja ?? []), ...(more?.en ?? [])]),
      };
      if (it.context) entry.context = expand([...it.context.ja, ...it.context.en]);
      list.push(entry);
    }
    return new EvidenceMatcher(list, { analyser: options.analyser, families: options.thesaurus?.families.en });
  }

  /**
   * The part ids of each of an item's terms of two parts or more (strong terms only): what the
   * nearest text of a missing item is measured against (`BlockScan.parts`).
   */
  multiPartTerms(item: string): ReadonlyArray<{ term: string; parts: readonly number[] }> {
    if (!this.byItem) {
      this.byItem = new Map();
      for (const t of this.terms) {
        if (t.weak || t.parts.length < 2) continue;
        const list = this.byItem.get(t.item) ?? [];
        list.push({ term: t.term, parts: t.parts });
        this.byItem.set(t.item, list);
      }
    }
    return this.byItem.get(item) ?? [];
  }
  private byItem?: Map<string, Array<{ term: string; parts: readonly number[] }>>;

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
    return this.scanBlock(text, offset0).hits;
  }

  /**
   * Like `scan`, and also returns the context words and term parts present in the block.
   * `inherited` holds those of the block's lead-in (from its own `scanBlock`): a term of the
   * block counts when its item's context is there, wherever in the lead-in it stands, and an
   * `A + B` term counts when A is in the block's sentence and B in the lead-in.
   */
  scanBlock(text: string, offset0 = 0, inherited?: LeadIn): BlockScan {
    const n = normalizeForMatch(text, offset0, this.lexicon);
    const t = n.text;
    const found = new Map<string, EvidenceHit>();
    const weakFound = new Map<string, EvidenceHit>();
    const contexts = new Set<number>();
    const parts = new Set<number>();
    if (t.length === 0 || this.terms.length === 0) return { hits: found, weak: weakFound, contexts, parts };

    // Sentence number of each position, and clause number (clauses nest inside sentences).
    const occurrences: Array<{ p: number; start: number; end: number }> = [];
    const { root, edgeStart, edgeChar, edgeTo, fail, outStart, outList } = this.automaton;
    let state = 0;
    let steps = 0;
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      for (;;) {
        steps++;
        // At the root (where most characters are read), one array read; elsewhere the state's
        // few transitions, then its failure link.
        if (state === 0) {
          state = root[c];
          break;
        }
        let to = -1;
        for (let e = edgeStart[state], end = edgeStart[state + 1]; e < end; e++) {
          if (edgeChar[e] === c) {
            to = edgeTo[e];
            break;
          }
        }
        if (to >= 0) {
          state = to;
          break;
        }
        state = fail[state];
      }
      const o1 = outStart[state + 1];
      for (let k = outStart[state]; k < o1; k++) {
        const p = outList[k];
        const pat = this.patterns[p];
        const start = i + 1 - pat.text.length;
        if (pat.leftB && start > 0 && isWordCode(t.charCodeAt(start - 1))) continue;
        if (pat.rightB && i + 1 < t.length && isWordCode(t.charCodeAt(i + 1))) continue;
        if (pat.forms && n.forms && pat.forms.some(([k, f]) => n.forms![start + k] === otherForm(f))) continue;
        occurrences.push({ p, start, end: i + 1 });
      }
    }
    this.lastScanSteps = steps;
    if (occurrences.length === 0) return { hits: found, weak: weakFound, contexts, parts };

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

    // Context words per sentence (negated or not: they tell the topic, not a commitment). One
    // that only starts a Japanese compound (通信 in 通信障害) is kept apart: it counts only as the
    // modifier fused to a term (送信 in 送信日時).
    const contextBySentence = new Map<number, Array<{ p: number; start: number; end: number; compound: boolean }>>();
    for (const o of occurrences) {
      if (this.patterns[o.p].kind !== Kind.Context) continue;
      const compound = continuesCompound(t.charCodeAt(o.end));
      if (!compound) contexts.add(o.p);
      const s = sentenceOf[o.start];
      const entry = { ...o, compound };
      const list = contextBySentence.get(s);
      if (list) list.push(entry);
      else contextBySentence.set(s, [entry]);
    }
    // Context occurrences by end position, for "fused to the term" lookups in constant time.
    const contextEndingAt = new Map<number, number[]>();
    for (const list of contextBySentence.values()) {
      for (const o of list) {
        const at = contextEndingAt.get(o.end);
        if (at) at.push(o.p);
        else contextEndingAt.set(o.end, [o.p]);
      }
    }
    // Whether one of the context words `need` stands in `sentence`, ending at or after `from`
    // and starting before `to`, and not merely starting a compound. The list is in text order (the automaton reports by end), so a
    // binary search finds the window and only the words inside it are looked at: the cost per
    // term occurrence does not grow with the length of the sentence.
    const anyInWindow = (need: ReadonlySet<number>, sentence: number, from: number, to: number): boolean => {
      const list = contextBySentence.get(sentence);
      if (!list) return false;
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (list[mid].end < from) lo = mid + 1;
        else hi = mid;
      }
      // Words end in order, and none is longer than the longest context word, so the scan
      // stops once words start past `to` by more than that.
      for (let k = lo; k < list.length && list[k].end - this.longestContext <= to; k++) {
        const o = list[k];
        if (!o.compound && need.has(o.p) && o.start < to) return true;
      }
      return false;
    };
    const inContext = (term: CompiledTerm, sentence: number, start: number, end: number): boolean => {
      const need = term.context!;
      const endsAt = (pos: number) => (contextEndingAt.get(pos) ?? []).some((p) => need.has(p));
      if (term.parts.length === 1) {
        // The word that modifies a generic term decides its sense, whatever else the sentence
        // says: "送信日時" and "通信の日時" are about a communication, "開催日時" and "研修の日時"
        // are not; "the timestamp of each call" is, "the timestamp of the first alarm" is not.
        const before = t.charCodeAt(start - 1);
        if (start > 0 && continuesCompound(before)) return endsAt(start);
        if (before === 0x306e /* の */) return endsAt(start - 1);
        if (t.startsWith(' of ', end)) {
          let stop = end + 4;
          while (stop < t.length && stop < end + 4 + COMPLEMENT_REACH && !/[,.;:()!?、。]/u.test(t[stop])) stop++;
          return anyInWindow(need, sentence, end + 1, stop);
        }
        if (before === 32 && endsAt(start - 1)) return true;
      }
      if (inherited) for (const c of inherited.contexts) if (need.has(c)) return true;
      return anyInWindow(need, sentence, start - CONTEXT_REACH, end + CONTEXT_REACH + 1);
    };

    // Per sentence, the non-negated occurrences of each part pattern, in text order.
    const bySentence = new Map<number, Map<number, Array<{ start: number; end: number }>>>();
    for (const o of occurrences) {
      if (this.patterns[o.p].kind !== Kind.Part) continue;
      if (negated.size > 0 && negated.has(clauseOf(o.start))) continue;
      parts.add(o.p);
      const s = sentenceOf[o.start];
      let inSentence = bySentence.get(s);
      if (!inSentence) bySentence.set(s, (inSentence = new Map()));
      const list = inSentence.get(o.p);
      if (list) list.push({ start: o.start, end: o.end });
      else inSentence.set(o.p, [{ start: o.start, end: o.end }]);
    }
    if (this.termSeen.length !== this.terms.length || this.partSeen.length !== this.patterns.length || this.sentenceMark > 0x3fffffff) {
      this.termSeen = new Int32Array(this.terms.length);
      this.partSeen = new Int32Array(this.patterns.length);
      this.partStart = new Int32Array(this.patterns.length);
      this.partEnd = new Int32Array(this.patterns.length);
      this.sentenceMark = 0;
    }
    const { termSeen, partSeen, partStart, partEnd } = this;
    for (const [sentence, inSentence] of bySentence) {
      const mark = ++this.sentenceMark;
      for (const [p, list] of inSentence) {
        partSeen[p] = mark;
        partStart[p] = list[0].start;
        partEnd[p] = list[0].end;
      }
      for (const p of inSentence.keys()) {
        for (const ti of this.patterns[p].users) {
          if (termSeen[ti] === mark) continue;
          termSeen[ti] = mark;
          const term = this.terms[ti];
          let span: { start: number; end: number } | undefined;
          // Set when the words are there but the item's context is not: near-evidence.
          let outOfContext: { start: number; end: number } | undefined;
          if (term.parts.length === 1) {
            // A single part: the first occurrence that is in context (every one when no context
            // is needed, so the first).
            const occs = inSentence.get(term.parts[0])!;
            span = occs.find((o) => !term.context || inContext(term, sentence, o.start, o.end));
            if (!span && term.context) outOfContext = occs[0];
          } else {
            // Several parts: each part's first occurrence in the sentence; a part may also stand
            // in the lead-in of the block's list ("次の場合は報告する：" / "- 総務省"), as long as one
            // part is in the block itself.
            let start = Infinity;
            let end = -1;
            let all = true;
            for (const q of term.parts) {
              if (partSeen[q] !== mark) {
                if (inherited?.parts.has(q)) continue;
                all = false;
                break;
              }
              start = Math.min(start, partStart[q]);
              end = Math.max(end, partEnd[q]);
            }
            if (all && end >= 0) {
              if (!term.context || inContext(term, sentence, start, end)) span = { start, end };
              else outOfContext = { start, end };
            }
          }
          const weak = term.weak === true || (!span && outOfContext !== undefined);
          if (!span) span = outOfContext;
          if (!span) continue;
          const { start, end } = span;
          const hit: EvidenceHit = { item: term.item, term: term.term, start: n.map[start], end: n.map[end - 1] + 1 };
          // The source end is the end of the last code unit's source character (a surrogate pair
          // or a folded variant spans more than one unit).
          hit.end = Math.max(hit.end, sourceEnd(n.map, end));
          if (weak) {
            hit.weak = true;
            hit.why = term.weak ? 'partial' : 'context';
          }
          const into = weak ? weakFound : found;
          const prev = into.get(term.item);
          if (!prev || hit.start < prev.start) into.set(term.item, hit);
        }
      }
    }
    for (const item of found.keys()) weakFound.delete(item);
    return { hits: found, weak: weakFound, contexts, parts };
  }

  private addPattern(text: string, kind: Kind, noLeftBoundary = false, forms?: Array<[number, Participle]>): number {
    const key = `${kind}\u0000${text}\u0000${forms ? forms.map(([k, f]) => `${k}:${f}`).join(',') : ''}`;
    const known = this.byText.get(key);
    if (known !== undefined) return known;
    const id = this.patterns.length;
    const pattern: Pattern = {
      text,
      kind,
      leftB: !noLeftBoundary && isWordCode(text.charCodeAt(0)),
      rightB: isWordCode(text.charCodeAt(text.length - 1)),
      users: [],
    };
    if (forms && forms.length > 0) pattern.forms = forms;
    this.byText.set(key, id);
    this.insert(pattern);
    return id;
  }

  /** Adds a pattern to the list and its text to the trie (its id: its index). */
  private insert(pattern: Pattern): void {
    const id = this.patterns.length;
    const text = pattern.text;
    if (text.length === 0) throw new Error('empty pattern');
    this.patterns.push(pattern);
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
  }

  /**
   * Turns the trie (a map per state) into flat arrays, and drops it: each state's transitions in
   * one array (searched in order: a state other than the root has few), the outputs likewise, and
   * the root's transitions as a table over UTF-16 code units (0: stay at the root). Smaller than a
   * map per state, and as fast to read.
   */
  private freeze(): void {
    const states = this.next.length;
    let edges = 0;
    let outs = 0;
    for (let s = 0; s < states; s++) {
      edges += this.next[s].size;
      outs += this.out[s].length;
    }
    const a: Automaton = {
      root: new Int32Array(0x10000),
      edgeStart: new Int32Array(states + 1),
      edgeChar: new Uint16Array(edges),
      edgeTo: new Int32Array(edges),
      fail: Int32Array.from(this.fail),
      outStart: new Int32Array(states + 1),
      outList: new Int32Array(outs),
    };
    for (const [c, t] of this.next[0]) a.root[c] = t;
    let e = 0;
    let o = 0;
    for (let s = 0; s < states; s++) {
      a.edgeStart[s] = e;
      for (const [c, t] of this.next[s]) {
        a.edgeChar[e] = c;
        a.edgeTo[e++] = t;
      }
      a.outStart[s] = o;
      for (const p of this.out[s]) a.outList[o++] = p;
    }
    a.edgeStart[states] = e;
    a.outStart[states] = o;
    this.automaton = a;
    this.dropTrie();
  }

  /** Drops what only compiling needs (the trie and the pattern ids by text) once the automaton is built. */
  private dropTrie(): void {
    this.next = [];
    this.fail = [];
    this.out = [];
    this.byText = new Map();
  }

  /** Number of states of the automaton (for tests). */
  get stateCount(): number {
    return this.automaton.fail.length;
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

/**
 * The automaton of a snapshot's arrays, checked: every index in range, every list's bounds in
 * order. Throws when they are not (the caller compiles instead).
 */
function automatonOf(a: MatcherSnapshot['automaton'], patterns: number): Automaton {
  const states = a.fail.length;
  const edges = a.edgeChar.length;
  const outs = a.outList.length;
  const ints = (list: number[], min: number, max: number, what: string) => {
    for (const v of list) if (!Number.isInteger(v) || v < min || v > max) throw new Error(`${what}: ${v}`);
  };
  if (states === 0 || a.edgeStart.length !== states + 1 || a.outStart.length !== states + 1 || a.edgeTo.length !== edges) throw new Error('automaton: lengths');
  const bounds = (list: number[], end: number, what: string) => {
    if (list[0] !== 0 || list[states] !== end) throw new Error(`${what}: ends`);
    for (let s = 0; s < states; s++) if (!(list[s] <= list[s + 1])) throw new Error(`${what}: order`);
  };
  ints(a.edgeStart, 0, edges, 'edgeStart');
  ints(a.outStart, 0, outs, 'outStart');
  bounds(a.edgeStart, edges, 'edgeStart');
  bounds(a.outStart, outs, 'outStart');
  ints(a.edgeChar, 0, 0xffff, 'edgeChar');
  ints(a.edgeTo, 1, states - 1, 'edgeTo');
  ints(a.fail, 0, states - 1, 'fail');
  ints(a.outList, 0, patterns - 1, 'outList');
  const root = new Int32Array(0x10000);
  for (let e = a.edgeStart[0]; e < a.edgeStart[1]; e++) root[a.edgeChar[e]] = a.edgeTo[e];
  return {
    root,
    edgeStart: Int32Array.from(a.edgeStart),
    edgeChar: Uint16Array.from(a.edgeChar),
    edgeTo: Int32Array.from(a.edgeTo),
    fail: Int32Array.from(a.fail),
    outStart: Int32Array.from(a.outStart),
    outList: Int32Array.from(a.outList),
  };
}

/**
 * A term part normalised for the automaton, with the participles of a multi-word phrase (a
 * single word keeps matching all its inflections: "logging" meets "logged").
 */
function partOf(part: string, lexicon?: EnglishLexicon): { text: string; forms?: Array<[number, Participle]> } {
  const n = normalizeForMatch(part, 0, lexicon);
  const lead = n.text.length - n.text.trimStart().length;
  const text = n.text.trim();
  if (!text.includes(' ') || !n.forms) return { text };
  const forms: Array<[number, Participle]> = [];
  for (let k = 0; k < text.length; k++) {
    const f = n.forms[lead + k] as Participle;
    if (f !== Participle.None) forms.push([k, f]);
  }
  return forms.length > 0 ? { text, forms } : { text };
}

/** True when `needle` occurs in `hay` as whole words (ASCII word boundaries respected). */
function containsWord(hay: string, needle: string): boolean {
  for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) {
    const before = at > 0 && isWordCode(needle.charCodeAt(0)) && isWordCode(hay.charCodeAt(at - 1));
    const endAt = at + needle.length;
    const after = endAt < hay.length && isWordCode(needle.charCodeAt(needle.length - 1)) && isWordCode(hay.charCodeAt(endAt));
    if (!before && !after) return true;
  }
  return false;
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
export function findEvidence(text: string, items: Iterable<Item>, extra?: Record<string, { ja?: string[]; en?: string[] }>, options?: ItemMatcherOptions): Map<string, EvidenceHit> {
  return EvidenceMatcher.forItems(items, extra, options).scan(text);
}
