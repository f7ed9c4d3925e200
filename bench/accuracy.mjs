// Accuracy of the evidence matcher on the labelled development corpus (bench/corpus).
//
// Runs `x1051 check bench/corpus --format json`, pairs every claim in the output with the claim
// labelled in bench/corpus/labels.yaml, and counts, item by item, whether the tool's "missing"
// verdict agrees with the auditor's. The positive class is "item missing": precision is the share
// of the tool's missing-item verdicts that the auditor agrees with, recall the share of the items
// the auditor found missing that the tool also reports.
//
// Usage: node bench/accuracy.mjs [--blind] [--verbose] [--json]
//        --blind scores bench/corpus-blind (odd-numbered files = blind-dev, even = blind-test)
//        node bench/accuracy.mjs --check-labels   (only checks the labelled ids against dist/catalog.json)
// It is a benchmark, not a test: it exits 0 whatever the figures are, and non-zero only when it
// cannot measure (no build, unreadable output, or a labelled claim the tool did not find).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = join(ROOT, 'bench', 'corpus');
/** The blind corpus (see docs/corpus.md): odd-numbered files are blind-dev, even-numbered blind-test. */
export const BLIND_CORPUS = join(ROOT, 'bench', 'corpus-blind');

/**
 * The split of a file: in the development corpus, `heldout` from its label; in the blind corpus,
 * by the file's number (odd = `dev`, even = `heldout`, i.e. blind-test), since its labels were
 * written by someone else and carry no split.
 */
function splitOf(path, entry, blind) {
  if (!blind) return entry.heldout ? 'heldout' : 'dev';
  const m = /(?:^|\/)(\d+)[^/]*$/.exec(path);
  const n = m ? Number(m[1]) : NaN;
  return Number.isNaN(n) || n % 2 === 0 ? 'heldout' : 'dev';
}

/** An error that means the benchmark could not be measured (as opposed to a poor score). */
export class AccuracyError extends Error {}

/**
 * Runs the CLI on the corpus and returns its parsed JSON report. The CLI exits non-zero when it
 * reports findings, so the exit code is ignored as long as stdout holds a report.
 * @param {string} root repository root
 * @param {string} corpus folder to check
 * @returns {{ files: any[] }}
 */
export function runCheck(root = ROOT, corpus = CORPUS) {
  const res = spawnSync(process.execPath, [join(root, 'bin', 'x1051.js'), 'check', relative(root, corpus) || '.', '--format', 'json'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.error) throw new AccuracyError(`could not run the CLI: ${res.error.message}`);
  let report;
  try {
    report = JSON.parse(res.stdout);
  } catch {
    throw new AccuracyError(
      `the CLI did not print a JSON report (exit ${res.status}). Run \`npm run build\` first.\n${(res.stderr || res.stdout).slice(0, 2000)}`,
    );
  }
  if (!report || !Array.isArray(report.files)) throw new AccuracyError('the JSON report has no `files` array');
  return report;
}

/**
 * Reads the labels.
 * @param {string} corpus corpus folder holding labels.yaml
 */
export function readLabels(corpus = CORPUS) {
  const doc = parseYaml(readFileSync(join(corpus, 'labels.yaml'), 'utf8'));
  if (!doc || typeof doc.files !== 'object') throw new AccuracyError('labels.yaml has no `files` map');
  return doc.files;
}

/**
 * Resolves a labelled item id to one of `ids` (the item ids of the control in the catalogue or in
 * the report). Labels are stable ids; when a labelled id does not exist as written, it is read as
 * an author's reference and resolved like one, ignoring any list number written: the labels after
 * the control name the item of the first list that has them ("TEL.13.1.4(e)(4)" is
 * "TEL.13.1.4[2](e)(4)" when list 1 has no e), and the other way round). This keeps the labels
 * valid whichever way the catalogue splits a continuously lettered run into lists.
 * @param {string} id labelled id
 * @param {Iterable<string>} ids item ids of the control
 * @returns {string | undefined}
 */
export function resolveLabelId(id, ids) {
  const all = [...ids];
  if (all.includes(id)) return id;
  const m = /^(.*?)(?:\[(\d+)\])?((?:\([0-9a-z]+\))+)$/.exec(id);
  if (!m) return undefined;
  const [, control, , labels] = m;
  const candidates = all
    .map((x) => /^(.*?)(?:\[(\d+)\])?((?:\([0-9a-z]+\))+)$/.exec(x))
    .filter((x) => x && x[1] === control && x[3] === labels)
    .sort((a, b) => Number(a[2] ?? 1) - Number(b[2] ?? 1));
  return candidates[0]?.[0];
}

/**
 * Checks every labelled id against a compiled catalogue (dist/catalog.json) without running the
 * CLI. Returns one message per id that does not exist, and one per id that exists only when read
 * as an author's reference (so the label and the catalogue disagree on list numbering).
 * @param {{controls: {id: string, items: {id: string}[]}[]}} catalog
 */
export function checkLabelIds(catalog, corpus = CORPUS) {
  const labels = readLabels(corpus);
  const byControl = new Map(catalog.controls.map((c) => [c.id, c.items.map((i) => i.id)]));
  const problems = [];
  for (const [path, entry] of Object.entries(labels)) {
    for (const claim of entry.claims) {
      const ids = byControl.get(claim.control);
      if (!ids) {
        problems.push(`${path}: control ${claim.control} is not in the catalogue`);
        continue;
      }
      for (const id of claim.addressed ?? []) {
        const r = resolveLabelId(id, ids);
        if (!r) problems.push(`${path}: ${id} is not an item of ${claim.control}`);
        else if (r !== id) problems.push(`${path}: ${id} is ${r} in the catalogue`);
      }
    }
  }
  return problems;
}

/** 1-based line of the heading whose text (without #'s) is `heading`, or -1. */
function headingLine(lines, heading) {
  return lines.findIndex((l) => /^#{1,6}\s/.test(l) && l.replace(/^#{1,6}\s+/, '').replace(/\s+#*\s*$/, '').trim() === heading) + 1 || -1;
}

/** Path of a report entry relative to the corpus, with forward slashes. */
function corpusPath(root, corpus, p) {
  const abs = resolve(root, p.startsWith('file://') ? fileURLToPath(p) : p);
  return relative(corpus, abs).split(sep).join('/');
}

/**
 * Picks the output claim that corresponds to a labelled claim: same control, same kind, and for
 * headings the claim whose line is the heading's (the report may count lines from 0 or from 1,
 * so the nearest claim within one line is taken).
 */
function findClaim(outClaims, label, line) {
  const same = outClaims.filter((c) => c.control === label.control);
  if (label.heading == null) return same.find((c) => c.how === 'front-matter');
  const byLine = same
    .filter((c) => c.how !== 'front-matter' && typeof c.line === 'number' && Math.abs(c.line - line) <= 1)
    .sort((a, b) => Math.abs(a.line - line) - Math.abs(b.line - line));
  return byLine[0];
}

function emptyCounts() {
  return { claims: 0, items: 0, tp: 0, fp: 0, fn: 0, tn: 0 };
}

function add(counts, predictedMissing, labelledMissing) {
  counts.items++;
  if (predictedMissing && labelledMissing) counts.tp++;
  else if (predictedMissing) counts.fp++;
  else if (labelledMissing) counts.fn++;
  else counts.tn++;
}

/** Precision, recall and F1 of the "missing" class (NaN when undefined). */
export function scores(c) {
  const precision = c.tp + c.fp === 0 ? NaN : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? NaN : c.tp / (c.tp + c.fn);
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : NaN;
  return { precision, recall, f1 };
}

/**
 * Measures the matcher against the labels.
 * @param {object} [options]
 * @param {string} [options.root] repository root (default: this checkout)
 * @param {{files:any[]}} [options.report] a report already produced by the CLI (else it is run)
 * @returns {{ groups: Record<string, ReturnType<typeof emptyCounts>>,
 *   byLevel: Record<string, ReturnType<typeof emptyCounts>>, disagreements: any[],
 *   pending: number, unknownLabels: string[] }}
 *   `groups` is keyed `<lang>/<split>` with lang `ja`, `en` or `all` and split `all`, `dev` or
 *   `heldout`; `byLevel` is keyed `<lang>/<level>` (items only, no claim counts);
 *   `disagreements` lists every item where tool and label differ.
 */
export function measureAccuracy(options = {}) {
  const root = options.root ?? ROOT;
  const corpus = options.corpus ?? join(root, 'bench', 'corpus');
  const blind = options.blind ?? false;
  const report = options.report ?? runCheck(root, corpus);
  const labels = readLabels(corpus);

  const outByPath = new Map();
  for (const f of report.files) outByPath.set(corpusPath(root, corpus, f.path ?? f.uri ?? ''), f);

  const groups = {};
  for (const lang of ['ja', 'en', 'all']) for (const split of ['all', 'dev', 'heldout']) groups[`${lang}/${split}`] = emptyCounts();
  // The same counts by item level (all files), since a required item weighs more than a hint.
  const byLevel = {};
  const disagreements = [];
  // Weak items (near-evidence only: a hint, not a missing-item finding) count as not addressed in
  // the figures above; `missingOnly` scores the missing-item findings alone (weak = not missing).
  const weakAsMissing = {};
  let weak = 0;
  const notFound = [];
  const unknownLabels = [];
  let pending = 0;

  for (const [path, entry] of Object.entries(labels)) {
    const lang = path.split('/')[0];
    const split = splitOf(path, entry, blind);
    const keys = [`${lang}/all`, `${lang}/${split}`, 'all/all', `all/${split}`];
    const out = outByPath.get(path);
    const lines = readFileSync(join(corpus, path), 'utf8').split(/\r?\n/);
    for (const label of entry.claims) {
      if (label.pending) {
        pending++;
        continue;
      }
      const line = label.heading == null ? 0 : headingLine(lines, label.heading);
      const claim = out ? findClaim(out.claims ?? [], label, line) : undefined;
      if (!claim) {
        notFound.push(`${path}: ${label.control} at ${label.heading == null ? 'front matter' : `line ${line} "${label.heading}"`}`);
        continue;
      }
      const ids = claim.items.map((i) => i.id);
      const addressed = new Set();
      for (const id of label.addressed ?? []) {
        const r = resolveLabelId(id, ids);
        if (r) addressed.add(r);
        else unknownLabels.push(`${path}: ${id}`);
      }
      for (const k of keys) groups[k].claims++;
      for (const item of claim.items) {
        // Items the author marked not applicable are neither missing nor addressed.
        if (item.notApplicable) continue;
        // Positive = the tool does not count the item as addressed in the claimed section: status
        // `missing` (a missing-item finding) or `weak` (a weak-evidence hint naming the near text).
        // Older reports have only `addressed`, which means the same.
        const predictedMissing = !item.addressed;
        const labelledMissing = !addressed.has(item.id);
        for (const k of keys) add(groups[k], predictedMissing, labelledMissing);
        if (item.status === 'weak') weak++;
        for (const k of keys) add((weakAsMissing[k] ??= emptyCounts()), item.status ? item.status === 'missing' : !item.addressed, labelledMissing);
        add((byLevel[`${lang}/${split}/${item.level}`] ??= emptyCounts()), predictedMissing, labelledMissing);
        add((byLevel[`${lang}/${item.level}`] ??= emptyCounts()), predictedMissing, labelledMissing);
        if (predictedMissing !== labelledMissing) {
          disagreements.push({
            file: path,
            control: label.control,
            item: item.id,
            level: item.level,
            predicted: predictedMissing ? 'missing' : 'addressed',
            labelled: labelledMissing ? 'missing' : 'addressed',
            evidence: item.evidence?.term,
            status: item.status,
            near: item.near ? `${item.near.reason}: ${item.near.term}` : undefined,
          });
        }
      }
    }
  }
  // A claim the tool does not see is a silent green: an error, except when recording how an older
  // matcher did (first-run.mjs), where the lost claims are counted and reported beside the figures.
  if (notFound.length > 0 && !options.allowLost) {
    throw new AccuracyError(`labelled claims not found in the tool's output:\n  ${notFound.join('\n  ')}`);
  }
  return { groups, byLevel, weakAsMissing, missingOnly: weakAsMissing, weak, disagreements, pending, unknownLabels, lost: notFound };
}

const pct = (x) => (Number.isNaN(x) ? '   –  ' : `${(100 * x).toFixed(1).padStart(5)}%`);

/**
 * One table row for bench/run.mjs: precision and recall of missing items per language, all
 * files and the held-out split.
 * @param {ReturnType<typeof measureAccuracy>} result
 */
export function accuracyRow(result) {
  const g = result.groups;
  const cell = (k) => {
    const s = scores(g[k]);
    return `P ${pct(s.precision)} R ${pct(s.recall)}`;
  };
  return `missing items  ja ${cell('ja/all')} (held-out ${cell('ja/heldout')})  en ${cell('en/all')} (held-out ${cell('en/heldout')})`;
}

/**
 * Blind-corpus cells for bench/run.mjs: per language, P/R on the blind-test split (even-numbered
 * files) for required items and for all items, and the same for the whole blind corpus.
 * @param {ReturnType<typeof measureAccuracy>} result measured with `{ corpus: BLIND_CORPUS, blind: true }`
 */
export function blindCells(result, langs = ['ja', 'en']) {
  const cell = (c) => {
    if (!c) return 'P – R –';
    const s = scores(c);
    return `P ${pct(s.precision).trim()} R ${pct(s.recall).trim()}`;
  };
  const out = [];
  for (const lang of langs) {
    out.push(
      `${lang} blind-test: required ${cell(result.byLevel[`${lang}/heldout/required`])}, all ${cell(result.groups[`${lang}/heldout`])}; ` +
        `whole blind corpus: required ${cell(result.byLevel[`${lang}/required`])}, all ${cell(result.groups[`${lang}/all`])}`,
    );
  }
  return out.join(' · ');
}

/**
 * The first-run records of the blind corpus, before any tuning, one per half as its labels arrived:
 * `first-run.json` (the English half; the Japanese one was not labelled yet) and
 * `first-run-ja.json`. Each has `langs` (the half it records) and `runs`: one entry per matcher (the
 * original and #9's), each with `groups` and `byLevel`.
 */
export function readFirstRuns(corpus = BLIND_CORPUS) {
  const records = [];
  for (const name of ['first-run.json', 'first-run-ja.json']) {
    let record;
    try {
      record = JSON.parse(readFileSync(join(corpus, name), 'utf8'));
    } catch {
      continue;
    }
    // The first record predates `langs`: it holds the languages that had claims then.
    const any = Object.values(record.runs ?? {})[0];
    record.langs ??= ['ja', 'en'].filter((l) => (any?.groups?.[`${l}/all`]?.claims ?? 0) > 0);
    records.push({ file: name, ...record });
  }
  return records;
}

/** Prints the full table (and the disagreements with `verbose`). */
export function printAccuracy(result, verbose = false, log = console.log) {
  log(`Evidence matcher accuracy on ${result.name ?? 'bench/corpus'} (positive = item not addressed: missing or weak)`);
  log('group            claims items   TP   FP   FN   TN  precision  recall      F1');
  for (const [k, c] of Object.entries(result.groups)) {
    if (c.claims === 0) continue;
    const s = scores(c);
    const n = (x, w = 4) => String(x).padStart(w);
    log(`${k.padEnd(16)} ${n(c.claims, 6)} ${n(c.items, 5)} ${n(c.tp)} ${n(c.fp)} ${n(c.fn)} ${n(c.tn)}     ${pct(s.precision)}  ${pct(s.recall)}  ${pct(s.f1)}`);
  }
  log('by item level   ');
  for (const [k, c] of Object.entries(result.byLevel).sort()) {
    const s = scores(c);
    const n = (x, w = 4) => String(x).padStart(w);
    log(`${k.padEnd(16)} ${''.padStart(6)} ${n(c.items, 5)} ${n(c.tp)} ${n(c.fp)} ${n(c.fn)} ${n(c.tn)}     ${pct(s.precision)}  ${pct(s.recall)}  ${pct(s.f1)}`);
  }
  if (result.weak > 0) {
    log(`${result.weak} items weak (near-evidence only: a weak-evidence hint, counted above as not addressed). Scoring the missing-item findings alone (weak = not missing):`);
    for (const [k, c] of Object.entries(result.weakAsMissing)) {
      if (!k.endsWith('/all') && !k.endsWith('/heldout')) continue;
      const s = scores(c);
      log(`  ${k.padEnd(16)} P ${pct(s.precision)} R ${pct(s.recall)}`);
    }
  }
  if (result.pending > 0) log(`(${result.pending} claims not scored: their synthesised items are not labelled yet)`);
  if (result.unknownLabels.length > 0) {
    log(`Labelled ids that the tool's output does not list for the claim (${result.unknownLabels.length}):`);
    for (const u of result.unknownLabels) log(`  ${u}`);
  }
  if (verbose) {
    log(`Disagreements (${result.disagreements.length}):`);
    log('file                              control      item                  level        predicted  labelled');
    for (const d of result.disagreements) {
      log(
        `${d.file.padEnd(33)} ${d.control.padEnd(12)} ${d.item.padEnd(21)} ${String(d.level ?? '').padEnd(12)} ${d.predicted.padEnd(10)} ${d.labelled}` +
          (d.evidence ? `  (evidence: ${d.evidence})` : '') + (d.near ? `  (${d.status}: ${d.near})` : ''),
      );
    }
  } else {
    log(`${result.disagreements.length} disagreements; --verbose lists them.`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    if (process.argv.includes('--check-labels')) {
      const catalog = JSON.parse(readFileSync(join(ROOT, 'dist', 'catalog.json'), 'utf8'));
      const problems = checkLabelIds(catalog);
      for (const p of problems) console.log(p);
      console.log(problems.length === 0 ? 'every labelled id is in the catalogue' : `${problems.length} label/catalogue mismatches`);
      process.exit(0);
    }
    const blindArg = process.argv.includes('--blind');
    const result = blindArg ? measureAccuracy({ corpus: BLIND_CORPUS, blind: true }) : measureAccuracy();
    if (blindArg) result.name = 'bench/corpus-blind (dev = odd-numbered files, held-out = even-numbered: blind-test)';
    if (process.argv.includes('--json')) console.log(JSON.stringify(result, null, 2));
    else printAccuracy(result, process.argv.includes('--verbose'));
  } catch (e) {
    if (e instanceof AccuracyError) {
      console.error(`accuracy: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
}
