/**
 * Rule fixtures: Markdown files in `test/rules/fixtures/` with the expected findings marked
 * inline, checked against the fixture catalogue.
 *
 * Markers (HTML comments, so they neither cite nor address anything):
 * - `<!-- expect: <code> [<item or control id>] [<severity>] -->` expects a finding on the next
 *   line that is not itself an expect marker (stack several above a heading);
 * - `<!-- expect@<line>: … -->` expects it on 1-based line `<line>` (for front matter).
 * A fixture passes when its findings are exactly the expected ones.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createPolicyService, defaultConfig, type Finding } from '../../server/src/service';
import { fixtureIndex } from '../helpers/fixtureCatalog';
import { InMemoryDocument, InMemoryWorkspace } from '../helpers/inMemory';

interface Expectation {
  line: number; // 0-based
  code: string;
  id?: string;
  severity?: string;
  marker: string;
}

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint']);

/** Reads the expectations of a fixture. */
export function readExpectations(text: string): Expectation[] {
  const lines = text.split(/\r\n|\r|\n/);
  const out: Expectation[] = [];
  const pending: Omit<Expectation, 'line'>[] = [];
  lines.forEach((line, i) => {
    const m = /^\s*<!--\s*expect(?:@(\d+))?:\s*([a-z-]+)((?:\s+\S+)*)\s*-->\s*$/.exec(line);
    if (m) {
      const rest = m[3].trim().split(/\s+/).filter(Boolean);
      const e: Omit<Expectation, 'line'> = { code: m[2], marker: line.trim() };
      for (const r of rest) {
        if (SEVERITIES.has(r)) e.severity = r;
        else e.id = r;
      }
      if (m[1]) out.push({ ...e, line: Number(m[1]) - 1 });
      else pending.push(e);
      return;
    }
    for (const e of pending.splice(0)) out.push({ ...e, line: i });
  });
  assert.equal(pending.length, 0, 'an expect marker has no line after it');
  return out;
}

function matches(e: Expectation, f: Finding): boolean {
  return (
    f.range.start.line === e.line &&
    f.code === e.code &&
    (e.id === undefined || f.item === e.id || (f.item === undefined && f.control === e.id)) &&
    (e.severity === undefined || f.severity === e.severity)
  );
}

describe('rule fixtures', () => {
  const dir = path.join(__dirname, 'fixtures');
  const service = createPolicyService({ catalog: fixtureIndex(), workspace: new InMemoryWorkspace() });
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.md')).sort();

  it('there are fixtures for every document rule', () => {
    for (const code of ['missing-item', 'unknown-control', 'unclaimed-topic', 'invalid-front-matter', 'invalid-directive']) {
      assert.ok(files.some((f) => fs.readFileSync(path.join(dir, f), 'utf8').includes(`expect: ${code}`) || fs.readFileSync(path.join(dir, f), 'utf8').includes(`: ${code}`)), code);
    }
  });

  for (const file of files) {
    it(file, () => {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      const expected = readExpectations(text);
      const actual = service.diagnostics(new InMemoryDocument(`file:///fixtures/${file}`, text), defaultConfig());
      const left = [...actual];
      const missing: string[] = [];
      for (const e of expected) {
        const i = left.findIndex((f) => matches(e, f));
        if (i < 0) missing.push(`line ${e.line + 1}: ${e.marker}`);
        else left.splice(i, 1);
      }
      const unexpected = left.map((f) => `line ${f.range.start.line + 1}: ${f.code} ${f.item ?? f.control ?? ''} ${f.severity} — ${f.message}`);
      assert.deepEqual({ missing, unexpected }, { missing: [], unexpected: [] });
    });
  }
});
