/**
 * The compact wink-lexicon data the bundles read in place of wink-lexicon's JavaScript modules
 * (server/src/winkLexicon.ts): the same words, senses and exceptions, and wink-lemmatizer gives the
 * same lemmas over them.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeWinkLexicon, encodeWinkLexicon, type WinkLexiconModules } from '../../server/src/winkLexicon';

/* eslint-disable @typescript-eslint/no-require-imports */
const paths = {
  words: require.resolve('wink-lexicon/src/wn-words.js'),
  senses: require.resolve('wink-lexicon/src/wn-word-senses.js'),
  verb: require.resolve('wink-lexicon/src/wn-verb-exceptions.js'),
  noun: require.resolve('wink-lexicon/src/wn-noun-exceptions.js'),
  adjective: require.resolve('wink-lexicon/src/wn-adjective-exceptions.js'),
};
const original: WinkLexiconModules = {
  words: require(paths.words),
  senses: require(paths.senses),
  verb: require(paths.verb),
  noun: require(paths.noun),
  adjective: require(paths.adjective),
};

type Lemmatizer = { verb(w: string): string; noun(w: string): string; adjective(w: string): string };

/** A fresh wink-lemmatizer whose wink-lexicon modules are `modules`. */
function lemmatizerOver(modules: WinkLexiconModules): Lemmatizer {
  const saved = new Map<string, NodeModule | undefined>();
  const lemmatizerPath = require.resolve('wink-lemmatizer');
  for (const [name, file] of Object.entries(paths)) {
    saved.set(file, require.cache[file]);
    require.cache[file] = { id: file, filename: file, loaded: true, exports: modules[name as keyof WinkLexiconModules] } as NodeModule;
  }
  saved.set(lemmatizerPath, require.cache[lemmatizerPath]);
  delete require.cache[lemmatizerPath];
  try {
    return require('wink-lemmatizer') as Lemmatizer;
  } finally {
    for (const [file, m] of saved) {
      if (m) require.cache[file] = m;
      else delete require.cache[file];
    }
  }
}
/* eslint-enable @typescript-eslint/no-require-imports */

describe('wink-lexicon data in one compact file (issue #13, memory)', () => {
  const views = decodeWinkLexicon(JSON.parse(JSON.stringify(encodeWinkLexicon(original))));
  const words = Object.keys(original.words);

  it('answers every word with its index, and non-words (prototype names included) with nothing', () => {
    assert.ok(words.length > 70_000, `${words.length} words`);
    for (const w of words) if (views.words[w] !== original.words[w]) assert.fail(`${w}: ${views.words[w]} ≠ ${original.words[w]}`);
    for (const w of ['', 'zzzzzz', 'constructor', 'tostring', '__proto__', 'hasownproperty', 'a'.repeat(300), 'aaa ', 'Aaa']) {
      assert.equal(views.words[w], original.words[w], w);
    }
  });

  it('gives every word its senses, and the exceptions as objects without a prototype', () => {
    for (let i = 0; i < words.length; i++) assert.deepEqual([...views.senses[i]], original.senses[i], `senses of ${words[i]}`);
    for (const pos of ['verb', 'noun', 'adjective'] as const) {
      assert.deepEqual({ ...views[pos] }, { ...original[pos] });
      assert.equal(views[pos].constructor, undefined, `${pos} exceptions have no prototype`);
    }
  });

  it('wink-lemmatizer gives the same lemmas over it as over wink-lexicon\'s modules', () => {
    const a = lemmatizerOver(original);
    const b = lemmatizerOver(views);
    assert.notEqual(a, b, 'two separate instances');
    // The substitution is real: a lemmatizer over altered data answers from it.
    const altered = lemmatizerOver({ ...views, verb: Object.assign(Object.create(null), { ran: 'zzz' }) });
    assert.equal(altered.verb('ran'), 'zzz');
    assert.equal(b.verb('ran'), 'run');
    const inflect = (w: string) => [w, `${w}s`, `${w}es`, `${w}ed`, `${w}d`, `${w}ing`, `${w}er`, `${w}est`, `${w}ies`];
    const sample = [
      ...words.filter((_, i) => i % 11 === 0).flatMap(inflect),
      ...Object.keys(original.verb),
      ...Object.keys(original.noun),
      ...Object.keys(original.adjective),
      'approved', 'parties', 'retained', 'data', 'constructor', 'criteria', 'better',
    ];
    let differ = 0;
    for (const w of sample) {
      for (const pos of ['verb', 'noun', 'adjective'] as const) if (a[pos](w) !== b[pos](w)) differ++;
    }
    assert.equal(differ, 0, `${differ} lemmas differ out of ${sample.length * 3}`);
    assert.equal(b.verb('approved'), 'approve');
    assert.equal(b.noun('parties'), 'party');
  });

  it('the build wrote exactly this data (dist/dict/wink-lexicon.json), and refuses words out of order', () => {
    const built = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../dist/dict/wink-lexicon.json'), 'utf8'));
    assert.deepEqual(built, JSON.parse(JSON.stringify(encodeWinkLexicon(original))));
    assert.throws(() => encodeWinkLexicon({ ...original, words: { b: 0, a: 1 }, senses: [[1], [2]] }), /index|sorted/);
    assert.throws(() => decodeWinkLexicon({ format: 2 } as never), /format-1/);
  });
});
