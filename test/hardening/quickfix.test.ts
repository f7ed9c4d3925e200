/**
 * Every quick fix on every rule fixture (fixture catalogue) and every example (real compiled
 * catalogue), applied and re-checked: its finding is gone, no new finding appears, and the
 * author's text is all still there (the original is a subsequence of the result). The one fix that
 * replaces text — did-you-mean on an unknown id — may change only the id it was asked for.
 * Stubs are the exception to "its finding is gone": a stub never clears a missing item (it is a
 * placeholder, not evidence); the only findings it adds are one unfilled-stub per stub.
 * Fix-all applied twice changes nothing the second time.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCatalog } from '../../catalog/src/load';
import type { CatalogIndex } from '../../catalog/src/query';
import { createPolicyService, defaultConfig, FIX_ALL_KIND, LineIndex, type CodeActionEntry, type Finding, type PolicyService } from '../../server/src/service';
import { fixtureIndex } from '../helpers/fixtureCatalog';
import { InMemoryDocument, InMemoryWorkspace } from '../helpers/inMemory';

const ROOT = path.resolve(__dirname, '..', '..');

/** Applies an action's edits (non-overlapping, as LSP requires) to `text`. */
function apply(text: string, action: CodeActionEntry): string {
  const lines = new LineIndex(text);
  const edits = action.edits.map((e) => ({ s: lines.offsetAt(e.range.start), e: lines.offsetAt(e.range.end), t: e.newText })).sort((a, b) => b.s - a.s || b.e - a.e);
  for (let i = 1; i < edits.length; i++) assert.ok(edits[i].e <= edits[i - 1].s, `${action.title}: edits overlap`);
  let out = text;
  for (const e of edits) out = out.slice(0, e.s) + e.t + out.slice(e.e);
  return out;
}

function isSubsequence(small: string, big: string): boolean {
  let j = 0;
  for (let i = 0; i < big.length && j < small.length; i++) if (big[i] === small[j]) j++;
  return j === small.length;
}

/** Items of the stubs `after` has that `before` had not. */
function newStubs(before: string, after: string): string[] {
  const ids = (t: string) => [...t.matchAll(/<!-- x1051-stub (\S+):/g)].map((m) => m[1]);
  const old = ids(before);
  return ids(after).filter((id) => {
    const i = old.indexOf(id);
    if (i < 0) return true;
    old.splice(i, 1);
    return false;
  }).sort();
}

const key = (f: Finding) => `${f.code}|${f.item ?? f.control ?? ''}|${f.message}`;

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.md') && e.name !== 'README.md' ? [path.join(dir, e.name)] : []));
}

function suite(name: string, paths: string[], catalog: () => CatalogIndex): void {
  describe(name, () => {
    let service: PolicyService;
    before(() => {
      service = createPolicyService({ catalog: catalog(), workspace: new InMemoryWorkspace() });
    });
    const config = defaultConfig();
    const check = (text: string, n: number) => service.diagnostics(new InMemoryDocument(`file:///q/${n}.md`, text), config);
    let counter = 0;

    for (const file of paths) {
      const rel = path.relative(ROOT, file);
      it(`${rel}: every quick fix clears its finding (a stub never: it adds its unfilled-stub only), adds none, keeps the author's text`, () => {
        const text = fs.readFileSync(file, 'utf8');
        const doc = new InMemoryDocument(`file:///q/${rel}`, text);
        const before = service.diagnostics(doc, config);
        const beforeKeys = new Set(before.map(key));
        let tried = 0;
        for (const finding of before) {
          const actions = service.codeActions(doc, finding.range, { only: ['quickfix'] }, config).filter((a) => a.fixes.some((f) => key(f) === key(finding)));
          for (const action of actions) {
            tried++;
            const after = apply(text, action);
            const afterFindings = check(after, counter++);
            const afterKeys = afterFindings.map(key);
            const added = afterKeys.filter((k) => !beforeKeys.has(k));
            if (finding.code === 'missing-item') {
              // A stub never clears a missing item, and adds exactly one unfilled-stub per stub.
              assert.ok(afterKeys.includes(key(finding)), `${rel}: "${action.title}" cleared ${key(finding)} with a stub`);
              const stubs = newStubs(text, after);
              assert.ok(stubs.length > 0, `${rel}: "${action.title}" inserted no stub`);
              assert.deepEqual(afterFindings.filter((f) => !beforeKeys.has(key(f))).map((f) => `${f.code} ${f.item}`).sort(), stubs.map((id) => `unfilled-stub ${id}`).sort(), `${rel}: "${action.title}" added findings`);
            } else {
              assert.ok(!afterKeys.includes(key(finding)), `${rel}: "${action.title}" left ${key(finding)}`);
              assert.deepEqual(added, [], `${rel}: "${action.title}" added findings`);
            }
            if (finding.code === 'unknown-control' || finding.code === 'weak-wording') {
              // Did-you-mean replaces exactly the unknown id, and the weak-wording fix exactly the
              // hedged phrase: the replacement is what the author asks for, and nothing else changes.
              assert.equal(action.edits.length, 1);
              const lines = new LineIndex(text);
              const e = action.edits[0];
              const [s, t] = [lines.offsetAt(e.range.start), lines.offsetAt(e.range.end)];
              assert.ok(s >= lines.offsetAt(finding.range.start) && t <= lines.offsetAt(finding.range.end), `${action.title}: replaces only the id`);
            } else {
              assert.ok(isSubsequence(text, after), `${rel}: "${action.title}" removed some of the author's text`);
            }
          }
        }
        if (before.some((f) => f.code === 'missing-item')) assert.ok(tried > 0, 'missing items have fixes');
      });

      it(`${rel}: fix-all twice changes nothing the second time`, () => {
        const text = fs.readFileSync(file, 'utf8');
        const doc = new InMemoryDocument(`file:///q/${rel}`, text);
        const only = { only: [FIX_ALL_KIND] };
        const whole = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
        const first = service.codeActions(doc, whole, only, config).find((a) => a.kind === FIX_ALL_KIND);
        if (!first) {
          assert.ok(!service.diagnostics(doc, config).some((f) => f.code === 'missing-item'), 'fix-all is offered when items are missing');
          return;
        }
        const once = apply(text, first);
        assert.ok(isSubsequence(text, once), 'fix-all keeps the author\'s text');
        const afterFindings = check(once, counter++);
        const afterKeys = afterFindings.map(key);
        const beforeFindings = service.diagnostics(doc, config);
        const beforeKeys = new Set(beforeFindings.map(key));
        // Stubs are not evidence: every missing item is still reported after fix-all.
        for (const f of beforeFindings.filter((x) => x.code === 'missing-item')) assert.ok(afterKeys.includes(key(f)), `fix-all cleared ${key(f)}`);
        const stubs = newStubs(text, once).map((id) => `unfilled-stub ${id}`);
        assert.deepEqual(afterFindings.filter((f) => !beforeKeys.has(key(f))).map((f) => `${f.code} ${f.item}`).sort(), stubs, 'fix-all adds one unfilled-stub per stub and nothing else');
        const doc2 = new InMemoryDocument(`file:///q/${rel}.2`, once);
        const second = service.codeActions(doc2, whole, only, config).find((a) => a.kind === FIX_ALL_KIND);
        assert.equal(second ? apply(once, second) : once, once, 'the second fix-all changes nothing');
      });
    }
  });
}

describe('hardening: quick fixes under test', function () {
  this.timeout(60000);
  suite('rule fixtures (fixture catalogue)', files(path.join(ROOT, 'test', 'rules', 'fixtures')), fixtureIndex);
  suite('examples (real catalogue)', files(path.join(ROOT, 'examples')), () => loadCatalog(path.join(ROOT, 'dist', 'catalog.json')));
});
