/**
 * Morphology for evidence matching: English lemmas and derivational families, Japanese base forms
 * and compound splitting.
 *
 * The service does not load any dictionary itself (it stays pure and starts fast): the host (the
 * server, the CLI) gives it an `Analyser` built from libraries — wink-lemmatizer for English,
 * kuromoji.js for Japanese (see server/src/morphologyHost.ts) — and loads those lazily, on the first
 * call. Without an analyser the matcher falls back to its light stemmer and literal Japanese terms.
 *
 * How it is used:
 * - English: every word of terms and text goes word → lemma (wink) → head of its derivational
 *   family (data: `families.en` in catalog/data/thesaurus.yaml, "approval" → "approve") → the light
 *   stemmer. Applied identically to terms and text, so "the CIO must approve" meets "approval".
 * - Japanese: terms only (the text is matched as a string, which already finds a word inside a
 *   compound). A term that ends in a conjugated word keeps only its invariant stem
 *   (「承認を得る」 → 「承認を得」, 「削除する」 → 「削除」, 「速やかに」 → 「速やか」), so every
 *   conjugation in the text meets it; a noun compound (「アクセス権削除」) also yields its parts as an
 *   `A + B` term that counts as *weak* evidence (the parts in one sentence, not the compound).
 */

/** One morpheme of a Japanese text, as a morphological analyser reports it. */
export interface JaToken {
  surface: string;
  /** Dictionary (base) form, 基本形; the surface when the analyser does not know one. */
  base: string;
  /** Part of speech (品詞): 名詞, 動詞, 形容詞, 助詞, 助動詞, 記号, … */
  pos: string;
  /** First sub-category (品詞細分類1): 形容動詞語幹, サ変接続, 接尾, … */
  detail?: string;
}

/** What the host gives the service. Both members are optional: each language degrades alone. */
export interface Analyser {
  /**
   * What this analyser does, for a compiled matcher's snapshot (see `EvidenceMatcher.sourceKey`):
   * analysers with the same id give every word the same lemma and morphemes. Without one, no
   * snapshot is used.
   */
  readonly id?: string;
  /** The lemma of a lower-case English word (the word itself when unknown). */
  lemma?(word: string): string;
  /** The morphemes of a short Japanese text (a term). */
  tokenize?(text: string): JaToken[];
}

/** Japanese variants of one term part. */
export interface JaVariants {
  /** The part cut to its invariant stem when it ends in a conjugated word; else the part. */
  stem: string;
  /** Parts of a noun compound, for weak evidence; absent when the part is not a compound. */
  split?: string[];
}

/** Per-word English folding: lemma, then derivational family head. Cached. */
export class EnglishLexicon {
  private readonly cache = new Map<string, string>();
  private readonly heads = new Map<string, string>();

  /**
   * @param analyser where lemmas come from (may lack `lemma`: then only the families apply)
   * @param families derivational families, each a list of words whose first is the head
   */
  constructor(private readonly analyser: Analyser | undefined, families: ReadonlyArray<ReadonlyArray<string>> = []) {
    for (const fam of families) {
      const head = fam[0]?.toLowerCase();
      if (!head) continue;
      for (const w of fam) this.heads.set(w.toLowerCase(), head);
    }
  }

  /** True when nothing would change any word (no analyser, no families). */
  get empty(): boolean {
    return !this.analyser?.lemma && this.heads.size === 0;
  }

  /** The word a lower-case English word is folded to before stemming. */
  fold(word: string): string {
    const known = this.cache.get(word);
    if (known !== undefined) return known;
    let out = this.heads.get(word);
    if (out === undefined) {
      const lemma = this.analyser?.lemma ? safe(() => this.analyser!.lemma!(word), word) : word;
      // Without a lemma, a plural still finds its family ("agreements" → "agree").
      const singular = lemma === word && /[^s]s$/.test(word) ? word.slice(0, -1) : lemma;
      out = this.heads.get(lemma) ?? this.heads.get(singular) ?? lemma;
    }
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(word, out);
    return out;
  }
}

/** Calls `f`, returning `fallback` when it throws (an analyser never breaks a check). */
function safe<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

const CONJUGATING = new Set(['動詞', '形容詞', '助動詞']);
/** Endings that carry a negation or prohibition: a term ending in one keeps its ending. */
const NEGATING_BASES = new Set(['ない', 'ぬ', 'ん', 'ず', 'まい']);
const isContentNoun = (t: JaToken): boolean => t.pos === '名詞' && t.detail !== '非自立' && t.detail !== '代名詞' && t.detail !== '数';

/**
 * The Japanese variants of one term part (see the module comment). Pure given the tokens; returns
 * the part unchanged when the analyser is absent or the part has no Japanese.
 */
export function japaneseVariants(part: string, analyser: Analyser | undefined): JaVariants {
  if (!analyser?.tokenize || !/[\u3040-\u30ff\u3400-\u9fff]/u.test(part)) return { stem: part };
  const tokens = safe(() => analyser.tokenize!(part), [] as JaToken[]);
  if (tokens.length === 0 || tokens.map((t) => t.surface).join('') !== part) return { stem: part };
  // 1. The invariant stem: drop a trailing conjugated word's ending (and the auxiliaries after it).
  let stem = part;
  if (!tokens.some((t) => NEGATING_BASES.has(t.base) && (t.pos === '助動詞' || t.pos === '形容詞'))) {
    let k = tokens.length;
    while (k > 0 && (tokens[k - 1].pos === '助動詞' || tokens[k - 1].pos === '記号')) k--;
    if (k > 0 && k < tokens.length + 1) {
      const last = tokens[k - 1];
      const head = tokens.slice(0, k - 1).map((t) => t.surface).join('');
      if (CONJUGATING.has(last.pos)) {
        // する after a noun (削除する, 削除し) goes entirely; another verb keeps what its
        // conjugations share (漏らす/漏らさ → 漏ら, 得る → 得).
        let common = commonPrefix(last.surface, last.base);
        // In its dictionary form the whole word is shared: its final kana still conjugates.
        if (common === last.base && /[\u3040-\u309f]$/u.test(common)) common = common.slice(0, -1);
        const cut = last.base === 'する' || last.base === 'できる' ? '' : common;
        if (head.length + cut.length >= 2) stem = head + cut;
      } else if (last.pos === '助詞' && k >= 2 && tokens[k - 2].detail === '形容動詞語幹') {
        // 速やかに / 速やかな → 速やか.
        if (head.length >= 2) stem = head;
      }
    }
  }
  // 2. Compound splitting: a run of two or more content nouns, nothing else, splits in two at
  // the boundary that leaves both halves longest.
  let split: string[] | undefined;
  if (tokens.length >= 2 && tokens.every((t) => t.pos === '名詞' && (isContentNoun(t) || t.detail === '接尾'))) {
    let best = -1;
    let bestScore = 0;
    let left = 0;
    for (let i = 1; i < tokens.length; i++) {
      left += tokens[i - 1].surface.length;
      if (tokens[i].detail === '接尾') continue; // 〜権, 〜者 stay with their noun
      const score = Math.min(left, part.length - left);
      if (score >= 2 && score > bestScore) {
        best = left;
        bestScore = score;
      }
    }
    if (best > 0) split = [part.slice(0, best), part.slice(best)];
  }
  return split ? { stem, split } : { stem };
}

function commonPrefix(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(0, i);
}

