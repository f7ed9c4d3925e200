/**
 * A time budget for synchronous work on the calling thread (Node side; used by `x1051 check` and
 * `x1051 coverage` when they analyse on the main thread).
 *
 * A worker past its budget is terminated by `AnalysisPool`. On the main thread nothing can be
 * terminated from outside, but Node's `vm` can stop a script that runs too long: it starts a
 * watchdog thread that interrupts the isolate when the timeout passes, and the call then throws
 * `ERR_SCRIPT_EXECUTION_TIMEOUT`. The task itself runs in this realm, called from a one-line
 * script of a context kept for the purpose; the watchdog covers everything that script calls.
 *
 * An interrupted task stops wherever it was, without running its `finally` blocks: whatever it
 * was changing may be half changed. The caller must drop every cache the task could have written
 * (for the service: a new service, `renewedService` in `serviceRenewal.ts`), and must load
 * beforehand what is loaded once per process on first use (`prepareForBudget` there).
 */
import * as vm from 'node:vm';
// Imported, not the global: Node creates the global on first use, and a first use inside an
// interrupted task would leave it broken.
import { performance } from 'node:perf_hooks';

/** What a task comes to: its value, or the budget it ran past. */
export type Budgeted<T> = { value: T } | { overBudget: number };

let runner: { context: vm.Context; script: vm.Script } | undefined;

/** Runs `task` on this thread and stops it once it has run `budgetMs` milliseconds (an integer ≥ 1). */
export function runWithBudget<T>(task: () => T, budgetMs: number): Budgeted<T> {
  runner ??= { context: vm.createContext({ task: undefined }), script: new vm.Script('task()', { filename: 'x1051-budget.js' }) };
  const { context, script } = runner;
  context.task = task;
  try {
    return { value: script.runInContext(context, { timeout: budgetMs }) as T };
  } catch (e) {
    if ((e as { code?: unknown } | null)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return { overBudget: budgetMs };
    throw e;
  } finally {
    context.task = undefined;
  }
}

/**
 * Runs `task(from)`, `task(from + 1)`, … up to `end` on this thread, each within `budgetMs`, for
 * about `sliceMs`, and returns the index of the first task not run. The caller loops until `end`
 * (and may yield to the event loop between slices).
 *
 * One watchdog covers the whole slice: starting one costs about 80 µs, which over a thousand
 * short policies would be a few percent of the check. A task is started only while less than
 * `sliceMs` (at most half the budget) has passed, so every task has at least half the budget
 * before the watchdog fires. When it fires during the slice's first task, that task ran its whole
 * budget alone: `overBudget(i)` is called and the slice ends after it. When it fires during a
 * later task, the slice ends before that task, which starts the next slice with the whole budget.
 * Either way `interrupted()` is called first, so that the caller drops what the task may have
 * left half changed before anything else runs.
 */
export function runSliceWithBudget(from: number, end: number, task: (i: number) => void, budgetMs: number, sliceMs: number, on: { interrupted(): void; overBudget(i: number): void }): number {
  const slice = Math.min(sliceMs, budgetMs / 2);
  let next = from;
  const outcome = runWithBudget(() => {
    const started = performance.now();
    do {
      task(next);
      next++;
    } while (next < end && performance.now() - started < slice);
  }, budgetMs);
  if ('value' in outcome) return next;
  on.interrupted();
  if (next > from) return next;
  on.overBudget(from);
  return from + 1;
}
