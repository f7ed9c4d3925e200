// In-process measurements: the full check of one document through the policy service, against
// remark-parse alone on the same text.
//
// The service is bundled with esbuild exactly as the CLI and the server are (same options:
// CommonJS, node20, minified), together with the remark-parse baseline, so both sides run the same
// unified / micromark code. The bundle goes to a temporary folder, not to dist/, so it never ends
// up in the .vsix.
//
// Run alone to profile one size: `node --cpu-prof --cpu-prof-dir=/tmp/prof bench/inprocess.mjs 10000`
// (checks a generated policy of that many lines a few times and prints the median).
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { generatePolicy, loadGeneratorCatalog } from './generate.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// The bench entry: the service, the catalogue loader, the CLI's worker count and the baseline parser, nothing else.
const ENTRY = `
export { createPolicyService, defaultConfig } from './server/src/service';
export { loadCatalog } from './catalog/src/load';
export { createAnalyser } from './server/src/morphologyHost';
export { markdownInternals } from './server/src/service/markdown';
export { autoWorkerCount } from './server/src/analysisPool';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
/** The floor: remark-parse alone (a fresh processor per call is what the brief asks for: unified().use(remarkParse).parse). */
export function remarkParseOnly(text) { return unified().use(remarkParse).parse(text); }
`;

/**
 * Bundles the bench entry and loads it.
 * @returns {Promise<{ mod: any, cleanup: () => void }>}
 */
export async function loadBenchBundle() {
  const dir = mkdtempSync(join(tmpdir(), 'x1051-bench-bundle-'));
  const outfile = join(dir, 'bench-service.cjs');
  await esbuild.build({
    stdin: { contents: ENTRY, resolveDir: ROOT, sourcefile: 'bench-entry.ts', loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Minified like the shipped bundles; X1051_MINIFY=0 keeps names for reading CPU profiles.
    minify: process.env.X1051_MINIFY !== '0',
    logLevel: 'warning',
    outfile,
  });
  const mod = createRequire(import.meta.url)(outfile);
  return { mod, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Median of a list of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/**
 * A checker over one service instance. Each call checks the text as a new version of the
 * document, so nothing is served from the service's caches; the evidence matcher (compiled once
 * per configuration, at start-up in the server and the CLI) is compiled before timing starts.
 */
export function createChecker(mod) {
  const catalog = mod.loadCatalog(join(ROOT, 'dist', 'catalog.json'));
  const docs = new Map();
  // The same morphology as the server and the CLI (its dictionaries load while the matcher compiles).
  const analyser = mod.createAnalyser({ dicPath: join(ROOT, 'dist', 'dict') });
  const service = mod.createPolicyService({ catalog, workspace: { documents: () => docs.values() }, analyser });
  const config = mod.defaultConfig();
  let version = 0;
  service.matcher(config);
  return {
    service,
    /**
     * Full check: parse, citations, claims, evidence, diagnostics. Returns the findings. Cold: the
     * parser's chunk cache is emptied first, so checking the same text again measures a document
     * seen for the first time, not the cache (edits are measured through the server instead).
     */
    check(text, uri = 'file:///bench/policy.md') {
      mod.markdownInternals.clearCache();
      const doc = { uri, version: ++version, getText: () => text };
      return service.diagnostics(doc, config);
    },
    /** The service's Markdown stage alone (remark-parse + gfm + front matter + prose blocks). */
    parse(text, uri = 'file:///bench/parse.md') {
      mod.markdownInternals.clearCache();
      return service.parse({ uri, version: ++version, getText: () => text });
    },
  };
}

/**
 * Times `fn` once: wall-clock milliseconds and the process's CPU milliseconds (user + system).
 * On a machine shared with other work the CPU time is the steadier estimate of what the wall
 * time would be on an idle machine (the work is single-threaded, GC aside), so the in-process
 * rows are judged on CPU time and show the wall time beside it.
 */
export function time(fn) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

/** Medians of a list of `time()` results. */
export function medianTimes(ts) {
  return { wall: median(ts.map((t) => t.wall)), cpu: median(ts.map((t) => t.cpu)) };
}

/**
 * The parse floor: full check against remark-parse alone on the same text, interleaved (and in
 * rotating order, so that neither side always follows the other's garbage) so that load from
 * other processes hits both sides alike.
 */
export function measureParseFloor(mod, checker, text, { warmup = 3, runs = 7 } = {}) {
  let findings = 0;
  for (let i = 0; i < warmup; i++) {
    mod.remarkParseOnly(text);
    findings = checker.check(text).length;
    checker.parse(text);
  }
  const check = [];
  const remark = [];
  const parse = [];
  const steps = [
    () => remark.push(time(() => mod.remarkParseOnly(text))),
    () => check.push(time(() => checker.check(text))),
    () => parse.push(time(() => checker.parse(text))),
  ];
  for (let i = 0; i < runs; i++) for (let k = 0; k < steps.length; k++) steps[(i + k) % steps.length]();
  const c = medianTimes(check);
  const r = medianTimes(remark);
  return { check: c, remark: r, serviceParse: medianTimes(parse), ratio: c.cpu / r.cpu, wallRatio: c.wall / r.wall, runs, findings };
}

/**
 * Growth: the full check at several sizes, median of `runs` after `warmup`, as CPU time per
 * 1,000 lines (wall time beside it).
 * @param {Array<{ lines: number, runs: number, warmup: number }>} sizes
 */
export function measureGrowth(checker, catalog, sizes, { seed = 11, texts = new Map() } = {}) {
  return sizes.map(({ lines, runs, warmup }) => {
    const text = texts.get(lines) ?? generatePolicy({ lines, lang: 'mixed', seed, catalog });
    for (let i = 0; i < warmup; i++) checker.check(text);
    const ts = [];
    for (let i = 0; i < runs; i++) ts.push(time(() => checker.check(text)));
    const m = medianTimes(ts);
    return { lines, ms: m, perKLines: m.cpu / (lines / 1000), runs };
  });
}

// Profiling entry: `node --cpu-prof bench/inprocess.mjs <lines> [runs]`.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const lines = Number(process.argv[2] ?? 10000);
  const runs = Number(process.argv[3] ?? 5);
  const { mod, cleanup } = await loadBenchBundle();
  try {
    const catalog = loadGeneratorCatalog();
    const text = generatePolicy({ lines, lang: 'mixed', seed: 11, catalog });
    const checker = createChecker(mod);
    const ts = [];
    for (let i = 0; i < runs; i++) ts.push(time(() => checker.check(text)));
    const rp = [];
    for (let i = 0; i < runs; i++) rp.push(time(() => mod.remarkParseOnly(text)));
    const c = medianTimes(ts);
    const r = medianTimes(rp);
    console.log(`${lines} lines, median of ${runs}: full check ${c.cpu.toFixed(0)} ms CPU (${c.wall.toFixed(0)} wall), remark-parse ${r.cpu.toFixed(0)} ms CPU (${r.wall.toFixed(0)} wall)`);
  } finally {
    cleanup();
  }
}
