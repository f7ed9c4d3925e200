/**
 * Which prose the hygiene rules read: paragraphs, list items, table rows and headings, with
 * code already blanked by the parser. Blockquotes are quotations (of the standard, of a law, of
 * an inserted control text) and are skipped; so is text inside quotation marks (「…」, “…”,
 * "…"), where a policy quotes rather than requires.
 */
import type { ParsedMarkdown, ProseBlock } from '../markdown';

/** Whether the block sits in a blockquote (its line starts with `>` markers before the block). */
export function inBlockquote(parsed: ParsedMarkdown, block: ProseBlock): boolean {
  const lineStart = parsed.lines.lineStart(parsed.lines.positionAt(block.start).line);
  const prefix = parsed.text.slice(lineStart, block.start);
  return prefix.includes('>') && /^[\s>*+\-\d.)]*$/.test(prefix);
}

/** Offsets (within `text`) of quoted spans: 「…」, 『…』, “…”, and "…" on one line. */
export function quotedSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const m of text.matchAll(/「[^「」]*」|『[^『』]*』|“[^“”]*”|"[^"\n]*"/g)) spans.push([m.index!, m.index! + m[0].length]);
  return spans;
}

/** Whether [start, end) lies inside one of `spans`. */
export function insideSpan(spans: Array<[number, number]>, start: number, end: number): boolean {
  return spans.some(([s, e]) => start >= s && end <= e);
}
