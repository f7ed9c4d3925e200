/**
 * Applying a didChange batch in one pass (issue #11, hole 6): the result equals the text document
 * library's change-by-change update on random batches (CR, LF and CR LF, reversed ranges,
 * positions past the end, full-text changes), and a big replace-all rebuilds only what it touches.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver/node';
import { applyChanges, splitLines, textDocumentsConfiguration, type SyncWork } from '../../server/src/server/textSync';

/**
 * The library, one change at a time, each on a document created afresh from the text so far: the
 * reference. (Its incremental line offsets cannot be the reference: a range past the last line
 * leaves holes in them — see the last test.)
 */
function reference(text: string, changes: TextDocumentContentChangeEvent[]): string {
  for (const change of changes) {
    const doc = TextDocument.create('file:///r.md', 'markdown', 1, text);
    TextDocument.update(doc, [change], 2);
    text = doc.getText();
  }
  return text;
}

const piece = fc.constantFrom('a', 'bc', '通信', ' ', '\n', '\r\n', '\r', '');
const textArb = fc.array(piece, { maxLength: 30 }).map((p) => p.join(''));
const position = fc.record({ line: fc.integer({ min: -1, max: 8 }), character: fc.integer({ min: -1, max: 8 }) });
const change: fc.Arbitrary<TextDocumentContentChangeEvent> = fc.oneof(
  { weight: 9, arbitrary: fc.record({ range: fc.record({ start: position, end: position }), text: textArb }) },
  { weight: 1, arbitrary: fc.record({ text: textArb }) },
);

describe('textSync: a didChange batch applied in one pass', () => {
  it('splits lines keeping each end of line, the last line possibly empty', () => {
    assert.deepEqual(splitLines('a\r\nb\rc\nd'), ['a\r\n', 'b\r', 'c\n', 'd']);
    assert.deepEqual(splitLines('a\n'), ['a\n', '']);
    assert.deepEqual(splitLines(''), ['']);
  });

  it('gives the same text as the library applying the changes one by one', () => {
    fc.assert(
      fc.property(textArb, fc.array(change, { minLength: 1, maxLength: 12 }), (text, changes) => {
        assert.equal(applyChanges(text, changes), reference(text, changes));
      }),
      { numRuns: 3000 },
    );
  });

  it('joins a CR and an LF that an edit brings together, as the library does', () => {
    // Deleting the "x" between a lone CR and an LF makes one CR LF: one line fewer.
    const changes = [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } }, text: '' }, { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'y' }];
    assert.equal(applyChanges('a\rx\nb', changes), reference('a\rx\nb', changes));
    assert.equal(applyChanges('a\rx\nb', changes), 'a\r\nyb');
  });

  it('a 5,000-change replace-all on a 1 MB document rebuilds only the lines it touches', () => {
    const line = 'Approved by the board on 1 April, see TEL.18.1.6 for the secrecy of communications.\n';
    const lineCount = Math.ceil(1_000_000 / line.length);
    const text = line.repeat(lineCount);
    // Replace "board" on 5,000 lines, from the bottom up as VS Code sends a replace-all.
    const changes: TextDocumentContentChangeEvent[] = [];
    for (let i = 5000 - 1; i >= 0; i--) {
      const l = Math.floor((i * lineCount) / 5000);
      changes.push({ range: { start: { line: l, character: 16 }, end: { line: l, character: 21 } }, text: 'council' });
    }
    const work: SyncWork = { charsRebuilt: 0, charsJoined: 0 };
    const result = applyChanges(text, changes, work);
    assert.equal(result.split('council').length - 1, 5000);
    assert.equal(result.length, text.length + 5000 * 2);
    // Each change rebuilds its own line (~90 characters), not the document: a per-change copy of
    // the text would be 5,000 × 1 MB.
    assert.ok(work.charsRebuilt <= 5000 * (line.length + 2), `${work.charsRebuilt} characters rebuilt`);
    assert.equal(work.charsJoined, result.length);
  });

  it('the TextDocuments configuration applies every change in one pass, with the new version', () => {
    const doc = textDocumentsConfiguration.create('file:///d.md', 'markdown', 1, 'a\nb\nc');
    const one = textDocumentsConfiguration.update(doc, [{ range: { start: { line: 0, character: 1 }, end: { line: 0, character: 1 } }, text: '!' }], 2);
    assert.equal(one.getText(), 'a!\nb\nc');
    assert.equal(one.version, 2);
    const batch: TextDocumentContentChangeEvent[] = [
      { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 1 } }, text: 'C' },
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } }, text: 'B\nB2' },
    ];
    const many = textDocumentsConfiguration.update(one, batch, 3);
    assert.equal(many.getText(), 'a!\nB\nB2\nC');
    assert.equal(many.version, 3);
    assert.equal(many.lineCount, 4);
    assert.deepEqual(many.positionAt(many.getText().length), { line: 3, character: 1 });
  });

  it('a range past the last line leaves the document sound (the library update leaves holes in its line offsets)', () => {
    const past = { range: { start: { line: 6, character: 0 }, end: { line: 4, character: 0 } }, text: '\r\n\r\n' };
    let doc = textDocumentsConfiguration.create('file:///d.md', 'markdown', 1, '');
    doc = textDocumentsConfiguration.update(doc, [past], 2);
    assert.equal(doc.lineCount, 3);
    assert.equal(doc.offsetAt({ line: 1, character: 0 }), 2);
    doc = textDocumentsConfiguration.update(doc, [{ range: { start: { line: 1, character: 0 }, end: { line: 0, character: 0 } }, text: '' }], 3);
    assert.equal(doc.getText(), '\r\n');
  });
});
