/**
 * Issue #13 (memory): the server's analysis workers are stopped when idle and started again by the
 * next job, with the same answers. Counts workers started and running; the waits only let the idle
 * timer (100 ms here) fire.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnalysisPool } from '../../server/src/analysisPool';
import { defaultConfig } from '../../server/src/service';

const DIST = path.resolve(__dirname, '../../dist');
const POLICY = '# 方針\n\n## TEL.18.1.6 通信の秘密\n\n通信の内容及び通信の存在を第三者に開示しない。\n';
const job = (version: number) => ({ uri: 'file:///idle/policy.md', version, text: POLICY, config: defaultConfig() });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A one-worker pool on the bundled worker, with the given idle settings. */
const onePool = (idle: { idleMs?: number; batchIdleMs?: number; scanMemos?: number } = {}) =>
  new AnalysisPool({ size: 1, budgetMs: 30000, workerPath: path.join(DIST, 'analysisWorker.js'), catalogPath: path.join(DIST, 'catalog.json'), ...idle });

describe('hardening: idle analysis workers are stopped and restarted on demand', function () {
  this.timeout(60000);
  before(() => {
    if (!fs.existsSync(path.join(DIST, 'analysisWorker.js'))) throw new Error('dist/analysisWorker.js is missing: run `npm run build` first');
  });

  it('stops a worker idle past idleMs and starts one for the next job, answering the same', async () => {
    const pool = onePool({ idleMs: 100 });
    try {
      const first = await pool.analyze(job(1));
      assert.ok('analysis' in first, JSON.stringify(first));
      assert.deepEqual([pool.started, pool.running], [1, 1]);
      await pause(500);
      assert.equal(pool.running, 0, 'the idle worker is stopped');
      const second = await pool.analyze(job(2));
      assert.ok('analysis' in second, JSON.stringify(second));
      assert.deepEqual([pool.started, pool.running], [2, 1], 'one worker started again for the job');
      assert.deepEqual(second.analysis.claims.map((c) => [c.control, c.items.map((i) => i.status)]), first.analysis.claims.map((c) => [c.control, c.items.map((i) => i.status)]));
    } finally {
      await pool.close();
    }
  });

  it('stops a worker that did only batch work after batchIdleMs, and keeps one holding an open document\'s scans for idleMs', async () => {
    const pool = onePool({ idleMs: 60000, batchIdleMs: 100, scanMemos: 4 });
    try {
      // Batch work (indexing): the worker goes soon after its last job.
      assert.ok('analysis' in (await pool.analyze(job(1))));
      assert.ok('analysis' in (await pool.analyze({ ...job(1), uri: 'file:///idle/other.md' })));
      await pause(600);
      assert.deepEqual([pool.started, pool.running], [1, 0], 'stopped after batch work');
      // An open document (interactive): the worker that keeps its scans stays.
      assert.ok('analysis' in (await pool.analyze(job(2), { interactive: true })));
      await pause(600);
      assert.deepEqual([pool.started, pool.running], [2, 1], 'kept while it holds an edited document');
      // Batch work afterwards does not make it forget the open document.
      assert.ok('analysis' in (await pool.analyze({ ...job(2), uri: 'file:///idle/other.md' })));
      await pause(600);
      assert.equal(pool.running, 1);
    } finally {
      await pool.close();
    }
  });

  it('warm() starts a worker for edits to come, kept for idleMs; none when one runs', async () => {
    const pool = onePool({ idleMs: 60000, batchIdleMs: 100, scanMemos: 4 });
    try {
      assert.ok('analysis' in (await pool.analyze(job(1))));
      await pause(600);
      assert.deepEqual([pool.started, pool.running], [1, 0], 'the indexing worker stopped');
      pool.warm(defaultConfig());
      pool.warm(defaultConfig());
      assert.deepEqual([pool.started, pool.running], [2, 1], 'one worker started');
      await pause(600);
      assert.equal(pool.running, 1, 'kept past batchIdleMs');
      assert.ok('analysis' in (await pool.analyze(job(2), { interactive: true })));
      assert.equal(pool.started, 2, 'the warm worker took the job');
    } finally {
      await pool.close();
    }
  });

  it('keeps its workers without idleMs (the CLI, which closes the pool when done)', async () => {
    const pool = onePool();
    try {
      assert.ok('analysis' in (await pool.analyze(job(1))));
      await pause(500);
      assert.deepEqual([pool.started, pool.running], [1, 1]);
    } finally {
      await pool.close();
    }
  });
});
