/**
 * Build step: writes wink-lexicon's word list, senses and exceptions as one compact file
 * (`dist/dict/wink-lexicon.json`, see server/src/winkLexicon.ts), which the bundles read in place
 * of wink-lexicon's JavaScript modules.
 *
 * Usage (esbuild.mjs runs it): node wink-lexicon-data.js <out.json>
 */
import * as fs from 'node:fs';
import { encodeWinkLexicon, type WinkLexiconModules } from '../winkLexicon';

const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: winkLexiconData <out.json>\n');
  process.exit(2);
}
/* eslint-disable @typescript-eslint/no-require-imports */
const modules: WinkLexiconModules = {
  words: require('wink-lexicon/src/wn-words.js'),
  senses: require('wink-lexicon/src/wn-word-senses.js'),
  verb: require('wink-lexicon/src/wn-verb-exceptions.js'),
  noun: require('wink-lexicon/src/wn-noun-exceptions.js'),
  adjective: require('wink-lexicon/src/wn-adjective-exceptions.js'),
};
/* eslint-enable @typescript-eslint/no-require-imports */
const file = encodeWinkLexicon(modules);
fs.writeFileSync(out, JSON.stringify(file));
process.stdout.write(`wink-lexicon: ${file.senseCounts.length} words into ${out}\n`);
