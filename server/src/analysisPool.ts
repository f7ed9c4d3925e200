/**
 * A small pool of worker threads that analyse documents with a time budget (Node side, shared by
 * the language server and `x1051 check`).
 *
 * Each worker runs the pure service unchanged (`analysisWorker.ts`) and analyses one document at a
 * time. A job that runs past the budget gets its worker terminated (a parse cannot be interrupted
 * any other way) and replaced; the caller is told `overBudget` and gives the document one
 * `document-too-complex` finding, and the other jobs go on. Results are structured clones of the
 * service's `DocumentAnalysis`.
 *
 * `X1051_WORKERS=0` (or a size of 0) means no pool: callers then analyse on their own thread
 * (tests, hosts without worker threads); the CLI keeps the budget there (`threadBudget.ts`), the
 * server has none.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Claim, DocumentAnalysis, NonUtf8Encoding, ResolvedConfig } from './service';
import { claimsFromDelta } from './claimsDelta';
import { keepRecent } from './service/recent';

/** Default time budget of one document's analysis (`x1051.analysisTimeout`, `--timeout`). */
export const DEFAULT_ANALYSIS_TIMEOUT_MS = 5000;

/** One document to analyse. */
export interface AnalysisJob {
  uri: string;
  version: number;
  text: string;
  encoding?: NonUtf8Encoding;
  config: ResolvedConfig;
}

/** What a job comes to. */
export type AnalysisOutcome = { analysis: DocumentAnalysis } | { encoded: Uint8Array } | { overBudget: number } | { error: string };

interface Pending {
  id: number;
  job: AnalysisJob;
  /** The document is being edited (see `analyze`). */
  interactive: boolean;
  resolve(outcome: AnalysisOutcome): void;
}

interface Slot {
  /** Undefined while the slot's worker is stopped for idleness (started again by the next job). */
  worker?: Worker;
  current?: Pending;
  /**
   * The job sent behind `current`, so the worker starts it as soon as it has sent `current`'s
   * analysis instead of waiting for this thread to read that and answer with a new job. Its time
   * budget starts when `current` ends.
   */
  next?: Pending;
  timer?: NodeJS.Timeout;
  idle?: NodeJS.Timeout;
  /** Documents this slot's worker analysed last (it keeps their scans: `scanMemos`). */
  recent?: string[];
  /** Those of `recent` whose last job was interactive (documents being edited). */
  interactive?: Set<string>;
  /** Started by `warm` for edits to come: kept for `idleMs` until its first job. */
  warm?: boolean;
  /**
   * The claims of this worker's last answer per document and the answer's number (`token`), as
   * many documents as `scanMemos`: its next answer names those that did not change by their index
   * (claimsDelta.ts).
   */
  claims?: Map<string, { token: number; claims: Claim[] }>;
}

/** The threads this process may run at once (`os.availableParallelism`). */
export function defaultPoolSize(): number {
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

/** Files worth one more CLI worker (`autoWorkerCount`). */
export const FILES_PER_WORKER = 50;

/**
 * The CLI's worker count by default (`--jobs auto`): one per two logical CPUs, and at most one
 * per `FILES_PER_WORKER` files; a single worker is no worker (the main thread analyses, within
 * the same time budget). Logical CPUs are usually hardware threads, two to a core (cloud machines
 * sell them as vCPUs): a second thread on a core adds far less than a core, while every worker
 * is a V8 isolate that costs a start-up and 50–60 MiB. On the 2-vCPU machine of the benchmark,
 * two workers took longer than the main thread alone and 45 % more memory (docs/performance.md).
 * ESLint's and Stylelint's `--concurrency auto` count the same way.
 */
export function autoWorkerCount(files: number, parallelism = defaultPoolSize()): number {
  const n = Math.min(parallelism >> 1, Math.ceil(files / FILES_PER_WORKER));
  return n <= 1 ? 0 : n;
}

/** The worker count asked for by the environment (`X1051_WORKERS`), if any. */
export function workersFromEnv(env: Record<string, string | undefined> = process.env): number | undefined {
  const v = env.X1051_WORKERS;
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** The pool. */
export class AnalysisPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  /** Jobs that ran past the budget since the pool started (for logs and tests). */
  overBudgetCount = 0;
  /** Workers started since the pool started, replacements and restarts after idleness included. */
  started = 0;
  /** Jobs sent to a worker behind the one it was working on (`sendAhead`). */
  sentAhead = 0;
  /** Claims taken from a worker's previous answer instead of copied from the thread (claimsDelta.ts). */
  claimsReused = 0;

  constructor(
    private readonly options: {
      size: number;
      budgetMs: number;
      catalogPath?: string;
      /** The bundled worker entry; by default `analysisWorker.js` beside the running bundle. */
      workerPath?: string;
      log?: (message: string) => void;
      /**
       * A worker idle this long is stopped, and its memory (its own heap, its compiled matcher)
       * goes with it; the next job starts it again. Undefined: workers run until `close`.
       */
      idleMs?: number;
      /**
       * A worker whose kept scans are all of documents analysed as batch work (workspace indexing,
       * files changed on disk; see `analyze`) is stopped sooner, after this many milliseconds: they
       * are unlikely to be edited next, and its memory goes back to the system at the end of the
       * batch. Default: `idleMs`.
       */
      batchIdleMs?: number;
      /**
       * For how many documents each worker keeps the evidence scans of their blocks (see the
       * service's `scanMemos`); a document goes back to the worker that analysed it last.
       */
      scanMemos?: number;
      /**
       * Sends each worker its next job while it works on one (batch work: the CLI), so it never
       * waits for this thread between jobs. Not for the server: a job sent ahead waits behind the
       * running one even when another worker is free, and an edited document must not.
       */
      sendAhead?: boolean;
      /**
       * Analyses come back encoded (`v8.serialize` of the wire form, read with `v8.deserialize`),
       * as one byte array each: the CLI keeps them so until its workers are done, and its own heap
       * stays small while theirs are large.
       */
      encoded?: boolean;
      /**
       * Starts each worker on its first job (or `warm`) instead of at once. The server: a
       * workspace of short open policies may never need one (see server/mainThreadCheck.ts). The
       * CLI starts them at once, while it reads the files.
       */
      lazy?: boolean;
    },
  ) {
    for (let i = 0; i < Math.max(1, options.size); i++) {
      const slot: Slot = {};
      if (!options.lazy) this.start(slot);
      this.slots.push(slot);
    }
  }

  /** Number of workers. */
  get size(): number {
    return this.slots.length;
  }

  /** Documents whose claims the pool holds for their next answer (claimsDelta.ts), all workers together. */
  get claimsHeld(): number {
    return this.slots.reduce((n, s) => n + (s.claims?.size ?? 0), 0);
  }

  /** Workers running now (the others are stopped for idleness). */
  get running(): number {
    return this.slots.filter((s) => s.worker).length;
  }

  /** The budget in milliseconds (it may change with the settings). */
  set budgetMs(ms: number) {
    this.options.budgetMs = ms;
  }

  get budgetMs(): number {
    return this.options.budgetMs;
  }

  /**
   * Analyses a document in a worker; resolves when done, past the budget, or failed.
   * `interactive`: the document is being edited (open in the editor), so the worker that keeps
   * its scans stays for `idleMs`; other jobs are batch work (`batchIdleMs`).
   */
  analyze(job: AnalysisJob, options: { interactive?: boolean } = {}): Promise<AnalysisOutcome> {
    if (this.closed) return Promise.resolve({ error: 'the analysis pool is closed' });
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, job, interactive: options.interactive === true, resolve });
      this.pump();
    });
  }

  /**
   * Starts a worker when none is running (a document was opened: its edits will need one), kept
   * for `idleMs` like one holding an edited document, so the first edit does not wait for a
   * worker to start.
   */
  warm(config: ResolvedConfig): void {
    if (this.closed || this.slots.some((s) => s.worker)) return;
    const slot = this.slots[0];
    // It also analyses a short policy at once (loading what the first real job would), answering
    // nothing: messages are handled in order, so a job sent meanwhile waits for it.
    this.start(slot).postMessage({ warmUp: true, config });
    slot.warm = true;
    this.pump();
  }

  /** Stops every worker; pending jobs resolve with an error. */
  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.resolve({ error: 'the analysis pool is closed' });
    await Promise.all(
      this.slots.map(async (s) => {
        clearTimeout(s.timer);
        clearTimeout(s.idle);
        s.current?.resolve({ error: 'the analysis pool is closed' });
        s.next?.resolve({ error: 'the analysis pool is closed' });
        s.current = undefined;
        s.next = undefined;
        await s.worker?.terminate();
      }),
    );
  }

  /** Starts a worker in `slot`. */
  private start(slot: Slot): Worker {
    const file = this.options.workerPath ?? path.join(__dirname, 'analysisWorker.js');
    const worker = new Worker(file, { workerData: { catalogPath: this.options.catalogPath, scanMemos: this.options.scanMemos ?? 0, encoded: this.options.encoded === true } });
    slot.worker = worker;
    // A new worker has no scans of anything, and has sent no claims.
    slot.recent = undefined;
    slot.claims = undefined;
    slot.interactive = undefined;
    slot.warm = undefined;
    this.started++;
    this.options.log?.(`x1051: analysis worker started (${this.started} so far)`);
    worker.unref();
    worker.on('message', (msg: { id: number; analysis?: DocumentAnalysis; encoded?: Uint8Array; error?: string; token?: number; base?: number }) => {
      if (slot.worker !== worker) return;
      const p = slot.current;
      if (!p || p.id !== msg.id) return;
      clearTimeout(slot.timer);
      slot.current = undefined;
      if (msg.analysis && msg.token !== undefined) {
        try {
          this.takeClaims(slot, p.job.uri, msg.analysis, msg.token, msg.base);
        } catch (e) {
          // Never expected: the worker answered against claims this thread does not hold.
          slot.claims = undefined;
          msg = { id: msg.id, error: String((e as Error)?.message ?? e) };
        }
      }
      // The worker has already started the job sent behind this one: its budget starts now.
      const next = slot.next;
      slot.next = undefined;
      if (next) this.run(slot, next);
      p.resolve(msg.analysis ? { analysis: msg.analysis } : msg.encoded ? { encoded: msg.encoded } : { error: msg.error ?? 'unknown error' });
      this.pump();
    });
    worker.on('error', (err) => {
      if (slot.worker !== worker) return;
      // A worker that dies (out of memory, a bug) fails its job only; a new one takes its place,
      // and the job sent behind it goes back to the front of the queue.
      const p = slot.current;
      clearTimeout(slot.timer);
      slot.current = undefined;
      this.requeueNext(slot);
      this.options.log?.(`x1051: analysis worker failed: ${err?.message ?? String(err)}`);
      this.replace(slot);
      p?.resolve({ error: String(err?.message ?? err) });
    });
    return worker;
  }

  /**
   * Puts back the claims of `analysis` the worker gave as indices into its answer numbered `base`
   * (this slot holds that answer's claims), and keeps the claims of this answer, numbered `token`,
   * for the next.
   */
  private takeClaims(slot: Slot, uri: string, analysis: DocumentAnalysis, token: number, base: number | undefined): void {
    const kept = slot.claims?.get(uri);
    if (base !== undefined) {
      if (kept?.token !== base) throw new Error(`the analysis worker answered against claims this thread does not hold (${uri})`);
      const { claims, reused } = claimsFromDelta(kept.claims, analysis.claims as Array<Claim | number>);
      analysis.claims = claims;
      this.claimsReused += reused;
    }
    keepRecent((slot.claims ??= new Map()), uri, { token, claims: analysis.claims }, this.options.scanMemos ?? 0);
  }

  /** Takes the queued job for `slot` and sends it to the slot's worker (started if stopped). */
  private send(slot: Slot): Pending {
    // A document this worker analysed last goes to it again (it kept that document's scans).
    const mine = slot.recent ? this.queue.findIndex((q) => slot.recent!.includes(q.job.uri)) : -1;
    const p = this.queue.splice(Math.max(0, mine), 1)[0];
    // A stopped worker starts first (a new worker has no scans: `recent` starts empty).
    const worker = slot.worker ?? this.start(slot);
    slot.warm = undefined;
    if (this.options.scanMemos) {
      slot.recent = [p.job.uri, ...(slot.recent ?? []).filter((u) => u !== p.job.uri)].slice(0, this.options.scanMemos);
      const interactive = new Set([...(slot.interactive ?? [])].filter((u) => u !== p.job.uri && slot.recent!.includes(u)));
      if (p.interactive) interactive.add(p.job.uri);
      slot.interactive = interactive;
    } else slot.interactive = p.interactive ? new Set([p.job.uri]) : undefined;
    clearTimeout(slot.idle);
    slot.idle = undefined;
    worker.ref();
    // The answer this thread holds the claims of, for the worker to send only what changed.
    worker.postMessage({ id: p.id, ...p.job, base: slot.claims?.get(p.job.uri)?.token });
    return p;
  }

  /** `p` is the job the slot's worker works on now: its time budget starts. */
  private run(slot: Slot, p: Pending): void {
    slot.current = p;
    slot.timer = setTimeout(() => {
      if (slot.current !== p) return;
      slot.current = undefined;
      this.overBudgetCount++;
      this.options.log?.(`x1051: ${p.job.uri} (version ${p.job.version}) ran past the analysis budget of ${this.options.budgetMs} ms; its worker was stopped`);
      // The job sent behind it never started: it goes to the new worker.
      this.requeueNext(slot);
      this.replace(slot);
      p.resolve({ overBudget: this.options.budgetMs });
    }, this.options.budgetMs);
  }

  private requeueNext(slot: Slot): void {
    if (slot.next) this.queue.unshift(slot.next);
    slot.next = undefined;
  }

  private replace(slot: Slot): void {
    if (this.closed) return;
    void slot.worker?.terminate();
    this.start(slot);
    this.pump();
  }

  private pump(): void {
    // First a job for every worker without one, then one more behind each running job.
    for (const slot of this.slots) {
      if (slot.current || this.queue.length === 0) continue;
      this.run(slot, this.send(slot));
    }
    if (!this.options.sendAhead) return this.idleTimers();
    for (const slot of this.slots) {
      if (!slot.current || slot.next || this.queue.length === 0) continue;
      slot.next = this.send(slot);
      this.sentAhead++;
    }
    this.idleTimers();
  }

  /** Idle workers are unreferenced, and stopped after their idle time. */
  private idleTimers(): void {
    for (const slot of this.slots) {
      if (slot.current || !slot.worker) continue;
      // Idle workers must not keep the process alive, and are stopped after `idleMs`.
      slot.worker.unref();
      if (this.options.idleMs !== undefined && !slot.idle) {
        const wait = slot.interactive?.size || slot.warm ? this.options.idleMs : (this.options.batchIdleMs ?? this.options.idleMs);
        slot.idle = setTimeout(() => {
          slot.idle = undefined;
          if (slot.current || !slot.worker || this.closed) return;
          const idle = slot.worker;
          slot.worker = undefined;
          // What it sent goes with it: the next worker sends every claim.
          slot.claims = undefined;
          void idle.terminate();
        }, wait);
        slot.idle.unref();
      }
    }
  }
}
