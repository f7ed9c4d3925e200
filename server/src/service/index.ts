/**
 * The policy language service: one entry point shared by the language server and the CLI.
 *
 * Pure: no `vscode`, no `vscode-languageserver`, no Node built-ins. The catalogue, the workspace
 * and a logger are injected. Each document is parsed once per version, and analysed once per
 * version and config; coverage reuses those analyses.
 */
import { summarizeMetadata } from './metadata';
import type { CatalogIndex } from '../../../catalog/src/query';
import { parseConfig as parseConfigText, defaultConfig, type ResolvedConfig } from './config';
import { computeCoverage, type Coverage } from './coverage';
import { buildModel, ScanMemo, type DocumentModel } from './document';
import { analysisFromWire, StringTable } from './analysisWire';
import { EvidenceMatcher } from './evidence';
import type { Analyser } from './morphology';
import { computeDiagnostics } from './features/diagnostics';
import { parseMarkdown, type ParsedMarkdown } from './markdown';
import { noCancellation, type CancellationToken, type DocumentAnalysis, type Finding, type PolicyDocument } from './types';
// Editor features (owned by the features helper): one module per feature.
import { hover as hoverFeature, type HoverResult } from './features/hover';
import { completion as completionFeature, resolveCompletion as resolveCompletionFeature, type CompletionEntry, type CompletionResult } from './features/completion';
import { codeActions as codeActionsFeature, type CodeActionContext, type CodeActionEntry } from './features/codeActions';
import { definition as definitionFeature, controlDocument as controlDocumentFeature, type LocationEntry } from './features/definition';
import { referencesOf } from './features/references';
import { documentSymbols as documentSymbolsFeature, workspaceSymbols as workspaceSymbolsFeature, type DocumentSymbolEntry, type WorkspaceSymbolEntry } from './features/symbols';
import { codeLenses as codeLensesFeature, type CodeLensEntry } from './features/codeLens';
import { citationAt } from './features/hover';
import type { Lang, Position, Range } from './types';
import { LineIndex } from './text';
import { sizeOverLimit, tooLargeMessage } from './rules/documentTooLarge';
import { DEFAULT_MAX_DOCUMENT_SIZE } from './config';
import { isTooComplexError, tooComplexMessage, type TooComplexReason } from './rules/documentTooComplex';
import { encodingMessage } from './rules/fileEncoding';
import { markdownNestingDepth, MAX_MARKDOWN_NESTING } from './markdownGuard';
import { detectLanguage } from './language';
import { keepRecent } from './recent';

export type { ResolvedConfig, Applicability, SeverityOrOff } from './config';
export { defaultConfig, compileGlob, isIncluded, DEFAULT_INCLUDE, DEFAULT_EXCLUDE, DEFAULT_MAX_DOCUMENT_SIZE } from './config';
export type { Coverage, ControlCoverage, ItemCoverage, Location } from './coverage';
export type { DocumentModel } from './document';
export type { ParsedMarkdown, HeadingInfo, ProseBlock } from './markdown';
export { EvidenceMatcher, findEvidence, type EvidenceHit } from './evidence';
export { analysisToWire } from './analysisWire';
export { normalizeForMatch, detectLanguage } from './language';
export type { Analyser, JaToken } from './morphology';
export { LineIndex } from './text';
export { decodeText, ENCODING_NAMES, type DecodedText, type DecodeRefusal, type NonUtf8Encoding } from './encoding';
export { isTooComplexError, tooComplexMessage, type TooComplexReason } from './rules/documentTooComplex';
export { RULES, ruleByCode, docsUrl, itemLabel } from './rules';
export { severityRank } from './features/diagnostics';
export * from './types';
export type { HoverResult } from './features/hover';
export type { CompletionEntry, CompletionResult, CompletionData } from './features/completion';
export { FIX_ALL_KIND, type CodeActionEntry, type CodeActionContext, type TextEditEntry } from './features/codeActions';
export { CONTROL_SCHEME, controlDocumentUri, parseControlDocumentUri, type LocationEntry } from './features/definition';
export type { DocumentSymbolEntry, WorkspaceSymbolEntry } from './features/symbols';
export { SHOW_CONTROL_COMMAND, type CodeLensEntry } from './features/codeLens';

/** What the host (server or CLI) gives the service. */
export interface ServiceHost {
  catalog: CatalogIndex;
  /** Documents in scope for workspace-wide features (claims elsewhere, references, coverage). */
  workspace: { documents(): Iterable<PolicyDocument> };
  logger?: { log(msg: string): void };
  /**
   * Told each time a document is parsed or analysed, or coverage computed (not when a cache
   * answers): lets tests check that no work is repeated.
   */
  observer?: { parsed?(uri: string): void; analyzed?(uri: string): void; covered?(documents: number): void };
  /**
   * True for documents whose parsed Markdown and model should stay in memory (the server: open
   * documents). Others keep only their analysis once `keepModels` more recent ones are in use.
   */
  retain?(uri: string): boolean;
  /**
   * True while a document's analysis is being computed elsewhere (the server's worker pool): the
   * service then answers from the latest finished analysis and model of that document, or as if
   * it were empty, instead of parsing it on the caller's thread.
   */
  pending?(uri: string): boolean;
  /**
   * True while a fresh analysis of a document is due soon (the server's debounce after an edit).
   * Hover and completion then answer from the document's last analysis when the position maps to
   * it (the hovered line is outside the text that changed), instead of analysing on the caller's
   * thread.
   */
  scheduled?(uri: string): boolean;
  /**
   * For how many documents the evidence scans of their blocks are kept, so that the next build of
   * an edited document scans only the blocks that changed (default 0: a batch run builds each
   * document once).
   */
  scanMemos?: number;
  /** How many parsed documents and models of documents not retained are kept (default 16). */
  keepModels?: number;
  /**
   * Morphology (English lemmas, Japanese morphemes) for evidence matching, built by the host with
   * its dictionaries and loaded lazily (see morphology.ts). Without it the matcher uses its light
   * stemmer and literal Japanese terms.
   */
  analyser?: Analyser;
  /**
   * A snapshot of the default evidence matcher compiled at build time (`EvidenceMatcher.toSnapshot`,
   * parsed JSON), read on the first compile: a matcher whose source key is the snapshot's is read
   * from it instead of compiled (about 0.25 s and 70 MB of allocation per thread). Anything else
   * (another catalogue, a config's own terms, a stale or damaged file) is compiled as before.
   */
  matcherSnapshot?: () => unknown;
}

/**
 * The source key of the evidence matcher a service compiles for `config` (see
 * `EvidenceMatcher.sourceKey`): what the build stores with the default matcher's snapshot.
 */
export function matcherSourceKey(catalog: CatalogIndex, config: ResolvedConfig, analyser: Analyser | undefined): string {
  const { items, options } = matcherInputs(catalog, config, analyser);
  return EvidenceMatcher.sourceKey(items, config.terms, options);
}

/** What a service compiles the evidence matcher for `config` from (besides the config's `terms:`). */
function matcherInputs(catalog: CatalogIndex, config: ResolvedConfig, analyser: Analyser | undefined) {
  return { items: catalog.allControls().flatMap((c) => c.items), options: { analyser, thesaurus: catalog.catalog.thesaurus, concepts: config.concepts } };
}

/** Compiled evidence matchers kept (least recently used dropped): one per distinct `terms:`. */
export const MAX_MATCHERS = 4;

/** Parsed documents and models kept besides the retained ones. */
const DEFAULT_KEPT_MODELS = 16;

/** The service. Every method takes an optional cancellation token last. */
export interface PolicyService {
  /** Analyses a document: citations, claims with item statuses, findings (cached per version and config). */
  analyze(doc: PolicyDocument, config: ResolvedConfig, token?: CancellationToken): DocumentAnalysis;
  /** The document's findings, severities resolved, directives applied. */
  diagnostics(doc: PolicyDocument, config: ResolvedConfig, token?: CancellationToken): Finding[];
  /** The full internal model (headings, blocks, directives) for features that need structure. */
  model(doc: PolicyDocument, config: ResolvedConfig, token?: CancellationToken): DocumentModel;
  /** The parsed Markdown (cached per version), without any config. */
  parse(doc: PolicyDocument): ParsedMarkdown;
  /** Parses and validates `.x1051.yaml` text. */
  parseConfig(text: string, uri: string): { config: ResolvedConfig; findings: Finding[] };
  /**
   * Coverage of the workspace's documents under `config` (each document analysed with
   * `configFor(uri)` when given, else with `config`). While no analysis and not `config` change,
   * the same (shared, not to be modified) object is returned without recomputing it.
   */
  coverage(config: ResolvedConfig, token?: CancellationToken, configFor?: (uri: string) => ResolvedConfig): Coverage;
  /**
   * Coverage as `coverage` computes it, from the analyses finished so far, analysing nothing: a
   * document whose analysis is out of date counts as its last one, and one never analysed is left
   * out. For what a check in progress sends again once it ends (the server's coverage notification
   * and the findings on config files), so that they never parse a document on the caller's thread,
   * where a document still waiting for its check could take minutes with no budget.
   */
  coverageSoFar(config: ResolvedConfig): Coverage;
  /** The evidence matcher for a config (catalogue terms plus the config's extra terms), compiled once. */
  matcher(config: ResolvedConfig): EvidenceMatcher;
  /** Forgets a closed or deleted document. */
  forget(uri: string): void;
  /**
   * Drops the document's cached analysis but keeps what its next version reuses (parse, model,
   * evidence scans): a worker thread, once it has sent the analysis to the thread that keeps it.
   */
  dropAnalysis(uri: string): void;
  /**
   * Takes an analysis computed elsewhere (a worker thread running this same service) as the
   * document's analysis for this version and config, so that diagnostics and coverage do not
   * analyse it again here. Claim items sent as their ids (`analysisToWire`) are linked back to
   * this service's catalogue.
   */
  adopt(doc: PolicyDocument, config: ResolvedConfig, analysis: DocumentAnalysis): void;
  /** True when this version of the document is analysed under `config` (no work to do). */
  isAnalyzed(doc: PolicyDocument, config: ResolvedConfig): boolean;
  /**
   * Records that analysing this version of the document ran past the host's budget of `ms`
   * milliseconds: from now on it has one `document-too-complex` finding and is never parsed
   * (until its text changes). Returns that analysis.
   */
  overBudget(doc: PolicyDocument, config: ResolvedConfig, ms: number): DocumentAnalysis;
  /** How many entries each cache holds (for tests and diagnostics: they must stay bounded). */
  cacheSizes(): { parsed: number; models: number; analyses: number; matchers: number };
  readonly catalog: CatalogIndex;

  // --- Editor features (features helper). `config` doubles as the options (language). ---
  /** Guidance of the control or item at `position` (with item statuses), or a term's definition. */
  hover(doc: PolicyDocument, position: Position, config: ResolvedConfig, token?: CancellationToken): HoverResult | undefined;
  /** Ids, item references and section snippets at `position` (documentation via `resolveCompletion`). */
  completion(doc: PolicyDocument, position: Position, config: ResolvedConfig, token?: CancellationToken): CompletionResult;
  /** Adds the documentation to a completion entry. */
  resolveCompletion(entry: CompletionEntry): CompletionEntry;
  /** Quick fixes, the insert-control-text action and fix-all for `range`. */
  codeActions(doc: PolicyDocument, range: Range, context: CodeActionContext, config: ResolvedConfig, token?: CancellationToken): CodeActionEntry[];
  /** The read-only control document of the id at `position`. */
  definition(doc: PolicyDocument, position: Position, config: ResolvedConfig, token?: CancellationToken): LocationEntry[];
  /** Every citation in the workspace of the control or item at `position`. */
  references(doc: PolicyDocument, position: Position, config: ResolvedConfig, token?: CancellationToken, configFor?: (uri: string) => ResolvedConfig): LocationEntry[];
  /** The claims of a document (outline). */
  documentSymbols(doc: PolicyDocument, config: ResolvedConfig, token?: CancellationToken): DocumentSymbolEntry[];
  /** Controls matching `query`: their claims in the workspace, or their control documents. */
  workspaceSymbols(query: string, lang: Lang, config: ResolvedConfig, token?: CancellationToken, configFor?: (uri: string) => ResolvedConfig): WorkspaceSymbolEntry[];
  /** One "n/m items addressed" lens per claim. */
  codeLenses(doc: PolicyDocument, config: ResolvedConfig, token?: CancellationToken): CodeLensEntry[];
  /** Markdown of a control's read-only document (`x1051/controlDocument`). */
  controlDocument(id: string, lang: Lang): string | undefined;
}

/**
 * What an analysis cache entry knows of the text it was made from: the text itself, or, for a
 * document with a stamp, the stamp and the document, whose text is read again when it is needed
 * (the server does not keep the texts of closed files; see `PolicyDocument.stamp`).
 */
interface AnalysedText {
  version: number;
  text?: string;
  stamp?: number;
  source?: PolicyDocument;
}

function textKey(doc: PolicyDocument, text?: string): AnalysedText {
  return doc.stamp === undefined ? { version: doc.version, text: text ?? doc.getText() } : { version: doc.version, stamp: doc.stamp, source: doc };
}

/** The text an entry was made from, or undefined when its document has changed since. */
function analysedText(e: AnalysedText): string | undefined {
  if (e.text !== undefined) return e.text;
  if (e.source === undefined || e.source.stamp !== e.stamp) return undefined;
  const text = e.source.getText();
  // Reading a closed file's text again may find that it changed on disk.
  return e.source.stamp === e.stamp ? text : undefined;
}

/** Creates the service over a catalogue and a workspace. */
export function createPolicyService(host: ServiceHost): PolicyService {
  const { catalog } = host;
  // What is kept per document: the analysis (citations, claims, findings) of every document,
  // since coverage, references and workspace symbols read all of them; the parsed Markdown and
  // the model (blocks, evidence per block, text copies: most of the memory) only for the documents
  // the host retains (open in the editor) and the few most recently used others, rebuilt on
  // demand. Maps iterate in insertion order, so re-inserting on use makes them LRU lists.
  const parsedCache = new Map<string, { version: number; text: string; parsed: ParsedMarkdown }>();
  const modelCache = new Map<string, { version: number; text: string; config: ResolvedConfig; model: DocumentModel }>();
  const analysisCache = new Map<string, AnalysedText & { config: ResolvedConfig; analysis: DocumentAnalysis }>();
  const keep = host.keepModels ?? DEFAULT_KEPT_MODELS;
  // The strings of analyses adopted from other threads, one instance each (see analysisFromWire).
  const adoptedStrings = new StringTable();
  /** Drops the least recently used parse results and models beyond `keep`, sparing retained documents. */
  const evict = (cache: Map<string, unknown>) => {
    if (cache.size <= keep) return;
    let excess = cache.size - keep;
    for (const uri of [...cache.keys()]) {
      if (excess <= 0) break;
      if (host.retain?.(uri)) continue;
      cache.delete(uri);
      excess--;
    }
  };
  // Compiled matchers by extra terms, least recently used first: a few configs (folders) at once,
  // but every keystroke in a config's `terms:` makes a new key (6–7 MB each), so the list is bounded.
  const matchers = new Map<string, EvidenceMatcher>();
  /** The key of the host's matcher snapshot once read (null: it has none, or none readable). */
  let snapshotKey: string | null | undefined;
  const matcherByConfig = new WeakMap<ResolvedConfig, EvidenceMatcher>();
  /** The last complete coverage and what it was computed from. */
  let lastCoverage: { config: ResolvedConfig; analyses: DocumentAnalysis[]; coverage: Coverage } | undefined;

  const matcher = (config: ResolvedConfig): EvidenceMatcher => {
    let m = matcherByConfig.get(config);
    if (m) return m;
    // Configs with the same extra terms share one compiled matcher.
    const key = JSON.stringify([config.terms, config.concepts ?? {}]);
    m = matchers.get(key);
    if (!m) {
      const { items, options } = matcherInputs(catalog, config, host.analyser);
      // The snapshot file is read while its key may be the one wanted: not again for every
      // keystroke in a config's `terms:` once its key is known to be another.
      if (host.matcherSnapshot && snapshotKey !== null) {
        const key = EvidenceMatcher.sourceKey(items, config.terms, options);
        if (snapshotKey === undefined || snapshotKey === key) {
          const snapshot = host.matcherSnapshot();
          snapshotKey = EvidenceMatcher.snapshotKeyOf(snapshot) ?? null;
          m = EvidenceMatcher.fromSnapshot(snapshot, key, { analyser: host.analyser, families: options.thesaurus?.families.en });
          if (m) host.logger?.log(`x1051: evidence matcher read from its build-time snapshot (${m.patternCount} patterns)`);
        }
      }
      if (!m) {
        m = EvidenceMatcher.forItems(items, config.terms, options);
        host.logger?.log(`x1051: compiled evidence matcher (${m.patternCount} patterns)`);
      }
    }
    keepRecent(matchers, key, m, MAX_MATCHERS);
    matcherByConfig.set(config, m);
    return m;
  };

  const parse = (doc: PolicyDocument): ParsedMarkdown => {
    const text = doc.getText();
    const hit = parsedCache.get(doc.uri);
    // The text is compared too: the CLI and tests may reuse version numbers.
    if (hit && hit.version === doc.version && hit.text === text) {
      parsedCache.delete(doc.uri);
      parsedCache.set(doc.uri, hit);
      return hit.parsed;
    }
    const parsed = parseMarkdown(text);
    host.observer?.parsed?.(doc.uri);
    parsedCache.delete(doc.uri);
    parsedCache.set(doc.uri, { version: doc.version, text, parsed });
    evict(parsedCache);
    return parsed;
  };

  /**
   * True when `e` was made from the text `doc` has now, under `config`. Stamps spare reading the
   * text; without them the text is compared too (the CLI and tests may reuse version numbers).
   */
  const fresh = (e: (AnalysedText & { config: ResolvedConfig }) | undefined, doc: PolicyDocument, config: ResolvedConfig, text?: string) => {
    if (e === undefined || e.version !== doc.version || e.config !== config) return false;
    if (e.stamp !== undefined && doc.stamp !== undefined) return e.stamp === doc.stamp;
    const analysed = analysedText(e);
    return analysed !== undefined && analysed === (text ?? doc.getText());
  };

  /** The document's model, rebuilt (re-parsed) when it was dropped; its analysis is kept as is. */
  const modelOf = (doc: PolicyDocument, config: ResolvedConfig): DocumentModel => {
    const text = doc.getText();
    const hit = modelCache.get(doc.uri);
    if (hit && fresh(hit, doc, config, text)) {
      modelCache.delete(doc.uri);
      modelCache.set(doc.uri, hit);
      return hit.model;
    }
    if (host.pending?.(doc.uri)) return hit?.model ?? placeholderModel(doc, text, config);
    return build(doc, text, config).model;
  };

  /** The document's analysis (cached per version and config for every document). */
  const analysisOf = (doc: PolicyDocument, config: ResolvedConfig): DocumentAnalysis => {
    const hit = analysisCache.get(doc.uri);
    if (hit && fresh(hit, doc, config)) return hit.analysis;
    const text = doc.getText();
    if (host.pending?.(doc.uri)) return hit?.analysis ?? analysisOfModel(placeholderModel(doc, text, config), []);
    return build(doc, text, config).analysis;
  };

  /** Line indexes of the last few texts asked about (positions are checked against the text itself). */
  const recentLines: Array<{ text: string; lines: LineIndex }> = [];
  const linesOf = (text: string): LineIndex => {
    const i = recentLines.findIndex((e) => e.text === text);
    const entry = i >= 0 ? recentLines.splice(i, 1)[0] : { text, lines: new LineIndex(text) };
    recentLines.unshift(entry);
    recentLines.length = Math.min(recentLines.length, 4);
    return entry.lines;
  };

  /**
   * The last analysis of a document whose fresh one is on its way (in a worker, or due after the
   * debounce), under the same config: what hover and completion answer from meanwhile. Undefined
   * when the analysis is fresh or none is on its way.
   */
  const lastWhileWaiting = (doc: PolicyDocument, config: ResolvedConfig) => {
    const hit = analysisCache.get(doc.uri);
    if (!hit || hit.config !== config) return undefined;
    const text = doc.getText();
    if (fresh(hit, doc, config, text)) return undefined;
    if (!host.pending?.(doc.uri) && !host.scheduled?.(doc.uri)) return undefined;
    // The analysed text: kept, or read again (a closed file's); gone when the file changed since.
    const analysed = analysedText(hit);
    if (analysed === undefined) return undefined;
    return { version: hit.version, analysis: hit.analysis, text: analysed, current: text };
  };

  /**
   * `position` of the current text in the last analysed text, when its whole line is outside the
   * span that changed in between: the analysis, a snapshot of the analysed text, the position there,
   * and a function moving a range of that text back to the current one. `unmapped` when an
   * analysis is on its way but the line changed; undefined when the analysis is fresh or none is
   * on its way (the caller analyses as usual).
   */
  const staleView = (doc: PolicyDocument, position: Position, config: ResolvedConfig) => {
    const last = lastWhileWaiting(doc, config);
    if (!last) return undefined;
    const map = mapUnchangedLine(last.text, last.current, position, linesOf(last.text), linesOf(last.current));
    if (!map) return 'unmapped' as const;
    const snapshot = last.text;
    const view: PolicyDocument = { uri: doc.uri, version: last.version, getText: () => snapshot, encoding: doc.encoding };
    return { analysis: last.analysis, view, at: map.at, back: map.back };
  };

  /** Documents whose analysis ran past the host's time budget, per version (never re-parsed). */
  const overBudget = new Map<string, { version: number; text: string; ms: number }>();

  const analysisOfModel = (model: DocumentModel, findings: Finding[]): DocumentAnalysis => {
    const analysis: DocumentAnalysis = { uri: model.uri, version: model.version, lang: model.lang, citations: model.citations, claims: model.claims, findings, edition: model.edition };
    const metadata = summarizeMetadata(model.parsed);
    if (metadata) analysis.metadata = metadata;
    return analysis;
  };

  // The evidence scans of the last few documents built, reused block by block by their next build.
  const scanMemos = new Map<string, ScanMemo>();
  const buildWithMemo = (doc: PolicyDocument, config: ResolvedConfig): DocumentModel => {
    const m = matcher(config);
    const keepMemos = host.scanMemos ?? 0;
    if (keepMemos <= 0) return buildModel(doc.uri, doc.version, parse(doc), catalog, m, config);
    let memo = scanMemos.get(doc.uri);
    if (!memo || memo.matcher !== m) memo = new ScanMemo(m);
    keepRecent(scanMemos, doc.uri, memo, keepMemos);
    try {
      return buildModel(doc.uri, doc.version, parse(doc), catalog, m, config, memo);
    } finally {
      memo.endBuild();
    }
  };

  /** Builds the model; the analysis is made only when the cached one is stale, so it stays the same object. */
  const build = (doc: PolicyDocument, text: string, config: ResolvedConfig): { model: DocumentModel; analysis: DocumentAnalysis } => {
    // A document above the size limit is never parsed: its model is empty but for one finding.
    const size = sizeOverLimit(text, config.maxDocumentSize ?? DEFAULT_MAX_DOCUMENT_SIZE);
    let model: DocumentModel;
    const budget = overBudget.get(doc.uri);
    try {
      const depth = size === undefined ? markdownNestingDepth(text, MAX_MARKDOWN_NESTING) : 0;
      model =
        size !== undefined
          ? tooLargeModel(doc, text, size, config)
          : budget && budget.version === doc.version && budget.text === text
            ? tooComplexModel(doc, text, config, { kind: 'budget', ms: budget.ms })
            : depth > MAX_MARKDOWN_NESTING
            ? tooComplexModel(doc, text, config, { kind: 'nesting', depth, limit: MAX_MARKDOWN_NESTING })
            : buildWithMemo(doc, config);
    } catch (e) {
      // Nesting deeper than the parser can follow: one finding, remembered like any analysis
      // (cached per version), so the document is not parsed again on every request.
      if (!isTooComplexError(e)) throw e;
      host.logger?.log(`x1051: the parser failed on ${doc.uri}: ${(e as Error).message}`);
      model = tooComplexModel(doc, text, config, { kind: 'nesting' });
    }
    if (model.problems[0]?.code === 'document-too-complex') host.logger?.log(`x1051: ${doc.uri} (version ${doc.version}) is too complex; not checked`);
    if (doc.encoding) {
      const lines = model.parsed.lines;
      model.problems.push({ code: 'file-encoding', severity: 'information', message: encodingMessage(doc.encoding, model.lang), range: lines.range(0, lines.lineEnd(0)) });
    }
    modelCache.delete(doc.uri);
    modelCache.set(doc.uri, { version: doc.version, text, config, model });
    evict(modelCache);
    const known = analysisCache.get(doc.uri);
    if (known && fresh(known, doc, config, text)) return { model, analysis: known.analysis };
    // The rules' results per block text from their last run over this document (kept with its scans).
    const findings = computeDiagnostics(model, catalog, config, scanMemos.get(doc.uri)?.rules);
    host.observer?.analyzed?.(doc.uri);
    const analysis = analysisOfModel(model, findings);
    analysisCache.set(doc.uri, { ...textKey(doc, text), config, analysis });
    return { model, analysis };
  };

  /** The coverage of these analyses, computed again only when one of them or `config` changed. */
  const coverageOf = (analyses: DocumentAnalysis[], config: ResolvedConfig): Coverage => {
    // Analyses are cached per version and config, so the same analysis objects in the same
    // order under the same config mean nothing coverage depends on has changed: the server asks
    // for coverage several times after one edit (notification, config files, the client).
    const last = lastCoverage;
    if (last && last.config === config && last.analyses.length === analyses.length && last.analyses.every((a, i) => a === analyses[i])) return last.coverage;
    const coverage = computeCoverage(catalog, analyses, config);
    host.observer?.covered?.(analyses.length);
    lastCoverage = { config, analyses, coverage };
    return coverage;
  };

  return {
    catalog,
    analyze: (doc, config, _token = noCancellation) => analysisOf(doc, config),
    diagnostics: (doc, config, _token = noCancellation) => analysisOf(doc, config).findings,
    model: (doc, config, _token = noCancellation) => modelOf(doc, config),
    parse,
    parseConfig: (text, uri) => parseConfigText(text, uri, catalog),
    coverage(config, token = noCancellation, configFor) {
      const analyses: DocumentAnalysis[] = [];
      for (const doc of host.workspace.documents()) {
        if (token.isCancellationRequested) return computeCoverage(catalog, analyses, config);
        analyses.push(analysisOf(doc, configFor ? configFor(doc.uri) : config));
      }
      return coverageOf(analyses, config);
    },
    coverageSoFar(config) {
      const analyses: DocumentAnalysis[] = [];
      for (const doc of host.workspace.documents()) {
        const known = analysisCache.get(doc.uri);
        if (known) analyses.push(known.analysis);
      }
      return coverageOf(analyses, config);
    },
    matcher,
    forget(uri) {
      parsedCache.delete(uri);
      modelCache.delete(uri);
      analysisCache.delete(uri);
      overBudget.delete(uri);
      scanMemos.delete(uri);
    },
    dropAnalysis(uri) {
      analysisCache.delete(uri);
    },
    isAnalyzed(doc, config) {
      return fresh(analysisCache.get(doc.uri), doc, config);
    },
    adopt(doc, config, analysis) {
      analysisFromWire(analysis, catalog, adoptedStrings);
      analysisCache.set(doc.uri, { ...textKey(doc), config, analysis });
    },
    overBudget(doc, config, ms) {
      const text = doc.getText();
      overBudget.set(doc.uri, { version: doc.version, text, ms });
      analysisCache.delete(doc.uri);
      modelCache.delete(doc.uri);
      return build(doc, text, config).analysis;
    },
    cacheSizes: () => ({ parsed: parsedCache.size, models: modelCache.size, analyses: analysisCache.size, matchers: matchers.size }),

    // --- Editor features (features helper): thin delegations to features/*. ---
    hover(doc, position, config, token = noCancellation) {
      // While a fresh analysis is on its way, the last one answers for lines that did not change.
      const stale = staleView(doc, position, config);
      if (stale === 'unmapped') return undefined;
      if (stale) {
        const h = hoverFeature(stale.analysis, catalog, stale.view, stale.at, config, token);
        return h && { ...h, range: stale.back(h.range) };
      }
      const at = positionIn(linesOf(doc.getText()), position);
      return at && hoverFeature(analysisOf(doc, config), catalog, doc, at, config, token);
    },
    completion(doc, position, config, token = noCancellation) {
      // Completion reads the current line; of the analysis only the document's language and
      // edition, which the last one tells as well while a fresh one is on its way.
      const last = lastWhileWaiting(doc, config);
      if (last) {
        const at = positionIn(linesOf(last.current), position);
        return at ? completionFeature(last.analysis, catalog, doc, at, config, token) : { items: [], isIncomplete: false };
      }
      const at = positionIn(linesOf(doc.getText()), position);
      return at ? completionFeature(analysisOf(doc, config), catalog, doc, at, config, token) : { items: [], isIncomplete: false };
    },
    resolveCompletion: (entry) => resolveCompletionFeature(entry, catalog),
    codeActions: (doc, range, context, config, token = noCancellation) =>
      codeActionsFeature(analysisOf(doc, config), catalog, doc, clampRange(modelOf(doc, config), range), context, config, modelOf(doc, config).parsed, token),
    definition(doc, position, config, token = noCancellation) {
      const at = positionIn(linesOf(doc.getText()), position);
      return at ? definitionFeature(analysisOf(doc, config), catalog, at, config, token) : [];
    },
    references(doc, position, config, token = noCancellation, configFor) {
      const at = positionIn(linesOf(doc.getText()), position);
      const citation = at && citationAt(analysisOf(doc, config), at);
      if (!citation?.control) return [];
      // The current document first (with the editor's text), then the rest of the workspace.
      const analyses = function* (): Iterable<DocumentAnalysis> {
        yield analysisOf(doc, config);
        for (const d of host.workspace.documents()) {
          if (token.isCancellationRequested) return;
          if (d.uri !== doc.uri) yield analysisOf(d, configFor ? configFor(d.uri) : config);
        }
      };
      return referencesOf(citation.item ?? citation.control, analyses(), token);
    },
    documentSymbols: (doc, config, token = noCancellation) =>
      documentSymbolsFeature(analysisOf(doc, config), catalog, config, token),
    workspaceSymbols(query, lang, config, token = noCancellation, configFor) {
      const analyses: DocumentAnalysis[] = [];
      for (const d of host.workspace.documents()) {
        if (token.isCancellationRequested) return [];
        analyses.push(analysisOf(d, configFor ? configFor(d.uri) : config));
      }
      return workspaceSymbolsFeature(query, catalog, analyses, lang, token);
    },
    codeLenses: (doc, config, token = noCancellation) => codeLensesFeature(analysisOf(doc, config), config, token),
    controlDocument: (id, lang) => controlDocumentFeature(catalog, id, lang),
  };
}

/** The model of a document too large to check: no structure, one `document-too-large` finding. */
function tooLargeModel(doc: PolicyDocument, text: string, size: number, config: ResolvedConfig): DocumentModel {
  const lang: Lang = config.language !== 'auto' ? config.language : config.fallbackLanguage;
  const limit = config.maxDocumentSize ?? DEFAULT_MAX_DOCUMENT_SIZE;
  return emptyModel(doc, text, lang, 'document-too-large', 'information', tooLargeMessage(size, limit, lang));
}

/**
 * The model of a document the service could not check within its limits (see
 * `documentTooComplex`): no structure, one `document-too-complex` finding. Exported for hosts
 * that stop an analysis from outside (the worker pool's time budget).
 */
export function tooComplexModel(doc: PolicyDocument, text: string, config: ResolvedConfig, reason: TooComplexReason): DocumentModel {
  const lang: Lang = config.language !== 'auto' ? config.language : detectLanguage(text.slice(0, 4096)) ?? config.fallbackLanguage;
  return emptyModel(doc, text, lang, 'document-too-complex', 'warning', tooComplexMessage(reason, lang));
}

/** What is known of a document whose analysis is pending elsewhere and was never finished: nothing. */
function placeholderModel(doc: PolicyDocument, text: string, config: ResolvedConfig): DocumentModel {
  const model = emptyModel(doc, text, config.language !== 'auto' ? config.language : config.fallbackLanguage, 'document-too-complex', 'information', '');
  model.problems = [];
  return model;
}

function emptyModel(doc: PolicyDocument, text: string, lang: Lang, code: 'document-too-large' | 'document-too-complex', severity: Finding['severity'], message: string): DocumentModel {
  const lines = new LineIndex(text);
  const range = lines.range(0, lines.lineEnd(0));
  return {
    uri: doc.uri,
    version: doc.version,
    lang,
    parsed: { text, lines, headings: [], blocks: [], comments: [] },
    citations: [],
    claims: [],
    claimHeadings: [],
    blockHits: [],
    directives: [],
    problems: [{ code, severity, message, range }],
    edition: { how: 'undecided' },
    ambiguousIds: [],
  };
}

/**
 * Checks a position of a request against the document. A malformed position (not an object of
 * two whole numbers) is a protocol error and throws, so that the server logs it; a well-formed
 * position outside the text (a stale request after an edit, a negative number) means there is
 * nothing there: undefined, and the feature answers empty.
 */
function positionIn(lines: LineIndex, p: Position): Position | undefined {
  if (!p || typeof p !== 'object' || !Number.isInteger(p.line) || !Number.isInteger(p.character)) {
    throw new TypeError(`invalid position ${JSON.stringify(p)}`);
  }
  if (p.line < 0 || p.line >= lines.lineCount || p.character < 0) return undefined;
  return p.character <= lines.lineEnd(p.line) - lines.lineStart(p.line) ? p : undefined;
}

/** A well-formed position moved into the document (for ranges, which may reach past the end). */
function clampPosition(model: DocumentModel, p: Position): Position {
  if (!p || typeof p !== 'object' || !Number.isInteger(p.line) || !Number.isInteger(p.character)) {
    throw new TypeError(`invalid position ${JSON.stringify(p)}`);
  }
  const lines = model.parsed.lines;
  return lines.positionAt(lines.offsetAt({ line: p.line, character: Math.max(0, p.character) }));
}

/** A range with both ends moved into the document, and the ends swapped when reversed. */
function clampRange(model: DocumentModel, r: Range): Range {
  const a = clampPosition(model, r?.start);
  const b = clampPosition(model, r?.end);
  return a.line < b.line || (a.line === b.line && a.character <= b.character) ? { start: a, end: b } : { start: b, end: a };
}

/**
 * Maps `position` of `current` to `analysed` (the text a finished analysis was made of) when the
 * position's whole line lies outside the span that differs between the two (found as their common
 * prefix and suffix); with the mapping back for ranges on that line. Undefined when the line is in
 * or touches the changed span.
 */
export function mapUnchangedLine(
  analysed: string,
  current: string,
  position: Position,
  analysedLines: LineIndex = new LineIndex(analysed),
  lines: LineIndex = new LineIndex(current),
): { at: Position; back: (r: Range) => Range } | undefined {
  if (position.line < 0 || position.line >= lines.lineCount) return undefined;
  const n = Math.min(analysed.length, current.length);
  let prefix = 0;
  while (prefix < n && analysed.charCodeAt(prefix) === current.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < n - prefix && analysed.charCodeAt(analysed.length - 1 - suffix) === current.charCodeAt(current.length - 1 - suffix)) suffix++;
  const start = lines.lineStart(position.line);
  const end = lines.lineEnd(position.line);
  const shift = current.length - analysed.length;
  let oldStart: number;
  // The line is in the common prefix or in the common suffix (then checked to start a line of the
  // analysed text and to read the same there).
  if (end <= prefix) oldStart = start;
  else if (start >= current.length - suffix) oldStart = start - shift;
  else return undefined;
  const old = analysedLines.positionAt(oldStart);
  // The same line, character for character, at a line start of the analysed text.
  if (old.character !== 0 || analysedLines.lineText(old.line) !== lines.lineText(position.line)) return undefined;
  const delta = start - oldStart;
  const move = (p: Position): Position => lines.positionAt(analysedLines.offsetAt(p) + delta);
  return {
    at: { line: old.line, character: position.character },
    back: (r) => ({ start: move(r.start), end: move(r.end) }),
  };
}
