/**
 * Symbols: the claims of a document (heading → control) for the outline, and controls across
 * the workspace (catalogue search plus the claims that take responsibility for them).
 */
import type { CatalogIndex } from '../../../../catalog/src/query';
import type { CancellationToken, Claim, DocumentAnalysis, Lang, Range, ServiceOptions } from '../types';
import { controlDocumentUri, type LocationEntry } from './definition';
import { languageOf } from './hover';

/** A document symbol: one claim. `range` is the claimed section, `selectionRange` the heading. */
export interface DocumentSymbolEntry {
  name: string;
  detail: string;
  kind: 'claim';
  range: Range;
  selectionRange: Range;
}

/** A workspace symbol: a claim of a control, or a control not claimed anywhere. */
export interface WorkspaceSymbolEntry {
  name: string;
  kind: 'claim' | 'control';
  /** The document that claims it, or the control's own read-only document. */
  location: LocationEntry;
  containerName?: string;
}

/** "a/b" with n/a items left out of both numbers. */
export function claimCounts(claim: Claim): { addressed: number; total: number; notApplicable: number } {
  const notApplicable = claim.items.filter((s) => s.notApplicable).length;
  const addressed = claim.items.filter((s) => s.addressed && !s.notApplicable).length;
  return { addressed, total: claim.items.length - notApplicable, notApplicable };
}

/** The claims of a document, in document order. */
export function documentSymbols(analysis: DocumentAnalysis, catalog: CatalogIndex, options: ServiceOptions, token?: CancellationToken): DocumentSymbolEntry[] {
  if (token?.isCancellationRequested) return [];
  const lang = languageOf(analysis, options);
  return analysis.claims.map((claim) => {
    const { addressed, total } = claimCounts(claim);
    const title = catalog.control(claim.control)?.title[lang] ?? '';
    const detail = total === 0 ? '' : lang === 'ja' ? `${total} 項目中 ${addressed} 項目に対応` : `${addressed}/${total} items addressed`;
    // A front-matter claim spans the whole document; its entry line is what gets selected.
    const range = claim.how === 'heading' ? claim.section : claim.range;
    return { name: `${claim.control} ${title}`.trim(), detail, kind: 'claim', range, selectionRange: claim.range };
  });
}

/**
 * Controls matching `query`: each claim of a matching control (in any analysed document), and
 * the matching controls no document claims, located at their read-only control document.
 */
export function workspaceSymbols(
  query: string,
  catalog: CatalogIndex,
  analyses: Iterable<DocumentAnalysis>,
  lang: Lang,
  token?: CancellationToken,
  max = 200,
): WorkspaceSymbolEntry[] {
  const claimsOf = new Map<string, { uri: string; claim: Claim }[]>();
  for (const a of analyses) {
    if (token?.isCancellationRequested) return [];
    for (const claim of a.claims) claimsOf.set(claim.control, [...(claimsOf.get(claim.control) ?? []), { uri: a.uri, claim }]);
  }
  const out: WorkspaceSymbolEntry[] = [];
  const seen = new Set<string>();
  const add = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    const control = catalog.control(id);
    if (!control) return;
    const name = `${id} ${control.title[lang]}`;
    const claims = claimsOf.get(id) ?? [];
    for (const { uri, claim } of claims) out.push({ name, kind: 'claim', location: { uri, range: claim.range }, containerName: control.objective });
    if (claims.length === 0) {
      out.push({ name, kind: 'control', location: { uri: controlDocumentUri(id, lang), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }, containerName: control.objective });
    }
  };
  // Claimed controls whose id or title matches come first: they are where the author works.
  const q = query.trim().toLowerCase();
  for (const id of claimsOf.keys()) {
    const c = catalog.control(id);
    if (c && (q === '' || id.toLowerCase().includes(q) || c.title.ja.toLowerCase().includes(q) || c.title.en.toLowerCase().includes(q))) add(id);
  }
  for (const hit of catalog.search(query, undefined, max)) {
    if (hit.kind === 'control') add(hit.id);
    else if (hit.kind === 'item') add(catalog.item(hit.id)?.control ?? '');
  }
  return out.slice(0, max);
}
