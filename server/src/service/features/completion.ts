/**
 * Completion of control ids, item references and a control-section snippet.
 *
 * Contexts, decided from the text of the line before the cursor (width-folded, so ＴＥＬ．
 * counts as TEL.):
 * - right after a cited id and a space or an opening parenthesis (`TEL.18.1.6 `, `TEL.18.1.6(`):
 *   the control's items, labelled with their subjects;
 * - after `TEL` / `TEL.` (with any digits typed so far), inside `[` / `（` / `(`, and in the front
 *   matter's `controls:` key: control ids with their titles;
 * - at the start of a line (optionally after `#`s): one "X.1051 control section" snippet per
 *   control, inserting a heading with the id and title and one line per required item.
 * Documentation is left out of the list and added by `resolveCompletion`, because rendering
 * the guidance of every control up front would make each list megabytes long.
 */
import type { CatalogIndex } from '../../../../catalog/src/query';
import { bareLabel, foldWidth } from '../../../../catalog/src/normalize';
import { renderControlMarkdown, renderEditionControlMarkdown, renderItemMarkdown } from '../../../../catalog/src/render';
import { formatIdRuns } from '../../../../catalog/src/editions';
import type { Control, Item } from '../../../../catalog/src/types';
import { LineIndex } from '../text';
import type { CancellationToken, DocumentAnalysis, Lang, PolicyDocument, Position, Range, ServiceOptions } from '../types';
import { languageOf } from './hover';
import { stubText } from '../stubs';

/** One completion proposal, in the service's own terms (the server maps it to LSP). */
export interface CompletionEntry {
  label: string;
  kind: 'control' | 'item' | 'snippet';
  /** Short text shown next to the label (the title or subject). */
  detail?: string;
  /** Markdown documentation; filled in by `resolveCompletion`. */
  documentation?: string;
  filterText?: string;
  sortText?: string;
  /** What replaces which text; `newText` is a snippet when `snippet` is true. */
  textEdit: { range: Range; newText: string };
  snippet?: boolean;
  /** What `resolveCompletion` needs to add the documentation. */
  data?: CompletionData;
}

/** Data carried from a proposal to its resolution. */
export interface CompletionData {
  /** `edition-2022`: an ISO/IEC 27002:2022 control ("8.15"). */
  kind: 'control' | 'item' | 'edition-2022';
  id: string;
  lang: Lang;
}

/** The list of proposals; `isIncomplete` asks the editor to ask again as the user types. */
export interface CompletionResult {
  items: CompletionEntry[];
  isIncomplete: boolean;
}

const EMPTY: CompletionResult = { items: [], isIncomplete: false };

/** Computes the completion proposals at `position`. */
export function completion(
  analysis: DocumentAnalysis,
  catalog: CatalogIndex,
  doc: PolicyDocument,
  position: Position,
  options: ServiceOptions,
  token?: CancellationToken,
): CompletionResult {
  if (token?.isCancellationRequested) return EMPTY;
  const text = doc.getText();
  const lines = new LineIndex(text);
  if (position.line >= lines.lineCount) return EMPTY;
  const lang = languageOf(analysis, options);
  const lineText = lines.lineText(position.line);
  const at = Math.min(position.character, lineText.length);
  // foldWidth maps each code unit to one code unit, so offsets stay the author's.
  const before = foldWidth(lineText.slice(0, at));
  const range = (start: number): Range => ({ start: { line: position.line, character: start }, end: { line: position.line, character: at } });

  const items = itemContext(catalog, before);
  if (items) return { items: itemProposals(catalog, items, before, range, lang), isIncomplete: false };

  const out: CompletionEntry[] = [];
  const inFrontMatter = frontMatterLines(lines)?.contains(position.line) ?? false;
  const tel = /(?:^|[^A-Za-z0-9])(TEL\.?(?:[0-9]{1,2}(?:\.[0-9]{0,2}){0,2})?)$/i.exec(before);
  // "A." / "A.8." / "A.8.1": ISO/IEC 27001:2022 Annex A ids, unless the document is read as 2013.
  const annex = /(?:^|[^A-Za-z0-9])A\.((?:[5-8](?:\.[0-9]{0,2})?)?)$/.exec(before);
  if (annex && analysis.edition?.edition !== '2013') {
    out.push(...edition2022Proposals(catalog, range(at - annex[1].length), lang, annex[1]));
  }
  if (tel) {
    out.push(...controlProposals(catalog, range(at - tel[1].length), lang, tel[1], (c) => c.kind === 'tel'));
  } else if (inFrontMatter ? frontMatterControlsContext(lines, position.line, before) : false) {
    // Scanned backwards: the regex /[A-Za-z0-9.]*$/ retried from every character of a long run
    // that does not reach the cursor, quadratic in the line's length.
    let from = before.length;
    while (from > 0 && /[A-Za-z0-9.]/.test(before[from - 1])) from--;
    const word = before.slice(from);
    out.push(...controlProposals(catalog, range(at - word.length), lang, word, () => true));
  } else {
    const bracket = /[[(（]\s*([A-Za-z0-9.]*)$/.exec(before);
    if (bracket) out.push(...controlProposals(catalog, range(at - bracket[1].length), lang, bracket[1], () => true));
    // In a document read as 2022, bare 2022 ids in brackets too ("[8.15]").
    if (bracket && analysis.edition?.edition === '2022' && /^[5-8]?(?:\.[0-9]{0,2})?$/.test(bracket[1])) {
      out.push(...edition2022Proposals(catalog, range(at - bracket[1].length), lang, bracket[1]));
    }
  }

  const lineStart = /^(\s*)(#{1,6}\s*)?([A-Za-z0-9.]*)$/.exec(before);
  if (lineStart && !inFrontMatter && !/^\s{4,}/.test(before)) {
    out.push(...sectionSnippets(catalog, range(lineStart[1].length), lang, lineStart[2]?.trim().length || 2, lineStart[2] ?? ''));
  }
  return { items: out, isIncomplete: false };
}

/** Adds the documentation of a proposal (the rendered guidance of its control or item). */
export function resolveCompletion(entry: CompletionEntry, catalog: CatalogIndex): CompletionEntry {
  const data = entry.data;
  if (!data || entry.documentation) return entry;
  const c2022 = data.kind === 'edition-2022' ? catalog.editions.control2022(data.id) : undefined;
  const doc = c2022
    ? renderEditionControlMarkdown(catalog, c2022, data.lang, true)
    : data.kind === 'item'
      ? renderItemMarkdown(catalog, data.id, data.lang)
      : renderControlMarkdown(catalog, data.id, data.lang);
  return doc ? { ...entry, documentation: doc } : entry;
}

/** A control written just before the cursor and followed by a space or "(", with labels so far. */
interface ItemContext {
  control: Control;
  /** Offset where the id (and its labels so far) ends: proposals replace from here to the cursor. */
  idEnd: number;
  /** The item whose sub-items are wanted, when labels were already written ("TEL.13.1.4(e)("). */
  parent?: Item;
}

function itemContext(catalog: CatalogIndex, before: string): ItemContext | undefined {
  const m = /(?:^|[^A-Za-z0-9.])((TEL\.?)?([0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,2})((?:\[[1-9]\])?(?:\s?\(?[a-z0-9]{1,2}\))*))(\s+|\s*[(（])$/i.exec(before);
  if (!m) return undefined;
  const numbers = m[3];
  const control = m[2] ? catalog.control(`TEL.${numbers}`) : catalog.control(numbers) ?? catalog.control(`TEL.${numbers}`);
  if (!control || control.items.length === 0) return undefined;
  const idEnd = before.length - m[5].length;
  const suffix = m[4];
  if (!suffix) return { control, idEnd };
  const list = /^\[([1-9])\]/.exec(suffix);
  const labels = [...suffix.matchAll(/([a-z0-9]{1,2})\)/gi)].map((x) => x[1]);
  const parent = catalog.resolveItem(control.id, labels, list ? Number(list[1]) : undefined);
  if (!parent || catalog.childrenOf(parent.id).length === 0) return undefined;
  return { control, idEnd, parent };
}

function itemProposals(catalog: CatalogIndex, ctx: ItemContext, before: string, range: (start: number) => Range, lang: Lang): CompletionEntry[] {
  const typed = before.slice(ctx.idEnd);
  const paren = /[(（]$/.test(typed);
  const candidates = ctx.parent ? catalog.childrenOf(ctx.parent.id) : ctx.control.items.filter((i) => !i.parent);
  return candidates.map((item, index) => {
    const label = bareLabel(item.parent ? item.label.split(/\s+/).pop() ?? item.label : item.label);
    // A label resolves to this item without a list number when no earlier list has it.
    const plain = ctx.parent !== undefined || catalog.resolveItem(ctx.control.id, [label])?.id === item.id;
    let newText: string;
    // "[2]" must follow the id directly; "(a)" after it would make a Markdown link, so " a)".
    if (!plain) newText = `[${item.list}] ${label})`;
    else if (paren || ctx.parent) newText = `${typed.replace(/（$/, '(')}${label})`;
    else newText = `${typed}${label})`;
    const shown = plain ? `${label})` : `[${item.list}] ${label})`;
    return {
      label: shown,
      kind: 'item',
      detail: item.subject[lang],
      filterText: `${typed}${shown} ${item.subject[lang]}`,
      sortText: String(index).padStart(4, '0'),
      textEdit: { range: range(ctx.idEnd), newText },
      data: { kind: 'item', id: item.id, lang },
    };
  });
}

/** Control ids with titles; `typed` narrows the list to ids it can still become. */
function controlProposals(catalog: CatalogIndex, range: Range, lang: Lang, typed: string, keep: (c: Control) => boolean): CompletionEntry[] {
  const want = typed.replace(/^tel\.?/i, '').replace(/\s+/g, '');
  const telTyped = /^tel/i.test(typed);
  const out: CompletionEntry[] = [];
  catalog.allControls().forEach((c, index) => {
    if (!keep(c)) return;
    const bare = c.id.replace(/^TEL\./, '');
    if (want && !bare.startsWith(want)) return;
    out.push({
      label: c.id,
      kind: 'control',
      detail: c.title[lang],
      // The typed prefix ("TEL", "tel.", "18.") must match the start of the filter text.
      filterText: telTyped ? `${typed}${c.id.slice(typed.length)}` : `${c.id} ${bare}`,
      sortText: String(index).padStart(4, '0'),
      textEdit: { range, newText: c.id },
      data: { kind: 'control', id: c.id, lang },
    });
  });
  return out;
}

/**
 * ISO/IEC 27002:2022 controls whose number starts with `typed` ("8.1" → 8.1, 8.10–8.19), with the
 * title and the X.1051:2016 numbers they map from as detail ("Logging ← 12.4.1–12.4.3").
 */
function edition2022Proposals(catalog: CatalogIndex, range: Range, lang: Lang, typed: string): CompletionEntry[] {
  const out: CompletionEntry[] = [];
  catalog.editions.controls2022().forEach((c, index) => {
    if (typed && !c.id.startsWith(typed)) return;
    const from = c.from.length > 0 ? formatIdRuns(c.from) : lang === 'ja' ? '2022 年版で新設' : 'new in 2022';
    out.push({
      label: c.id,
      kind: 'control',
      detail: `${c.title[lang]} ← ${from}`,
      filterText: c.id,
      sortText: `2022-${String(index).padStart(3, '0')}`,
      textEdit: { range, newText: c.id },
      data: { kind: 'edition-2022', id: c.id, lang },
    });
  });
  return out;
}

/** One snippet per control: a heading with id and title, then a stub per required item (tab stops where the author writes). */
function sectionSnippets(catalog: CatalogIndex, range: Range, lang: Lang, level: number, hashes: string): CompletionEntry[] {
  const what = lang === 'ja' ? 'X.1051 管理策の節' : 'X.1051 control section';
  return catalog.allControls().map((c, index) => {
    const title = c.title[lang];
    const lines = [`${'#'.repeat(Math.min(6, Math.max(1, level)))} ${c.id} ${escapeSnippet(title)}`, ''];
    const wanted = sectionItems(c);
    wanted.forEach((item, i) => {
      // A stub per item, the tab stop where the author writes: accepted as is, it is an
      // unfilled-stub and never evidence (the subject alone as text would have counted).
      const tab = '\u0000';
      lines.push(escapeSnippet(stubText(itemRef(catalog, item), item, lang, tab)).replace(tab, `\${${i + 1}}`));
    });
    if (wanted.length > 0) lines.push('');
    lines.push('$0');
    return {
      label: `${what}: ${c.id} ${title}`,
      kind: 'snippet' as const,
      detail: title,
      // The editor filters on the text between the range's start and the cursor (`## TEL.18.`),
      // so the filter text starts with the heading marks and the id: typing an id narrows the
      // snippets to that id instead of every snippet matching whatever was typed.
      filterText: `${hashes}${c.id} ${title} x1051`,
      sortText: `z${String(index).padStart(4, '0')}`,
      textEdit: { range, newText: lines.join('\n') },
      snippet: true,
      data: { kind: 'control' as const, id: c.id, lang },
    };
  });
}

/** The items a section skeleton lists: the required ones, else the recommended ones. */
function sectionItems(c: Control): Item[] {
  const top = c.items.filter((i) => !i.parent);
  const required = top.filter((i) => i.level === 'required');
  return required.length > 0 ? required : top.filter((i) => i.level === 'recommended');
}

/**
 * How an author cites an item: `TEL.18.1.6 e)` when the label alone resolves to it, else with its
 * list (`TEL.18.1.6[2] c)`), so that the reference written into the document names the right item.
 */
export function itemRef(catalog: CatalogIndex, item: Item): string {
  const labels = item.label.split(/\s+/).map(bareLabel);
  const plain = catalog.resolveItem(item.control, labels)?.id === item.id;
  const written = labels.map((l) => `${l})`).join(' ');
  // "[2] a)" rather than "[2](a)": the latter is Markdown link syntax and would not read as an id.
  return plain ? `${item.control} ${written}` : `${item.control}[${item.list}] ${written}`;
}

function escapeSnippet(s: string): string {
  return s.replace(/[\\$}]/g, (c) => `\\${c}`);
}

/** The lines of the YAML front matter, when the document starts with one. */
export function frontMatterLines(lines: LineIndex): { first: number; last: number; contains(line: number): boolean } | undefined {
  if (lines.lineText(0).replace(/^\uFEFF/, '').trimEnd() !== '---') return undefined;
  for (let l = 1; l < lines.lineCount; l++) {
    const t = lines.lineText(l).trimEnd();
    if (t === '---' || t === '...') return { first: 1, last: l - 1, contains: (x) => x >= 1 && x <= l - 1 };
  }
  return undefined;
}

/** True when the cursor is in the value of the front matter's `controls:` key. */
function frontMatterControlsContext(lines: LineIndex, line: number, before: string): boolean {
  if (/^\s*controls\s*:/.test(before)) return true;
  // A block list item ("  - TEL.") counts when the nearest key above it is `controls:`.
  if (!/^\s*-\s*[A-Za-z0-9.]*$/.test(before)) return false;
  for (let l = line - 1; l >= 1; l--) {
    const t = lines.lineText(l);
    if (/^\s*-/.test(t) || t.trim() === '') continue;
    return /^\s*controls\s*:\s*$/.test(t);
  }
  return false;
}
