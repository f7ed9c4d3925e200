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
 * A stub names the item and carries the item's own text as guidance in an HTML comment, e.g.
 * `- **TEL.18.1.6 e) 通信の日時**: <!-- x1051: 記述してください — 通信の日時情報 -->`. Its visible
 * part always contains one of the item's evidence terms (checked with the same matcher the
 * diagnostics use), so inserting it makes the item count as addressed and clears the finding;
 * the comment keeps it an obvious to-do for the author (comments are never evidence).
 */
import type { CatalogIndex } from '../../../../catalog/src/query';
import { findIdCandidates } from '../../../../catalog/src/normalize';
import type { Item } from '../../../../catalog/src/types';
import { findEvidence, splitTerm } from '../evidence';
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

  if (wants('quickfix')) {
    const missing = here.filter((f) => f.code === 'missing-item' && findingItems(f).length > 0);
    const byClaim = new Map<Claim, Finding[]>();
    for (const f of missing) {
      const claim = claimOfFinding(analysis, f);
      const items = findingItems(f).map((id) => catalog.item(id)).filter((i): i is Item => i !== undefined);
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
      const items = all.flatMap(findingItems).map((id) => catalog.item(id)).filter((i): i is Item => i !== undefined);
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
  for (const f of analysis.findings) {
    if (f.code !== 'missing-item') continue;
    const claim = claimOfFinding(analysis, f);
    const items = findingItems(f).map((id) => catalog.item(id)).filter((i): i is Item => i !== undefined);
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
  const { position, afterListItem } = insertionPoint(parsed, claim);
  const eol = /\r\n/.test(parsed.text) ? '\r\n' : '\n';
  const stubs = items.map((i) => stubLine(i, lang, catalog));
  // A blank line keeps the stubs out of a preceding paragraph; after a list item they extend it.
  const lead = afterListItem ? eol : eol + eol;
  return { range: { start: position, end: position }, newText: lead + stubs.join(eol) };
}

/**
 * Where stubs go: after the last non-blank line of the claim's own text, i.e. before the next
 * heading of any level (a subsection starts a new topic) and within the claimed section. For a
 * front-matter claim the whole document is the section, so its last line.
 */
function insertionPoint(parsed: ParsedMarkdown, claim: Claim): { position: Position; afterListItem: boolean } {
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
  const text = lines.lineText(line);
  return {
    position: { line, character: text.length },
    afterListItem: line > firstLine && /^\s{0,3}[-*+]\s/.test(text) && !isFenceOrTable(lines, line),
  };
}

function isFenceOrTable(lines: LineIndex, line: number): boolean {
  const t = lines.lineText(line).trim();
  return t.startsWith('```') || t.startsWith('~~~') || t.startsWith('|');
}

/**
 * The stub of one item. The bold part names the item; when its subject alone is not evidence
 * for the item, the first evidence term that is (tried with the diagnostics' own matcher) follows
 * it, so the stub counts as addressing the item.
 */
export function stubLine(item: Item, lang: Lang, catalog: CatalogIndex): string {
  // The reference stays unescaped: "\\[2\\]" would no longer read as a citation of the item.
  const name = `${itemRef(catalog, item)} ${escapeInline(item.subject[lang])}`;
  const todo = lang === 'ja' ? '記述してください' : 'describe how this is addressed';
  const guidance = commentSafe(item.text[lang] || item.text[lang === 'ja' ? 'en' : 'ja']);
  const comment = `<!-- x1051: ${todo} — ${guidance} -->`;
  const sep = lang === 'ja' ? '：' : ': ';
  const visible = (extra: string) => `- **${name}**${sep}${extra}`;
  const addresses = (text: string) => findEvidence(text, [item]).has(item.id);
  if (addresses(visible(''))) return `${visible('')}${comment}`;
  // Terms in the document's language first, single-part terms before combined ones.
  const other: Lang = lang === 'ja' ? 'en' : 'ja';
  const terms = [...item.terms[lang], ...item.terms[other]].sort((a, b) => Number(a.includes('+')) - Number(b.includes('+')));
  for (const term of terms) {
    const written = splitTerm(term).join(lang === 'ja' ? '・' : ' and ');
    if (addresses(visible(written))) return `${visible(`${written} `)}${comment}`;
  }
  // No term made it (should not happen for catalogue items); the stub stays a plain to-do.
  return `${visible('')}${comment}`;
}

/** The item's text may not close the comment early. */
function commentSafe(s: string): string {
  return s.replace(/-->/g, '‐‐>').replace(/--/g, '‐‐').replace(/\s+/g, ' ').trim();
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

