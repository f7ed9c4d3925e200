/**
 * unclaimed-topic scales linearly: the rule must find each heading's blocks and the claims over
 * each block without scanning the whole document per heading or per block. Work is counted (reads
 * of block offsets and of claim headings), never timed, so the test is stable on a loaded machine.
 */
import * as assert from 'node:assert/strict';
import { unclaimedTopic } from '../../server/src/service/rules/unclaimedTopic';
import type { RuleContext } from '../../server/src/service/rules/rule';

/** A synthetic model of `sections` level-2 sections with `perSection` prose blocks each, every other one claimed. */
function syntheticContext(sections: number, perSection: number) {
  let reads = 0;
  const headings: Array<{ depth: number; start: number; end: number; sectionEnd: number; block: number; text: string }> = [];
  const blocks: Array<{ start: number; end: number }> = [];
  const SECTION = 100;
  for (let s = 0; s < sections; s++) {
    const start = s * SECTION;
    headings.push({ depth: 2, start, end: start + 5, sectionEnd: start + SECTION, block: blocks.length, text: '1' });
    for (let b = 0; b < perSection; b++) {
      const bs = start + 10 + b * 10;
      // Counting getter: every read of a block's offset is one unit of work.
      blocks.push(Object.defineProperty({ end: bs + 5 } as { start: number; end: number }, 'start', { get: () => (reads++, bs), enumerable: true }));
    }
  }
  const claims: Array<{ control: string }> = [];
  const claimHeadings: Array<number | undefined> = [];
  for (let s = 1; s < sections; s += 2) {
    claims.push({ control: `TEL.${s}.1.1` });
    claimHeadings.push(s);
  }
  const reports: unknown[] = [];
  const ctx = {
    model: {
      parsed: { headings, blocks, text: ' '.repeat(sections * SECTION), lines: { range: () => ({}) } },
      citations: [],
      claims,
      claimHeadings,
      blockHits: blocks.map(() => new Map()),
    },
    catalog: { item: () => undefined, control: () => undefined, allControls: () => [] },
    lang: 'en',
    report: (f: unknown) => reports.push(f),
    memo: <T>(_kind: string, text: string, compute: (text: string) => T) => compute(text),
  } as unknown as RuleContext;
  return { ctx, reads: () => reads, reports };
}

describe('unclaimed-topic work grows linearly with the document', () => {
  it('reads block offsets O(blocks log blocks) times, not headings × blocks', () => {
    const sections = 1000;
    const perSection = 2;
    const { ctx, reads, reports } = syntheticContext(sections, perSection);
    unclaimedTopic.check!(ctx);
    assert.equal(reports.length, 0);
    const blocks = sections * perSection;
    // The old scan read every block's offset for every heading: at least 1,000 × 2,000 = 2,000,000.
    assert.ok(reads() < 40 * blocks, `block offsets read ${reads()} times for ${blocks} blocks`);
  });
  it('per-block work stays flat when the document grows tenfold', () => {
    const small = syntheticContext(200, 2);
    unclaimedTopic.check!(small.ctx);
    const large = syntheticContext(2000, 2);
    unclaimedTopic.check!(large.ctx);
    // Linear (with a log factor from sorting) means about 10× more reads, quadratic about 100×.
    assert.ok(large.reads() / small.reads() < 20, `small ${small.reads()}, large ${large.reads()}`);
  });
});
