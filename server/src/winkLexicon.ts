/**
 * wink-lexicon's WordNet data, as wink-lemmatizer reads it, from one compact file.
 *
 * wink-lexicon ships its word list as JavaScript: 77,000 property assignments and an array literal
 * per word's senses. Every thread that lemmatises compiled that source (about 90 ms and 40 MB of
 * memory each: bytecode, parser memory, a dictionary object of 77,000 keys). The build writes the
 * same data as one file (`dist/dict/wink-lexicon.json`: the words sorted in one string, the senses
 * as numbers), and the bundles resolve the five wink-lexicon modules wink-lemmatizer requires to
 * views over it (esbuild.mjs): the word list answers `words[word]` by binary search in the string,
 * the senses are slices of one byte array. wink-lemmatizer's own code is unchanged and gives the
 * same lemmas (test/unit/winkLexicon.test.ts compares every word).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The file's name, in the bundle's `dict` folder. */
export const WINK_LEXICON_FILE = 'wink-lexicon.json';

/** The data of wink-lexicon's modules, as they export it. */
export interface WinkLexiconModules {
  /** Word → its index (the words numbered in sorted order). */
  words: Record<string, number>;
  /** Per word index, its sense numbers. */
  senses: number[][];
  /** Irregular form → base form, per part of speech. */
  verb: Record<string, string>;
  noun: Record<string, string>;
  adjective: Record<string, string>;
}

/** The file's shape. */
export interface WinkLexiconFile {
  format: 1;
  /** Every word, in index order (which is sorted order), each followed by a newline. */
  words: string;
  /** Per word index, how many senses it has. */
  senseCounts: number[];
  /** Every word's senses, one after the other. */
  senses: number[];
  verb: Record<string, string>;
  noun: Record<string, string>;
  adjective: Record<string, string>;
}

/** Packs the modules' data (the build does this); throws when the words are not numbered in sorted order. */
export function encodeWinkLexicon(m: WinkLexiconModules): WinkLexiconFile {
  const list = Object.keys(m.words);
  list.forEach((w, i) => {
    if (m.words[w] !== i) throw new Error(`wink-lexicon: "${w}" has index ${m.words[w]}, expected ${i}`);
    if (w.includes('\n')) throw new Error(`wink-lexicon: "${w}" contains a newline`);
    if (i > 0 && !(list[i - 1] < w)) throw new Error(`wink-lexicon: "${list[i - 1]}" and "${w}" are not in sorted order`);
  });
  if (m.senses.length !== list.length) throw new Error(`wink-lexicon: ${m.senses.length} sense lists for ${list.length} words`);
  return {
    format: 1,
    words: list.map((w) => `${w}\n`).join(''),
    senseCounts: m.senses.map((s) => s.length),
    senses: m.senses.flat(),
    verb: m.verb,
    noun: m.noun,
    adjective: m.adjective,
  };
}

/** Compares `word` with `text.slice(start, end)` by UTF-16 code units (the order of JavaScript's `<`). */
function compareAt(word: string, text: string, start: number, end: number): number {
  const n = Math.min(word.length, end - start);
  for (let k = 0; k < n; k++) {
    const d = word.charCodeAt(k) - text.charCodeAt(start + k);
    if (d !== 0) return d;
  }
  return word.length - (end - start);
}

/** An object with no prototype holding `entries` (as wink-lexicon's own are: no `constructor` key). */
function bare(entries: Record<string, string>): Record<string, string> {
  return Object.assign(Object.create(null) as Record<string, string>, entries);
}

/** Views over the file with the interface of wink-lexicon's modules. */
export function decodeWinkLexicon(file: WinkLexiconFile): WinkLexiconModules {
  if (file?.format !== 1 || typeof file.words !== 'string' || !Array.isArray(file.senseCounts) || !Array.isArray(file.senses)) {
    throw new Error('wink-lexicon data: not a format-1 file');
  }
  const text = file.words;
  // Where each word starts in `text` (one more entry: the end).
  const count = file.senseCounts.length;
  const starts = new Int32Array(count + 1);
  let at = 0;
  for (let i = 0; i < count; i++) {
    starts[i] = at;
    at = text.indexOf('\n', at) + 1;
    if (at === 0) throw new Error('wink-lexicon data: fewer words than sense lists');
  }
  starts[count] = at;
  const indexOf = (word: string): number | undefined => {
    let lo = 0;
    let hi = count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = compareAt(word, text, starts[mid], starts[mid + 1] - 1);
      if (c === 0) return mid;
      if (c < 0) hi = mid - 1;
      else lo = mid + 1;
    }
    return undefined;
  };
  const words = new Proxy(Object.create(null) as Record<string, number>, {
    get: (_t, key) => (typeof key === 'string' ? indexOf(key) : undefined),
    has: (_t, key) => typeof key === 'string' && indexOf(key) !== undefined,
  });
  const flat = Uint8Array.from(file.senses);
  const senseStarts = new Int32Array(count + 1);
  for (let i = 0; i < count; i++) senseStarts[i + 1] = senseStarts[i] + file.senseCounts[i];
  const senses = new Proxy([] as unknown as number[][], {
    get: (target, key) => {
      if (typeof key === 'string' && /^\d+$/.test(key)) {
        const i = Number(key);
        return i < count ? (flat.subarray(senseStarts[i], senseStarts[i + 1]) as unknown as number[]) : undefined;
      }
      if (key === 'length') return count;
      return Reflect.get(target, key);
    },
  });
  return { words, senses, verb: bare(file.verb), noun: bare(file.noun), adjective: bare(file.adjective) };
}

let loaded: WinkLexiconModules | undefined;

/**
 * One of wink-lexicon's modules, from `<bundle dir>/dict/wink-lexicon.json` (read once per thread,
 * on wink-lemmatizer's first use). Throws when the file is missing or damaged: the analyser then
 * says so and matches without lemmas (morphologyHost.ts).
 */
export function winkLexiconModule(name: keyof WinkLexiconModules): unknown {
  loaded ??= decodeWinkLexicon(JSON.parse(fs.readFileSync(path.join(__dirname, 'dict', WINK_LEXICON_FILE), 'utf8')) as WinkLexiconFile);
  return loaded[name];
}
