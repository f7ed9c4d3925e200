/**
 * In-memory test helpers shared by every service test: documents and workspaces without a file
 * system, `joinLines` for readable multi-line fixtures, and a cursor marker for position-based
 * features (hover, completion, code actions).
 */
import type { PolicyDocument, Position } from '../../server/src/service/types';

/** A document held in memory; bump `version` with `update` to exercise caches. */
export class InMemoryDocument implements PolicyDocument {
  constructor(
    public readonly uri: string,
    private text: string,
    public version = 1,
  ) {}

  getText(): string {
    return this.text;
  }

  /** Replaces the text and increments the version, as an editor change would. */
  update(text: string): this {
    this.text = text;
    this.version += 1;
    return this;
  }
}

/** A set of documents standing in for the workspace (`ServiceHost.workspace`). */
export class InMemoryWorkspace {
  private readonly docs = new Map<string, PolicyDocument>();

  constructor(docs: Iterable<PolicyDocument> = []) {
    for (const d of docs) this.docs.set(d.uri, d);
  }

  /** Every document, in insertion order. */
  documents(): Iterable<PolicyDocument> {
    return this.docs.values();
  }

  get(uri: string): PolicyDocument | undefined {
    return this.docs.get(uri);
  }

  add(doc: PolicyDocument): this {
    this.docs.set(doc.uri, doc);
    return this;
  }

  remove(uri: string): this {
    this.docs.delete(uri);
    return this;
  }
}

/** Joins lines with `\n` (the usual fixture form); use `joinLines.crlf` for Windows text. */
export function joinLines(...lines: string[]): string {
  return lines.join('\n');
}
joinLines.crlf = (...lines: string[]): string => lines.join('\r\n');

/** The marker a fixture puts where the cursor is. Chosen so it never occurs in policy text. */
export const CURSOR = '$$CURSOR$$';

/**
 * Removes every `CURSOR` marker from `text` and returns the clean text with the marker positions
 * (LSP positions: 0-based line, UTF-16 character, counted in the clean text).
 */
export function getCursorPositions(text: string): { text: string; positions: Position[] } {
  const positions: Position[] = [];
  let clean = '';
  let rest = text;
  for (;;) {
    const i = rest.indexOf(CURSOR);
    if (i < 0) break;
    clean += rest.slice(0, i);
    rest = rest.slice(i + CURSOR.length);
    positions.push(positionAt(clean, clean.length));
  }
  clean += rest;
  return { text: clean, positions };
}

/** Convenience: a document with exactly one cursor, and that cursor's position. */
export function withCursor(uri: string, textWithCursor: string): { doc: InMemoryDocument; position: Position } {
  const { text, positions } = getCursorPositions(textWithCursor);
  if (positions.length !== 1) throw new Error(`expected exactly one ${CURSOR}, found ${positions.length}`);
  return { doc: new InMemoryDocument(uri, text), position: positions[0] };
}

/** LSP position of a UTF-16 offset; `\r\n`, `\n` and lone `\r` all end a line. */
export function positionAt(text: string, offset: number): Position {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10 && i + 1 < offset) i++;
      else if (text.charCodeAt(i + 1) === 10) break;
      line++;
      lineStart = i + 1;
    } else if (c === 10 /* \n */) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: offset - lineStart };
}
