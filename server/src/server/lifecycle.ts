/**
 * Lifecycle: `initialize` (load the catalogue, create the service, set the folders),
 * `initialized` (dynamic registrations, settings, first indexing) and `shutdown`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ResponseError, type InitializeParams, type InitializeResult } from 'vscode-languageserver/node';
import { AnalysisPool, defaultPoolSize, workersFromEnv } from '../analysisPool';
import { loadCatalog } from '../../../catalog/src/load';
import { CatalogIndex } from '../../../catalog/src/query';
import { createPolicyService } from '../service';
import { localeToLang, readSettings } from '../settings';
import { serverCapabilities } from './capabilities';
import type { Checker } from './checking';
import { announcedCommands } from './commands';
import { controlDocumentMode } from './controlDocuments';
import type { Configurations } from './configuration';
import type { ServerContext } from './context';
import { REJECTED_METHOD, type RejectedParams } from './lifecycleGate';

/** The server's name and version in `initialize`. */
export const SERVER_INFO = { name: 'x1051', version: '0.1.0' };

/** Registers `initialize`, `initialized` and `shutdown`; `onInitialized` runs the registrations of the other modules. */
export function registerLifecycle(ctx: ServerContext, configs: Configurations, checker: Checker, onInitialized: () => Promise<void>): void {
  const { connection, workspace } = ctx;

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    ctx.capabilities = params.capabilities;
    const init = (params.initializationOptions ?? {}) as { settings?: unknown; locale?: string; catalogPath?: string };
    ctx.fallbackLanguage = localeToLang(init.locale ?? params.locale);
    ctx.settings = readSettings(init.settings);
    try {
      ctx.catalog = loadCatalog(init.catalogPath ?? ctx.deps.defaultCatalogPath);
    } catch (error) {
      // Without a catalogue the server still answers (empty results) and says why.
      connection.console.error(`x1051: ${(error as Error).message}`);
      void connection.window.showErrorMessage(`X.1051: ${(error as Error).message}`);
      ctx.catalog = new CatalogIndex({ meta: { standard: '', edition: '', translation: '', errata: [] }, clauses: [], objectives: [], controls: [], annexB: [], definitions: [], abbreviations: [] });
    }
    // A factory, so that the service can be replaced after an interrupted analysis (mainThreadCheck.ts).
    ctx.createService = () => createPolicyService({
      catalog: ctx.catalog,
      analyser: ctx.deps.analyser,
      matcherSnapshot: ctx.deps.matcherSnapshot,
      workspace: { documents: () => workspace.documents(configs.isIncluded) },
      logger: { log: (m) => ctx.log(m) },
      // Open documents keep their parsed trees for the editor features; closed workspace files
      // keep only their analysis (coverage, references, symbols) beyond a few recent ones.
      retain: (uri) => ctx.openDocument(uri) !== undefined,
      // One line per computation (not per request), so the output shows how often it happens.
      observer: { covered: (n) => ctx.log(`x1051: computed coverage of ${n} documents`) },
      // While a worker analyses a document, answer from its last finished analysis.
      pending: (uri) => ctx.pending.has(uri),
      // During the debounce after an edit, hover and completion answer from the last analysis.
      scheduled: (uri) => checker.isScheduled(uri),
      // An edited document's next analysis scans only the blocks that changed.
      scanMemos: SCAN_MEMOS,
    });
    ctx.service = ctx.createService();
    ctx.pool = startPool(ctx, init.catalogPath ?? ctx.deps.defaultCatalogPath);
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    workspace.setFolders(folders);
    ctx.controls.mode = controlDocumentMode(params);
    const commands = announcedCommands(params.initializationOptions);
    return { capabilities: serverCapabilities(ctx.capabilities, { controlDocuments: ctx.controls.mode, commands }), serverInfo: SERVER_INFO };
  });

  connection.onInitialized(
    ctx.safe('initialized', undefined, async () => {
      await onInitialized();
      await configs.fetchSettings();
      await checker.checkAll('X.1051: indexing the workspace');
    }),
  );

  connection.onShutdown(async () => {
    checker.stop();
    await ctx.pool?.close();
  });

  // Requests the lifecycle gate refused (see lifecycleGate.ts) are answered with its error.
  connection.onRequest(REJECTED_METHOD, (p: RejectedParams) => {
    throw new ResponseError(p.code, p.message);
  });
}

/** A server's worker idle this long is stopped (its heap goes with it) and restarted on demand. */
export const WORKER_IDLE_MS = 20_000;
/**
 * A worker that only did batch work (indexing the workspace, files changed on disk) is stopped this
 * soon after its last job: its memory (its heap after the batch's allocations) goes back at once.
 */
export const WORKER_BATCH_IDLE_MS = 1_000;

/** For how many documents (the ones being edited) the evidence scans of their blocks are kept. */
export const SCAN_MEMOS = 8;

/**
 * The analysis pool of the server: worker threads beside the bundle, one fewer than the cores
 * (the main thread answers requests), between 1 and 4, each stopped after `WORKER_IDLE_MS` without
 * work (`WORKER_BATCH_IDLE_MS` when it keeps the scans of no open document). None when
 * `X1051_WORKERS=0`, or when the bundle has no worker entry (then the main thread analyses,
 * without a time budget).
 */
function startPool(ctx: ServerContext, catalogPath: string | undefined): AnalysisPool | undefined {
  const workerPath = path.join(__dirname, 'analysisWorker.js');
  const wanted = workersFromEnv() ?? Math.min(4, Math.max(1, defaultPoolSize() - 1));
  if (wanted < 1 || !fs.existsSync(workerPath)) return undefined;
  try {
    const pool = new AnalysisPool({ size: wanted, budgetMs: ctx.settings.analysisTimeout, catalogPath, workerPath, log: (m) => ctx.log(m), idleMs: WORKER_IDLE_MS, batchIdleMs: WORKER_BATCH_IDLE_MS, scanMemos: SCAN_MEMOS, lazy: true });
    ctx.log(`x1051: ${pool.size} analysis worker${pool.size === 1 ? '' : 's'}, budget ${ctx.settings.analysisTimeout} ms per document`);
    return pool;
  } catch (error) {
    ctx.log(`x1051: no analysis workers (${(error as Error).message}); analysing on the main thread`);
    return undefined;
  }
}
