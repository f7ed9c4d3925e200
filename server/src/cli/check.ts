/**
 * `x1051 check [paths or globs…] [--format stylish|json|sarif] [--lang ja|en] [--config FILE]`
 *
 * Checks Markdown policies with the same service as the editor. Exit codes: 0 when nothing is at
 * or above warning, 1 when something is, 2 on usage or I/O errors (a missing path, an unreadable
 * file — named in the message; the other files are still checked).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { version } from '../../../package.json';
import { createPolicyService, type PolicyService, type ServiceHost } from '../service';
import { computeCoverage, type Coverage } from '../service/coverage';
import { severityRank } from '../service/features/diagnostics';
import type { DocumentAnalysis, Lang, PolicyDocument } from '../service/types';
import type { ResolvedConfig } from '../service/config';
import { catalogFor } from './show';
import { IoError, UsageError, escapeControls, maxOf, parseArgs, type CliCommand, type CliIO } from './command';
import { startProgress } from './progress';
import { ConfigResolver, collectFiles, configuredScope, pathToUri, readMarkdownFile, toPosix, type LoadedConfig } from './files';
import type { ReadText } from '../readText';
import type { NonUtf8Encoding } from '../service/encoding';
import { createAnalyser, defaultDictionaryPath, matcherSnapshotReader, morphologyFromEnv } from '../morphologyHost';
import { prepareForBudget, renewedService } from '../serviceRenewal';
import { formatJson, formatSarif, formatStylish, type CheckReport, type CheckedFile } from './formatters';
import { AnalysisPool, DEFAULT_ANALYSIS_TIMEOUT_MS, autoWorkerCount, workersFromEnv } from '../analysisPool';
import { MAX_ANALYSIS_TIMEOUT_MS } from '../settings';
import { runSliceWithBudget, runWithBudget } from '../threadBudget';
import { parseDate } from '../service/metadata';

const USAGE = [
  'Usage: x1051 check [paths or globs…] [--format stylish|json|sarif] [--lang ja|en] [--config FILE] [--today YYYY-MM-DD]',
  '',
  'Checks Markdown security policies against the X.1051 catalogue: every control cited in a',
  'heading (or front matter `controls:`) must have its items addressed in that section.',
  '',
  'Paths default to the current folder. Folders are searched for Markdown files matching the',
  "config's include/exclude globs; .x1051.yaml is found upwards from each file unless --config.",
  '',
  'Options:',
  '  --format stylish|json|sarif  output format (default stylish)',
  '  --lang ja|en                 language of messages (default: each document\'s own)',
  '  --today YYYY-MM-DD           the date review-overdue and document-metadata compare with (default: today, UTC)',
  '  --config FILE                use this config for every file',
  '  --catalog FILE               use this compiled catalogue',
  '  --jobs N|auto                check files in N worker threads; 0: on the main thread (default auto: one per two CPUs,',
  '                               at most one per 50 files; the main thread when that is one or none)',
  '  --timeout MS                 time budget of one document\'s analysis (default 5000); past it the document gets one document-too-complex finding',
  '',
  'Exit codes: 0 no warnings or errors, 1 warnings or errors found, 2 usage or I/O error.',
  '',
].join('\n');

/** A file read from disk, as a service document. */
class FileDocument implements PolicyDocument {
  constructor(
    readonly uri: string,
    private readonly text: string,
    readonly encoding?: NonUtf8Encoding,
    readonly version = 0,
  ) {}
  getText(): string {
    return this.text;
  }
}

/** Everything `check` and `coverage` share: options, files, configs, the service. */
export interface Workspace {
  service: PolicyService;
  /**
   * Replaces the service with a new one that has the analyses of the old one and nothing else.
   * Called after an analysis on this thread was interrupted (past its time budget): the
   * interrupted code may have left any cache it was writing half written.
   */
  renewService(): void;
  /** Loads what every analysis needs before any is timed (the analysers' modules, the configurations' matchers). */
  prepareService(): void;
  /** Each document's analysis budget on this thread (`--timeout`). */
  readonly budgetMs: number;
  documents: Array<{ doc: PolicyDocument; path: string; config: LoadedConfig }>;
  configs: ConfigResolver;
  errors: string[];
  /** Things the user should know that are not errors (printed on stderr, exit code unchanged). */
  notes: string[];
  cwd: string;
  lang?: Lang;
  /** A path relative to the working directory, with `/`. */
  display(absOrUri: string): string;
}

/**
 * Reads options shared by check and coverage and loads the files. `observer` (tests) is told of
 * every parse and analysis the service does.
 */
export function openWorkspace(positionals: string[], options: Map<string, string | true>, io: CliIO, observer?: ServiceHost['observer']): Workspace {
  const langOpt = options.get('lang');
  if (langOpt !== undefined && langOpt !== 'ja' && langOpt !== 'en') throw new UsageError(`--lang must be ja or en, not '${String(langOpt)}'`);
  const lang = langOpt as Lang | undefined;
  const configOpt = options.get('config');
  if (configOpt === true) throw new UsageError('--config needs a file');
  if (configOpt !== undefined && !fs.existsSync(path.resolve(io.cwd, configOpt))) throw new UsageError(`config file not found: ${configOpt}`);
  const todayOpt = options.get('today');
  if (todayOpt !== undefined && (typeof todayOpt !== 'string' || parseDate(todayOpt) !== todayOpt)) throw new UsageError(`--today must be a date as YYYY-MM-DD, not '${String(todayOpt)}'`);
  const catalog = catalogFor(options.get('catalog'));
  const configs = new ConfigResolver(catalog, io.cwd, configOpt, lang, todayOpt);
  try {
    configs.loadExplicit();
  } catch (e) {
    throw new IoError((e as Error).message.replace(/; the files it governs are not checked$/, ''));
  }
  const errors: string[] = [];
  const documents: Workspace['documents'] = [];
  const display = (p: string) => {
    let abs = p;
    if (p.startsWith('file:')) {
      try {
        abs = fileURLToPath(p);
      } catch {
        abs = p;
      }
    }
    return toPosix(path.relative(io.cwd, abs)) || path.basename(abs);
  };
  let files: string[] = [];
  try {
    const found = collectFiles(positionals, io.cwd, configs);
    files = found.files;
    for (const e of found.errors) errors.push(e);
  } catch (e) {
    errors.push((e as Error).message);
  }
  for (const file of files) {
    const config = configs.forFile(file);
    // A config that cannot be read is reported once (configs.errors), not once per file.
    if (!config) continue;
    let read: ReadText;
    try {
      read = readMarkdownFile(file);
    } catch (e) {
      errors.push(`${display(file)}: ${(e as Error).message}`);
      continue;
    }
    documents.push({ doc: new FileDocument(pathToUri(file), read.text, read.encoding), path: display(file), config });
  }
  for (const e of configs.errors) errors.push(e);
  const docs = documents.map((d) => d.doc);
  const dicPath = defaultDictionaryPath(__dirname);
  const log = (m: string) => io.stderr(`${m}\n`);
  // A batch run builds each document once: no parse or model is kept past its analysis (nothing
  // asks for them again).
  const newService = () =>
    createPolicyService({ catalog, workspace: { documents: () => docs }, observer, analyser: createAnalyser({ dicPath, log, parts: morphologyFromEnv(io.env) }), keepModels: 0, matcherSnapshot: matcherSnapshotReader(dicPath, log) });
  const ws: Workspace = {
    service: newService(),
    renewService() {
      ws.service = renewedService(ws.service, newService, documents.map((d) => ({ doc: d.doc, config: d.config.config })));
      ws.prepareService();
    },
    prepareService() {
      prepareForBudget(ws.service, documents.map((d) => d.config.config));
    },
    budgetMs: parallelOptions(options, io).budgetMs,
    documents,
    configs,
    errors,
    notes: [],
    cwd: io.cwd,
    lang,
    display,
  };
  return ws;
}

/**
 * Coverage of the workspace per config file (documents grouped by the config governing them).
 * Built from the workspace service's analyses, so a document already checked is not analysed
 * again. `withFileOnly` skips the group of documents without a config file (`check` only needs
 * the findings placed on config files).
 */
export function coverageByConfig(ws: Workspace, withFileOnly = false): Array<{ config: LoadedConfig; coverage: Coverage }> {
  const groups = new Map<LoadedConfig, Workspace['documents']>();
  for (const d of ws.documents) {
    if (withFileOnly && !d.config.file) continue;
    const list = groups.get(d.config) ?? [];
    list.push(d);
    groups.set(d.config, list);
  }
  for (const c of ws.configs.loaded()) if (!groups.has(c) && (!withFileOnly || c.file)) groups.set(c, []);
  const out: Array<{ config: LoadedConfig; coverage: Coverage }> = [];
  for (const [config, docs] of groups) {
    const analyses = docs.map((d) => ws.service.analyze(d.doc, d.config.config));
    out.push({ config, coverage: computeCoverage(ws.service.catalog, analyses, config.config) });
  }
  return out;
}

/**
 * The analysis of a document outside the checked set (see `scopeFindings`), on this thread within
 * the time budget; undefined past it.
 */
function analyzeWithinBudget(ws: Workspace, doc: PolicyDocument, config: ResolvedConfig): DocumentAnalysis | undefined {
  const outcome = runWithBudget(() => ws.service.analyze(doc, config), ws.budgetMs);
  if ('value' in outcome) return outcome.value;
  ws.renewService();
  return undefined;
}

/**
 * The findings of the coverage over a config file's whole configured scope (`uncovered-control`):
 * the documents given, plus every other file the config's include set selects, read from disk.
 * Checking a subset (a pre-commit hook, the changed files of a pull request) therefore reports
 * the same coverage findings as checking everything, instead of inventing gaps for the files left
 * out. When a file of the scope cannot be read, or its analysis runs past the time budget, the
 * scope is not known and the coverage findings are left out, with a note.
 */
function scopeFindings(ws: Workspace, config: LoadedConfig, given: Workspace['documents']): Coverage['findings'] {
  const analyses = given.map((d) => ws.service.analyze(d.doc, config.config));
  const seen = new Set(given.map((d) => d.doc.uri));
  const scope = configuredScope(config, ws.configs);
  const unreadable = scope.unreadable.map((f) => ws.display(f));
  const tooComplex: string[] = [];
  let prepared = false;
  for (const file of scope.files) {
    const uri = pathToUri(file);
    if (seen.has(uri)) continue;
    // The matchers are read before the first budget (they are already when this thread analysed).
    if (!prepared) ws.prepareService();
    prepared = true;
    try {
      const read = readMarkdownFile(file);
      const analysis = analyzeWithinBudget(ws, new FileDocument(uri, read.text, read.encoding), config.config);
      if (analysis) analyses.push(analysis);
      else tooComplex.push(ws.display(file));
    } catch {
      unreadable.push(ws.display(file));
    }
  }
  const coverage = computeCoverage(ws.service.catalog, analyses, config.config);
  if (unreadable.length === 0 && tooComplex.length === 0) return coverage.findings;
  const list = (files: string[]) => `${files.slice(0, 3).join(', ')}${files.length > 3 ? ', …' : ''}`;
  const count = (n: number) => `${n} file${n === 1 ? '' : 's'}`;
  const reasons = [
    unreadable.length > 0 && `${count(unreadable.length)} of its scope cannot be read (${list(unreadable)})`,
    tooComplex.length > 0 && `${count(tooComplex.length)} of its scope took longer than the ${ws.budgetMs / 1000} s analysis budget (${list(tooComplex)})`,
  ].filter(Boolean);
  ws.notes.push(`uncovered-control not judged for ${ws.display(config.file!)}: ${reasons.join('; ')}`);
  return coverage.findings.filter((f) => f.code !== 'uncovered-control');
}

/** Checks every document of the workspace and gathers the findings placed on config files. */
export function checkWorkspace(ws: Workspace): CheckReport {
  const files: CheckedFile[] = [];
  for (const { doc, path: p, config } of ws.documents) {
    // One document the service cannot handle must not cost the others their report.
    try {
      const analysis = ws.service.analyze(doc, config.config);
      files.push({ path: p, uri: doc.uri, analysis, findings: analysis.findings });
    } catch (e) {
      ws.errors.push(`${p}: not checked (internal error: ${String((e as Error)?.message ?? e).split('\n', 1)[0]})`);
    }
  }
  // Config findings: problems in the config files, and applicable controls nobody claims in the
  // config's whole scope. Without a config file the scope is not known: no coverage findings.
  const configFindings = new Map<string, CheckReport['configs'][number]>();
  for (const c of ws.configs.loaded()) if (c.file) configFindings.set(c.file, { path: ws.display(c.file), uri: pathToUri(c.file), findings: c.findings.slice() });
  for (const config of ws.configs.loaded()) {
    if (!config.file) continue;
    const target = configFindings.get(config.file)!.findings;
    for (const f of scopeFindings(ws, config, ws.documents.filter((d) => d.config === config))) target.push(f);
  }
  return { files, configs: [...configFindings.values()], errors: ws.errors, toolVersion: version, rootUri: pathToFileURL(ws.cwd.endsWith(path.sep) ? ws.cwd : ws.cwd + path.sep).href };
}

export const checkCommand: CliCommand = {
  name: 'check',
  summary: 'check Markdown policies against the catalogue (stylish, json or sarif output)',
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const { positionals, options } = parseArgs(args);
    for (const k of options.keys()) if (!['format', 'lang', 'config', 'catalog', 'today', 'jobs', 'timeout'].includes(k)) throw new UsageError(`unknown option --${k}`);
    const parallel = parallelOptions(options, io);
    const format = options.get('format') ?? 'stylish';
    if (format !== 'stylish' && format !== 'json' && format !== 'sarif') throw new UsageError(`--format must be stylish, json or sarif, not '${String(format)}'`);
    const ws = openWorkspace(positionals, options, io);
    await analyzeWithProgress(ws, parallel, options, io, 'check');

    const report = checkWorkspace(ws);
    const files = report.files;
    const lang: Lang = ws.lang ?? files.find((f) => f.analysis)?.analysis?.lang ?? 'en';
    // Errors first, so that a terminal shows them before the summary that refers to them.
    for (const e of ws.errors) io.stderr(`x1051 check: ${escapeControls(e)}\n`);
    for (const n of ws.notes) io.stderr(`x1051 check: note: ${escapeControls(n)}\n`);
    if (format === 'json') io.stdout(formatJson(report));
    else if (format === 'sarif') io.stdout(formatSarif(report, lang));
    else {
      io.stdout(formatStylish(report, io.isTTY && !io.env.NO_COLOR));
    }
    return exitCodeOf(report);
  },
};

/**
 * The exit code of a check: 2 when a path could not be checked, 1 when a finding is a warning or
 * an error, else 0. A loop, not a spread into Math.max: hundreds of thousands of findings would
 * overflow the stack.
 */
export function exitCodeOf(report: CheckReport): number {
  if (report.errors.length > 0) return 2;
  let worst = -1;
  for (const f of report.files) worst = maxOf(f.findings.map((d) => severityRank(d.severity)), worst);
  for (const c of report.configs) worst = maxOf(c.findings.map((d) => severityRank(d.severity)), worst);
  return worst >= severityRank('warning') ? 1 : 0;
}


/** `--jobs` and `--timeout` (shared by check and coverage). */
export interface ParallelOptions {
  /** Worker threads; 0: analyse on the main thread; `auto`: see `autoWorkerCount`. */
  jobs: number | 'auto';
  budgetMs: number;
}

/** Reads `--jobs N|auto` (default: `X1051_WORKERS`, else auto) and `--timeout MS`. */
export function parallelOptions(options: Map<string, string | true>, io: CliIO): ParallelOptions {
  const int = (name: string, min: number, max = Infinity, or = ''): number | undefined => {
    const v = options.get(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    const range = max === Infinity ? `of at least ${min}` : `from ${min} to ${max}`;
    if (v === true || !Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number ${range}${or}, not '${String(v)}'`);
    return n;
  };
  const jobs = options.get('jobs') === 'auto' ? 'auto' : (int('jobs', 0, Infinity, " or 'auto'") ?? workersFromEnv(io.env) ?? 'auto');
  return { jobs, budgetMs: int('timeout', 1, MAX_ANALYSIS_TIMEOUT_MS) ?? DEFAULT_ANALYSIS_TIMEOUT_MS };
}

/**
 * Analyses the workspace's documents in a pool of worker threads (at most one per document),
 * each within the time budget, and hands the analyses to the workspace's service, so that the
 * check and the coverage that follow reuse them. Output is identical to the single-thread path:
 * the same service computes each analysis. Nothing happens here (false) when the job count is 0
 * (`--jobs 0`, or auto on a small machine or workspace) or the bundle has no worker entry (tests
 * run from source).
 */
export async function analyzeInParallel(ws: Workspace, parallel: ParallelOptions, catalogPath?: string, onDone?: () => void): Promise<boolean> {
  const workerPath = path.join(__dirname, 'analysisWorker.js');
  const jobs = parallel.jobs === 'auto' ? autoWorkerCount(ws.documents.length) : parallel.jobs;
  if (jobs < 1 || ws.documents.length === 0 || !fs.existsSync(workerPath)) return false;
  const pool = new AnalysisPool({ size: Math.min(jobs, ws.documents.length), budgetMs: parallel.budgetMs, sendAhead: true, encoded: true, catalogPath: catalogPath && path.resolve(ws.cwd, catalogPath), workerPath });
  // The analyses stay encoded (one byte array each) while the workers run, and are read once the
  // workers are gone: this thread's heap does not grow while theirs are at their largest.
  const encoded: Array<{ doc: PolicyDocument; config: ResolvedConfig; bytes: Uint8Array }> = [];
  try {
    await Promise.all(
      ws.documents.map(async ({ doc, config }) => {
        const outcome = await pool.analyze({ uri: doc.uri, version: doc.version, text: doc.getText(), encoding: doc.encoding, config: config.config });
        if ('encoded' in outcome) encoded.push({ doc, config: config.config, bytes: outcome.encoded });
        else if ('analysis' in outcome) ws.service.adopt(doc, config.config, outcome.analysis);
        else if ('overBudget' in outcome) ws.service.overBudget(doc, config.config, outcome.overBudget);
        // An error in a worker: the main thread analyses the document itself when asked.
        onDone?.();
      }),
    );
  } finally {
    await pool.close();
  }
  for (const { doc, config, bytes } of encoded) ws.service.adopt(doc, config, v8.deserialize(bytes) as DocumentAnalysis);
  return true;
}

/**
 * Analyses every document before `check` or `coverage` reports, showing "120/1000 files" on a
 * terminal's stderr meanwhile (see `progress.ts`; nothing when stderr is not a terminal). In a
 * pool when there is one; else on the main thread, each document within the time budget (see
 * `runSliceWithBudget`). The analyses are cached, so the report that follows does not redo them;
 * a document that fails here fails again, and is reported, when the report asks for it.
 */
export async function analyzeWithProgress(ws: Workspace, parallel: ParallelOptions, options: Map<string, string | true>, io: CliIO, command: string): Promise<void> {
  const catalogPath = typeof options.get('catalog') === 'string' ? (options.get('catalog') as string) : undefined;
  const progress = startProgress(io, command, ws.documents.length);
  try {
    if (await analyzeInParallel(ws, parallel, catalogPath, () => progress.tick())) return;
    ws.prepareService();
    const docs = ws.documents;
    const task = (i: number) => {
      try {
        ws.service.analyze(docs[i].doc, docs[i].config.config);
      } catch {
        // Reported by the check or the coverage that follows.
      }
      progress.tick();
    };
    const on = {
      interrupted: () => ws.renewService(),
      overBudget: (i: number) => {
        ws.service.overBudget(docs[i].doc, docs[i].config.config, parallel.budgetMs);
        progress.tick();
      },
    };
    // Slices of half the budget; on a terminal, of 100 ms, so that the line is written between them.
    for (let i = 0; i < docs.length; ) {
      i = runSliceWithBudget(i, docs.length, task, parallel.budgetMs, progress.active ? 100 : parallel.budgetMs / 2, on);
      if (progress.active) await new Promise((r) => setImmediate(r));
    }
  } finally {
    progress.end();
  }
}
