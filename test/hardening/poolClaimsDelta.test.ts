/**
 * Issue #13, goal 2: an edited document's answer from a server worker carries only the claims that
 * changed; the others are named by their index in the worker's previous answer, which the pool
 * holds, and put back from it (claimsDelta.ts). The analyses the pool gives are those of a full
 * answer, on random edits; the claims copied between threads are counted, no timing is asserted.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { AnalysisPool, type AnalysisOutcome } from '../../server/src/analysisPool';
import { claimsDelta, claimsFromDelta, sameValue } from '../../server/src/claimsDelta';
import { defaultConfig, type Claim, type DocumentAnalysis } from '../../server/src/service';

const DIST = path.resolve(__dirname, '../../dist');
const section = (i: number) =>
  [`## 第${i + 1}条 通信の秘密（TEL.18.1.6）`, '', '通信の内容及び通信の存在を第三者に開示しない。', '', '- 発信元を記録しない。', '- 通信日時は法令に基づく場合に限り開示する。', ''].join('\n');
const ORIGINAL = ['# 方針', '', ...Array.from({ length: 40 }, (_, i) => section(i))].join('\n');
const pool = (scanMemos: number) =>
  new AnalysisPool({ size: 1, budgetMs: 30000, scanMemos, workerPath: path.join(DIST, 'analysisWorker.js'), catalogPath: path.join(DIST, 'catalog.json') });
const analysisOf = (o: AnalysisOutcome): DocumentAnalysis => {
  if (!('analysis' in o)) throw new Error(`no analysis: ${JSON.stringify(o)}`);
  return o.analysis;
};

describe('hardening: a server worker sends the claims that changed (issue #13)', function () {
  this.timeout(120000);
  before(() => {
    if (!fs.existsSync(path.join(DIST, 'analysisWorker.js'))) throw new Error('dist/analysisWorker.js is missing: run `npm run build` first');
  });

  it('gives the analyses of full answers on random edits, and copies only the changed claims', async () => {
    const delta = pool(8);
    // A worker that keeps nothing (the CLI's) always sends every claim: the reference.
    const full = pool(0);
    try {
      let text = ORIGINAL;
      let version = 1;
      const job = () => ({ uri: 'file:///delta/p.md', version, text, config: defaultConfig() });
      const first = analysisOf(await delta.analyze(job(), { interactive: true }));
      let previous = first.claims;
      let reusedTotal = 0;
      let sentTotal = 0;
      let neutralEdits = 0;
      assert.equal(first.claims.length, 40);
      assert.equal(delta.claimsReused, 0, 'the first answer has every claim');
      // Words that address nothing, and edits that change claims: evidence of an item other
      // sections miss (it is their near evidence "elsewhere"), a citation, new lines, a new claim.
      const neutral = ['', '補足する。', ' See the annex.'];
      const inserts = [...neutral, '通信の宛先も開示しない。', ' TEL.18.1.7', '\n\n追加の段落。', '\n\n## 第99条 重要通信（TEL.18.1.7）\n\n災害時の通信を確保する。'];
      const edits = fc.sample(fc.tuple(fc.nat(), fc.constantFrom(...inserts)), { numRuns: 30, seed: 13 });
      for (const [at, insert] of edits) {
        const lines = text.split('\n');
        lines[at % lines.length] += insert;
        text = lines.join('\n');
        version++;
        const reusedBefore: number = delta.claimsReused;
        const got = analysisOf(await delta.analyze(job(), { interactive: true }));
        const want = analysisOf(await full.analyze(job(), { interactive: true }));
        assert.ok(sameValue(got, want), `version ${version}: the analysis differs from a full answer`);
        // Every claim equal to one of the previous answer was taken from it, none copied.
        const unchanged = want.claims.filter((c) => previous.some((p) => sameValue(p, c))).length;
        assert.equal(delta.claimsReused - reusedBefore, unchanged, `version ${version}`);
        reusedTotal += unchanged;
        sentTotal += want.claims.length;
        // Words that address nothing, added at the end of a line, change no claim but the one
        // whose heading they are added to: the others are named by their index. (Evidence of an
        // item other sections miss changes them all: it is their near evidence elsewhere; new
        // lines move the claims below them.)
        if (neutral.includes(insert)) {
          assert.ok(delta.claimsReused - reusedBefore >= want.claims.length - 1, `version ${version}: ${delta.claimsReused - reusedBefore} of ${want.claims.length}`);
          neutralEdits++;
        }
        previous = want.claims;
      }
      assert.ok(neutralEdits >= 3, `${neutralEdits} edits of words that address nothing`);
      assert.ok(reusedTotal > sentTotal / 4, `${reusedTotal} of ${sentTotal} claims reused`);
      assert.equal(full.claimsReused, 0);
    } finally {
      await Promise.all([delta.close(), full.close()]);
    }
  });

  it('sends every claim again to a new worker, and to another document', async () => {
    const p = pool(8);
    try {
      const job = (uri: string, version: number) => ({ uri, version, text: ORIGINAL + `\n${version}\n`, config: defaultConfig() });
      analysisOf(await p.analyze(job('file:///delta/a.md', 1)));
      analysisOf(await p.analyze(job('file:///delta/b.md', 1)));
      assert.equal(p.claimsReused, 0, 'nothing is shared between documents');
      analysisOf(await p.analyze(job('file:///delta/a.md', 2)));
      assert.equal(p.claimsReused, 40);
      // A worker that runs past its budget is replaced: the new one has sent nothing.
      const stuck = Array.from({ length: 2000 }, (_, i) => `${'  '.repeat(i)}- x`).join('\n');
      p.budgetMs = 300;
      const over = await p.analyze({ uri: 'file:///delta/stuck.md', version: 1, text: stuck, config: defaultConfig() });
      assert.ok('overBudget' in over, JSON.stringify(over).slice(0, 200));
      p.budgetMs = 30000;
      const again = analysisOf(await p.analyze(job('file:///delta/a.md', 3)));
      assert.equal(again.claims.length, 40);
      assert.equal(p.claimsReused, 40, 'the replacement worker sent every claim');
    } finally {
      await p.close();
    }
  });

  it('holds the claims of as many documents as it keeps scans for, and none once the worker is stopped for idleness', async () => {
    const p = new AnalysisPool({ size: 1, budgetMs: 30000, scanMemos: 2, idleMs: 200, workerPath: path.join(DIST, 'analysisWorker.js'), catalogPath: path.join(DIST, 'catalog.json') });
    try {
      for (const name of ['a', 'b', 'c']) analysisOf(await p.analyze({ uri: `file:///delta/${name}.md`, version: 1, text: ORIGINAL, config: defaultConfig() }, { interactive: true }));
      assert.equal(p.claimsHeld, 2);
      await new Promise((resolve) => setTimeout(resolve, 600));
      assert.equal(p.running, 0, 'the idle worker was stopped');
      assert.equal(p.claimsHeld, 0);
      // The next worker sends every claim, and the pool holds them again.
      const again = analysisOf(await p.analyze({ uri: 'file:///delta/c.md', version: 2, text: ORIGINAL + '\n', config: defaultConfig() }, { interactive: true }));
      assert.equal(again.claims.length, 40);
      assert.equal(p.claimsReused, 0);
      assert.equal(p.claimsHeld, 1);
    } finally {
      await p.close();
    }
  });

  it('claimsDelta and claimsFromDelta: a claim goes as an index only when exactly equal, keys in order', () => {
    const claim = (control: string, line: number, extra: Record<string, unknown> = {}) =>
      ({ control, how: 'heading', range: { start: { line, character: 0 }, end: { line, character: 9 } }, section: { start: { line, character: 0 }, end: { line: line + 5, character: 0 } }, items: [], ...extra }) as unknown as Claim;
    const base = [claim('TEL.18.1.6', 2), claim('TEL.18.1.7', 8), claim('12.4.1', 14)];
    // One claim added in front: the others are found where they start.
    const next = [claim('12.4.2', 0), claim('TEL.18.1.6', 2), claim('TEL.18.1.7', 8, { via: 'x' }), claim('12.4.1', 14)];
    const d = claimsDelta(base, next);
    assert.deepEqual(d.map((c) => (typeof c === 'number' ? c : 'full')), ['full', 0, 'full', 2]);
    const { claims, reused } = claimsFromDelta(base, d);
    assert.equal(reused, 2);
    assert.equal(claims[1], base[0]);
    assert.deepEqual(claims, next);
    // The same values with keys in another order are sent in full (the receiver's bytes stay a full answer's).
    const reordered = { ...base[0] } as unknown as Record<string, unknown>;
    const { control, ...rest } = reordered;
    assert.deepEqual(claimsDelta(base, [{ ...rest, control } as unknown as Claim]).map((c) => typeof c), ['object']);
    assert.throws(() => claimsFromDelta(base, [7]), /claim 7/);
  });
});
