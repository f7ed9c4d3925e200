/**
 * Issue #11 (2): typing a term into `.x1051.yaml` compiled a 6–7 MB evidence matcher per
 * keystroke and kept every one (86 → 304 MB after 32 keystrokes). The service keeps the few most
 * recently used matchers; the caches stay flat over 100 config edits.
 */
import * as assert from 'node:assert/strict';
import { CatalogIndex } from '../../catalog/src/query';
import { createPolicyService, MAX_MATCHERS } from '../../server/src/service';
import { defaultConfig, globWork, isIncluded } from '../../server/src/service/config';
import { fixtureCatalog } from '../helpers/fixtureCatalog';
import { InMemoryDocument, InMemoryWorkspace } from '../helpers/inMemory';

describe('evidence matcher cache (#11)', () => {
  it('keeps at most a few compiled matchers over 100 config edits, and reuses one for the same terms', () => {
    const catalog = new CatalogIndex(fixtureCatalog());
    const doc = new InMemoryDocument('file:///w/a.md', '## Secrecy (TEL.18.1.6)\n\nWe protect the existence of communications.\n');
    const compiled: string[] = [];
    const svc = createPolicyService({ catalog, workspace: new InMemoryWorkspace([doc]), logger: { log: (m) => /compiled evidence matcher/.test(m) && compiled.push(m) } });
    let term = '';
    const sizes: number[] = [];
    for (let i = 0; i < 100; i++) {
      term += String.fromCharCode(97 + (i % 26));
      const { config } = svc.parseConfig(`terms:\n  TEL.18.1.6 a): { en: [${term}] }\n`, 'file:///w/.x1051.yaml');
      svc.analyze(doc, config);
      sizes.push(svc.cacheSizes().matchers);
    }
    assert.equal(compiled.length, 100, 'each new set of terms is compiled once');
    assert.ok(Math.max(sizes[sizes.length - 1], sizes[50]) <= MAX_MATCHERS, `entries stay flat: ${sizes.join(',')}`);
    assert.deepEqual(sizes.slice(MAX_MATCHERS), sizes.slice(MAX_MATCHERS).map(() => MAX_MATCHERS));
    // The same terms again (a fresh config object): no new compilation.
    const again = svc.parseConfig(`terms:\n  TEL.18.1.6 a): { en: [${term}] }\n`, 'file:///w/.x1051.yaml').config;
    svc.analyze(doc, again);
    assert.equal(compiled.length, 100);
    const sizesNow = svc.cacheSizes();
    assert.ok(sizesNow.analyses <= 1 && sizesNow.models <= 1 && sizesNow.parsed <= 1, JSON.stringify(sizesNow));
  });
});

describe('include/exclude decided once per configuration (#11)', () => {
  it('runs the globs for a path once per configuration object, again for a new one', () => {
    const config = defaultConfig();
    const before = globWork.runs;
    assert.equal(isIncluded('policies/a.md', config), true);
    const first = globWork.runs - before;
    assert.ok(first > 0);
    for (let i = 0; i < 100; i++) assert.equal(isIncluded('policies/a.md', config), true);
    assert.equal(globWork.runs - before, first, 'no glob run for a path already decided');
    assert.equal(isIncluded('node_modules/x/a.md', config), false);
    const other = defaultConfig();
    const mid = globWork.runs;
    assert.equal(isIncluded('policies/a.md', other), true);
    assert.ok(globWork.runs > mid, 'a new configuration decides afresh');
  });
});
