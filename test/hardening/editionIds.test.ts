/**
 * Property tests of the two-component id scanner (catalog/src/editionIds.ts) and of the service on
 * documents full of 2022/2024 id fragments: no throw, candidates inside the text and in order,
 * every candidate's `raw` is the text it spans, and the service never crashes or reports
 * out-of-range findings.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { findEditionIdCandidates } from '../../catalog/src/editionIds';
import { createPolicyService, defaultConfig } from '../../server/src/service';
import { InMemoryDocument, InMemoryWorkspace } from '../helpers/inMemory';
import { realIndex } from '../helpers/catalog';

const FRAGMENTS = ['A.', 'A.8.15', '8.15', ' TEL', '5.42 TEL', '27002:2022 ', 'ISO/IEC 27001:2022 ', '2022: ', '2013: ', '(', ')', '[', ']', '（', '）', '.', ':', '附属書A ', '\n', '## ', 'Ａ．８．１５', '12.4.1', 'edition: 2022\n', '---\n'];
const text = fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 4 })), { maxLength: 80 }).map((p) => p.join(''));

describe('hardening: 2022/2024 id scanner', function () {
  this.timeout(60000);

  it('never throws; candidates are in order, inside the text, and raw is the text they span', () => {
    fc.assert(
      fc.property(text, (t) => {
        let last = -1;
        for (const c of findEditionIdCandidates(t)) {
          assert.ok(c.contextStart >= 0 && c.contextStart <= c.start && c.start < c.end && c.end <= t.length);
          assert.ok(c.start > last);
          last = c.start;
          assert.equal(c.raw, t.slice(c.contextStart, c.end));
          assert.match(c.number, /^[5-8]\.[1-9][0-9]?$/);
        }
      }),
      { numRuns: 300, seed: 2022 },
    );
  });

  it('finds every id in 230 000 characters of look-alike fragments (one pass; speed is for the benchmarks)', () => {
    const unit = ' A.8.15 TEL 2022: (8.1 [5.42 TEL] 27002:2022 A.5.7.';
    const one = findEditionIdCandidates(unit).length;
    assert.ok(one >= 3);
    assert.equal(findEditionIdCandidates(unit.repeat(5000)).length, one * 5000);
  });

  it('the service never crashes on such documents and keeps findings inside them', () => {
    const service = createPolicyService({ catalog: realIndex(), workspace: new InMemoryWorkspace() });
    let n = 0;
    fc.assert(
      fc.property(text, (t) => {
        const doc = new InMemoryDocument(`file:///fz${n++}.md`, t);
        const lines = t.split(/\r\n|\r|\n/).length;
        for (const f of service.diagnostics(doc, defaultConfig())) assert.ok(f.range.start.line >= 0 && f.range.end.line < lines + 1, JSON.stringify(f));
        service.codeActions(doc, { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } }, { only: ['refactor'] }, defaultConfig());
      }),
      { numRuns: 80, seed: 27011 },
    );
  });
});
