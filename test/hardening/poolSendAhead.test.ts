/**
 * Issue #13: the CLI's pool. It sends each worker its next job while it works on one
 * (`sendAhead`, speed), so a worker does not wait for the main thread between documents. The
 * budget still belongs to each job alone: a job sent behind one that gets stuck starts its budget
 * when that one ends, goes to the replacement worker, and is analysed; none is lost. Its analyses
 * come back encoded (`encoded`, memory): one byte array each, decoded by the CLI once its workers
 * are gone. Counts jobs, no timing is asserted.
 */
import * as v8 from 'node:v8';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnalysisPool, type AnalysisOutcome } from '../../server/src/analysisPool';
import { defaultConfig } from '../../server/src/service';

const DIST = path.resolve(__dirname, '../../dist');
const POLICY = (n: number) => `# 方針 ${n}\n\n## TEL.18.1.6 通信の秘密\n\n通信の内容及び通信の存在を第三者に開示しない。\n`;
/** A list nested 2,000 deep by indentation: minutes of parsing, and under the nesting guard. */
const STUCK = Array.from({ length: 2000 }, (_, i) => `${'  '.repeat(i)}- x`).join('\n') + '\n';
const job = (n: number, text = POLICY(n)) => ({ uri: `file:///ahead/p${n}.md`, version: 1, text, config: defaultConfig() });
const pool = (options: { sendAhead?: boolean; encoded?: boolean; budgetMs?: number; size?: number }) =>
  new AnalysisPool({ size: options.size ?? 1, budgetMs: options.budgetMs ?? 30000, sendAhead: options.sendAhead, encoded: options.encoded, workerPath: path.join(DIST, 'analysisWorker.js'), catalogPath: path.join(DIST, 'catalog.json') });
const statuses = (o: AnalysisOutcome) => ('analysis' in o ? o.analysis.claims.map((c) => [c.control, c.items.map((i) => i.status)]) : o);

describe('hardening: jobs sent ahead to the CLI\'s workers (issue #13)', function () {
  this.timeout(90000);
  before(() => {
    if (!fs.existsSync(path.join(DIST, 'analysisWorker.js'))) throw new Error('dist/analysisWorker.js is missing: run `npm run build` first');
  });

  it('sends every job but the first behind a running one, with the same answers as one job at a time', async () => {
    const ahead = pool({ sendAhead: true });
    const plain = pool({});
    try {
      const jobs = Array.from({ length: 10 }, (_, i) => job(i));
      const a = await Promise.all(jobs.map((j) => ahead.analyze(j)));
      const b = await Promise.all(jobs.map((j) => plain.analyze(j)));
      assert.equal(ahead.sentAhead, 9);
      assert.equal(plain.sentAhead, 0);
      assert.deepEqual(a.map(statuses), b.map(statuses));
      assert.ok(a.every((o) => 'analysis' in o));
    } finally {
      await ahead.close();
      await plain.close();
    }
  });

  it('a job sent behind a stuck one is analysed by the replacement worker, within its own budget', async () => {
    const ahead = pool({ sendAhead: true, budgetMs: 3000 });
    try {
      const outcomes = await Promise.all([ahead.analyze(job(0, STUCK)), ahead.analyze(job(1)), ahead.analyze(job(2))]);
      assert.ok(ahead.sentAhead >= 1, 'the job behind the stuck one was sent ahead');
      assert.deepEqual(outcomes[0], { overBudget: 3000 });
      // It waited the whole budget behind the stuck job: its own budget started only after that.
      assert.ok('analysis' in outcomes[1], JSON.stringify(outcomes[1]));
      assert.ok('analysis' in outcomes[2], JSON.stringify(outcomes[2]));
      assert.equal(ahead.overBudgetCount, 1);
      assert.equal(ahead.started, 2, 'one replacement worker');
    } finally {
      await ahead.close();
    }
  });

  it('closing the pool answers the running job and the one sent behind it', async () => {
    const ahead = pool({ sendAhead: true });
    const outcomes = [ahead.analyze(job(0, STUCK)), ahead.analyze(job(1)), ahead.analyze(job(2))];
    await new Promise((r) => setTimeout(r, 200));
    await ahead.close();
    const done = await Promise.all(outcomes);
    assert.deepEqual(done, [0, 1, 2].map(() => ({ error: 'the analysis pool is closed' })));
  });

  it('encoded: every analysis comes back as one byte array, which decodes to the analysis sent as objects', async () => {
    const enc = pool({ sendAhead: true, encoded: true, size: 2 });
    const plain = pool({ size: 2 });
    try {
      const jobs = Array.from({ length: 6 }, (_, i) => job(i));
      const a = await Promise.all(jobs.map((j) => enc.analyze(j)));
      const b = await Promise.all(jobs.map((j) => plain.analyze(j)));
      assert.ok(a.every((o) => 'encoded' in o && o.encoded instanceof Uint8Array), 'byte arrays, no object graphs');
      assert.ok(b.every((o) => 'analysis' in o));
      assert.deepEqual(
        a.map((o) => ('encoded' in o ? v8.deserialize(o.encoded) : o)),
        b.map((o) => ('analysis' in o ? o.analysis : o)),
      );
    } finally {
      await enc.close();
      await plain.close();
    }
  });
});
