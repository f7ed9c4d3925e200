/**
 * Code actions on a citation: rewrite it in the other numbering (`12.4.1` → `A.8.15`,
 * `A.8.15` → `A.12.4.1, A.12.4.2, A.12.4.3`) or add the other number beside it
 * (`(12.4.1 / 2022: 8.15)`). Built on `migrationEntries`, so the claims a citation makes are kept:
 * a 2022 control claims the 2013 controls it maps from, and a 2013 rewrite cites all of them.
 */
import type { CatalogIndex } from '../../../../catalog/src/query';
import { migrationEntries } from '../migrate';
import type { DocumentAnalysis, Finding, Lang, PolicyDocument, Range } from '../types';
import type { CodeActionEntry } from './codeActions';

const overlaps = (a: Range, b: Range): boolean =>
  !(a.end.line < b.start.line || (a.end.line === b.start.line && a.end.character < b.start.character) ||
    b.end.line < a.start.line || (b.end.line === a.start.line && b.end.character < a.start.character));

/** The rewrite and add-beside actions for the citations touching `range`. */
export function editionActions(analysis: DocumentAnalysis, catalog: CatalogIndex, doc: PolicyDocument, range: Range, lang: Lang): CodeActionEntry[] {
  const text = doc.getText();
  const out: CodeActionEntry[] = [];
  for (const to of ['2022', '2013'] as const) {
    for (const e of migrationEntries(analysis, catalog, text, to)) {
      if (!overlaps(e.range, range)) continue;
      const target = to === '2022' ? (e.edition === '2013' && e.written.toUpperCase().includes('TEL') ? 'ISO/IEC 27011:2024' : 'ISO/IEC 27002:2022') : 'X.1051:2016';
      if (e.rewrite !== undefined) {
        out.push({
          title: lang === 'ja' ? `${target} の番号に書き換え: ${e.rewrite}` : `Rewrite in ${target} numbering: ${e.rewrite}`,
          kind: 'refactor',
          edits: [{ range: e.range, newText: e.rewrite }],
          fixes: [],
        });
      }
      if (e.beside !== undefined) {
        out.push({
          title: lang === 'ja' ? `${target} の番号を併記: ${e.beside}` : `Add the ${target} number beside: ${e.beside}`,
          kind: 'refactor',
          edits: [{ range: e.range, newText: e.beside }],
          fixes: [],
        });
      }
    }
  }
  return out;
}

/**
 * Quick fixes of an `ambiguous-edition` finding: read the document as 2022 (or 2013) by inserting
 * `edition:` into its front matter, or a front matter holding only that when it has none. A pure
 * insertion: nothing the author wrote is changed.
 */
export function editionQuickFixes(finding: Finding, doc: PolicyDocument, lang: Lang): CodeActionEntry[] {
  if (finding.code !== 'ambiguous-edition') return [];
  const text = doc.getText();
  const fm = /^---[ \t]*\r?\n/.exec(text);
  const hasFrontMatter = fm !== null && /\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.test(text.slice(fm[0].length - 1));
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return (['2022', '2013'] as const).map((edition) => {
    const edit = hasFrontMatter
      ? { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: `edition: ${edition}${eol}` }
      : { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `---${eol}edition: ${edition}${eol}---${eol}${eol}` };
    return {
      title: lang === 'ja'
        ? `この文書を ISO/IEC 27002:${edition} の番号で読む（フロントマターに edition: ${edition}）`
        : `Read this document in ISO/IEC 27002:${edition} numbering (edition: ${edition} in the front matter)`,
      kind: 'quickfix' as const,
      edits: [edit],
      fixes: [finding],
      isPreferred: edition === '2022',
    };
  });
}
