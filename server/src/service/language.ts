/**
 * Text normalisation for evidence matching, and telling a document's language.
 *
 * `normalizeForMatch` folds a text so that the spellings an author may choose compare equal:
 * NFKC (full/half width, compatibility forms), lower case, whitespace, common okurigana and
 * kanji/kana spelling variants (取扱い/取り扱い/取扱, 行なう/行う, ぜい弱性/脆弱性), a katakana
 * word's final long-vowel mark (サーバ/サーバー), and a light English stemmer (plural, -ing, -ed,
 * final e, British -ise; a hyphen inside a compound reads as a space). It returns a map from each
 * normalised code unit back to its offset in the input, so that a match can be reported at the
 * author's own text, and, per stemmed word, the participle ending it lost ("calling"/"called"),
 * so that a phrase can keep them apart.
 *
 * Every pass is a single left-to-right walk; the variant table is looked up by first character.
 */
import type { Lang } from './types';
import type { EnglishLexicon } from './morphology';

/** A normalised text and, for each of its code units, the offset of its source in the input. */
export interface Normalized {
  text: string;
  /** `map[i]` is the input offset of `text[i]`; `map[text.length]` is the input's end. */
  map: number[];
  /**
   * At the first unit of each stemmed English word, the participle ending the word lost
   * (`Participle`); 0 elsewhere. Same length as `text`.
   */
  forms?: Uint8Array;
}

/**
 * Spelling variants folded to one form. Keys and values are already NFKC + lower-case. Longer
 * variants are listed so that the longest match at a position wins.
 */
const VARIANTS: ReadonlyArray<[string, string]> = [
  ['取り扱い', '取扱'], ['取り扱', '取扱'], ['取扱い', '取扱'],
  ['行な', '行'],
  ['ぜい弱', '脆弱'], ['漏えい', '漏洩'], ['改竄', '改ざん'], ['き損', '毀損'], ['ねつ造', '捏造'],
  ['申し込み', '申込'], ['申込み', '申込'],
  ['問い合わせ', '問合せ'], ['問合わせ', '問合せ'], ['問い合せ', '問合せ'],
  ['受け付け', '受付'], ['受付け', '受付'],
  ['引き渡し', '引渡'], ['引渡し', '引渡'],
  ['組み合わせ', '組合せ'], ['組合わせ', '組合せ'],
  ['割り当て', '割当'], ['割当て', '割当'],
  ['書き込み', '書込'], ['書込み', '書込'],
  ['読み取り', '読取'], ['読取り', '読取'],
  ['取り消し', '取消'], ['取消し', '取消'],
  ['取り組み', '取組'], ['取組み', '取組'],
  ['取り決め', '取決'], ['取決め', '取決'],
  ['立ち入り', '立入'], ['立入り', '立入'],
  ['振る舞い', '振舞'], ['見積もり', '見積'], ['見積り', '見積'],
  ['付け加え', '付加'],
  ['トラヒック', 'トラフィック'],
  ['’', "'"], ['‘', "'"],
];

/** Variant table indexed by first code unit, longest first. */
const VARIANT_INDEX: Map<string, Array<[string, string]>> = (() => {
  const m = new Map<string, Array<[string, string]>>();
  for (const [from, to] of VARIANTS) {
    const list = m.get(from[0]) ?? [];
    list.push([from, to]);
    m.set(from[0], list);
  }
  for (const list of m.values()) list.sort((a, b) => b[0].length - a[0].length);
  return m;
})();

const isKatakana = (c: number): boolean => (c >= 0x30a1 && c <= 0x30fa) || c === 0x30fc;
const isAsciiAlnum = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
/**
 * Code units that NFKC leaves unchanged and that are not spaces: printable ASCII (folded to lower
 * case by the caller), hiragana, full-width katakana with the long-vowel mark, CJK ideographs.
 */
const isStableCode = (c: number): boolean =>
  (c >= 0x21 && c <= 0x7e) || (c >= 0x3041 && c <= 0x3096) || (c >= 0x30a1 && c <= 0x30fa) || c === 0x30fc || (c >= 0x4e00 && c <= 0x9fff);
const isSpaceCode = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 0x3000 || c === 0xa0;

/** True for characters of Japanese script (kana, CJK ideographs, iteration marks). */
export function isJapaneseChar(c: number): boolean {
  return (
    (c >= 0x3040 && c <= 0x30ff) || // hiragana, katakana
    (c >= 0x3400 && c <= 0x4dbf) || // CJK extension A
    (c >= 0x4e00 && c <= 0x9fff) || // CJK unified ideographs
    (c >= 0xf900 && c <= 0xfaff) || // compatibility ideographs
    (c >= 0xff66 && c <= 0xff9f) || // half-width katakana
    (c >= 0xd840 && c <= 0xd87f) || // high surrogates of CJK extensions B–F (𠮷)
    c === 0x3005 // 々
  );
}

/** Pass 1: NFKC per character (half-width dakuten kept with its kana), lower case, whitespace. */
function foldChars(input: string, offset0: number): Normalized {
  let text = '';
  const map: number[] = [];
  let i = 0;
  let pendingSpace = -1;
  // A run of units taken the short way, appended as one slice (lower-cased) when it ends.
  let run = -1;
  const flush = (to: number) => {
    if (run >= 0) text += input.slice(run, to).toLowerCase();
    run = -1;
  };
  while (i < input.length) {
    const c = input.charCodeAt(i);
    if (isSpaceCode(c)) {
      flush(i);
      if (pendingSpace < 0) pendingSpace = offset0 + i;
      i++;
      continue;
    }
    // Printable ASCII and the kana and ideographs NFKC leaves as they are (most of any policy)
    // take the short way: no string per character (lower case only changes A-Z among them).
    if (isStableCode(c)) {
      const after = input.charCodeAt(i + 1);
      if (after !== 0xff9e && after !== 0xff9f) {
        if (pendingSpace >= 0) {
          flush(i);
          if (text.length > 0) {
            text += ' ';
            map.push(pendingSpace);
          }
          pendingSpace = -1;
        }
        if (run < 0) run = i;
        map.push(offset0 + i);
        i++;
        continue;
      }
    }
    flush(i);
    // One code point, plus a following half-width voiced mark so NFKC composes ｶﾞ into ガ.
    let len = c >= 0xd800 && c <= 0xdbff && i + 1 < input.length ? 2 : 1;
    const next = input.charCodeAt(i + len);
    if (next === 0xff9e || next === 0xff9f) len++;
    const chunk = input.slice(i, i + len);
    let folded = chunk.normalize('NFKC').toLowerCase();
    if (folded.trim() === '') folded = ' ';
    if (pendingSpace >= 0) {
      if (text.length > 0) {
        text += ' ';
        map.push(pendingSpace);
      }
      pendingSpace = -1;
    }
    text += folded;
    for (let k = 0; k < folded.length; k++) map.push(offset0 + i);
    i += len;
  }
  flush(input.length);
  map.push(offset0 + input.length);
  return { text, map };
}

/**
 * Pass 2: spelling variants, spaces between two Japanese characters (a line wrapped inside a
 * Japanese sentence), and a katakana word's final long-vowel mark.
 */
export function foldVariants(n: Normalized): Normalized {
  // Most blocks have nothing to fold: then the pass returns its input as it is (no copy).
  return mayFoldVariant(n.text) ? foldVariantsFully(n) : n;
}

/** Pass 2 done character by character (exported for the test that compares the two ways). */
export function foldVariantsFully(n: Normalized): Normalized {
  const src = n.text;
  // Output is collected in an array: reading back the last character of a string being built
  // by concatenation would flatten it each time and make this pass quadratic.
  const out: string[] = [];
  const map: number[] = [];
  const lastJapanese = (): boolean => {
    const last = out.length > 0 ? out[out.length - 1] : '';
    if (last.length === 0) return false;
    const c = last.charCodeAt(last.length - 1);
    if (c >= 0xdc00 && c <= 0xdfff) {
      const hi = last.length > 1 ? last.charCodeAt(last.length - 2) : out.length > 1 ? out[out.length - 2].charCodeAt(out[out.length - 2].length - 1) : 0;
      return isJapaneseChar(hi);
    }
    return isJapaneseChar(c);
  };
  const lastCode = (): number => {
    const last = out.length > 0 ? out[out.length - 1] : '';
    return last.length > 0 ? last.charCodeAt(last.length - 1) : 0;
  };
  let i = 0;
  while (i < src.length) {
    const c = src.charCodeAt(i);
    if (c === 32) {
      const next = src.charCodeAt(i + 1);
      if (lastJapanese() && isJapaneseChar(next)) {
        i++;
        continue;
      }
    }
    if (c === 0x30fc && isKatakana(lastCode()) && !isKatakana(src.charCodeAt(i + 1))) {
      // サーバー → サーバ: a word-final long vowel is optional in JIS Z 8301 style.
      i++;
      continue;
    }
    const candidates = VARIANT_INDEX.get(src[i]);
    let replaced = false;
    if (candidates) {
      for (const [from, to] of candidates) {
        if (src.startsWith(from, i)) {
          for (let k = 0; k < to.length; k++) {
            out.push(to[k]);
            map.push(n.map[i + Math.min(k, from.length - 1)]);
          }
          i += from.length;
          replaced = true;
          break;
        }
      }
    }
    if (replaced) continue;
    out.push(src[i]);
    map.push(n.map[i]);
    i++;
  }
  map.push(n.map[src.length]);
  return { text: out.join(''), map };
}

/** Code units that start a spelling variant, and the long-vowel mark: where pass 2 may change something. */
const VARIANT_START = (() => {
  const t = new Uint8Array(0x10000);
  for (const [from] of VARIANTS) t[from.charCodeAt(0)] = 1;
  t[0x30fc] = 1;
  return t;
})();

/**
 * False when pass 2 would return `src` unchanged: no variant's first unit, no long-vowel mark, and
 * no space between two Japanese characters (a space after a surrogate pair is left to the pass).
 */
function mayFoldVariant(src: string): boolean {
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (VARIANT_START[c]) return true;
    if (c === 32 && i > 0) {
      const before = src.charCodeAt(i - 1);
      if ((isJapaneseChar(before) || (before >= 0xdc00 && before <= 0xdfff)) && isJapaneseChar(src.charCodeAt(i + 1))) return true;
    }
  }
  return false;
}

/** Which participle ending a word had before stemming: none, -ing or -ed. */
export const Participle = { None: 0, Ing: 1, Ed: 2 } as const;
/** One of the `Participle` values. */
export type Participle = (typeof Participle)[keyof typeof Participle];

/**
 * A light English stemmer: enough to make "communications"/"communication",
 * "logged"/"logging"/"logs"/"log", "parties"/"party", "disclosed"/"disclose" and
 * "authorised"/"authorized" compare equal. It is applied identically to terms and text, so its
 * stems need not be words.
 */
export function stemWord(word: string): string {
  return stemWithForm(word).stem;
}

/**
 * Stems a word and tells which participle ending came off. The ending is kept aside because it
 * can carry the meaning of a phrase: "calling party" (the origin of a call) and "called party"
 * (its destination) share the stem "call", and only the ending tells them apart.
 */
export function stemWithForm(word: string): { stem: string; form: Participle } {
  if (word.length <= 3 || /[0-9]/.test(word)) return { stem: word, form: Participle.None };
  // British -ise/-isation spellings fold to -ize before the suffixes come off.
  let w = word.length > 5 ? word.replace(/([^aeiou])is(e|ed|es|ing|ation|ations)$/, '$1iz$2') : word;
  let form: Participle = Participle.None;
  if (/[^aeiou]ies$/.test(w) && w.length > 4) w = w.slice(0, -3) + 'y';
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length - 3 >= 3) {
    w = undouble(w.slice(0, -3));
    form = Participle.Ing;
  } else if (w.endsWith('ed') && w.length - 2 >= 3) {
    w = undouble(w.slice(0, -2));
    form = Participle.Ed;
  } else if (w.endsWith('ed')) {
    w = w.slice(0, -1);
    form = Participle.Ed;
  }
  // "notified", "applied": the y that became i before -ed comes back ("notify", "apply").
  if (form === Participle.Ed && /[^aeiou]i$/.test(w) && w.length > 3) w = w.slice(0, -1) + 'y';
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  return { stem: w, form };
}

/** "stopp" → "stop", "logg" → "log"; "ss", "ll" and "zz" stay. */
function undouble(w: string): string {
  const n = w.length;
  if (n >= 2 && w[n - 1] === w[n - 2] && !/[aeiouslz]/.test(w[n - 1])) return w.slice(0, -1);
  return w;
}

/** English words that never decide whether a phrase matches (dropped before matching). */
const DETERMINERS = new Set(['the', 'a', 'an', 'your', 'their', 'our', 'its', 'his', 'her', 'my', 'any', 'such']);

/** Stems of words already seen, per lexicon (and without one): a policy repeats its words. */
const stemCaches = new WeakMap<object, Map<string, { stem: string; form: Participle }>>();
const NO_LEXICON = {};
/** Bound of each stem cache (cleared when full: a batch run meets many words once). */
const STEM_CACHE_SIZE = 50_000;

/** A word's stem and participle ending, folded through `lexicon` first when there is one. */
function stemmed(word: string, lexicon: EnglishLexicon | undefined): { stem: string; form: Participle } {
  let cache = stemCaches.get(lexicon ?? NO_LEXICON);
  if (!cache) stemCaches.set(lexicon ?? NO_LEXICON, (cache = new Map()));
  let out = cache.get(word);
  if (out) return out;
  const own = stemWithForm(word);
  out = own;
  // With a lexicon, the word is first folded to its lemma and family head ("approval",
  // "approved" → "approve"); the participle ending stays the written word's.
  if (lexicon && !/[0-9]/.test(word)) {
    const folded = lexicon.fold(word);
    if (folded !== word) out = { stem: stemWithForm(folded).stem, form: own.form };
  }
  if (cache.size >= STEM_CACHE_SIZE) cache.clear();
  cache.set(word, out);
  return out;
}

/**
 * Pass 3: stems every ASCII word (letters only; words with digits stay), and records at the
 * first unit of each stem the participle ending it lost (`forms`).
 */
function stemWords(n: Normalized, lexicon?: EnglishLexicon): Normalized {
  const src = n.text;
  let text = '';
  const map: number[] = [];
  // Output positions and participles of the stems that lost an ending (most lose none).
  const formAt: number[] = [];
  let i = 0;
  // A run of units copied as they are (everything but ASCII words), appended as one slice.
  let run = -1;
  const flush = (to: number) => {
    if (run >= 0) text += src.slice(run, to);
    run = -1;
  };
  while (i < src.length) {
    const c = src.charCodeAt(i);
    if (!isAsciiAlnum(c)) {
      // A hyphen inside a compound is a word break: "anti-cyber-terrorism" meets
      // "cyber terrorism", "fire-resistant" meets "fire resistant".
      const hyphen = (c === 45 || c === 0x2010) && i > 0 && isAsciiAlnum(src.charCodeAt(i - 1)) && isAsciiAlnum(src.charCodeAt(i + 1));
      if (hyphen) {
        flush(i);
        text += ' ';
      } else if (run < 0) run = i;
      map.push(n.map[i]);
      i++;
      continue;
    }
    flush(i);
    let j = i;
    while (j < src.length && isAsciiAlnum(src.charCodeAt(j))) j++;
    const word = src.slice(i, j);
    // Articles and possessives are dropped (with their following space), so that "content of
    // your calls" meets the term "content of calls" and "the existence of a communication"
    // meets "existence of the communication".
    if (DETERMINERS.has(word) && (j === src.length || src.charCodeAt(j) === 32)) {
      i = j < src.length ? j + 1 : j;
      continue;
    }
    const { stem, form } = stemmed(word, lexicon);
    if (form !== Participle.None && stem.length > 0) formAt.push(text.length, form);
    text += stem;
    for (let k = 0; k < stem.length; k++) map.push(n.map[i + Math.min(k, j - i - 1)]);
    i = j;
  }
  flush(src.length);
  map.push(n.map[src.length]);
  const forms = new Uint8Array(text.length);
  for (let k = 0; k < formAt.length; k += 2) forms[formAt[k]] = formAt[k + 1];
  return { text, map, forms };
}

/**
 * Normalises `input` for matching (see the module comment). `offset0` is added to every mapped
 * offset, so a block of a larger document maps straight back to document offsets.
 */
export function normalizeForMatch(input: string, offset0 = 0, lexicon?: EnglishLexicon): Normalized {
  return stemWords(foldVariants(foldChars(input, offset0)), lexicon && !lexicon.empty ? lexicon : undefined);
}

/** The normalised form of a term or phrase, without the offset map. */
export function normalizeTerm(term: string, lexicon?: EnglishLexicon): string {
  return normalizeForMatch(term, 0, lexicon).text.trim();
}

/**
 * Tells the language of a text from its script: Japanese when kana and kanji make up at least
 * 15% of the letters (a Japanese policy full of English product names still qualifies; an
 * English policy quoting a Japanese law's name does not). Undefined when there are hardly any
 * letters.
 */
export function detectLanguage(text: string): Lang | undefined {
  const { ja, latin } = languageCounts(text);
  return languageOfCounts(ja, latin);
}

/**
 * The counts `detectLanguage` decides on: Japanese characters and Latin letters. They add up: the
 * counts of texts joined by a newline are the sums of each text's.
 */
export function languageCounts(text: string): { ja: number; latin: number } {
  let ja = 0;
  let latin = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isJapaneseChar(c)) ja++;
    else if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) latin++;
  }
  return { ja, latin };
}

/** `detectLanguage`'s decision from the counts of `languageCounts`. */
export function languageOfCounts(ja: number, latin: number): Lang | undefined {
  if (ja + latin < 8) return undefined;
  return ja / (ja + latin) >= 0.15 ? 'ja' : 'en';
}
