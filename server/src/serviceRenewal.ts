/**
 * What a host that interrupts analyses on its own thread (`threadBudget.ts`) does around them
 * (Node side): the CLI's main thread (`cli/check.ts`) and the server's for short open documents
 * (`server/mainThreadCheck.ts`).
 *
 * - Before any budget: load what is loaded once per process on first use (the analysers'
 *   modules) and each configuration's evidence matcher, so no analysis pays for them and none can
 *   be interrupted half-way through loading them.
 * - After an interruption: the interrupted code skipped its `finally` blocks, so any cache it was
 *   writing may be half written. A new service takes the old one's finished analyses and nothing
 *   else, and the parser's chunk cache, the one cache outside the service, is emptied. A new cache
 *   kept outside the service must be emptied here too.
 */
import { preloadAnalyserModules } from './morphologyHost';
import type { PolicyDocument, PolicyService, ResolvedConfig } from './service';
import { markdownInternals } from './service/markdown';

/** Loads, outside any budget, what an analysis under `configs` would otherwise load inside it. */
export function prepareForBudget(service: PolicyService, configs: Iterable<ResolvedConfig>): void {
  // Evaluated once per process; later calls are lookups in the module cache.
  preloadAnalyserModules();
  for (const config of new Set(configs)) {
    try {
      service.matcher(config);
    } catch {
      // The analysis that needs it reports the error.
    }
  }
}

/**
 * A service made by `create` that has `old`'s finished analyses of `documents`; the parser's chunk
 * cache is emptied. A document whose analysis cannot be carried over is told to `skipped` and is
 * analysed again when next needed. The caller prepares the new service (`prepareForBudget`).
 */
export function renewedService(
  old: PolicyService,
  create: () => PolicyService,
  documents: Iterable<{ doc: PolicyDocument; config: ResolvedConfig }>,
  skipped?: (doc: PolicyDocument, error: unknown) => void,
): PolicyService {
  markdownInternals.clearCache();
  const service = create();
  for (const { doc, config } of documents) {
    try {
      if (old.isAnalyzed(doc, config)) service.adopt(doc, config, old.analyze(doc, config));
    } catch (error) {
      skipped?.(doc, error);
    }
  }
  return service;
}
