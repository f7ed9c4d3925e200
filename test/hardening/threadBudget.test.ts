/**
 * Issue #13: the CLI analyses on its main thread by default on small machines (`--jobs auto`),
 * and keeps the time budget a worker has (`threadBudget.ts`). A task past its budget is stopped
 * and named; a task cut only because the slice it ran in was long starts the next slice with the
 * whole budget; one watchdog covers a slice of many tasks. Counts calls, asserts no durations.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { runSliceWithBudget, runWithBudget } from '../../server/src/threadBudget';
import { autoWorkerCount, FILES_PER_WORKER } from '../../server/src/analysisPool';

const spin = (): never => {
  for (;;) {
    // Until the watchdog stops it.
  }
};

describe('a time budget on the calling thread (threadBudget)', function () {
  this.timeout(20000);

  it('runWithBudget returns the value of a task, rethrows its error, and stops a task that does not end', () => {
    assert.deepEqual(runWithBudget(() => ({ n: [1, 2] }), 1000), { value: { n: [1, 2] } });
    assert.throws(() => runWithBudget(() => JSON.parse('{'), 1000), SyntaxError);
    let finallyRan = false;
    const stopped = runWithBudget(() => {
      try {
        spin();
      } finally {
        finallyRan = true;
      }
    }, 50);
    assert.deepEqual(stopped, { overBudget: 50 });
    // Interrupted code runs none of its finally blocks: why callers drop their caches then.
    assert.equal(finallyRan, false);
    // The thread goes on normally afterwards.
    assert.deepEqual(runWithBudget(() => 'after', 1000), { value: 'after' });
  });

  it('stops a catastrophic regular expression too', () => {
    assert.deepEqual(
      runWithBudget(() => /^(a+)+$/.test(`${'a'.repeat(40)}b`), 100),
      { overBudget: 100 },
    );
  });

  it('runs many tasks under one watchdog, names the one that ran its whole budget alone, and goes on', () => {
    const calls: number[] = [];
    const events: string[] = [];
    const task = (i: number) => {
      calls.push(i);
      if (i === 0 || i === 3) spin();
    };
    const on = { interrupted: () => events.push('interrupted'), overBudget: (i: number) => events.push(`over ${i}`) };
    const slices: number[] = [];
    for (let i = 0; i < 6; ) {
      slices.push(i);
      i = runSliceWithBudget(i, 6, task, 400, 200, on);
    }
    // Task 0 starts the first slice and runs the whole budget alone: over budget. Tasks 1 and 2
    // run in the next slice, which is cut during task 3; task 3 then starts a slice of its own
    // and runs the whole budget alone.
    assert.deepEqual(events, ['interrupted', 'over 0', 'interrupted', 'interrupted', 'over 3']);
    assert.deepEqual(slices, [0, 1, 3, 4]);
    assert.deepEqual(calls, [0, 1, 2, 3, 3, 4, 5]);
  });

  it('gives a task cut by its slice the whole budget in the next one (not over budget)', () => {
    let attempts = 0;
    const events: string[] = [];
    const task = (i: number) => {
      // Task 1 does not end the first time (as if it started late in a slice and needed longer
      // than what was left of the budget), and ends the second time.
      if (i === 1 && ++attempts === 1) spin();
    };
    let i = 0;
    let slices = 0;
    while (i < 3) {
      i = runSliceWithBudget(i, 3, task, 400, 200, { interrupted: () => events.push('interrupted'), overBudget: (k) => events.push(`over ${k}`) });
      slices++;
    }
    assert.deepEqual(events, ['interrupted']);
    assert.equal(attempts, 2);
    assert.equal(slices, 2);
  });

  it('runs a thousand quick tasks in one slice (one watchdog)', () => {
    let n = 0;
    const next = runSliceWithBudget(0, 1000, () => n++, 5000, 2500, { interrupted: () => assert.fail('interrupted'), overBudget: () => assert.fail('over budget') });
    assert.equal(next, 1000);
    assert.equal(n, 1000);
  });
});

describe('what an interrupted task leaves behind (why the CLI preloads modules)', function () {
  this.timeout(20000);

  it('a module whose first evaluation is interrupted stays half evaluated: requiring it again gives the partial exports', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-half-module-'));
    try {
      const file = path.join(dir, 'slow.js');
      fs.writeFileSync(file, 'exports.first = 1;\nconst until = Date.now() + 60000;\nwhile (Date.now() < until) {}\nexports.second = 2;\n');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      assert.deepEqual(runWithBudget(() => require(file), 100), { overBudget: 100 });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      assert.deepEqual({ ...require(file) }, { first: 1 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('preloadAnalyserModules evaluates every module morphologyHost requires on first use', () => {
    const source = fs.readFileSync(path.join(__dirname, '../../server/src/morphologyHost.ts'), 'utf8');
    const lazy = [...source.matchAll(/require\('([^']+)'\)/g)].map((m) => m[1]);
    assert.ok(lazy.length >= 4, lazy.join(', '));
    // In a fresh process: this one may have loaded them already through other tests.
    const probe = [
      `const { preloadAnalyserModules } = require(${JSON.stringify(path.join(__dirname, '../../server/src/morphologyHost.ts'))});`,
      `const names = ${JSON.stringify(lazy)};`,
      'const before = names.filter((n) => require.cache[require.resolve(n)]);',
      'preloadAnalyserModules();',
      'console.log(JSON.stringify({ before, after: names.filter((n) => require.cache[require.resolve(n)]) }));',
    ].join('\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', probe], { cwd: path.join(__dirname, '../..'), encoding: 'utf8', timeout: 20000 });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { before: [], after: lazy });
  });
});

describe('the CLI worker count by default (--jobs auto)', () => {
  it('is one worker per two logical CPUs, at most one per 50 files, and none rather than one', () => {
    assert.equal(FILES_PER_WORKER, 50);
    const table: Array<[files: number, cpus: number, workers: number]> = [
      [1000, 1, 0],
      [1000, 2, 0],
      [1000, 3, 0],
      [1000, 4, 2],
      [1000, 8, 4],
      [1000, 16, 8],
      [50, 16, 0],
      [51, 16, 2],
      [120, 16, 3],
      [0, 16, 0],
    ];
    for (const [files, cpus, workers] of table) assert.equal(autoWorkerCount(files, cpus), workers, `${files} files, ${cpus} CPUs`);
  });
});
