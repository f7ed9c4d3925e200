// One build script for every bundle: the catalogue, the VS Code client, the language server and
// the CLI. Type-checking is separate (`npm run typecheck`), so this stays fast.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const watch = process.argv.includes('--watch');
mkdirSync('dist', { recursive: true });

/** Options shared by every bundle. remark and unified are ESM-only; esbuild turns them into CJS. */
const base = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  minify: process.env.X1051_MINIFY !== '0',
};

// 1. The catalogue: compile catalog/data/*.yaml into dist/catalog.json, validated against the schema.
await esbuild.build({ ...base, entryPoints: ['catalog/src/build.ts'], outfile: 'dist/catalog-build.js', sourcemap: false, minify: false });
execFileSync(process.execPath, ['dist/catalog-build.js'], { stdio: 'inherit' });

if (process.argv.includes('--catalog-only')) process.exit(0);

// The Japanese morphological dictionary (kuromoji's IPADIC, ~18 MB gzipped) ships beside the bundles
// in dist/dict; the server and the CLI read it on first use (server/src/morphologyHost.ts).
const dictSource = join(dirname(createRequire(import.meta.url).resolve('kuromoji/package.json')), 'dict');
mkdirSync('dist/dict', { recursive: true });
for (const f of readdirSync(dictSource)) if (f.endsWith('.dat.gz')) copyFileSync(join(dictSource, f), join('dist/dict', f));

// wink-lexicon's word list as one compact file (server/src/winkLexicon.ts), read by the bundles in
// place of its JavaScript modules: wink-lemmatizer is bundled, its data is not.
await esbuild.build({ ...base, entryPoints: ['server/src/tools/winkLexiconData.ts'], outfile: 'dist/wink-lexicon-data.js', sourcemap: false, minify: false });
execFileSync(process.execPath, ['dist/wink-lexicon-data.js', 'dist/dict/wink-lexicon.json'], { stdio: 'inherit' });
const winkModules = { 'wn-words': 'words', 'wn-word-senses': 'senses', 'wn-verb-exceptions': 'verb', 'wn-noun-exceptions': 'noun', 'wn-adjective-exceptions': 'adjective' };
/** Resolves the wink-lexicon modules wink-lemmatizer requires to views over that file. */
const winkLexiconData = {
  name: 'wink-lexicon-data',
  setup(build) {
    build.onResolve({ filter: /^wink-lexicon\/src\/wn-[a-z-]+\.js$/ }, (args) => {
      const name = winkModules[args.path.slice('wink-lexicon/src/'.length, -'.js'.length)];
      return name ? { path: name, namespace: 'wink-lexicon-data' } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'wink-lexicon-data' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(join(process.cwd(), 'server/src/winkLexicon.ts'))}).winkLexiconModule(${JSON.stringify(args.path)});`,
      resolveDir: process.cwd(),
      loader: 'js',
    }));
  },
};
base.plugins = [winkLexiconData];

// 2. The bundles.
const bundles = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js' },
  // The analysis worker threads of the server and the CLI (AnalysisPool), beside them in dist/.
  { entryPoints: ['server/src/analysisWorker.ts'], outfile: 'dist/analysisWorker.js' },
];
for (const b of bundles) {
  if (watch) {
    const ctx = await esbuild.context({ ...base, ...b });
    await ctx.watch();
  } else {
    await esbuild.build({ ...base, ...b });
  }
}

// 3. The tokens of the catalogue's Japanese terms, so that no thread loads the dictionary to
// compile the default evidence matcher (server/src/tools/seedTerms.ts; a build tool, not shipped).
await esbuild.build({ ...base, entryPoints: ['server/src/tools/seedTerms.ts'], outfile: 'dist/seed-terms.js', sourcemap: false });
execFileSync(process.execPath, ['dist/seed-terms.js', 'dist/catalog.json', 'dist/dict', 'dist/dict/terms.json'], { stdio: 'inherit' });
