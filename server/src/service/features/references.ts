/**
 * References: every citation of a control (or of one item) across the workspace, claims in
 * headings and front matter included.
 */
import type { CancellationToken, DocumentAnalysis, Position } from '../types';
import type { LocationEntry } from './definition';
import { citationAt } from './hover';

/**
 * Citations of what is cited at `position`: on a control, every citation of the control or any
 * of its items; on an item, every citation of that item (or of its sub-items).
 * `workspace` holds the analyses of every document in scope (the current one included or not).
 */
export function references(
  analysis: DocumentAnalysis,
  workspace: Iterable<DocumentAnalysis>,
  position: Position,
  token?: CancellationToken,
): LocationEntry[] {
  const citation = citationAt(analysis, position);
  if (!citation?.control) return [];
  return referencesOf(citation.item ?? citation.control, [analysis, ...workspace], token);
}

/** Every citation of a control id or item id in the given analyses, each document once. */
export function referencesOf(id: string, analyses: Iterable<DocumentAnalysis>, token?: CancellationToken): LocationEntry[] {
  const isItem = /[[(]/.test(id);
  const seen = new Set<string>();
  const out: LocationEntry[] = [];
  for (const a of analyses) {
    if (token?.isCancellationRequested) return [];
    if (seen.has(a.uri)) continue;
    seen.add(a.uri);
    const hits = a.citations.filter((c) => (isItem ? c.item !== undefined && (c.item === id || c.item.startsWith(`${id}(`)) : c.control === id));
    // Citations come grouped by where they were found (front matter last); list them in reading order.
    hits.sort((x, y) => x.range.start.line - y.range.start.line || x.range.start.character - y.range.start.character);
    for (const c of hits) out.push({ uri: a.uri, range: c.range });
  }
  return out;
}
