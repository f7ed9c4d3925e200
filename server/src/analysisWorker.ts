/**
 * Entry of an analysis worker thread (bundled as `dist/analysisWorker.js`): the pure policy
 * service, unchanged, analysing one document per message for `AnalysisPool`.
 *
 * In: `{ id, uri, version, text, encoding?, config, base? }`. Out: `{ id, analysis, token? }` or
 * `{ id, error }`.
 *
 * The server's workers (those keeping scans) number each analysis they send (`token`) and keep its
 * claims for the next version of the same document. When the pool says it holds the claims of
 * that answer (`base`), an unchanged claim goes as its index there (`claimsDelta.ts`): after an
 * edit of one line of a 10,000-line policy, the few claims it changed (often none of 721) instead
 * of 0.74 MB of claims to copy.
 */
// First: the V8 settings must be made before any other module's code runs (see v8Tuning.ts).
import './v8Tuning';
import * as v8 from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { loadCatalog } from '../../catalog/src/load';
import { analysisToWire, createPolicyService, type PolicyDocument, type ResolvedConfig } from './service';
import type { AnalysisJob } from './analysisPool';
import { createAnalyser, defaultDictionaryPath, matcherSnapshotReader, morphologyFromEnv } from './morphologyHost';
import { warmUpDocument, WARM_UP_URI } from './warmUp';
import { claimsDelta, type SentClaims } from './claimsDelta';
import { keepRecent } from './service/recent';

const data = workerData as { catalogPath?: string; scanMemos?: number; encoded?: boolean } | undefined;
const catalog = loadCatalog(data?.catalogPath);
// Each message is one document: nothing else is in this worker's workspace.
// The same morphology as the main thread (its dictionaries load in this worker on first use), so a
// document gets the same verdicts whichever thread analyses it.
const dicPath = defaultDictionaryPath(__dirname);
const analyser = createAnalyser({ dicPath, parts: morphologyFromEnv(process.env) });
// The server's workers keep the scans of the documents being edited (`scanMemos`); the CLI's not.
// The CLI's workers (no scan memos) keep no parse or model either: nothing asks for them again.
const scanMemos = data?.scanMemos ?? 0;
const service = createPolicyService({ catalog, workspace: { documents: () => [] }, keepModels: scanMemos > 0 ? 4 : 0, analyser, scanMemos, matcherSnapshot: matcherSnapshotReader(dicPath) });
// The claims of the last answer per document (as many documents as the scans are kept for).
const sent = new Map<string, SentClaims>();
let lastToken = 0;

parentPort?.on('message', (job: (AnalysisJob & { id: number; base?: number }) | { warmUp: true; config: unknown }) => {
  if ('warmUp' in job) {
    // Asked by the pool when a document is opened: the first edit then finds this thread ready.
    try {
      service.analyze(warmUpDocument(), job.config as ResolvedConfig);
      service.dropAnalysis(WARM_UP_URI);
    } catch {
      // A warm-up that fails changes nothing: the next job reports its own error.
    }
    return;
  }
  try {
    const doc: PolicyDocument = { uri: job.uri, version: job.version, getText: () => job.text, encoding: job.encoding };
    const analysis = service.analyze(doc, job.config as ResolvedConfig);
    // Claim items go as their ids; the receiver's service links them to its catalogue (adopt).
    // Encoded, the analysis is one byte array, moved to the receiver rather than copied.
    if (data?.encoded) {
      const encoded = v8.serialize(analysisToWire(analysis));
      // Moved when the bytes own their memory (they do: not a slice of Node's shared buffer pool).
      const owned = encoded.byteOffset === 0 && encoded.byteLength === encoded.buffer.byteLength;
      parentPort!.postMessage({ id: job.id, encoded }, owned ? [encoded.buffer] : []);
    } else if (scanMemos > 0) {
      const wire = analysisToWire(analysis);
      const kept = sent.get(job.uri);
      const base = kept !== undefined && kept.token === job.base ? kept : undefined;
      const token = ++lastToken;
      keepRecent(sent, job.uri, { token, claims: wire.claims }, scanMemos);
      const claims = base ? claimsDelta(base.claims, wire.claims) : wire.claims;
      parentPort!.postMessage({ id: job.id, analysis: { ...wire, claims }, token, base: base?.token });
    } else parentPort!.postMessage({ id: job.id, analysis: analysisToWire(analysis) });
    // The receiving thread keeps the analysis; this one keeps only what the next version reuses.
    service.dropAnalysis(job.uri);
  } catch (e) {
    parentPort!.postMessage({ id: job.id, error: String((e as Error)?.message ?? e) });
  }
});
