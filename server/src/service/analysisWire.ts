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
export function analysisFromWire(analysis: DocumentAnalysis, catalog: CatalogIndex, strings?: StringTable): DocumentAnalysis {
  // A structured clone copies every string: each finding's code, severity and message, each
  // status word, each control id arrive as new strings. One instance of each is kept instead.
  // Claims taken from an earlier answer (claimsDelta.ts) were read when it came.
  if (strings) internStrings(analysis, strings);
  for (const claim of analysis.claims) {
    if (linked.has(claim)) continue;
    for (const status of claim.items) {
      const ref = status.item as unknown;
      if (typeof ref !== 'string') continue;
      const item = catalog.item(ref);
      if (!item) throw new Error(`the analysis names item ${ref}, which the catalogue does not have`);
      status.item = item;
    }
    linked.add(claim);
  }
  return analysis;
}

/** Claims whose items are linked to catalogue objects already (an analysis is never changed once made). */
const linked = new WeakSet<object>();

/** Strings shared by the analyses a thread receives (see `internStrings`). */
export class StringTable {
  private readonly table = new Map<string, string>();
  constructor(private readonly limit = 200_000) {}

  /** The one kept instance of `text` (short strings only: messages, codes, ids, words). */
  intern(text: string): string {
    if (text.length > 200) return text;
    const known = this.table.get(text);
    if (known !== undefined) return known;
    // Beyond the limit the table starts again: it only saves memory, never changes a value.
    if (this.table.size >= this.limit) this.table.clear();
    this.table.set(text, text);
    return text;
  }

  get size(): number {
    return this.table.size;
  }
}

/**
 * Replaces, in place, every short string in `value` (objects and arrays, recursively) by its
 * interned instance; claims already read (`linked`) are passed over.
 */
function internStrings(value: unknown, strings: StringTable): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (typeof v === 'string') value[i] = strings.intern(v);
      else if (v !== null && typeof v === 'object' && !linked.has(v)) internStrings(v, strings);
    }
    return;
  }
  const o = value as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (typeof v === 'string') o[k] = strings.intern(v);
    else if (v !== null && typeof v === 'object' && !linked.has(v)) internStrings(v, strings);
  }
}
