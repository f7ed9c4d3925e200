/**
 * Code actions: quick fixes for findings and a few authoring helpers.
 *
 * - per missing item: insert a stub at the end of the claimed section;
 * - per claim with several missing items: insert all of them in one edit;
 * - per unknown id: replace the id by a did-you-mean candidate (the only action that replaces
 *   text, because the author asks for exactly that replacement);
 * - on a claiming heading: insert the control statement as a blockquote under the heading;
 * - on a citation: rewrite it in the other numbering (2013 ↔ 2022), or add the other number beside
 *   it (`editionActions.ts`; the claims it makes are kept);
 * - per weak-wording finding with a mandatory form: replace the phrase (wordingFixes.ts);
 * - `source.fixAll.x1051`: every missing-item stub of the document.
 *
 * Every other edit is a pure insertion: a fix never deletes or rewrites what the author wrote.
 *
 * A stub names the item and carries what to write in a marker comment naming the item, e.g.
 * `- **TEL.18.1.6 e) 通信の日時**：<!-- x1051-stub TEL.18.1.6(e): 記述してください — 通信の日時情報 -->`.
 * A stub is a placeholder, never evidence (stubs.ts): inserting it leaves the item's missing-item
 * finding in place and adds an `unfilled-stub` finding on the stub, until the author writes the
 * text after the label. The item reference in the label is a citation: hover and go-to-definition
 * on it open the item's guidance. An item that already has a stub in the document gets no second
 * one (fix-all twice changes nothing).
 *
 * Stubs go at the end of the claimed section's own text, but never inside a construct left open
 * there (an unclosed code fence, HTML comment or `<pre>`), where they would be invisible: before it.
 */
import type { CatalogIndex } from '../../../../catalog/src/query';
import { findIdCandidates } from '../../../../catalog/src/normalize';
import type { Item } from '../../../../catalog/src/types';
import { findStubs, stubText } from '../stubs';
import { parseMarkdown, type ParsedMarkdown } from '../markdown';
import { isBefore, LineIndex } from '../text';
import type {
  CancellationToken,
  Claim,
  DocumentAnalysis,
  Finding,
  Lang,
  PolicyDocument,
  Position,
  Range,
  ServiceOptions,
} from '../types';
import { itemRef } from './completion';
import { itemLabel } from '../../../../catalog/src/labels';
import { languageOf } from './hover';
import { editionActions, editionQuickFixes } from './editionActions';
import { weakWordingFixes } from './wordingFixes';
import { suspiciousIdFixes } from './idFixes';
import { citeItemActions } from './citeItem';

/** Kind of the fix-all source action (a sub-kind of LSP's `source.fixAll`). */
export const FIX_ALL_KIND = 'source.fixAll.x1051';

/** A text edit of the document the action was asked for. */
export interface TextEditEntry {
  range: Range;
  newText: string;
}

/** One code action, in the service's own terms (the server maps it to LSP). */
export interface CodeActionEntry {
  title: string;
  kind: 'quickfix' | 'refactor' | typeof FIX_ALL_KIND;
  edits: TextEditEntry[];
  /** Findings this action resolves (matched to the client's diagnostics by the server). */
  fixes: Finding[];
  isPreferred?: boolean;
}

/** What the editor tells about the request: the kinds it wants, if it said. */
export interface CodeActionContext {
  /** LSP `only`: kinds (or parent kinds) wanted; undefined means any. */
  only?: string[];
}

/** Computes the code actions for `range`. */
export function codeActions(
  analysis: DocumentAnalysis,
  catalog: CatalogIndex,
  doc: PolicyDocument,
  range: Range,
  context: CodeActionContext,
  options: ServiceOptions,
  parsedDoc?: ParsedMarkdown,
  token?: CancellationToken,
): CodeActionEntry[] {
  if (token?.isCancellationRequested) return [];
  const lang = languageOf(analysis, options);
  const wants = (kind: string): boolean =>
    !context.only || context.only.some((o) => kind === o || kind.startsWith(`${o}.`));
  // The structure is needed only by some actions; the caller's cached parse is used when given.
  let parsed = parsedDoc;
  const parse = (): ParsedMarkdown => (parsed ??= parseMarkdown(doc.getText()));
  const out: CodeActionEntry[] = [];
  const here = analysis.findings.filter((f) => overlaps(f.range, range));
  // Items that already have a stub get no second one.
  let stubbed: Set<string> | undefined;
  const unstubbed = (items: Item[]): Item[] => {
    stubbed ??= new Set(findStubs(parse()).map((s) => s.item));
    return items.filter((i) => !stubbed!.has(i.id));
  };

  if (wants('quickfix')) {
    const missing = here.filter((f) => f.code === 'missing-item' && findingItems(f).length > 0);
    const byClaim = new Map<Claim, Finding[]>();
    for (const f of missing) {
      const claim = claimOfFinding(analysis, f);
      const items = unstubbed(findingItems(f).map((id) => catalog.item(id)).filter((i): i is Item => i !== undefined));
      if (!claim || items.length === 0) continue;
      const item = items[0];
      out.push({
        title:
          items.length > 1
            ? lang === 'ja'
              ? `${claim.control} の未記述の推奨・参考項目 ${items.length} 件の記述欄を挿入`
              : `Insert stubs for the ${items.length} missing recommended and informative items of ${claim.control}`
            : lang === 'ja'
              ? `${itemLabel(item, lang)} ${item.subject.ja} の記述欄を挿入`
              : `Insert a stub for ${itemLabel(item, lang)} ${item.subject.en}`,
        kind: 'quickfix',
        edits: [insertStubs(parse(), claim, items, lang, catalog)],
        fixes: [f],
        isPreferred: items.length === 1,
      });
      byClaim.set(claim, [...(byClaim.get(claim) ?? []), f]);
    }
    for (const [claim] of byClaim) {
      // "All missing items" covers every missing item of the claim, not only those in range.
      const all = analysis.findings.filter((f) => f.code === 'missing-item' && findingItems(f).length > 0 && claimOfFinding(analysis, f) === claim);
      const items = unstubbed(all.flatMap(findingItems).map((id) => catalog.item(id)).filter((i): i is Item => i !== undefined));
      if (all.length < 2 || items.length < 2) continue;
      out.push({
        title: lang === 'ja' ? `${claim.control} の未記述の ${items.length} 項目をすべて挿入` : `Insert all ${items.length} missing items of ${claim.control}`,
        kind: 'quickfix',
        edits: [insertStubs(parse(), claim, items, lang, catalog)],
        fixes: all,
      });
    }
    for (const f of here.filter((x) => x.code === 'unknown-control')) out.push(...didYouMean(f, catalog, doc, lang));
    for (const f of here.filter((x) => x.code === 'ambiguous-edition')) out.push(...editionQuickFixes(f, doc, lang));
    out.push(...weakWordingFixes(here, doc, lang));
    out.push(...suspiciousIdFixes(here, doc, lang));
    out.push(...citeItemActions(analysis, catalog, parse, range, here, lang));
  }

  if (wants('refactor')) {
    const insert = controlTextAction(analysis, catalog, parse, range.start, lang);
    if (insert) out.push(insert);
    out.push(...editionActions(analysis, catalog, doc, range, lang));
  }

  if (wants(FIX_ALL_KIND)) {
    const fixAll = fixAllAction(analysis, catalog, parse, lang);
    if (fixAll) out.push(fixAll);
  }
  return out;
}

/** The `source.fixAll.x1051` action: every missing-item stub of the document, or undefined. */
export function fixAllAction(analysis: DocumentAnalysis, catalog: CatalogIndex, parse: () => ParsedMarkdown, lang: Lang): CodeActionEntry | undefined {
  const byClaim = new Map<Claim, Item[]>();
  const fixes: Finding[] = [];
  let count = 0;
  let stubbed: Set<string> | undefined;
  for (const f of analysis.findings) {
    if (f.code !== 'missing-item') continue;
    const claim = claimOfFinding(analysis, f);
    stubbed ??= new Set(findStubs(parse()).map((s) => s.item));
    const items = findingItems(f).map((id) => catalog.item(id)).filter((i): i is Item => i !== undefined && !stubbed!.has(i.id));
    if (!claim || items.length === 0) continue;
    byClaim.set(claim, [...(byClaim.get(claim) ?? []), ...items]);
    fixes.push(f);
    count += items.length;
  }
  if (fixes.length === 0) return undefined;
  const edits = [...byClaim].map(([claim, items]) => insertStubs(parse(), claim, items, lang, catalog));
  return {
    title: lang === 'ja' ? `未記述の項目 ${count} 件の記述欄をすべて挿入` : `Insert stubs for all ${count} missing items`,
    kind: FIX_ALL_KIND,
    edits: mergeSamePoint(edits),
    fixes,
  };
}

/**
 * The items a missing-item finding is about: its `item`, or for the one finding that folds a
 * claim's missing recommended and informative items, every id of its `data.items`.
 */
export function findingItems(f: Finding): string[] {
  if (f.item) return [f.item];
  const items = f.data?.items;
  return Array.isArray(items) ? items.filter((x): x is string => typeof x === 'string') : [];
}

/** The claim a missing-item finding was reported on (the rule reports on the claim's range). */
function claimOfFinding(analysis: DocumentAnalysis, f: Finding): Claim | undefined {
  const first = findingItems(f)[0];
  const candidates = analysis.claims.filter((c) => c.control === f.control && c.items.some((s) => s.item.id === first));
  return candidates.find((c) => sameRange(c.range, f.range)) ?? candidates[0];
}

/** One insertion holding a stub line per item, at the end of the claim's own text. */
function insertStubs(parsed: ParsedMarkdown, claim: Claim, items: Item[], lang: Lang, catalog: CatalogIndex): TextEditEntry {
  const { position, afterListItem, beforeConstruct } = insertionPoint(parsed, claim);
  const eol = /\r\n/.test(parsed.text) ? '\r\n' : '\n';
  const stubs = items.map((i) => stubLine(i, lang, catalog));
  // A blank line keeps the stubs out of a preceding paragraph; after a list item they extend it.
  const lead = afterListItem ? eol : eol + eol;
  // Before an open construct, a blank line keeps it apart from the stubs.
  const tail = beforeConstruct ? eol : '';
  return { range: { start: position, end: position }, newText: lead + stubs.join(eol) + tail };
}

/**
 * Where stubs go: after the last non-blank line of the claim's own text, i.e. before the next
 * heading of any level (a subsection starts a new topic) and within the claimed section. For a
 * front-matter claim the whole document is the section, so its last line.
 */
function insertionPoint(parsed: ParsedMarkdown, claim: Claim): { position: Position; afterListItem: boolean; beforeConstruct: boolean } {
  const lines = parsed.lines;
  let firstLine: number;
  let endOffset: number;
  const sectionEnd = lines.offsetAt(claim.section.end);
  if (claim.how === 'heading') {
    const start = lines.offsetAt(claim.range.start);
    const heading = parsed.headings.find((h) => h.start <= start && start < Math.max(h.end, h.start + 1));
    const headingEnd = heading ? heading.end : lines.lineEnd(claim.range.end.line);
    const next = parsed.headings.find((h) => h.start >= headingEnd);
    endOffset = Math.min(sectionEnd, next ? next.start : parsed.text.length);
    firstLine = lines.positionAt(headingEnd).line;
  } else {
    endOffset = parsed.text.length;
    firstLine = parsed.frontMatter ? lines.positionAt(parsed.frontMatter.end).line : 0;
  }
  let line = lines.positionAt(endOffset).line;
  // The next heading starts at its line's beginning: the text before it ends on the line above.
  if (lines.lineStart(line) === endOffset && line > firstLine) line--;
  while (line > firstLine && lines.lineText(line).trim() === '') line--;
  // A construct still open at the end (it runs to the end of the document) would hide the stubs:
  // they go before it.
  const open = openConstructAt(lines, firstLine, line);
  let beforeConstruct = false;
  if (open !== undefined) {
    line = Math.max(firstLine, open - 1);
    while (line > firstLine && lines.lineText(line).trim() === '') line--;
    // No blank line between the text and the construct: the stubs bring one.
    beforeConstruct = open === line + 1;
  }
  const text = lines.lineText(line);
  return {
    position: { line, character: text.length },
    afterListItem: line > firstLine && /^\s{0,3}[-*+]\s/.test(text) && !isFenceOrTable(lines, line),
    beforeConstruct,
  };
}

/**
 * The line that opens a code fence, an HTML comment or a `<pre>` (also `<script>`, `<style>`,
 * `<textarea>`: CommonMark's HTML blocks that run to their end tag) in lines `from..to` and is
 * not closed by line `to`; undefined when every construct there is closed.
 */
export function openConstructAt(lines: LineIndex, from: number, to: number): number | undefined {
  let state: { kind: 'fence'; marker: string } | { kind: 'comment' } | { kind: 'html'; tag: string } | undefined;
  let opened = -1;
  for (let l = from; l <= to; l++) {
    const t = lines.lineText(l);
    if (state?.kind === 'fence') {
      const close = /^\s*(`{3,}|~{3,})\s*$/.exec(t);
      if (close && close[1][0] === state.marker[0] && close[1].length >= state.marker.length) state = undefined;
      continue;
    }
    if (state?.kind === 'comment') {
      if (t.includes('-->')) state = undefined;
      continue;
    }
    if (state?.kind === 'html') {
      if (new RegExp(`</${state.tag}\\s*>`, 'i').test(t)) state = undefined;
      continue;
    }
    const fence = /^\s*(?:[-*+]\s+|\d{1,9}[.)]\s+|>\s*)*(`{3,}|~{3,})(.*)$/.exec(t);
    if (fence && !(fence[1][0] === '`' && fence[2].includes('`'))) {
      state = { kind: 'fence', marker: fence[1] };
      opened = l;
      continue;
    }
    const comment = /^\s*(?:[-*+]\s+|\d{1,9}[.)]\s+|>\s*)*<!--/.exec(t);
    if (comment && !t.slice(comment[0].length).includes('-->')) {
      state = { kind: 'comment' };
      opened = l;
      continue;
    }
    const html = /^\s*(?:[-*+]\s+|\d{1,9}[.)]\s+|>\s*)*<(pre|script|style|textarea)(?=[\s>]|$)/i.exec(t);
    if (html && !new RegExp(`</${html[1]}\\s*>`, 'i').test(t)) {
      state = { kind: 'html', tag: html[1].toLowerCase() };
      opened = l;
    }
  }
  return state ? opened : undefined;
}

function isFenceOrTable(lines: LineIndex, line: number): boolean {
  const t = lines.lineText(line).trim();
  return t.startsWith('```') || t.startsWith('~~~') || t.startsWith('|');
}

/**
 * The stub of one item: a list item with the item's label in bold (its reference is a citation:
 * hover and go-to-definition show the guidance), then a marker comment naming the item and what to
 * write. Nothing in it is evidence (stubs.ts).
 */
export function stubLine(item: Item, lang: Lang, catalog: CatalogIndex): string {
  return stubText(itemRef(catalog, item), item, lang);
}

function escapeInline(s: string): string {
  return s.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
}

/** Did-you-mean replacements of an unknown id: only the control part of what was written. */
/**
 * Whether writing `id` over `[from, to)` leaves a citation there: a bare number (an ISO control
 * such as 12.4.1) cites only in brackets, so `## A.12.4.9 Logging` must become `## A.12.4.1
 * Logging`, never `## 12.4.1 Logging` (a section number, which claims nothing).
 */
function stillCites(text: string, lineStart: number, lineEnd: number, from: number, to: number, id: string): boolean {
  if (id.startsWith('TEL.')) return true;
  const line = text.slice(lineStart, from) + id + text.slice(to, lineEnd);
  const at = from - lineStart;
  const cand = findIdCandidates(line).find((c) => c.start === at);
  return cand !== undefined && (cand.prefix !== 'none' || cand.bracketed);
}

function didYouMean(f: Finding, catalog: CatalogIndex, doc: PolicyDocument, lang: Lang): CodeActionEntry[] {
  const data = f.data as { candidates?: unknown; written?: unknown } | undefined;
  const written = typeof data?.written === 'string' ? data.written : undefined;
  const candidates = Array.isArray(data?.candidates) ? (data!.candidates as unknown[]).filter((c): c is string => typeof c === 'string') : catalog.didYouMean(written ?? '', 3, 'controls');
  const text = doc.getText();
  const lines = new LineIndex(text);
  const start = lines.offsetAt(f.range.start);
  const raw = text.slice(start, lines.offsetAt(f.range.end));
  // The control part of the citation is everything up to its third number; a suffix stays.
  const controlPart = /^.*?[0-9０-９]+[.．][0-9０-９]+[.．][0-9０-９]+/u.exec(raw)?.[0] ?? raw;
  const lineStart = lines.lineStart(f.range.start.line);
  const lineEnd = lines.lineEnd(f.range.start.line);
  return candidates.slice(0, 3).map((candidate, i) => {
    const candidateIsItem = /[[(]/.test(candidate);
    // An item candidate replaces the whole citation; a control candidate keeps the written labels.
    const replaceEnd = candidateIsItem ? start + raw.length : start + controlPart.length;
    const newText = stillCites(text, lineStart, lineEnd, start, replaceEnd, candidate) ? candidate : `A.${candidate}`;
    const title = catalog.control(candidate)?.title[lang] ?? catalog.item(candidate)?.subject[lang];
    return {
      title: lang === 'ja'
        ? `${candidate}${title ? `（${title}）` : ''} に修正`
        : `Change to ${candidate}${title ? ` (${title})` : ''}`,
      kind: 'quickfix' as const,
      edits: [{ range: { start: lines.positionAt(start), end: lines.positionAt(replaceEnd) }, newText }],
      fixes: [f],
      isPreferred: i === 0 && candidates.length === 1,
    };
  });
}

/**
 * "Insert control text": with the cursor on a claiming heading, a blockquote of the control
 * statement under the heading, unless the section already quotes it.
 */
function controlTextAction(analysis: DocumentAnalysis, catalog: CatalogIndex, parse: () => ParsedMarkdown, at: Position, lang: Lang): CodeActionEntry | undefined {
  const claim = analysis.claims.find((c) => c.how === 'heading' && c.range.start.line <= at.line && at.line <= c.range.end.line);
  if (!claim) return undefined;
  const control = catalog.control(claim.control);
  const statement = control?.control?.[lang];
  if (!control || !statement) return undefined;
  const parsed = parse();
  const lines = parsed.lines;
  const sectionText = parsed.text.slice(lines.offsetAt(claim.section.start), lines.offsetAt(claim.section.end));
  if (sectionText.replace(/\s+/g, '').includes(statement.replace(/\s+/g, '').slice(0, 30))) return undefined;
  const eol = /\r\n/.test(parsed.text) ? '\r\n' : '\n';
  const label = lang === 'ja' ? `管理策（${control.id}）` : `Control (${control.id})`;
  const sep = lang === 'ja' ? '：' : ': ';
  const quote = `> **${label}**${sep}${escapeInline(statement)}`;
  const headingEndLine = claim.range.end.line;
  const position = { line: headingEndLine, character: lines.lineText(headingEndLine).length };
  return {
    title: lang === 'ja' ? `${control.id} の管理策の文言を挿入` : `Insert the control text of ${control.id}`,
    kind: 'refactor',
    edits: [{ range: { start: position, end: position }, newText: eol + eol + quote }],
    fixes: [],
  };
}

/** Edits at the same point are joined so the client applies them in a defined order. */
function mergeSamePoint(edits: TextEditEntry[]): TextEditEntry[] {
  const out: TextEditEntry[] = [];
  for (const e of edits) {
    const same = out.find((o) => sameRange(o.range, e.range));
    if (same) same.newText += e.newText;
    else out.push({ ...e });
  }
  return out;
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

function overlaps(a: Range, b: Range): boolean {
  return !isBefore(a.end, b.start) && !isBefore(b.end, a.start);
}

