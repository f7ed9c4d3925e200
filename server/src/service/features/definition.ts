/**
 * Go to definition of a cited control or item: a read-only virtual document with the control's
 * full guidance, `x1051-control:/TEL.18.1.6.md?lang=ja`. The client supplies the document's
 * content by asking the server (`x1051/controlDocument`), which renders it with the same renderer
 * as the hovers; for an item the location points at the item's line in that document.
 */
import type { CatalogIndex } from '../../../../catalog/src/query';
import { renderControlMarkdown } from '../../../../catalog/src/render';
import type { CancellationToken, DocumentAnalysis, Lang, Position, Range, ServiceOptions } from '../types';
import { citationAt, languageOf } from './hover';

/** URI scheme of the read-only control documents. */
export const CONTROL_SCHEME = 'x1051-control';

/** A place in a document (LSP `Location`). */
export interface LocationEntry {
  uri: string;
  range: Range;
}

/** The URI of the control document of `id` in `lang`. */
export function controlDocumentUri(id: string, lang: Lang): string {
  return `${CONTROL_SCHEME}:/${encodeURIComponent(id).replace(/%2E/gi, '.')}.md?lang=${lang}`;
}

/** Parses a control document URI back into its control id and language. */
export function parseControlDocumentUri(uri: string): { id: string; lang: Lang } | undefined {
  const m = /^x1051-control:\/*([^?#]+)\.md(?:\?([^#]*))?/.exec(uri);
  if (!m) return undefined;
  // Editors may percent-encode the query (VS Code writes `lang%3Den`).
  const lang = /(?:^|&)lang=en(?:&|$)/.test(safeDecode(m[2] ?? '')) ? 'en' : 'ja';
  return { id: safeDecode(m[1]), lang };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The Markdown of a control document (the answer of `x1051/controlDocument`). */
export function controlDocument(catalog: CatalogIndex, id: string, lang: Lang): string | undefined {
  return renderControlMarkdown(catalog, id, lang);
}

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The definition location of the id at `position`, or none. */
export function definition(
  analysis: DocumentAnalysis,
  catalog: CatalogIndex,
  position: Position,
  options: ServiceOptions,
  token?: CancellationToken,
): LocationEntry[] {
  if (token?.isCancellationRequested) return [];
  const citation = citationAt(analysis, position);
  if (!citation?.control) return [];
  const lang = languageOf(analysis, options);
  const uri = controlDocumentUri(citation.control, lang);
  let range = ZERO;
  if (citation.item) {
    // The renderer ends each item's line with its id in backticks; point at that line.
    const lines = (controlDocument(catalog, citation.control, lang) ?? '').split('\n');
    const line = lines.findIndex((l) => l.includes(`\`${citation.item}\``));
    if (line >= 0) range = { start: { line, character: 0 }, end: { line, character: lines[line].length } };
  }
  return [{ uri, range }];
}
