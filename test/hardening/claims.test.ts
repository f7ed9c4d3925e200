/**
 * A quick fix never takes a claim away (#8): for every fix offered on the examples and on headings
 * with mistyped ids in every citation form, the claims after the fix include the claims before;
 * a did-you-mean fix on a claiming-looking heading leaves a heading that claims its candidate.
 * Random headings come from fast-check.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { loadCatalog } from '../../catalog/src/load';
import { createPolicyService, defaultConfig, LineIndex, type CodeActionEntry, type PolicyService } from '../../server/src/service';
import { InMemoryDocument, InMemoryWorkspace } from '../helpers/inMemory';

const ROOT = path.resolve(__dirname, '..', '..');

function apply(text: string, action: CodeActionEntry): string {
  const lines = new LineIndex(text);
  const edits = action.edits.map((e) => ({ s: lines.offsetAt(e.range.start), e: lines.offsetAt(e.range.end), t: e.newText })).sort((a, b) => b.s - a.s);
  let out = text;
  for (const e of edits) out = out.slice(0, e.s) + e.t + out.slice(e.e);
  return out;
}

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.md') && e.name !== 'README.md' ? [path.join(dir, e.name)] : []));
}

describe('hardening: quick fixes keep claims', function () {
  this.timeout(120000);
  let service: PolicyService;
  const config = defaultConfig();
  let n = 0;
  before(() => {
    service = createPolicyService({ catalog: loadCatalog(path.join(ROOT, 'dist', 'catalog.json')), workspace: new InMemoryWorkspace() });
  });
  const claims = (text: string) => service.analyze(new InMemoryDocument(`file:///claims/${n++}.md`, text), config).claims.map((c) => c.control);

  /** Every quick fix on every finding; returns the fixes' results. */
  function everyFix(text: string, check: (title: string, before: string[], after: string[], code: string) => void): number {
    const doc = new InMemoryDocument(`file:///claims/${n++}.md`, text);
    const before = claims(text);
    let tried = 0;
    for (const f of service.diagnostics(doc, config)) {
      for (const a of service.codeActions(doc, f.range, { only: ['quickfix'] }, config)) {
        if (!a.fixes.some((x) => x.code === f.code && x.message === f.message)) continue;
        tried++;
        const after = claims(apply(text, a));
        for (const c of new Set(before)) {
          assert.ok(after.filter((x) => x === c).length >= before.filter((x) => x === c).length, `"${a.title}" took away a claim of ${c}`);
        }
        check(a.title, before, after, f.code);
      }
    }
    return tried;
  }

  for (const file of files(path.join(ROOT, 'examples'))) {
    it(`${path.relative(ROOT, file)}: no fix reduces the claims`, () => {
      everyFix(fs.readFileSync(file, 'utf8'), () => undefined);
    });
  }

  it('did-you-mean on a mistyped id in a heading, in every citation form, leaves a heading that claims', () => {
    for (const heading of ['## A.12.4.9 Logging', '## TEL.12.4.1 Logging', '## Logging [12.4.9]', '## Logging (X.1051 12.4.9)', '## 通信の秘密（TEL.18.1.9）', '## Logging A.19.4.1']) {
      const text = `# Policy\n\n${heading}\n\nLogs are kept for one year.\n`;
      const tried = everyFix(text, (title, before, after, code) => {
        if (code === 'unknown-control') assert.ok(after.length > before.length, `${heading}: "${title}" leaves no claim`);
      });
      assert.ok(tried > 0, `${heading}: a fix is offered`);
    }
  });

  it('property: for random mistyped ids in random citation forms, fixes never reduce claims', () => {
    const ids = ['12.4.1', '9.1.1', '11.1.2', '13.1.2', '15.1.1', 'TEL.18.1.6', 'TEL.11.1.7', 'TEL.13.1.4'];
    const form = fc.constantFrom('A.%', '[%]', '（%）', 'X.1051 %', '%', 'ISO/IEC 27002 %');
    fc.assert(
      fc.property(fc.constantFrom(...ids), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 9 }), form, fc.constantFrom('Logging', '通信の秘密', 'Access'), (id, part, digit, f, words) => {
        const parts = id.replace(/^TEL\./, '').split('.');
        parts[part] = String(digit);
        const typo = (id.startsWith('TEL.') ? 'TEL.' : '') + parts.join('.');
        const cited = id.startsWith('TEL.') ? typo : f.replace('%', typo);
        everyFix(`# P\n\n## ${words} ${cited}\n\nWe keep logs and protect the content of communications.\n`, () => undefined);
      }),
      { numRuns: 60, seed: 8 },
    );
  });
});
