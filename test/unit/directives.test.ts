/**
 * Directives: disable-next-line / disable-line / disable … enable, with and without rule lists,
 * and not-applicable with its scope and required reason.
 */
import * as assert from 'node:assert/strict';
import { createPolicyService, defaultConfig } from '../../server/src/service';
import { fixtureIndex } from '../helpers/fixtureCatalog';
import { InMemoryDocument, InMemoryWorkspace, joinLines } from '../helpers/inMemory';

const service = createPolicyService({ catalog: fixtureIndex(), workspace: new InMemoryWorkspace() });
let n = 0;
const diagnostics = (text: string) => service.diagnostics(new InMemoryDocument(`file:///d${n++}.md`, text), defaultConfig());
const codes = (text: string) => diagnostics(text).map((f) => `${f.range.start.line}:${f.code}`);

describe('directives', () => {
  it('disable-next-line above the heading silences its missing-item findings', () => {
    const text = joinLines('<!-- x1051-disable-next-line missing-item -->', '## 通信の秘密（TEL.18.1.6）', '', '通信の内容。');
    assert.deepEqual(codes(text), []);
  });
  it('disable-next-line with another rule does not silence missing-item', () => {
    const text = joinLines('<!-- x1051-disable-next-line unknown-control -->', '## 通信の秘密（TEL.18.1.6）', '', '通信の内容。');
    // Four required items, and one finding folding the ten recommended ones.
    assert.equal(codes(text).filter((c) => c.endsWith('missing-item')).length, 5);
  });
  it('disable … enable without rules silences everything in between', () => {
    const text = joinLines('<!-- x1051-disable -->', 'TEL.18.1.9', '<!-- x1051-enable -->', 'TEL.18.1.8');
    assert.deepEqual(codes(text), ['3:unknown-control']);
  });
  it('disable with a rule list leaves other rules on; enable of one rule inside a disable-all', () => {
    assert.deepEqual(codes(joinLines('<!-- x1051-disable missing-item -->', 'TEL.18.1.9')), ['1:unknown-control']);
    assert.deepEqual(codes(joinLines('<!-- x1051-disable -->', '<!-- x1051-enable unknown-control -->', 'TEL.18.1.9')), ['2:unknown-control']);
  });
  it('disable-line silences its own line', () => {
    assert.deepEqual(codes('TEL.18.1.9 <!-- x1051-disable-line -->'), []);
  });
  it('unknown directives and rule names are invalid-directive', () => {
    assert.deepEqual(codes(joinLines('<!-- x1051-disabel -->', '<!-- x1051-disable no-such-rule -->', 'TEL.18.1.9')), ['0:invalid-directive', '1:invalid-directive', '2:unknown-control']);
  });
  it('a directive inside a code block is not a directive', () => {
    assert.deepEqual(codes(joinLines('```', '<!-- x1051-disable -->', '```', 'TEL.18.1.9')), ['3:unknown-control']);
  });
  it('not-applicable marks the item in the claim that contains it, with its reason', () => {
    const text = joinLines('## 通信の秘密（TEL.18.1.6）', '<!-- x1051-not-applicable TEL.18.1.6(i): 当社は電話番号案内サービスを提供しない -->', '通信の内容。');
    const a = service.analyze(new InMemoryDocument('file:///na.md', text), defaultConfig());
    const st = a.claims[0].items.find((i) => i.item.id === 'TEL.18.1.6[2](i)')!;
    assert.equal(st.notApplicable?.reason, '当社は電話番号案内サービスを提供しない');
    assert.ok(!a.findings.some((f) => f.item === 'TEL.18.1.6[2](i)'));
    const missing = a.findings.filter((f) => f.code === 'missing-item');
    assert.equal(missing.length, 5);
    const folded = missing.find((f) => Array.isArray(f.data?.items))!;
    assert.equal((folded.data!.items as string[]).length, 9);
    assert.ok(!(folded.data!.items as string[]).includes('TEL.18.1.6[2](i)'));
  });
  it('not-applicable outside any claim of its control applies to the whole document', () => {
    const text = joinLines('<!-- x1051-not-applicable TEL.18.1.6 g): 発信者番号通知サービスを提供しない -->', '# 方針', '## A（TEL.18.1.6）', '## B（TEL.18.1.6）');
    const a = service.analyze(new InMemoryDocument('file:///na2.md', text), defaultConfig());
    assert.equal(a.claims.length, 2);
    for (const c of a.claims) assert.ok(c.items.find((i) => i.item.id === 'TEL.18.1.6[2](g)')!.notApplicable);
  });
  it('not-applicable needs a reason and a known id', () => {
    assert.deepEqual(codes('<!-- x1051-not-applicable TEL.18.1.6(i) -->'), ['0:invalid-directive']);
    assert.deepEqual(codes('<!-- x1051-not-applicable TEL.18.1.6(z): reason -->'), ['0:invalid-directive']);
    assert.deepEqual(codes('<!-- x1051-not-applicable: reason -->'), ['0:invalid-directive']);
  });
});
