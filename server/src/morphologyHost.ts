/**
 * The morphological analyser the server and the CLI give the language service (see
 * server/src/service/morphology.ts): wink-lemmatizer for English lemmas and kuromoji.js (IPADIC)
 * for Japanese morphemes.
 *
 * Both load lazily, on their first call: start-up never pays for them, and a check that meets no
 * Japanese term never reads the Japanese dictionary. kuromoji's own loader is asynchronous; the
 * dictionary is read here synchronously (the same files, gunzipped with Node's zlib) so the
 * service can stay synchronous. Any failure (a missing dictionary) is logged once and the
 * analyser carries on without that language.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { Analyser, JaToken } from './service/morphology';

interface KuromojiToken {
  surface_form: string;
  basic_form: string;
  pos: string;
  pos_detail_1: string;
}
interface KuromojiTokenizer {
  tokenize(text: string): KuromojiToken[];
}

/**
 * The tokens of every Japanese term part the default evidence matcher compiles, computed with
 * kuromoji at build time (`dist/dict/terms.json`, written by `server/src/tools/seedTerms.ts`): with
 * it, no thread loads the dictionary unless a configuration adds Japanese terms of its own.
 */
export const TERM_SEED_FILE = 'terms.json';

/**
 * The default evidence matcher, compiled at build time (`dist/dict/matcher.json`, written by
 * `server/src/tools/seedTerms.ts`; see `EvidenceMatcher.toSnapshot`).
 */
export const MATCHER_SNAPSHOT_FILE = 'matcher.json';

/**
 * Reads the build-time matcher snapshot from `dir` each time it is called (the service asks once
 * per matcher it needs and keeps nothing of the file): undefined when there is none, and when it
 * cannot be read (told once through `log`; the service then compiles).
 */
export function matcherSnapshotReader(dir: string, log?: (msg: string) => void): () => unknown {
  let told = false;
  return () => {
    const file = path.join(dir, MATCHER_SNAPSHOT_FILE);
    try {
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      if (!stat?.isFile()) return undefined;
      return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    } catch (e) {
      if (!told) log?.(`x1051: ${file} unreadable, compiling the evidence matcher instead: ${(e as Error)?.message ?? e}`);
      told = true;
      return undefined;
    }
  };
}

/** Where the IPADIC files are: next to the bundle (`dist/dict`), else in the kuromoji package. */
export function defaultDictionaryPath(bundleDir: string): string {
  const shipped = path.join(bundleDir, 'dict');
  if (fs.existsSync(path.join(shipped, 'base.dat.gz'))) return shipped;
  try {
    return path.join(path.dirname(require.resolve('kuromoji/package.json')), 'dict');
  } catch {
    return shipped;
  }
}

/** Loads kuromoji's tokenizer from `dicPath` synchronously. Throws when a file is missing. */
export function loadKuromoji(dicPath: string): KuromojiTokenizer {
  // kuromoji's internals, required directly: its builder only loads asynchronously.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const DynamicDictionaries = require('kuromoji/src/dict/DynamicDictionaries');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Tokenizer = require('kuromoji/src/Tokenizer');
  const read = (name: string): ArrayBuffer => {
    const b = zlib.gunzipSync(fs.readFileSync(path.join(dicPath, name)));
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  };
  const dic = new DynamicDictionaries();
  dic.loadTrie(new Int32Array(read('base.dat.gz')), new Int32Array(read('check.dat.gz')));
  dic.loadTokenInfoDictionaries(new Uint8Array(read('tid.dat.gz')), new Uint8Array(read('tid_pos.dat.gz')), new Uint8Array(read('tid_map.dat.gz')));
  dic.loadConnectionCosts(new Int16Array(read('cc.dat.gz')));
  dic.loadUnknownDictionaries(
    new Uint8Array(read('unk.dat.gz')),
    new Uint8Array(read('unk_pos.dat.gz')),
    new Uint8Array(read('unk_map.dat.gz')),
    new Uint8Array(read('unk_char.dat.gz')),
    new Uint32Array(read('unk_compat.dat.gz')),
    new Uint8Array(read('unk_invoke.dat.gz')),
  );
  return new Tokenizer(dic) as KuromojiTokenizer;
}

/**
 * Evaluates now the modules the analysers require on first use (kuromoji's tokenizer, the English
 * lemmatizer and stemmer). A host that may interrupt an analysis (the CLI's main thread under its
 * time budget, `threadBudget.ts`) calls this first: a module is evaluated once per process, and
 * one whose evaluation is interrupted stays half evaluated (neither a bundle's module wrapper nor
 * Node's loader runs its clean-up then), so every later analysis would silently match without it.
 */
export function preloadAnalyserModules(): void {
  for (const load of [
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    () => require('kuromoji/src/dict/DynamicDictionaries'),
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    () => require('kuromoji/src/Tokenizer'),
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    () => require('wink-lemmatizer'),
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    () => require('wink-porter2-stemmer'),
  ]) {
    try {
      load();
    } catch {
      // The analyser reports a module it cannot load when it first needs it.
    }
  }
}

/** Options of `createAnalyser`. */
export interface AnalyserOptions {
  /** Folder of kuromoji's IPADIC files (`*.dat.gz`). */
  dicPath: string;
  /** Told once when a part cannot load. */
  log?: (msg: string) => void;
  /**
   * Which parts to use (for the comparison in docs/evidence.md; default `full`): `off` none,
   * `en` / `ja` one language, `porter2` the Porter2 stemmer (wink-porter2-stemmer) in place of
   * the lemmatiser. The CLI reads it from the X1051_MORPHOLOGY environment variable.
   */
  parts?: 'full' | 'off' | 'en' | 'ja' | 'porter2';
  /**
   * The Japanese dictionary is released after this many milliseconds without a call (default
   * 2,000): it is needed only while evidence matchers compile (terms are tokenised, documents are
   * not), and it holds about 200 MB in each thread that loaded it. A later compile with new terms
   * loads it again; terms seen before come from a cache without it.
   */
  releaseAfterMs?: number;
  /** Told each time the Japanese dictionary is loaded (for tests that count loads). */
  onDictionaryLoad?: () => void;
  /**
   * Tokens known in advance (see `TERM_SEED_FILE`); default `<dicPath>/terms.json` when it exists,
   * `null` for none. Read on the first call.
   */
  seedPath?: string | null;
}

/** The analyser, loading each library on first use. */
export function createAnalyser(options: AnalyserOptions): Analyser {
  const parts = options.parts ?? 'full';
  const analyser = fullAnalyser(options);
  // The id names the libraries and the parts used (a matcher snapshot is only read by the same).
  const id = `wink-lemmatizer+kuromoji-ipadic:${parts}`;
  if (parts === 'full') return { id, ...analyser };
  if (parts === 'off') return { id };
  if (parts === 'en') return { id, lemma: analyser.lemma };
  if (parts === 'ja') return { id, tokenize: analyser.tokenize };
  let stem: ((w: string) => string) | undefined;
  return {
    id,
    tokenize: analyser.tokenize,
    lemma(word: string): string {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      stem ??= require('wink-porter2-stemmer') as (w: string) => string;
      return word.length <= 3 ? word : stem(word);
    },
  };
}

/** Reads `X1051_MORPHOLOGY` (see `AnalyserOptions.parts`); `full` when unset or unknown. */
export function morphologyFromEnv(env: Record<string, string | undefined>): AnalyserOptions['parts'] {
  const v = env.X1051_MORPHOLOGY;
  return v === 'off' || v === 'en' || v === 'ja' || v === 'porter2' ? v : 'full';
}

function fullAnalyser(options: AnalyserOptions): Analyser {
  let lemmatizer: { noun(w: string): string; verb(w: string): string; adjective(w: string): string } | null | undefined;
  let tokenizer: KuromojiTokenizer | null | undefined;
  let release: NodeJS.Timeout | undefined;
  let seeded = false;
  const cache = new Map<string, JaToken[]>();
  const fail = (what: string, e: unknown) => options.log?.(`x1051: ${what} unavailable, matching without it: ${(e as Error)?.message ?? e}`);
  return {
    lemma(word: string): string {
      if (lemmatizer === undefined) {
        try {
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          lemmatizer = require('wink-lemmatizer');
        } catch (e) {
          lemmatizer = null;
          fail('English lemmatizer', e);
        }
      }
      if (!lemmatizer || !/^[a-z]+$/.test(word) || word.length <= 3) return word;
      // A verb reading first ("approved" → "approve"), then a noun ("parties" → "party").
      const v = lemmatizer.verb(word);
      if (v !== word) return v;
      const n = lemmatizer.noun(word);
      if (n !== word) return n;
      return word;
    },
    tokenize(text: string): JaToken[] {
      if (!seeded) {
        seeded = true;
        const file = options.seedPath === undefined ? path.join(options.dicPath, TERM_SEED_FILE) : options.seedPath;
        if (file && fs.existsSync(file)) {
          try {
            const seed = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, JaToken[]>;
            for (const [term, tokens] of Object.entries(seed)) if (Array.isArray(tokens)) cache.set(term, tokens);
          } catch (e) {
            fail('Japanese term tokens (terms.json)', e);
          }
        }
      }
      // Terms repeat across matchers (one per config): each is analysed once.
      const known = cache.get(text);
      if (known) return known;
      if (tokenizer === undefined) {
        try {
          tokenizer = loadKuromoji(options.dicPath);
          options.onDictionaryLoad?.();
        } catch (e) {
          tokenizer = null;
          fail('Japanese morphological analyser (kuromoji dictionary)', e);
        }
      }
      if (!tokenizer) return [];
      // Released when idle (see `releaseAfterMs`); a failed load (null) is not retried.
      clearTimeout(release);
      release = setTimeout(() => {
        if (tokenizer) tokenizer = undefined;
      }, options.releaseAfterMs ?? 2000);
      release.unref?.();
      const tokens = tokenizer.tokenize(text).map((t) => ({
        surface: t.surface_form,
        base: t.basic_form === '*' ? t.surface_form : t.basic_form,
        pos: t.pos,
        detail: t.pos_detail_1,
      }));
      if (cache.size < 100_000) cache.set(text, tokens);
      return tokens;
    },
  };
}
