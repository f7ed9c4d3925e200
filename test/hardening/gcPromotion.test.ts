/**
 * Parse structures die young (`server/src/v8Tuning.ts`). With allocation-site pretenuring on, V8
 * may allocate micromark's tokenizer contexts in the old generation once `createTokenizer` is
 * optimised; every scavenge then keeps each parse's output alive and promotes it. With
 * compilation made synchronous (`--no-concurrent-recompilation`) that misjudgement happens in
 * every run over the bench's 1,000-policy corpus, so this test is deterministic. It counts the
 * bytes the scavenges promote, as V8 reports them (`--trace-gc-nvp`), on the bundled CLI: about
 * 40 MB with the setting, 340–370 MB without it.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli.js');

/** Bytes promoted by scavenges, per isolate, in `--trace-gc-nvp` output. */
function promotedByIsolate(trace: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of trace.split('\n')) {
    if (!line.includes(' gc=s ')) continue;
    const isolate = /^\[\d+:(0x[0-9a-f]+)\]/.exec(line)?.[1];
    const promoted = / promoted=(\d+)/.exec(line)?.[1];
    if (isolate && promoted) out.set(isolate, (out.get(isolate) ?? 0) + Number(promoted));
  }
  return out;
}

describe('garbage collection: parse structures are not promoted', function () {
  this.timeout(240_000);
  let dir: string;

  before(async () => {
    assert.ok(fs.existsSync(cli), 'run `npm run build` first');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-gc-'));
    const generator = '../../bench/generate.mjs';
    const generate = (await import(generator)) as { generateCorpus: (dir: string, o: { docs: number; catalog: unknown }) => void; loadGeneratorCatalog: () => unknown };
    generate.generateCorpus(dir, { docs: 1000, catalog: generate.loadGeneratorCatalog() });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const jobs of [0, 1]) {
    it(`a check of 1,000 policies promotes less than 120 MB per thread (--jobs ${jobs})`, () => {
      const run = spawnSync(process.execPath, ['--no-concurrent-recompilation', '--trace-gc-nvp', cli, 'check', dir, '--jobs', String(jobs)], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      assert.equal(run.status, 1, run.stderr);
      const promoted = promotedByIsolate(run.stdout);
      // The main thread, plus the worker with --jobs 1.
      assert.equal(promoted.size, jobs + 1, `isolates seen: ${[...promoted.keys()].join(', ')}`);
      for (const [isolate, bytes] of promoted) assert.ok(bytes < 120 * 1024 * 1024, `${isolate} promoted ${(bytes / 1048576).toFixed(0)} MB`);
    });
  }
});
