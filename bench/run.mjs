// `npm run bench`: speed, footprint and accuracy of x1051 as measured facts.
//
// Prints one table (what, measured, goal, met?) whose ratios are measured side by side in the
// same run on the same machine, then the machine. Not part of `npm test`: nothing here asserts a
// timing; a missed goal is reported, not failed.
//
// Usage: npm run bench                 (builds, then runs everything; see docs/performance.md for
//                                        how long: the 100,000-line growth point dominates)
//        node bench/run.mjs --quick    (smoke run: small sizes, few repetitions)
//        node bench/run.mjs --json     (also prints the raw results as JSON)
// Sizes (environment variables):
//   X1051_BENCH_LINES    lines of the single-document benchmarks (default 10000)
//   X1051_BENCH_DOCS     documents of the workspace benchmarks (default 1000)
//   X1051_BENCH_GROWTH   sizes of the growth row, comma-separated (default 1000,10000,100000)
//   X1051_BENCH_RUNS     repetitions of the in-process timings (default 5)
//   X1051_BENCH_KEEP=1   keep the generated files (their folder is printed)
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { generateCorpus, generatePlainCorpus, generatePolicy, loadGeneratorCatalog } from './generate.mjs';
import { createChecker, loadBenchBundle, measureGrowth, measureParseFloor, median, percentile } from './inprocess.mjs';
import { LspClient, SERVER_ENVIRONMENT, delay, fileUri } from './lsp-client.mjs';
import { accuracyRow, BLIND_CORPUS, blindCells, measureAccuracy, readFirstRuns, scores } from './accuracy.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const wantJson = process.argv.includes('--json');
const env = (k, d) => (process.env[k] ? Number(process.env[k]) : d);

const LINES = env('X1051_BENCH_LINES', quick ? 2000 : 10000);
const DOCS = env('X1051_BENCH_DOCS', quick ? 100 : 1000);
const RUNS = env('X1051_BENCH_RUNS', quick ? 3 : 5);
const GROWTH = (process.env.X1051_BENCH_GROWTH ?? (quick ? '500,1000,2000' : '1000,10000,100000')).split(',').map(Number);
const PEER_RUNS = quick ? 1 : 3;
const HOVERS = quick ? 40 : 200;
const COMPLETIONS = quick ? 20 : 100;
const EDITS = quick ? 3 : 7;
const FIRST_OPENS = quick ? 1 : 3;
const SPAWNS = quick ? 3 : 5;

/** The server's debounce, read from its source so the figure follows the code. */
const DEBOUNCE_MS = Number(/const DEBOUNCE_MS = (\d+)/.exec(readFileSync(join(ROOT, 'server', 'src', 'server', 'checking.ts'), 'utf8'))?.[1] ?? NaN);
// How soon a worker that only indexed is stopped (server/src/server/lifecycle.ts).
const BATCH_IDLE_MS = Number(/const WORKER_BATCH_IDLE_MS = ([\d_]+)/.exec(readFileSync(join(ROOT, 'server', 'src', 'server', 'lifecycle.ts'), 'utf8'))?.[1]?.replace(/_/g, '') ?? NaN);

/** Files of dist/ that the build runs and does not ship. */
const BUILD_TOOLS = ['catalog-build.js', 'seed-terms.js', 'wink-lexicon-data.js'];

const rows = [];
const notes = [];
const raw = {};
const progress = (msg) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${msg}\n`);
const started = performance.now();

/** Adds a table row. `met` is true, false or undefined (no goal). */
function row(n, what, measured, goal, met) {
  rows.push({ n, what, measured, goal: goal ?? '—', met: met === undefined ? '—' : met ? 'yes' : '**no**' });
}
const ms = (x) => (x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(1)} ms`);
const mib = (bytes) => `${(bytes / 1048576).toFixed(2)} MiB`;

/** Clock ticks per second of /proc's times. */
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();
LspClient.clockTicks = CLK_TCK;

/**
 * CPU milliseconds (user + system) of this process's waited-for children so far (Linux:
 * cutime + cstime of /proc/self/stat), or NaN elsewhere.
 */
function childrenCpuMs() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 of stat(5); f[0] is field 3.
    return ((Number(f[13]) + Number(f[14])) * 1000) / CLK_TCK;
  } catch {
    return NaN;
  }
}

/**
 * Runs a command to completion, output discarded; resolves with its wall milliseconds, its CPU
 * milliseconds (all threads; 10 ms resolution) and exit code.
 */
function runProcess(cmd, args, cwd) {
  return new Promise((resolveRun, reject) => {
    const c0 = childrenCpuMs();
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    // Peak memory: the process's VmHWM (its threads included), read every 20 ms until it exits;
    // the last read misses at most the final 20 ms.
    let peakKb = 0;
    const readPeak = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        // Gone already.
      }
    };
    const poll = setInterval(readPeak, 20);
    child.stderr.on('data', (d) => (stderr += d.toString().slice(0, 4000)));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(poll);
      resolveRun({ ms: performance.now() - t0, cpu: childrenCpuMs() - c0, code, stderr, peakMiB: peakKb / 1024 });
    });
  });
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    load: os.loadavg().map((x) => x.toFixed(2)).join(' '),
  };
}

/** Positions of control ids in headings: for hovers (inside the id) and completions (after "TEL.<n>."). */
function idPositions(text) {
  const hovers = [];
  const completions = [];
  text.split('\n').forEach((line, i) => {
    if (!line.startsWith('#')) return;
    for (const m of line.matchAll(/TEL\.(\d+)\.(\d+)\.(\d+)(?: ([a-z])\))?|\b(\d{1,2})\.(\d)\.(\d)\b/g)) {
      hovers.push({ line: i, character: m.index + 3 });
      if (m[1]) {
        completions.push({ at: { line: i, character: m.index + 4 + m[1].length + 1 }, trigger: undefined });
        if (m[4]) completions.push({ at: { line: i, character: m.index + m[0].length - 2 }, trigger: ' ' });
      }
    }
  });
  return { hovers, completions };
}

/** Takes `n` elements spread evenly over `list`. */
const spread = (list, n) => (list.length <= n ? list : Array.from({ length: n }, (_, i) => list[Math.floor((i * list.length) / n)]));

async function main() {
  if (!existsSync(join(ROOT, 'dist', 'server.js')) || !existsSync(join(ROOT, 'dist', 'cli.js'))) {
    console.error('dist/ is not built: run `npm run bench` (it builds first) or `npm run build`.');
    process.exit(2);
  }
  const m0 = machine();
  const work = mkdtempSync(join(os.tmpdir(), 'x1051-bench-'));
  const catalog = loadGeneratorCatalog();
  const { mod, cleanup } = await loadBenchBundle();
  try {
    // ---- 1. Parse floor -------------------------------------------------------------------
    progress(`generating a ${LINES}-line policy`);
    const bigText = generatePolicy({ lines: LINES, lang: 'mixed', seed: 11, catalog });
    writeFileSync(join(work, 'policy.md'), bigText);
    const checker = createChecker(mod);
    progress('parse floor: full check against remark-parse alone, interleaved');
    const floor = measureParseFloor(mod, checker, bigText, { warmup: quick ? 1 : 2, runs: RUNS });
    raw.floor = floor;
    row(1, `Parse floor: full check of a ${LINES.toLocaleString('en')}-line policy ÷ remark-parse alone, CPU time (median of ${floor.runs}, interleaved)`,
      `${floor.ratio.toFixed(2)}× (${ms(floor.check.cpu)} vs ${ms(floor.remark.cpu)}; wall ${floor.wallRatio.toFixed(2)}×: ${ms(floor.check.wall)} vs ${ms(floor.remark.wall)})`, '≤ 1.5×', floor.ratio <= 1.5);
    notes.push(
      `Parse floor breakdown (${LINES} lines, ${floor.findings} findings, CPU time): remark-parse alone ${ms(floor.remark.cpu)}; the service's Markdown stage ` +
        `(micromark with front matter and the GFM subset, its events read into prose blocks) ${ms(floor.serviceParse.cpu)}; the rest of the check (citations, claims, ` +
        `evidence, diagnostics) ${ms(floor.check.cpu - floor.serviceParse.cpu)}.`,
    );

    // ---- 3. Growth ------------------------------------------------------------------------
    progress(`growth: ${GROWTH.join(', ')} lines`);
    const texts = new Map([[LINES, bigText]]);
    const growth = [];
    for (const lines of GROWTH) {
      if (lines === LINES) {
        growth.push({ lines, ms: floor.check, perKLines: floor.check.cpu / (lines / 1000), runs: floor.runs });
        continue;
      }
      // Large sizes take long (see docs/performance.md): one run, after the smaller sizes warmed the JIT.
      const runs = lines >= 50000 ? 1 : lines > LINES ? 3 : RUNS;
      const warmup = lines >= 50000 ? 0 : 1;
      progress(`growth: ${lines} lines, ${runs} run(s)`);
      growth.push(...measureGrowth(checker, catalog, [{ lines, runs, warmup }], { seed: 11, texts }));
    }
    raw.growth = growth;
    const g0 = growth[0];
    const gN = growth[growth.length - 1];
    const growthRatio = gN.perKLines / g0.perKLines;
    row(3, `Growth: full check, CPU time per 1,000 lines at ${growth.map((g) => `${g.lines.toLocaleString('en')} (${g.runs} run${g.runs > 1 ? 's' : ''})`).join(' / ')} lines`,
      `${growth.map((g) => ms(g.perKLines)).join(' / ')} (${gN.lines / g0.lines}× size: ${growthRatio.toFixed(2)}× per-line cost${growthRatio > 2 ? ', **superlinear**' : ''})`,
      'linear (per-line cost ratio ≤ 2)', growthRatio <= 2);

    // ---- 2. Peer --------------------------------------------------------------------------
    // Two corpora: the generated policies citing controls, and ordinary policies without
    // citations (what x1051 meets first in public policy sets). x1051's default is --jobs auto:
    // one worker per two logical CPUs, none rather than one (the main thread); markdownlint-cli2
    // is single-threaded. Printed beside the default: x1051 on one thread (when the default is
    // not that already) and with one worker per logical CPU.
    progress(`peer: generating ${DOCS} documents`);
    const corpus = join(work, 'corpus');
    generateCorpus(corpus, { docs: DOCS, catalog });
    const plain = join(work, 'plain');
    generatePlainCorpus(plain, { docs: DOCS });
    const countLines = (dir) => readdirSync(dir, { recursive: true })
      .filter((f) => String(f).endsWith('.md'))
      .reduce((n, f) => n + readFileSync(join(dir, String(f)), 'utf8').split('\n').length - 1, 0);
    const corpusLines = countLines(corpus);
    const cores = os.availableParallelism();
    // What `--jobs auto` starts for DOCS files on this machine.
    const autoWorkers = mod.autoWorkerCount(DOCS, cores);
    const x1051 = [process.execPath, [join(ROOT, 'bin', 'x1051.js'), 'check', '.']];
    const x1051One = autoWorkers === 0 ? undefined : [process.execPath, [join(ROOT, 'bin', 'x1051.js'), 'check', '--jobs', '0', '.']];
    const x1051All = [process.execPath, [join(ROOT, 'bin', 'x1051.js'), 'check', '--jobs', String(cores), '.']];
    const mdl = [process.execPath, [join(ROOT, 'node_modules', 'markdownlint-cli2', 'markdownlint-cli2-bin.mjs'), '**/*.md']];
    const defaultIs = autoWorkers === 0 ? `the main thread on this machine's ${cores} logical CPU(s)` : `${autoWorkers} workers on this machine's ${cores} logical CPUs`;
    raw.peer = {};
    for (const [name, dir, warm] of [['citing', corpus, join(corpus, 'network')], ['plain', plain, join(plain, 'policies')]]) {
      const runs = { x: [], one: [], all: [], m: [] };
      const tools = [[x1051, runs.x], [x1051All, runs.all], ...(x1051One ? [[x1051One, runs.one]] : []), [mdl, runs.m]];
      // Warm-up on one folder: loads the tools' code into the page cache without the full cost.
      progress(`peer (${name}): warm-up of the tools on one folder`);
      for (const [cmd] of tools) {
        const w = await runProcess(...cmd, warm);
        if (w.code !== 0 && w.code !== 1) throw new Error(`${cmd[1].join(' ')} failed (exit ${w.code}):\n${w.stderr}`);
      }
      for (let i = 0; i < PEER_RUNS; i++) {
        progress(`peer (${name}): run ${i + 1}/${PEER_RUNS}`);
        // Rotating which tool goes first, so none always runs on a warmer (or busier) machine.
        for (let k = 0; k < tools.length; k++) {
          const [cmd, out] = tools[(i + k) % tools.length];
          const r = await runProcess(...cmd, dir);
          if (r.code !== 0 && r.code !== 1) throw new Error(`${cmd[1].join(' ')} failed (exit ${r.code}):\n${r.stderr}`);
          out.push(r);
        }
      }
      const one = x1051One ? runs.one : runs.x;
      const px = median(runs.x.map((r) => r.ms));
      const p1 = median(one.map((r) => r.ms));
      const pa = median(runs.all.map((r) => r.ms));
      const pm = median(runs.m.map((r) => r.ms));
      const pxc = median(runs.x.map((r) => r.cpu));
      const pmc = median(runs.m.map((r) => r.cpu));
      const lines = name === 'citing' ? corpusLines : countLines(plain);
      const times = (list) => list.map(({ ms, cpu }) => ({ ms, cpu }));
      raw.peer[name] = { x1051: times(runs.x), x1051SingleThread: times(one), x1051WorkerPerCpu: times(runs.all), markdownlint: times(runs.m), docs: DOCS, lines, cores, autoWorkers };
      const what = name === 'citing' ? `the generated corpus of ${DOCS.toLocaleString('en')} policies citing controls` : `${DOCS.toLocaleString('en')} ordinary policies without citations (English and Japanese prose, lists, tables)`;
      row(2, `Peer: \`x1051 check\` over ${what} (${lines.toLocaleString('en')} lines) ÷ \`markdownlint-cli2\` (default rules, single-threaded), whole processes, wall time, median of ${PEER_RUNS}; x1051 with its default (\`--jobs auto\`: ${defaultIs})`,
        `${(px / pm).toFixed(2)}× (${ms(px)} vs ${ms(pm)}; CPU ${(pxc / pmc).toFixed(2)}×: ${ms(pxc)} vs ${ms(pmc)})`, '≤ 1.0×', px / pm <= 1.0);
      if (x1051One) row(2, `The same, x1051 on one thread (\`--jobs 0\`)`, `${(p1 / pm).toFixed(2)}× (${ms(p1)} vs ${ms(pm)})`, '— (printed for honesty)', undefined);
      row(2, `The same, x1051 with one worker per logical CPU (\`--jobs ${cores}\`)`, `${(pa / pm).toFixed(2)}× (${ms(pa)} vs ${ms(pm)}; CPU ${ms(median(runs.all.map((r) => r.cpu)))})`, '— (printed for honesty)', undefined);
      const mx = median(runs.x.map((r) => r.peakMiB));
      const m1 = median(one.map((r) => r.peakMiB));
      const ma = median(runs.all.map((r) => r.peakMiB));
      const mm = median(runs.m.map((r) => r.peakMiB));
      raw.peer[name].peakMiB = { x1051: mx, x1051SingleThread: m1, x1051WorkerPerCpu: ma, markdownlint: mm };
      row(5, `CLI peak memory over the same corpus (${name}): \`x1051 check\` (default) ÷ \`markdownlint-cli2\`, peak RSS (VmHWM, threads included), median of ${PEER_RUNS}`,
        `${(mx / mm).toFixed(2)}× (${mx.toFixed(0)} MiB vs ${mm.toFixed(0)} MiB; ${x1051One ? `one thread ${m1.toFixed(0)} MiB, ` : ''}one worker per logical CPU ${ma.toFixed(0)} MiB)`, '≤ 1.0×', mx <= mm);
    }

    // ---- 5a. Start-up ---------------------------------------------------------------------
    progress(`server: ${SPAWNS} cold starts`);
    const starts = [];
    const startsCpu = [];
    for (let i = 0; i < SPAWNS; i++) {
      const { client, initializeMs, initializeCpuMs } = await LspClient.start({ progress: false });
      starts.push(initializeMs);
      startsCpu.push(initializeCpuMs);
      await client.stop();
    }
    raw.starts = { wall: starts, cpu: startsCpu };

    // ---- 4. Editor latency on the big document ---------------------------------------------
    progress(`server: opening the ${LINES}-line policy`);
    const uri = fileUri(join(work, 'policy.md'));
    // First diagnostics: a server opens a document for the first time only once, so every sample
    // is a new server; the last is the one the rows below go on with.
    const firstDiagnostics = async (client) => {
      const t = performance.now();
      await client.open(uri, bigText, 1);
      return (await client.diagnosticsFor(uri, 1)).at - t;
    };
    const firstChecks = [];
    for (let k = 1; k < FIRST_OPENS; k++) {
      const s = (await LspClient.start({ progress: false })).client;
      try {
        firstChecks.push(await firstDiagnostics(s));
      } finally {
        await s.stop();
      }
    }
    const a = (await LspClient.start({ progress: false })).client;
    try {
      let from = a.notifications.length;
      firstChecks.push(await firstDiagnostics(a));
      // Let the coverage notification that follows a check pass, so requests meet an idle server.
      await a.notificationAfter('x1051/coverageChanged', from);
      await delay(100);

      const { hovers, completions } = idPositions(bigText);
      progress(`server: ${Math.min(HOVERS, hovers.length)} hovers, ${Math.min(COMPLETIONS, completions.length)} completions`);
      const hoverMs = [];
      let hoverHits = 0;
      for (const position of spread(hovers, HOVERS)) {
        const r = await a.timed('textDocument/hover', { textDocument: { uri }, position });
        hoverMs.push(r.ms);
        if (r.result) hoverHits++;
      }
      const complMs = [];
      let complItems = 0;
      for (const c of spread(completions, COMPLETIONS)) {
        const context = c.trigger ? { triggerKind: 2, triggerCharacter: c.trigger } : { triggerKind: 1 };
        const r = await a.timed('textDocument/completion', { textDocument: { uri }, position: c.at, context });
        complMs.push(r.ms);
        complItems += Array.isArray(r.result) ? r.result.length : r.result?.items?.length ?? 0;
      }
      raw.hover = hoverMs;
      raw.completion = complMs;
      const hp95 = percentile(hoverMs, 95);
      const cp95 = percentile(complMs, 95);
      row(4, `Hover on control ids in headings, ${LINES.toLocaleString('en')}-line document (${hoverMs.length} requests, ${hoverHits} with content)`,
        `p50 ${ms(percentile(hoverMs, 50))}, p95 ${ms(hp95)}`, 'p95 ≤ 10 ms', hp95 <= 10);
      row(4, `Completion after "TEL.<n>." and "<id> " in headings (${complMs.length} requests, ${(complItems / Math.max(1, complMs.length)).toFixed(0)} items on average)`,
        `p50 ${ms(percentile(complMs, 50))}, p95 ${ms(cp95)}`, 'p95 ≤ 10 ms', cp95 <= 10);

      // didChange → publishDiagnostics: append a sentence to a list line, one edit at a time.
      progress(`server: ${EDITS} edits of the ${LINES}-line policy`);
      const lines = bigText.split('\n');
      const editable = lines.map((l, i) => (/^\d+\. /.test(l) ? i : -1)).filter((i) => i >= 0);
      const editMs = [];
      const editCpu = [];
      let version = 1;
      for (const line of spread(editable, EDITS)) {
        from = a.notifications.length;
        const insert = ' Exceptions are approved in writing.';
        const at = { line, character: lines[line].length };
        lines[line] += insert;
        const c1 = a.cpuMs();
        const t1 = performance.now();
        await a.edit(uri, ++version, { start: at, end: at }, insert);
        const d = await a.diagnosticsFor(uri, version);
        editMs.push(d.at - t1);
        editCpu.push(a.cpuMs() - c1);
        await a.notificationAfter('x1051/coverageChanged', from);
        await delay(100);
      }
      raw.edit = { wall: editMs, serverCpu: editCpu };
      const editNet = median(editMs) - DEBOUNCE_MS;
      row(4, `didChange → publishDiagnostics, ${LINES.toLocaleString('en')}-line document, wall time minus the server's fixed ${DEBOUNCE_MS} ms debounce (median of ${editMs.length}; raw median ${ms(median(editMs))}, max ${ms(Math.max(...editMs))})`,
        `${ms(editNet)} (server CPU ${ms(median(editCpu))})`, '≤ 100 ms', editNet <= 100);
      raw.firstDiagnostics = firstChecks;
      const firstCheck = median(firstChecks);
      row(4, `First diagnostics of a ${LINES.toLocaleString('en')}-line document opened in a new server: didOpen → first publishDiagnostics, wall time (${firstChecks.length === 1 ? 'one new server' : `median of ${firstChecks.length} new servers`}; no debounce on open; includes starting the worker and its reading the evidence matcher)`,
        firstChecks.length === 1 ? ms(firstCheck) : `${ms(firstCheck)} (${firstChecks.map(ms).join(', ')})`, '≤ 1.5 s', firstCheck <= 1500);

      // Hover and completion right after an edit, before the debounced check (and while it runs):
      // they answer from the last analysis (lines that did not change) instead of analysing.
      progress(`server: hover and completion right after edits of the ${LINES}-line policy`);
      const afterEditHover = [];
      const afterEditCompl = [];
      let afterEditHits = 0;
      for (let i = 0; i < Math.min(10, EDITS); i++) {
        from = a.notifications.length;
        const line = editable[(i * 7 + 3) % editable.length];
        const at = { line, character: lines[line].length };
        lines[line] += ' See TEL.18.';
        await a.edit(uri, ++version, { start: at, end: at }, ' See TEL.18.');
        const h = await a.timed('textDocument/hover', { textDocument: { uri }, position: spread(hovers, 10)[i % 10] });
        afterEditHover.push(h.ms);
        if (h.result) afterEditHits++;
        const c = await a.timed('textDocument/completion', { textDocument: { uri }, position: { line, character: lines[line].length }, context: { triggerKind: 2, triggerCharacter: '.' } });
        afterEditCompl.push(c.ms);
        await a.diagnosticsFor(uri, version);
        await a.notificationAfter('x1051/coverageChanged', from);
        await delay(100);
      }
      raw.afterEdit = { hover: afterEditHover, completion: afterEditCompl };
      const aeh = percentile(afterEditHover, 95);
      const aec = percentile(afterEditCompl, 95);
      row(4, `Hover (${afterEditHits}/${afterEditHover.length} with content) and completion sent right after an edit of the ${LINES.toLocaleString('en')}-line document, before its new analysis`,
        `hover p95 ${ms(aeh)}, completion p95 ${ms(aec)}`, 'p95 ≤ 50 ms', aeh <= 50 && aec <= 50);
    } finally {
      await a.stop();
    }

    // ---- 4/5. Workspace of DOCS documents -------------------------------------------------
    progress(`server: indexing the ${DOCS}-document workspace`);
    const w = (await LspClient.start({ workspaceFolders: [corpus], progress: true })).client;
    try {
      const t0 = performance.now();
      await w.waitFor(() => w.progress.some((p) => p.kind === 'end') && w.published >= DOCS, 'indexing', 600000);
      const indexed = performance.now() - t0;
      await w.notificationAfter('x1051/coverageChanged', 0, 60000);
      await delay(200);
      const memIndexed = w.memory();
      // Once the worker that indexed has stopped (it kept the scans of no open document).
      await delay(BATCH_IDLE_MS + 800);
      const memSettled = w.memory();

      // One document of the workspace is opened, edited, and the coverage asked for at once.
      const file = readdirSync(corpus, { recursive: true }).map(String).filter((f) => f.endsWith('.md')).sort()[0];
      const docUri = fileUri(join(corpus, file));
      // After a check the server sends x1051/coverageChanged and then checks the config file's
      // findings (another coverage pass, published only when they change): give it time to settle.
      const settle = async (from) => {
        await w.notificationAfter('x1051/coverageChanged', from);
        await delay(400);
      };
      const lines = readFileSync(join(corpus, file), 'utf8').split('\n');
      let from = w.notifications.length;
      await w.open(docUri, lines.join('\n'), 1);
      await w.diagnosticsFor(docUri, 1);
      await settle(from);
      const editable = lines.map((l, i) => (l.trim() !== '' && !l.startsWith('#') && !l.startsWith('|') && !l.startsWith('```') && !l.startsWith('---') ? i : -1)).filter((i) => i > 0);
      const covMs = [];
      const covCpu = [];
      const flowMs = [];
      const flowTotal = [];
      const smallEditMs = [];
      let version = 1;
      let summary;
      progress(`server: ${EDITS} edits + coverage requests in the workspace`);
      for (const line of spread(editable, EDITS)) {
        from = w.notifications.length;
        const insert = ' Exceptions are approved in writing.';
        const at = { line, character: lines[line].length };
        lines[line] += insert;
        const c1 = w.cpuMs();
        const t1 = performance.now();
        await w.edit(docUri, ++version, { start: at, end: at }, insert);
        const r = await w.timed('x1051/coverage', {});
        covMs.push(r.ms);
        covCpu.push(w.cpuMs() - c1);
        summary = r.result?.summary;
        const d = await w.diagnosticsFor(docUri, version);
        smallEditMs.push(d.at - t1);
        // The client's own flow: it asks again when told the coverage changed.
        const changed = await w.notificationAfter('x1051/coverageChanged', from);
        await w.request('x1051/coverage', { format: 'compact' });
        flowMs.push(performance.now() - changed.at);
        flowTotal.push(performance.now() - t1);
        await settle(from);
      }
      // The payload the client receives (compact) and the full answer other clients may ask for.
      const fullBytes = Buffer.byteLength(JSON.stringify(await w.request('x1051/coverage', {})), 'utf8');
      const compactBytes = Buffer.byteLength(JSON.stringify(await w.request('x1051/coverage', { format: 'compact' })), 'utf8');
      raw.coveragePayload = { fullBytes, compactBytes };
      row(5, `\`x1051/coverage\` answer for ${DOCS.toLocaleString('en')} documents as the VS Code client asks for it (\`format: "compact"\`; details fetched per expanded control)`,
        `${(compactBytes / 1e6).toFixed(2)} MB (the full answer: ${(fullBytes / 1e6).toFixed(2)} MB)`, '≤ 1 MB', compactBytes <= 1_000_000);
      const memAfter = w.memory();
      // Once idle: V8's memory reducer runs and the idle worker is stopped (WORKER_IDLE_MS, 20 s).
      progress('server: 45 s idle, then memory again');
      await delay(45000);
      const memIdle = w.memory();
      raw.workspace = { indexedMs: indexed, coverage: { wall: covMs, serverCpu: covCpu }, coverageFlow: { afterNotification: flowMs, afterEdit: flowTotal }, edit: smallEditMs, memIndexed, memSettled, memAfter, memIdle, summary };
      const c95 = percentile(covMs, 95);
      row(4, `\`x1051/coverage\` sent right after one edit in a ${DOCS.toLocaleString('en')}-document workspace (re-analysis of the edited document included; median / max of ${covMs.length})`,
        `${ms(median(covMs))} / ${ms(Math.max(...covMs))} (server CPU median ${ms(median(covCpu))})`, '≤ 200 ms', Math.max(...covMs) <= 200);
      row(4, `The client's flow: compact \`x1051/coverage\` sent on receiving \`x1051/coverageChanged\` after that edit (median / max of ${flowMs.length}; edit → answer median ${ms(median(flowTotal))})`,
        `${ms(median(flowMs))} / ${ms(Math.max(...flowMs))}`, '≤ 200 ms', Math.max(...flowMs) <= 200);
      // The coverage request sent right after each edit runs the debounced check at once (in the
      // worker), so this is the raw time from the edit to its diagnostics: no debounce to subtract.
      const smallRaw = median(smallEditMs);
      row(4, `didChange → publishDiagnostics, ${lines.length}-line document of that workspace, raw wall time (a coverage request follows each edit and runs its check without waiting for the debounce; median of ${smallEditMs.length})`,
        ms(smallRaw), '≤ 100 ms', smallRaw <= 100);
      const s50 = median(starts);
      row(5, `Server start (spawn) → \`initialize\` result, wall time (median of ${starts.length})`, `${ms(s50)} (server CPU by then ${ms(median(startsCpu))})`, '≤ 300 ms', s50 <= 300);
      if (memIndexed) {
        // Judged on the larger of: indexed, once the indexing worker stopped; and after the edits
        // (of a short policy, checked on the main thread: see server/src/server/mainThreadCheck.ts).
        const rss = Math.max(memSettled?.rssMiB ?? memIndexed.rssMiB, memAfter?.rssMiB ?? 0);
        row(5, `Server RSS with ${DOCS.toLocaleString('en')} documents indexed, started as the VS Code extension starts it (${Object.entries(SERVER_ENVIRONMENT).map(([k, v]) => `${k}=${v}`).join(' ')}) (VmRSS 0.2 s after indexing / ${((BATCH_IDLE_MS + 1000) / 1000).toFixed(1)} s after, the indexing worker stopped / after the edits of a short policy, checked on the main thread; peak VmHWM)`,
          `${memIndexed.rssMiB.toFixed(0)} / ${memSettled?.rssMiB.toFixed(0)} / ${memAfter?.rssMiB.toFixed(0)} MiB (peak ${Math.max(memIndexed.peakMiB, memAfter?.peakMiB ?? 0).toFixed(0)} MiB)`, '≤ 150 MB', rss * 1.048576 <= 150);
        if (memIdle) {
          row(5, `The same server once idle (45 s after the edits: V8's memory reducer has run)`,
            `${memIdle.rssMiB.toFixed(0)} MiB`, '≤ 150 MB', memIdle.rssMiB * 1.048576 <= 150);
        }
      } else {
        row(5, `Server RSS with ${DOCS} documents indexed`, 'not measured (no /proc)', '≤ 150 MB', undefined);
      }
      notes.push(`Indexing the ${DOCS}-document workspace (${corpusLines.toLocaleString('en')} lines): initialized → last publishDiagnostics and progress end ${ms(indexed)}.`);
    } finally {
      await w.stop();
    }

    // ---- 5b. Sizes ------------------------------------------------------------------------
    const dist = join(ROOT, 'dist');
    const sizes = readdirSync(dist)
      .filter((f) => (f.endsWith('.js') && !BUILD_TOOLS.includes(f)) || f === 'catalog.json')
      .sort()
      .map((f) => `${f} ${mib(statSync(join(dist, f)).size)}`);
    // The data the bundles read on first use, beside them.
    for (const f of ['matcher.json', 'wink-lexicon.json']) if (existsSync(join(dist, 'dict', f))) sizes.push(`dict/${f} ${mib(statSync(join(dist, 'dict', f)).size)}`);
    const vsix = join(ROOT, 'x1051.vsix');
    if (existsSync(vsix)) sizes.push(`x1051.vsix ${mib(statSync(vsix).size)} (built ${statSync(vsix).mtime.toISOString().slice(0, 16)}Z)`);
    row(5, `Bundle sizes (minified; ${BUILD_TOOLS.join(', ')} are build tools, not shipped)`, sizes.join(', '), '—', undefined);

    // ---- 6. Accuracy ----------------------------------------------------------------------
    progress('accuracy on bench/corpus');
    try {
      const acc = measureAccuracy();
      raw.accuracy = acc.groups;
      row(6, 'Accuracy of missing-item findings on the development corpus (bench/corpus; positive = item missing)', accuracyRow(acc), '—', undefined);
    } catch (e) {
      row(6, 'Accuracy of missing-item findings on the development corpus', `not measured: ${e.message.split('\n')[0]}`, '—', undefined);
    }
    // The blind corpus (written without the catalogue's terms, labelled by someone else): the first
    // run recorded before any tuning, then today's figures on its blind-test split.
    if (existsSync(join(BLIND_CORPUS, 'labels.yaml'))) {
      progress('accuracy on bench/corpus-blind');
      for (const first of readFirstRuns()) {
        for (const [name, r] of Object.entries(first.runs ?? {})) {
          row(6, `Blind corpus, FIRST RUN before any tuning (${first.recorded.slice(0, 16)}Z), ${name} (positive = item not addressed)`, blindCells(r, first.langs), 'P ≥ 90 %, R ≥ 90 % on blind-test', undefined);
        }
      }
      try {
        const blind = measureAccuracy({ corpus: BLIND_CORPUS, blind: true });
        raw.blind = { groups: blind.groups, byLevel: blind.byLevel };
        const met = ['ja', 'en'].every((l) =>
          [blind.byLevel[`${l}/heldout/required`], blind.groups[`${l}/heldout`]].every((c) => {
            const s = c ? scores(c) : { precision: NaN, recall: NaN };
            return s.precision >= 0.9 && s.recall >= 0.9;
          }),
        );
        row(6, 'Blind corpus now (bench/corpus-blind; blind-test = even-numbered files, never tuned on; its false alarms were read after the first runs, so these are after-review figures: docs/corpus.md)', blindCells(blind), 'P ≥ 90 %, R ≥ 90 % on blind-test', met);
      } catch (e) {
        row(6, 'Blind corpus now', `not measured: ${e.message.split('\n')[0]}`, 'P ≥ 90 %, R ≥ 90 %', undefined);
      }
    }
  } finally {
    cleanup();
    if (process.env.X1051_BENCH_KEEP) notes.push(`Generated files kept in ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }

  // ---- Report -------------------------------------------------------------------------------
  const m1 = machine();
  const esc = (s) => String(s).replace(/\|/g, '\\|');
  console.log(`\nx1051 benchmark${quick ? ' (--quick: small sizes, not the goals\' sizes)' : ''}, ${new Date().toISOString().slice(0, 16)}Z, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  console.log('| # | what | measured | goal | met? |');
  console.log('| - | --- | --- | --- | --- |');
  for (const r of rows.sort((x, y) => x.n - y.n)) console.log(`| ${r.n} | ${esc(r.what)} | ${esc(r.measured)} | ${esc(r.goal)} | ${r.met} |`);
  console.log('');
  for (const n of notes) console.log(`- ${n}`);
  console.log(`\nMachine: ${m1.cpu}, ${m1.cores} cores, ${m1.memory} memory, Node ${m1.node}, ${m1.platform}; load average (1/5/15 min) ${m0.load} at start, ${m1.load} at the end.`);
  if (wantJson) console.log(`\n${JSON.stringify({ machine: m1, raw }, null, 1)}`);
}

main().catch((e) => {
  console.error(e?.stack ?? String(e));
  process.exit(1);
});
