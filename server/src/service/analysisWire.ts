/**
 * An analysis sent between threads (a worker's answer): the catalogue items of its claims travel
 * as their ids and are linked back to the receiving thread's catalogue objects. A structured clone
 * of every item's texts and terms, for every claim, made a 10,000-line policy's analysis 3.3 MB
 * and left the receiver holding copies of the catalogue per document.
 */
import type { CatalogIndex } from '../../../catalog/src/query';
import type { DocumentAnalysis, ItemStatus } from './types';

/** `analysis` with each claim item as its id (shallow copies; the analysis itself is not changed). */
export function analysisToWire(analysis: DocumentAnalysis): DocumentAnalysis {
  return {
    ...analysis,
    claims: analysis.claims.map((c) => ({ ...c, items: c.items.map((s) => ({ ...s, item: s.item.id as unknown as ItemStatus['item'] })) })),
  };
}

/**
 * Links the claim items of an analysis received from another thread back to `catalog`'s objects,
 * in place. An id the catalogue does not have (another catalogue file) is an error.
 */
export function analysisFromWire(analysis: DocumentAnalysis, catalog: CatalogIndex): DocumentAnalysis {
  for (const claim of analysis.claims) {
    for (const status of claim.items) {
      const ref = status.item as unknown;
      if (typeof ref !== 'string') continue;
      const item = catalog.item(ref);
      if (!item) throw new Error(`the analysis names item ${ref}, which the catalogue does not have`);
      status.item = item;
    }
  }
  return analysis;
}
