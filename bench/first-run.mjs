// Records the FIRST RUN on the blind corpus (bench/corpus-blind), before any tuning: the original
// matcher (a checkout of commit ff2ed20, built, given with --base) and the current one (this
// checkout, built). `npm run bench` prints the records beside today's figures. Run it once per
// half, when that half's labels arrive; it refuses to overwrite a record.
//
//   node bench/first-run.mjs --base /tmp/base             → first-run.json (the English half, 2026-12-05 01:37Z)
//   node bench/first-run.mjs --base /tmp/base --lang ja   → first-run-ja.json (the Japanese half)
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BLIND_CORPUS, blindCells, measureAccuracy } from './accuracy.mjs';

const arg = (n) => {
  const i = process.argv.indexOf(n);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const base = arg('--base');
const lang = arg('--lang');
if (lang !== undefined && lang !== 'ja' && lang !== 'en') throw new Error('--lang is ja or en');
const out = join(BLIND_CORPUS, lang === 'ja' ? 'first-run-ja.json' : 'first-run.json');
if (!base) throw new Error('--base <checkout of ff2ed20, built> is required');
if (existsSync(out) && !process.argv.includes('--force')) throw new Error(`${out} exists: the first run is recorded once`);
const here = new URL('..', import.meta.url).pathname;
const commit = (dir) => execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
const runs = {};
for (const [name, root] of [[`original matcher (${commit(base)})`, base], [`#9 matcher (${commit(here)})`, here]]) {
  const r = measureAccuracy({ root, corpus: BLIND_CORPUS, blind: true, allowLost: true });
  runs[name] = { groups: r.groups, byLevel: r.byLevel, weak: r.weak, disagreements: r.disagreements.length, lostClaims: r.lost };
  console.log(`${name}: ${blindCells(r, lang ? [lang] : undefined)}${r.lost.length ? `; claims lost (not scored): ${r.lost.length}` : ''}`);
}
const record = { recorded: new Date().toISOString(), note: 'positive = item not addressed (missing or weak); dev = odd-numbered files, heldout = even-numbered (blind-test)', runs };
if (lang) Object.assign(record, { langs: [lang] });
writeFileSync(out, JSON.stringify(record, null, 2) + '\n');
console.log(`written ${out}`);
