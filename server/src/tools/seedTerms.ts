/**
 * Build step: tokenises every Japanese term part the default evidence matcher compiles, with
 * kuromoji, and writes the tokens to `dist/dict/terms.json` (see `TERM_SEED_FILE` in
 * morphologyHost.ts). The server, its workers and the CLI then compile the matcher without loading
 * the ~200 MB dictionary; a configuration that adds Japanese terms still loads it for those.
 * It also writes the compiled default matcher, `dist/dict/matcher.json` (`MATCHER_SNAPSHOT_FILE`),
 * which they read instead of compiling it.
 *
 * Usage (esbuild.mjs runs it): node seedTerms.js <catalog.json> <dict folder> <out.json>
 */
import * as fs from 'node:fs';
import { loadCatalog } from '../../../catalog/src/load';
import * as path from 'node:path';
import { createAnalyser, MATCHER_SNAPSHOT_FILE } from '../morphologyHost';
import { createPolicyService, defaultConfig, matcherSourceKey } from '../service';
import type { Analyser, JaToken } from '../service/morphology';

const [catalogPath, dicPath, out] = process.argv.slice(2);
if (!catalogPath || !dicPath || !out) {
  process.stderr.write('usage: seedTerms <catalog.json> <dict folder> <out.json>\n');
  process.exit(2);
}
const base = createAnalyser({ dicPath, seedPath: null });
const seen: Record<string, JaToken[]> = {};
const recording: Analyser = {
  lemma: base.lemma,
  tokenize(text: string): JaToken[] {
    seen[text] ??= base.tokenize!(text);
    return seen[text];
  },
};
const catalog = loadCatalog(catalogPath);
const config = defaultConfig();
const matcher = createPolicyService({ catalog, workspace: { documents: () => [] }, analyser: recording }).matcher(config);
const terms = Object.keys(seen).length;
if (terms === 0) {
  process.stderr.write('seedTerms: no Japanese term was tokenised (is the dictionary there?)\n');
  process.exit(1);
}
fs.writeFileSync(out, JSON.stringify(seen));
process.stdout.write(`terms: ${terms} Japanese term parts tokenised into ${out}\n`);
// The compiled matcher itself, under the key the shipped analyser gives (the recording one above
// tokenises exactly as the shipped one does with terms.json).
const snapshotFile = path.join(path.dirname(out), MATCHER_SNAPSHOT_FILE);
fs.writeFileSync(snapshotFile, JSON.stringify(matcher.toSnapshot(matcherSourceKey(catalog, config, base))));
process.stdout.write(`matcher: ${matcher.patternCount} patterns, ${matcher.stateCount} states into ${snapshotFile}\n`);
