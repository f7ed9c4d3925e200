/**
 * Applying a `textDocument/didChange` batch in one pass.
 *
 * The protocol applies a notification's content changes in order, each against the text the
 * previous one produced. The text document library does exactly that, rebuilding the whole string
 * and shifting every later line offset for each change, so one "replace all" of 5,000 changes in
 * a 1 MB document copied gigabytes and blocked the server for half a minute. Here a batch of more
 * than one change is applied to an array of lines (each with its own end of line): a change
 * rebuilds only the lines it touches, and the document's text is joined once at the end. The
 * semantics are the library's, position for position: reversed ranges are swapped, a line past the
 * end means the end of the text, a character past the end of a line (or inside its CR LF) means
 * just before its end of line, and a CR and an LF that an edit brings together become one end of
 * line (`test/unit/textSync.test.ts` checks it against the library on random batches).
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver/node';
import type { TextDocumentsConfiguration } from 'vscode-languageserver/node';

/** Work done by `applyChanges`, for tests that guard its cost (characters rebuilt, not time). */
export interface SyncWork {
  /** Characters of the lines rebuilt by the changes (the final join is counted apart). */
  charsRebuilt: number;
  /** Characters of the final join. */
  charsJoined: number;
}

const CR = 13;
const LF = 10;

/** Splits text into lines, each keeping its end of line (CR LF, LF or CR); the last may be empty. */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch !== CR && ch !== LF) continue;
    if (ch === CR && text.charCodeAt(i + 1) === LF) i++;
    lines.push(text.slice(start, i + 1));
    start = i + 1;
  }
  lines.push(text.slice(start));
  return lines;
}

/** The length of a line without its end of line. */
function contentLength(line: string): number {
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === CR || line.charCodeAt(end - 1) === LF)) end--;
  return end;
}

interface Point {
  line: number;
  column: number;
}

/** Where an LSP position falls, as the library's `offsetAt` would place it. */
function pointOf(lines: string[], line: number, character: number): Point {
  if (line < 0) return { line: 0, column: 0 };
  if (line >= lines.length) return { line: lines.length - 1, column: lines[lines.length - 1].length };
  if (character <= 0) return { line, column: 0 };
  return { line, column: Math.min(character, contentLength(lines[line])) };
}

/**
 * Applies content changes in order to `text` and returns the new text. `work`, when given, is
 * filled with what it cost.
 */
export function applyChanges(text: string, changes: readonly TextDocumentContentChangeEvent[], work?: SyncWork): string {
  let lines = splitLines(text);
  let rebuilt = 0;
  for (const change of changes) {
    if (!('range' in change) || change.range === undefined) {
      lines = splitLines(change.text);
      rebuilt += change.text.length;
      continue;
    }
    let { start, end } = change.range;
    if (start.line > end.line || (start.line === end.line && start.character > end.character)) [start, end] = [end, start];
    const from = pointOf(lines, start.line, start.character);
    const to = pointOf(lines, end.line, end.character);
    let first = from.line;
    let last = to.line;
    let segment = lines[first].slice(0, from.column) + change.text + lines[last].slice(to.column);
    // An LF now right after a line ending in a lone CR joins it into one CR LF, and the same at
    // the end of the segment: take the neighbour in and split again.
    if (first > 0 && segment.charCodeAt(0) === LF && lines[first - 1].charCodeAt(lines[first - 1].length - 1) === CR) {
      first--;
      segment = lines[first] + segment;
    }
    if (last + 1 < lines.length && segment.charCodeAt(segment.length - 1) === CR && lines[last + 1].charCodeAt(0) === LF) {
      last++;
      segment += lines[last];
    }
    rebuilt += segment.length;
    const pieces = splitLines(segment);
    // The segment ends with the last line's end of line unless it reaches the end of the text:
    // then its final (possibly empty) piece is the text's last line; otherwise that piece is empty.
    if (last + 1 < lines.length) pieces.pop();
    if (pieces.length === last - first + 1) {
      for (let i = 0; i < pieces.length; i++) lines[first + i] = pieces[i];
    } else if (pieces.length < 10_000) {
      lines.splice(first, last - first + 1, ...pieces);
    } else {
      lines = lines.slice(0, first).concat(pieces, lines.slice(last + 1));
    }
  }
  const result = lines.join('');
  if (work) {
    work.charsRebuilt += rebuilt;
    work.charsJoined += result.length;
  }
  return result;
}

/**
 * The `TextDocuments` configuration of the server: the library's documents, every change applied
 * by `applyChanges` and the document created afresh. (The library's own incremental update is not
 * used even for one change: a range past the last line leaves holes in its line offsets, and every
 * position read after that is wrong.)
 */
export const textDocumentsConfiguration: TextDocumentsConfiguration<TextDocument> = {
  create: TextDocument.create,
  update(document, changes, version) {
    return TextDocument.create(document.uri, document.languageId, version, applyChanges(document.getText(), changes));
  },
};
