/**
 * The GFM subset the parser uses (`gfmSubset.ts`): tables, footnotes, strikethrough and task list
 * items are still GFM, and a bare URL (no autolink literals any more) gives the same prose.
 */
import * as assert from 'node:assert/strict';
import { markdownInternals, parseMarkdown } from '../../server/src/service/markdown';

const prose = (text: string) => {
  markdownInternals.clearCache();
  return parseMarkdown(text).blocks.map((b) => ({ kind: b.kind, text: b.rendered.text.replace(/\s+/g, ' ').trim() }));
};

describe('GFM subset: what policies use, without autolink literals', () => {
  it('a table gives one block per row, cells kept apart', () => {
    const blocks = prose('| Data | Kept for |\n|---|---|\n| Call records | 6 months |\n');
    assert.deepEqual(blocks.map((b) => b.kind), ['table-row', 'table-row']);
    assert.equal(blocks[1].text, 'Call records 6 months');
  });

  it('a footnote definition is prose of the policy, not a link definition', () => {
    const blocks = prose('We keep records[^1].\n\n[^1]: Call content is never recorded.\n');
    assert.ok(blocks.some((b) => b.text === 'Call content is never recorded.'), JSON.stringify(blocks));
    assert.ok(blocks.some((b) => b.text === 'We keep records .' || b.text === 'We keep records.'), JSON.stringify(blocks));
  });

  it('strikethrough and task list markers are markup, not words', () => {
    const blocks = prose('- [x] Encrypt ~~all~~ backups\n');
    assert.equal(blocks.length, 1);
    assert.doesNotMatch(blocks[0].text, /\[x\]|~~/);
    assert.match(blocks[0].text, /Encrypt all backups/);
  });

  it('a bare URL, a www. name and an e-mail address stay plain prose, offsets exact', () => {
    const text = 'See https://example.com/a and www.example.jp, or write to soc@example.jp.\n';
    markdownInternals.clearCache();
    const [block] = parseMarkdown(text).blocks;
    assert.equal(block.rendered.text, text.slice(block.start, block.end).replace(/\n$/, ''));
  });
});
