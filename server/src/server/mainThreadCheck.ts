/**
 * Small open documents are checked on the main thread, within a budget of their own, instead of
 * in a worker (issue #13, memory).
 *
 * Why: a worker is a V8 isolate. The one that keeps an edited policy's scans weighed 35–60 MiB
 * (its young generation grows to 32 MiB while it loads the catalogue and the evidence matcher),
 * for a policy the main thread analyses in a few milliseconds. Most policies are short; a worker
 * is still used for a long one (analysing it here would hold up hover and completion) and for
 * one that runs past this thread's budget.
 *
 * The budget: `threadBudget.runWithBudget` interrupts the analysis past `MAIN_THREAD_BUDGET_MS`
 * (or `x1051.analysisTimeout` when that is lower). An interrupted analysis may leave anything it
 * was changing half changed, so the service is replaced by a new one that adopts every finished
 * analysis (`renewService`), the parser's chunk cache is emptied, and the document is checked in a
 * worker with the whole `x1051.analysisTimeout`. It is not tried here again while it stays open.
 * What is loaded once per process (the analysers' modules, each configuration's evidence matcher)
 * is loaded before the budget starts.
 */
// Imported, not the global (see threadBudget.ts).
import { performance } from 'node:perf_hooks';
import { runWithBudget } from '../threadBudget';
import { prepareForBudget, renewedService } from '../serviceRenewal';
import type { PolicyDocument, ResolvedConfig } from '../service';
import { canonicalUri } from '../workspace';
import { warmUpDocument, WARM_UP_URI } from '../warmUp';
import type { Configurations } from './configuration';
import type { ServerContext } from './context';

/** Open documents up to this many characters are checked on the main thread. */
export const MAIN_THREAD_MAX_CHARS = 20_000;

/**
 * The main thread's budget for one such check, in milliseconds. An ordinary short policy takes a
 * few milliseconds to a few tens here; a check past this budget goes to a worker, so requests
 * never wait longer.
 */
export const MAIN_THREAD_BUDGET_MS = 150;

/**
 * At most this many milliseconds of checks on the main thread per `MAIN_THREAD_WINDOW_MS`: past
 * it, short documents go to the workers too. Many documents opened at once (a restored session,
 * a client that opens every file) would otherwise be checked one after another in one turn of
 * the event loop, and requests would wait for all of them.
 */
export const MAIN_THREAD_SHARE_MS = 60;
export const MAIN_THREAD_WINDOW_MS = 200;

/** Checks small open documents on the main thread (see the module comment). */
export class MainThreadChecks {
  /** Documents that ran past this thread's budget (canonical uris), until they are closed. */
  private readonly slow = new Set<string>();
  private prepared = new WeakSet<ResolvedConfig>();
  /** Start of the current window, and the milliseconds of checks spent here in it. */
  private windowStart = 0;
  private spent = 0;
  /** Whether the log has said that short documents went to the workers once the share was spent. */
  private toldShareSpent = false;
  private warmedUp = false;

  constructor(
    private readonly ctx: ServerContext,
    private readonly configs: Configurations,
    /** The budget; `X1051_MAIN_THREAD_BUDGET_MS` may lower it (tests that force the interruption). */
    private readonly budgetMs = budgetFromEnv(process.env) ?? MAIN_THREAD_BUDGET_MS,
  ) {}

  /**
   * True when `doc` (the current text of `uri`) may be checked here: there is a worker pool to
   * compare with, it is open in the editor, short, has not run past the budget here before, and
   * no worker is analysing it (an earlier version, or its disk text while the workspace is
   * indexed): meanwhile the service answers from the last finished analysis, so the check joins
   * the queue behind that job.
   */
  eligible(uri: string, doc: PolicyDocument): boolean {
    const { ctx } = this;
    if (!ctx.pool || this.budgetMs <= 0) return false;
    if (!ctx.openDocument(uri) || this.slow.has(canonicalUri(uri)) || ctx.pending.has(doc.uri)) return false;
    return doc.getText().length <= MAIN_THREAD_MAX_CHARS;
  }

  /** True when `doc` is eligible and this thread has not spent its share of the current window. */
  accepts(uri: string, doc: PolicyDocument): boolean {
    if (!this.eligible(uri, doc)) return false;
    const now = performance.now();
    if (now - this.windowStart >= MAIN_THREAD_WINDOW_MS) {
      this.windowStart = now;
      this.spent = 0;
    }
    if (this.spent < MAIN_THREAD_SHARE_MS) return true;
    if (!this.toldShareSpent) this.ctx.log(`x1051: more than ${MAIN_THREAD_SHARE_MS} ms of checks on the main thread within ${MAIN_THREAD_WINDOW_MS} ms: short documents go to the workers until the next window`);
    this.toldShareSpent = true;
    return false;
  }

  /**
   * Analyses `doc` here within the budget. True when its analysis is now in the service; false
   * when it was interrupted (the service was renewed; the caller checks it in a worker).
   */
  analyze(uri: string, doc: PolicyDocument, config: ResolvedConfig): boolean {
    const { ctx } = this;
    const started = performance.now();
    this.prepare(config);
    const budget = this.budget();
    const outcome = runWithBudget(() => ctx.service.analyze(doc, config), budget);
    this.spent += performance.now() - started;
    if ('value' in outcome) return true;
    this.slow.add(canonicalUri(uri));
    ctx.log(`x1051: ${uri} (version ${doc.version}) ran past the main thread's budget of ${budget} ms; it is checked in a worker while it stays open`);
    this.renewService();
    return false;
  }

  /**
   * A short document was opened: in a timer (the open itself is not held up), this thread reads
   * the configuration's evidence matcher and, the first time, analyses a short built-in policy
   * within the budget, so that the first check or edit does not pay for loading and compiling
   * (about 100 ms). Its analysis is dropped.
   */
  warm(config: ResolvedConfig): void {
    if (this.warmedUp && this.prepared.has(config)) return;
    setTimeout(() => {
      this.ctx.safeRun('main thread warm-up', () => {
        this.prepare(config);
        if (this.warmedUp) return;
        this.warmedUp = true;
        const outcome = runWithBudget(() => this.ctx.service.analyze(warmUpDocument(), config), this.budget());
        if ('value' in outcome) {
          this.ctx.service.dropAnalysis(WARM_UP_URI);
          this.ctx.log('x1051: main thread ready to check short documents');
        } else {
          this.ctx.log(`x1051: the main thread's warm-up ran past its budget of ${this.budget()} ms`);
          this.renewService();
        }
      });
    }, 0).unref();
  }

  /** The document was closed: it may be tried here again when opened. */
  forget(uri: string): void {
    this.slow.delete(canonicalUri(uri));
  }

  /** This thread's budget for one analysis, in milliseconds. */
  private budget(): number {
    return Math.max(1, Math.min(this.budgetMs, this.ctx.settings.analysisTimeout));
  }

  /** Loads, outside the budget, what the analysis would otherwise load inside it (once per service and config). */
  private prepare(config: ResolvedConfig): void {
    if (this.prepared.has(config)) return;
    prepareForBudget(this.ctx.service, [config]);
    this.prepared.add(config);
  }

  /**
   * Replaces the service after an interruption (see serviceRenewal.ts) by one that has the
   * finished analyses of every document the server knows: the open ones and the workspace's.
   */
  private renewService(): void {
    const { ctx, configs } = this;
    const known = new Map<string, PolicyDocument>();
    for (const doc of [...ctx.documents.all(), ...ctx.workspace.documents()]) {
      const key = canonicalUri(doc.uri);
      if (!known.has(key)) known.set(key, doc);
    }
    const documents = [...known.values()].map((doc) => ({ doc, config: configs.configFor(doc.uri) }));
    ctx.service = renewedService(ctx.service, ctx.createService, documents, (doc, error) =>
      // Analysed again when it is next needed.
      ctx.log(`x1051: ${doc.uri} not carried over to the renewed service: ${(error as Error)?.message ?? String(error)}`),
    );
    // The new service reads each configuration's matcher again (from the build's snapshot).
    this.prepared = new WeakSet();
  }
}

/** `X1051_MAIN_THREAD_BUDGET_MS`: a lower budget (0: no check on the main thread), if set. */
export function budgetFromEnv(env: Record<string, string | undefined>): number | undefined {
  const v = env.X1051_MAIN_THREAD_BUDGET_MS;
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Math.min(Number(v), MAIN_THREAD_BUDGET_MS);
}
