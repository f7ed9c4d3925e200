/**
 * Offsets and LSP positions.
 *
 * Positions are 0-based lines and UTF-16 code units, as LSP specifies by default. `\r\n`, `\n`
 * and a lone `\r` each end a line (the three line endings LSP recognises). A byte-order mark at
 * the start of the text is an ordinary code unit here: it stays part of the text, and the parser
 * offsets are shifted past it by `document.ts`, so every position is relative to the text exactly
 * as the editor (or the CLI) gave it.
 */
import type { Position, Range } from './types';

/** Maps offsets to positions and back for one text, in O(log lines) per lookup. */
export class LineIndex {
  /** Offset of the first code unit of each line. */
  private readonly starts: number[];

  constructor(private readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      } else if (c === 10) {
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  /** Number of lines (a text ending with a line break has an empty last line). */
  get lineCount(): number {
    return this.starts.length;
  }

  /** LSP position of `offset` (clamped to the text). */
  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }

  /** Offset of an LSP position; a character past the line's end is clamped to the line's end. */
  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[position.line];
    const end = this.lineEnd(position.line);
    return Math.max(start, Math.min(start + position.character, end));
  }

  /** Range of two offsets. */
  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  /** Offset of the first code unit of `line`. */
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  /** Offset where `line`'s content ends (before its line break). */
  lineEnd(line: number): number {
    const next = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    let end = next;
    if (end > this.starts[line] && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > this.starts[line] && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  /** Range covering the whole content of `line` (without its line break). */
  lineRange(line: number): Range {
    return this.range(this.lineStart(line), this.lineEnd(line));
  }

  /** Text of `line` without its line break. */
  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }
}

/** True when position `a` is before `b`. */
export function isBefore(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** True when `p` lies inside `r` (start inclusive, end inclusive, as cursors at a range's end count). */
export function rangeContains(r: Range, p: Position): boolean {
  return !isBefore(p, r.start) && !isBefore(r.end, p);
}
