/**
 * Hover: the full guidance of a cited control or item, with the status of each item in the
 * current claim; the definition of a defined term (clause 3.1) or an abbreviation (clause 4)
 * written in prose.
 */
import type { CatalogIndex } from '../../../../catalog/src/query';
import { foldWidth } from '../../../../catalog/src/normalize';
import {
  renderAbbreviationMarkdown,
  renderControlMarkdown,
  renderDefinitionMarkdown,
  renderItemMarkdown,
  renderEditionControlMarkdown,
} from '../../../../catalog/src/render';
import { describeMapping } from '../../../../catalog/src/editions';
import { LineIndex, rangeContains } from '../text';
import { nearMessage } from '../rules/weakEvidence';
import type {
  CancellationToken,
  Citation,
  Claim,
  DocumentAnalysis,
  ItemStatus,
  Lang,
  PolicyDocument,
  Position,
  Range,
  ServiceOptions,
} from '../types';

/** A hover: Markdown contents and the range of the word it is about. */
export interface HoverResult {
  contents: string;
  range: Range;
}

/** The language hovers and inserted text use for a document under `options`. */
export function languageOf(analysis: DocumentAnalysis, options: ServiceOptions): Lang {
  return options.language === 'auto' ? analysis.lang : options.language;
}

/** The citation whose range contains `position`, if any. */
export function citationAt(analysis: DocumentAnalysis, position: Position): Citation | undefined {
  return analysis.citations.find((c) => rangeContains(c.range, position));
}

/**
 * The claim of `control` the position belongs to: the claim whose section contains it, else the
 * document's first claim of the control (a citation in prose elsewhere still shows that status).
 */
export function claimFor(analysis: DocumentAnalysis, control: string, position?: Position): Claim | undefined {
  const claims = analysis.claims.filter((c) => c.control === control);
  return (position && claims.find((c) => rangeContains(c.section, position))) ?? claims[0];
}

/** Computes the hover at `position`, or undefined when there is nothing to show. */
export function hover(
  analysis: DocumentAnalysis,
  catalog: CatalogIndex,
  doc: PolicyDocument,
  position: Position,
  options: ServiceOptions,
  token?: CancellationToken,
): HoverResult | undefined {
  if (token?.isCancellationRequested) return undefined;
  const lang = languageOf(analysis, options);
  const citation = citationAt(analysis, position);
  if (citation) return citationHover(analysis, catalog, citation, position, lang, doc.getText());
  return termHover(catalog, doc, position, lang);
}

function citationHover(analysis: DocumentAnalysis, catalog: CatalogIndex, citation: Citation, position: Position, lang: Lang, text?: string): HoverResult | undefined {
  if (citation.via) return editionHover(analysis, catalog, citation, position, lang);
  if (!citation.control) {
    const suggestions = catalog.didYouMean(citation.normalized, 3, 'controls');
    const head = lang === 'ja'
      ? `\`${citation.normalized}\` は X.1051 の管理策にありません。`
      : `\`${citation.normalized}\` is not a control of X.1051.`;
    const tail = suggestions.length === 0 ? '' : (lang === 'ja' ? '\n\n候補: ' : '\n\nDid you mean: ') + suggestions.map((s) => `\`${s}\``).join(', ');
    return { contents: head + tail, range: citation.range };
  }
  // The guidance first (the item's, then the control's), then a compact status of this section.
  const parts: string[] = [];
  if (citation.item) {
    const item = renderItemMarkdown(catalog, citation.item, lang);
    if (item) parts.push(item.trimEnd());
  }
  const claim = claimFor(analysis, citation.control, position);
  let status: string | undefined;
  if (claim && claim.items.length > 0) {
    const shown = citation.item ? claim.items.filter((s) => s.item.id === citation.item || s.item.parent === citation.item) : claim.items;
    if (shown.length > 0) status = statusMarkdown(shown, lang, text !== undefined ? { catalog, text, all: citation.item !== undefined } : undefined);
  }
  // An item's status belongs next to the item; a control's after the control's guidance.
  if (status && citation.item) parts.push(status);
  const control = renderControlMarkdown(catalog, citation.control, lang);
  if (control) parts.push(control.trimEnd());
  if (status && !citation.item) parts.push(status);
  if (parts.length === 0) return undefined;
  return { contents: parts.join('\n\n---\n\n'), range: citation.range };
}

/**
 * Hover on an id written in another edition's numbering (`A.8.32`, `5.42 TEL`): the 2022/2024
 * control with the X.1051:2016 controls it maps from ("8.32 Change management ← 12.1.2,
 * 14.2.2–14.2.4"), the status of each mapped control's items in this section, and then each
 * mapped control's guidance.
 */
function editionHover(analysis: DocumentAnalysis, catalog: CatalogIndex, citation: Citation, position: Position, lang: Lang): HoverResult | undefined {
  const via = citation.via!;
  const ed = catalog.editions;
  const c = via.edition === '27002:2022' ? ed.control2022(via.id) : ed.controlTel2024(via.id);
  if (!c) {
    const text = via.edition === '27011:2024'
      ? lang === 'ja'
        ? `\`${citation.raw}\`：ISO/IEC 27011:2024 の番号としては不明です（公開情報で番号が確認できるのは ${ed.tel2024().map((t) => t.id).join('、')} のみ。2024 number not known）。`
        : `\`${citation.raw}\`: 2024 number not known — only ${ed.tel2024().map((t) => t.id).join(', ')} is known from a public source.`
      : lang === 'ja'
        ? `\`${citation.raw}\` は ISO/IEC 27002:2022 にも 2013 にもありません。`
        : `\`${citation.raw}\` is in neither ISO/IEC 27002:2022 nor 2013.`;
    return { contents: text, range: citation.range };
  }
  const parts: string[] = [`**${describeMapping(c, lang)}**`];
  for (const f of c.from) {
    const claim = claimFor(analysis, f, position);
    if (claim && claim.items.length > 0) parts.push(`${f} — ${statusMarkdown(claim.items, lang)}`);
  }
  parts.push(renderEditionControlMarkdown(catalog, c, lang).trimEnd());
  return { contents: parts.join('\n\n---\n\n'), range: citation.range };
}

/**
 * The status of a section's items, compact: a count, the addressed items in one line, one line
 * per missing required item, the missing recommended and informative items in one line, and one
 * line per item not applicable with its reason.
 */
export function statusMarkdown(items: ItemStatus[], lang: Lang, explain?: ExplainContext): string {
  const addressed = items.filter((s) => s.addressed && !s.notApplicable);
  const na = items.filter((s) => s.notApplicable);
  const weak = items.filter((s) => s.status === 'weak' && !s.notApplicable);
  const missing = items.filter((s) => !s.addressed && !s.notApplicable && s.status !== 'weak');
  const total = items.length - na.length;
  const title = lang === 'ja'
    ? `**この節の対応状況**：${total} 項目中 ${addressed.length} 項目に対応${na.length ? `（対象外 ${na.length}）` : ''}`
    : `**Status in this section**: ${addressed.length}/${total} items addressed${na.length ? ` (${na.length} n/a)` : ''}`;
  const sep = lang === 'ja' ? '、' : ', ';
  const short = (s: ItemStatus) => `${listName(s, lang)}**${escapeInline(s.item.label)}**`;
  const lines: string[] = [];
  if (addressed.length > 0) lines.push(`- ✓ ${addressed.map(short).join(sep)}`);
  // Weak and missing required items explain their verdict: what was looked for, what was found.
  for (const s of weak) {
    lines.push(`- ≈ ${short(s)} ${escapeInline(s.item.subject[lang])}${explain ? ` — ${escapeInline(nearMessage(s, lang, quoteOf(explain.text, s)))}` : ''}`);
    if (explain) lines.push(lookedFor(s, lang, explain));
  }
  for (const s of missing.filter((m) => m.item.level === 'required' || explain?.all)) {
    lines.push(`- ✗ ${short(s)} ${escapeInline(s.item.subject[lang])}`);
    if (explain) {
      const nearest = s.near?.reason === 'nearest'
        ? lang === 'ja'
          ? `  - 近い記述：「${escapeInline(quoteOf(explain.text, s))}」（「${escapeInline(s.near.term)}」の一部の語だけ）`
          : `  - nearest text: "${escapeInline(quoteOf(explain.text, s))}" (only some words of "${escapeInline(s.near.term)}")`
        : lang === 'ja' ? '  - 近い記述：この節には見つかりません' : '  - nearest text: nothing close in this section';
      lines.push(lookedFor(s, lang, explain), nearest);
    }
  }
  const optional = missing.filter((m) => m.item.level !== 'required' && !explain?.all);
  if (optional.length > 0) {
    const head = lang === 'ja' ? `推奨・参考 ${optional.length} 件：` : `${optional.length} recommended or informative: `;
    lines.push(`- ✗ ${head}${optional.map(short).join(sep)}`);
  }
  for (const s of na) lines.push(`- n/a ${short(s)} ${escapeInline(s.item.subject[lang])}${s.notApplicable?.reason ? ` — ${escapeInline(s.notApplicable.reason)}` : ''}`);
  return [title, '', ...lines].join('\n');
}

/** What the hover needs to explain verdicts: the catalogue (for the thesaurus) and the document. */
export interface ExplainContext {
  catalog: CatalogIndex;
  text: string;
  /** Explain every missing item, not only the required ones (hover on one item). */
  all?: boolean;
}

/** The near text of a weak item, from the document, on one line and short. */
function quoteOf(text: string, s: ItemStatus): string {
  if (!s.near) return '';
  const lines = new LineIndex(text);
  const q = text.slice(lines.offsetAt(s.near.range.start), lines.offsetAt(s.near.range.end)).replace(/\s+/g, ' ').trim();
  return q.length > 60 ? `${q.slice(0, 57)}…` : q;
}

/**
 * "looked for: …": the item's evidence terms in the document's language, concept references
 * spelled out with their variants in that language (the thesaurus), at most eight terms.
 */
function lookedFor(s: ItemStatus, lang: Lang, explain: ExplainContext): string {
  const concepts = explain.catalog.catalog.thesaurus?.concepts ?? [];
  const terms = s.item.terms[lang].length > 0 ? s.item.terms[lang] : s.item.terms[lang === 'ja' ? 'en' : 'ja'];
  const shown = terms.slice(0, 8).map((t) =>
    t.replace(/\{([a-z][a-z0-9-]*)\}/g, (_, id: string) => {
      const c = concepts.find((x) => x.id === id);
      return c ? `{${id}: ${c[lang].slice(0, 5).join(lang === 'ja' ? '・' : ' / ')}${c[lang].length > 5 ? '…' : ''}}` : `{${id}}`;
    }),
  );
  const more = terms.length > 8 ? (lang === 'ja' ? ` ほか ${terms.length - 8} 件` : ` and ${terms.length - 8} more`) : '';
  const ctx = s.item.context?.[lang] ?? [];
  const context = ctx.length > 0 ? (lang === 'ja' ? `（文脈語：${ctx.slice(0, 5).join('・')}）` : ` (context: ${ctx.slice(0, 5).join(', ')})`) : '';
  return `  - ${lang === 'ja' ? '探した語' : 'looked for'}: ${escapeInline(shown.join(lang === 'ja' ? '、' : '; ') + more + context)}`;
}

/** The list in words before the label, for later lists of a control with several, as in item labels. */
function listName(s: ItemStatus, lang: Lang): string {
  if (!s.item.listName || s.item.list === 1) return '';
  return `${escapeInline(s.item.listName[lang])} `;
}

function escapeInline(s: string): string {
  return s.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
}

/** A term of the catalogue that can be hovered in prose. */
interface HoverTerm {
  /** Text to look for, width-folded (and lower-cased when `caseless`). */
  text: string;
  caseless: boolean;
  /** Whether a match must not be glued to Latin letters or digits on either side. */
  wordBounded: boolean;
  render: (lang: Lang) => string | undefined;
}

const termCache = new WeakMap<CatalogIndex, HoverTerm[]>();

/** Defined terms (ja and en) and abbreviations, longest first so the longest match wins. */
function hoverTerms(catalog: CatalogIndex): HoverTerm[] {
  let terms = termCache.get(catalog);
  if (terms) return terms;
  terms = [];
  for (const d of catalog.catalog.definitions) {
    const render = (lang: Lang) => renderDefinitionMarkdown(catalog, d.id, lang);
    // A term printed with a gloss ("電気通信サービス加入者（顧客）") is also found without it.
    for (const ja of spellings(d.term.ja)) terms.push({ text: ja, caseless: false, wordBounded: false, render });
    for (const en of spellings(d.term.en)) terms.push({ text: en.toLowerCase(), caseless: true, wordBounded: true, render });
  }
  for (const a of catalog.catalog.abbreviations) {
    // Abbreviations are case-sensitive ("DoS" is not "dos") and must stand as a word.
    if (a.abbr.trim()) terms.push({ text: foldWidth(a.abbr.trim()), caseless: false, wordBounded: true, render: (lang) => renderAbbreviationMarkdown(catalog, a.abbr, lang) });
  }
  terms.sort((x, y) => y.text.length - x.text.length);
  termCache.set(catalog, terms);
  return terms;
}

/** The width-folded term, and the term without a parenthesised gloss when it has one. */
function spellings(term: string): string[] {
  const full = foldWidth(term.trim());
  if (!full) return [];
  const bare = full.replace(/\s*\([^)]*\)\s*$/u, '').trim();
  return bare && bare !== full ? [full, bare] : [full];
}

const isWordChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9]/.test(c);

/** The defined term or abbreviation under the cursor on its line, longest match first. */
function termHover(catalog: CatalogIndex, doc: PolicyDocument, position: Position, lang: Lang): HoverResult | undefined {
  const lines = new LineIndex(doc.getText());
  if (position.line >= lines.lineCount) return undefined;
  // foldWidth maps each code unit to one code unit, so offsets in the folded line are the author's.
  const line = foldWidth(lines.lineText(position.line));
  const lower = line.toLowerCase();
  const at = position.character;
  for (const t of hoverTerms(catalog)) {
    const hay = t.caseless ? lower : line;
    // Only occurrences that can contain the cursor are looked at.
    let from = Math.max(0, at - t.text.length);
    for (;;) {
      const i = hay.indexOf(t.text, from);
      if (i < 0 || i > at) break;
      const end = i + t.text.length;
      const bounded = !t.wordBounded || (!isWordChar(line[i - 1]) && !isWordChar(line[end]));
      if (at >= i && at <= end && bounded) {
        const contents = t.render(lang);
        if (contents) {
          return { contents: contents.trimEnd(), range: { start: { line: position.line, character: i }, end: { line: position.line, character: end } } };
        }
      }
      from = i + 1;
    }
  }
  return undefined;
}
