/**
 * Issue #11 (8): no `Math.max(...spread)` / `Math.min(...spread)` in the product (an array of a
 * few hundred thousand values overflows the stack: `x1051 check` with ~120,000 findings printed
 * valid JSON, then threw and exited 1), and the functions that used them handle 300,000 values.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exitCodeOf } from '../../server/src/cli/check';
import { formatStylish, formatJson, formatSarif, type CheckReport } from '../../server/src/cli/formatters';
import { maxOf } from '../../server/src/cli/command';
import type { Finding } from '../../server/src/service/types';

const ROOT = path.resolve(__dirname, '..', '..');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : /\.ts$/.test(e.name) ? [p] : [];
  });
}

describe('no spread of unbounded arrays onto the stack (#11)', () => {
  it('server/src and client/src call Math.max/Math.min without spreading arrays', () => {
    const bad: string[] = [];
    for (const f of [...sources(path.join(ROOT, 'server', 'src')), ...sources(path.join(ROOT, 'client', 'src'))]) {
      fs.readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
        if (/Math\.(max|min)\([^)]*\.\.\./.test(line)) bad.push(`${path.relative(ROOT, f)}:${i + 1}`);
      });
    }
    assert.deepEqual(bad, []);
  });

  it('maxOf handles 300,000 values and the empty list', () => {
    const values = Array.from({ length: 300000 }, (_, i) => i % 1000);
    assert.equal(maxOf(values), 999);
    assert.equal(maxOf([], -1), -1);
  });

  it('exit code and every check format handle 300,000 findings', () => {
    const finding: Finding = { code: 'unknown-control', severity: 'warning', message: 'Unknown control TEL.18.1.66', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 11 } } };
    const findings = Array.from({ length: 300000 }, () => finding);
    const report: CheckReport = { files: [{ path: 'a.md', findings }], configs: [], errors: [], toolVersion: '0' };
    assert.equal(exitCodeOf(report), 1);
    assert.equal(exitCodeOf({ ...report, errors: ['x: cannot read (EACCES)'] }), 2);
    assert.match(formatStylish(report, false), /300000 problems/);
    assert.equal((JSON.parse(formatJson(report)) as { summary: { warnings: number } }).summary.warnings, 300000);
    assert.equal((JSON.parse(formatSarif(report, 'en')) as { runs: Array<{ results: unknown[] }> }).runs[0].results.length, 300000);
  });
});
