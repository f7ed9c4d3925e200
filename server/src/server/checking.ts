/**
 * Checking documents and publishing their diagnostics: one document after a pause in typing
 * (a newer edit replaces the pending check), or every document of the workspace in the
 * background, with a work-done progress while the workspace is first indexed.
 */
import { canonicalUri } from '../workspace';
import type { AnalysisOutcome } from '../analysisPool';
import type { PolicyDocument, ResolvedConfig } from '../service';
import type { Configurations } from './configuration';
import { isConfigUri } from './configuration';
import type { ServerContext } from './context';
import { toDiagnostic } from './convert';
import type { CoverageNotifier } from './coverage';
import { MainThreadChecks } from './mainThreadCheck';

/** Delay between the last edit and the re-check of a document. */
export const DEBOUNCE_MS = 200;

/** Schedules and runs the checks of documents. */
export class Checker {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Bumped by every full re-check, so an older background pass stops. */
  private generation = 0;
  /** The running workspace scan; only a newer scan cancels it (a re-check waits for it). */
  private scanning: Promise<unknown> | undefined;
  private scanGeneration = 0;

  /** Short open documents checked on this thread (see mainThreadCheck.ts). */
  readonly main: MainThreadChecks;

  constructor(
    private readonly ctx: ServerContext,
    private readonly configs: Configurations,
    private readonly coverage: CoverageNotifier,
  ) {
    this.main = new MainThreadChecks(ctx, configs);
  }

  /**
   * Checks one document now and publishes its diagnostics (or clears them when out of scope).
   * Returns the job when the document went to the worker pool (it settles once published).
   */
  check(uri: string): Promise<void> | undefined {
    const { ctx } = this;
    if (isConfigUri(uri)) {
      this.coverage.publishConfig(uri);
      return undefined;
    }
    const doc = ctx.workspace.get(uri);
    // A generated control document is the catalogue's text, not a policy.
    if (!doc || ctx.controls.isControlFile(uri)) {
      ctx.publish(uri, []);
      return undefined;
    }
    const config = this.configs.configFor(uri);
    if (!this.configs.isIncluded(uri)) {
      ctx.publish(uri, []);
      return undefined;
    }
    const version = doc.version;
    // Off the main thread when there is a pool and the analysis is not known yet: requests are
    // answered meanwhile from the last finished analysis. A short open document is analysed here
    // within a budget of this thread, and goes to a worker only when it runs past it.
    if (ctx.pool && !ctx.service.isAnalyzed(doc, config) && !(this.main.accepts(uri, doc) && this.main.analyze(uri, doc, config))) {
      return this.checkInPool(uri, doc, config).catch((error) => ctx.connection.console.error(`x1051: check ${uri} failed: ${(error as Error)?.stack ?? String(error)}`));
    }
    const findings = ctx.service.diagnostics(doc, config);
    // A newer edit arrived while checking: its own check will publish.
    if (ctx.workspace.get(uri)?.version !== version) return undefined;
    ctx.publish(uri, findings.map((f) => toDiagnostic(f, ctx.capabilities, uri)), ctx.openDocument(uri) ? version : undefined);
    return undefined;
  }

  /**
   * Analyses a document in a worker within `x1051.analysisTimeout`, hands the analysis to the
   * service (or records that the budget was spent: one `document-too-complex` finding) and
   * publishes, unless a newer edit arrived meanwhile.
   */
  private async checkInPool(uri: string, live: PolicyDocument, config: ResolvedConfig): Promise<void> {
    const { ctx } = this;
    // Open and disk documents change in place: the job works on a snapshot of this version (the
    // text first: reading a closed file's text again may give it a new version).
    const text = live.getText();
    const doc: PolicyDocument = { uri: live.uri, version: live.version, stamp: live.stamp, getText: () => text, encoding: live.encoding };
    const pool = ctx.pool!;
    pool.budgetMs = ctx.settings.analysisTimeout;
    const key = doc.uri;
    ctx.pending.set(key, (ctx.pending.get(key) ?? 0) + 1);
    let outcome: AnalysisOutcome;
    try {
      // An open document is being edited: the worker keeping its scans stays (batch work does not hold one).
      outcome = await pool.analyze({ uri: doc.uri, version: doc.version, text: doc.getText(), encoding: doc.encoding, config }, { interactive: ctx.openDocument(uri) !== undefined });
    } finally {
      const left = (ctx.pending.get(key) ?? 1) - 1;
      if (left > 0) ctx.pending.set(key, left);
      else ctx.pending.delete(key);
    }
    ctx.safeRun(`check ${uri}`, () => {
      // A newer edit arrived meanwhile: its own check publishes.
      const current = ctx.workspace.get(uri);
      if (!current || current.version !== doc.version) return;
      if (current.stamp !== undefined ? current.stamp !== doc.stamp : current.getText() !== text) return;
      if (this.configs.configFor(uri) !== config) return;
      // A disk document is adopted as itself: the service then keeps no copy of its text.
      if ('analysis' in outcome) ctx.service.adopt(current.stamp !== undefined ? current : doc, config, outcome.analysis);
      else if ('overBudget' in outcome) ctx.service.overBudget(doc, config, outcome.overBudget);
      // On a worker error the service analyses here, as without a pool.
      const findings = ctx.service.diagnostics(doc, config);
      ctx.publish(uri, findings.map((f) => toDiagnostic(f, ctx.capabilities, uri)), ctx.openDocument(uri) ? doc.version : undefined);
    });
    this.coverage.notify();
  }

  /** Re-checks a document after a pause; a newer call replaces a pending one. */
  schedule(uri: string, delay = DEBOUNCE_MS): void {
    this.cancel(uri);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.ctx.safeRun(`check ${uri}`, () => this.check(uri));
        this.coverage.notify();
      }, delay),
    );
  }

  /** Re-checks everything after a pause (a config file is being edited). */
  scheduleAll(): void {
    this.cancel('*');
    this.timers.set('*', setTimeout(() => void this.checkAll(), DEBOUNCE_MS));
  }

  /**
   * Runs the checks still waiting for their debounce now (in the worker pool, or on this thread
   * within its budget for a short document: see mainThreadCheck.ts) and resolves once they are
   * published: a request that needs every analysis (coverage, references) then reads their
   * results instead of analysing edited documents on the main thread without a budget. Without a
   * pool, nothing to do (the caller analyses).
   */
  async flushScheduled(): Promise<void> {
    if (!this.ctx.pool) return;
    const uris = [...this.timers.keys()].filter((u) => u !== '*');
    if (uris.length === 0) return;
    const jobs: Array<Promise<void> | undefined> = [];
    for (const uri of uris) {
      this.cancel(uri);
      jobs.push(this.ctx.safeRun(`check ${uri}`, () => this.check(uri)));
    }
    await Promise.all(jobs);
    // As the debounce's own run does after each check.
    this.coverage.notify();
  }

  /** True while a check of the document waits for its debounce to pass. */
  isScheduled(uri: string): boolean {
    return this.timers.has(uri);
  }

  /** Drops the pending check of a document. */
  cancel(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
  }

  /**
   * Re-checks every document (open and on disk) in the background, yielding between documents;
   * a newer full re-check stops this one. With a `title`, the workspace is (re-)scanned first
   * under a work-done progress of that title.
   */
  async checkAll(title?: string): Promise<void> {
    const { ctx } = this;
    const mine = ++this.generation;
    // A client that refuses the progress token still gets its workspace checked.
    const progress = title && ctx.capabilities.window?.workDoneProgress ? await ctx.connection.window.createWorkDoneProgress().catch(() => undefined) : undefined;
    progress?.begin(title!, 0, undefined, false);
    try {
      if (title) {
        const scan = ++this.scanGeneration;
        this.scanning = ctx.workspace
          .scan(
            (done, found) => progress?.report(found ? Math.round((done / found) * 50) : 50, progressMessage('reading', done, found)),
            () => scan !== this.scanGeneration,
          )
          .catch((error) => ctx.connection.console.error(`x1051: indexing the workspace failed: ${String(error)}`));
      }
      // A re-check during the initial indexing must not check a half-read workspace.
      await this.scanning;
      if (mine !== this.generation) return;
      // The scan may have found files (and so config files) since the uris were last listed.
      this.configs.forgetConfigUris();
      // One check per document, however many spellings of its uri are around.
      const uris = new Map<string, string>();
      for (const uri of [...ctx.documents.all().map((d) => d.uri), ...ctx.workspace.diskUris()]) {
        const key = canonicalUri(uri);
        if (!uris.has(key)) uris.set(key, uri);
      }
      // "checking n/m" counts documents whose diagnostics are published: with a worker pool that
      // is when their job ends, not when it is handed over.
      let sent = 0;
      let finished = 0;
      const jobs: Promise<void>[] = [];
      const progressed = () => {
        if (++finished % 20 === 0) progress?.report(50 + Math.round((finished / uris.size) * 50), progressMessage('checking', finished, uris.size));
      };
      for (const uri of uris.values()) {
        if (mine !== this.generation) return;
        let job: Promise<void> | undefined;
        ctx.safeRun(`check ${uri}`, () => {
          job = this.check(uri);
        });
        if (job) jobs.push(job.then(progressed, progressed));
        else progressed();
        if (++sent % 20 === 0) await new Promise((r) => setImmediate(r));
      }
      await Promise.all(jobs);
      if (mine !== this.generation) return;
      progress?.report(100, progressMessage('checking', finished, uris.size));
      this.coverage.notify();
    } finally {
      progress?.done();
    }
  }

  /** Stops every pending and running check (shutdown). */
  stop(): void {
    this.generation++;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.coverage.stop();
  }
}

/**
 * The message of a work-done progress report while the workspace is indexed, shown by VS Code in
 * the status bar next to the title ("X.1051: indexing the workspace: checking 340/1,000 files").
 */
export function progressMessage(stage: 'reading' | 'checking', done: number, total: number): string {
  return `${stage} ${grouped(done)}/${grouped(total)} files`;
}

/**
 * `n` with its thousands separated by commas ("1,000"), written out rather than asked of
 * `toLocaleString`: the first `Intl` number format makes V8 list every locale ICU knows, which
 * maps about 5 MiB of ICU's data (in Node's binary) into the server's resident memory for good.
 */
export function grouped(n: number): string {
  const digits = String(Math.trunc(Math.abs(n)));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return (n < 0 ? '-' : '') + out;
}
