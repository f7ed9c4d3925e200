/**
 * "This paragraph addresses item X": code actions that insert an item citation — `（TEL.18.1.6 b)）`
 * in Japanese, ` (TEL.18.1.6 b))` in English — at the end of a paragraph. A citation of an item in
 * prose counts as evidence for that item in every claim of its control in the document, so this
 * is how an author settles a verdict the matcher cannot reach (their own words, a weak item's
 * near-evidence elsewhere) without adding a term.
 *
 * - On a paragraph inside a claimed section: one action per item of the claim that is not
 *   addressed (missing or weak), required items first.
 * - On a weak-evidence finding: "Cite X at its near-evidence", inserting the citation at the end of
 *   the paragraph holding the near text (possibly outside the claimed section).
 *
 * A pure insertion: the author's text is never changed.
 */
import type { CatalogIndex } from '../../../../catalog/src/query';
import { itemLabel } from '../../../../catalog/src/labels';
import type { ParsedMarkdown, ProseBlock } from '../markdown';
import { rangeContains } from '../text';
import type { DocumentAnalysis, Finding, ItemStatus, Lang, Position, Range } from '../types';
import type { CodeActionEntry } from './codeActions';
import { itemRef } from './completion';

/** Most "this paragraph addresses …" actions offered at once (the lightbulb stays readable). */
const MAX_ACTIONS = 8;

/** The citation text inserted after a paragraph, in the document's language. */
export function citationText(catalog: CatalogIndex, status: ItemStatus, lang: Lang): string {
  const ref = itemRef(catalog, status.item);
  return lang === 'ja' ? `（${ref}）` : ` (${ref})`;
}

/** The paragraph (not a heading or a table row) holding `offset`. */
function paragraphAt(parsed: ParsedMarkdown, offset: number): ProseBlock | undefined {
  return parsed.blocks.find((b) => b.kind === 'paragraph' && b.start <= offset && offset <= b.end);
}

/** Where a citation goes at the end of a paragraph: after its last non-space character. */
function endOf(parsed: ParsedMarkdown, block: ProseBlock): Position {
  let end = block.end;
  while (end > block.start && /\s/.test(parsed.text[end - 1])) end--;
  return parsed.lines.positionAt(end);
}

/** The actions (see the module comment) for `range`. */
export function citeItemActions(
  analysis: DocumentAnalysis,
  catalog: CatalogIndex,
  parse: () => ParsedMarkdown,
  range: Range,
  here: Finding[],
  lang: Lang,
): CodeActionEntry[] {
  const out: CodeActionEntry[] = [];
  const parsed = parse();
  // 1. A weak-evidence finding: cite the item where its near-evidence is.
  for (const f of here.filter((x) => x.code === 'weak-evidence' && x.item)) {
    const st = analysis.claims.flatMap((c) => c.items).find((s) => s.item.id === f.item && s.near);
    const block = st?.near ? paragraphAt(parsed, parsed.lines.offsetAt(st.near.range.start)) : undefined;
    if (!st || !block) continue;
    const at = endOf(parsed, block);
    const where = st.near!.heading !== undefined ? (lang === 'ja' ? `「${st.near!.heading}」` : ` in "${st.near!.heading}"`) : '';
    out.push({
      title: lang === 'ja' ? `${where}の段落が ${itemLabel(st.item, lang)} を記述していることを示す（引用を追加）` : `Cite ${itemLabel(st.item, lang)} at its near-evidence${where}`,
      kind: 'quickfix',
      edits: [{ range: { start: at, end: at }, newText: citationText(catalog, st, lang) }],
      fixes: [f],
      isPreferred: true,
    });
  }
  // 2. The paragraph under the cursor, inside a claimed section: its claim's open items.
  const offset = parsed.lines.offsetAt(range.start);
  const block = paragraphAt(parsed, offset);
  if (!block) return out;
  const claims = analysis.claims.filter((c) => rangeContains(c.section, range.start) && !rangeContains(c.range, range.start));
  const open = claims.flatMap((c) => c.items).filter((s) => !s.addressed && !s.notApplicable);
  const rank = { required: 0, recommended: 1, informative: 2 } as const;
  open.sort((a, b) => rank[a.item.level] - rank[b.item.level]);
  const seen = new Set(out.map((a) => a.title));
  const at = endOf(parsed, block);
  for (const st of open.slice(0, MAX_ACTIONS)) {
    const title = lang === 'ja' ? `この段落は ${itemLabel(st.item, lang)} ${st.item.subject.ja} を記述している（引用を追加）` : `This paragraph addresses ${itemLabel(st.item, lang)} ${st.item.subject.en}`;
    if (seen.has(title)) continue;
    seen.add(title);
    const fixes = analysis.findings.filter((f) => (f.code === 'missing-item' || f.code === 'weak-evidence') && f.item === st.item.id);
    out.push({ title, kind: 'quickfix', edits: [{ range: { start: at, end: at }, newText: citationText(catalog, st, lang) }], fixes });
  }
  return out;
}
