import * as assert from 'node:assert/strict';
import { createPolicyService, defaultConfig, type CompletionResult } from '../../server/src/service';
import { fixtureIndex } from '../helpers/fixtureCatalog';
import { InMemoryDocument, InMemoryWorkspace, joinLines, withCursor, CURSOR } from '../helpers/inMemory';

const catalog = fixtureIndex();
const service = createPolicyService({ catalog, workspace: new InMemoryWorkspace() });

function complete(text: string, language: 'auto' | 'ja' | 'en' = 'auto'): CompletionResult {
  const { doc, position } = withCursor('file:///c.md', text);
  return service.completion(doc, position, { ...defaultConfig(), language });
}

const labels = (r: CompletionResult, kind?: string) => r.items.filter((i) => !kind || i.kind === kind).map((i) => i.label);

describe('completion', () => {
  it('offers TEL controls after "TEL." with titles, replacing what was typed', () => {
    const r = complete(joinLines('# 方針', '', `詳細は TEL.${CURSOR}`));
    assert.deepEqual(labels(r, 'control'), ['TEL.18.1.6', 'TEL.18.1.7']);
    const first = r.items.find((i) => i.label === 'TEL.18.1.6')!;
    assert.equal(first.detail, '通信の秘密保持');
    assert.deepEqual(first.textEdit.range, { start: { line: 2, character: 4 }, end: { line: 2, character: 8 } });
    assert.equal(first.textEdit.newText, 'TEL.18.1.6');
    // Documentation is added lazily.
    assert.equal(first.documentation, undefined);
    const resolved = service.resolveCompletion(first);
    assert.match(resolved.documentation ?? '', /## TEL\.18\.1\.6 通信の秘密保持/);
  });

  it('narrows by the digits typed and accepts full-width input', () => {
    assert.deepEqual(labels(complete(`see TEL.18.1.7${CURSOR}`), 'control'), ['TEL.18.1.7']);
    assert.deepEqual(labels(complete(`ＴＥＬ．18.1${CURSOR}`), 'control'), ['TEL.18.1.6', 'TEL.18.1.7']);
  });

  it('offers every control inside brackets', () => {
    const r = complete(`ログは（${CURSOR}`);
    assert.deepEqual(labels(r, 'control'), ['12.4.1', '12.4.2', 'TEL.18.1.6', 'TEL.18.1.7']);
    const square = complete(`Logs are kept [12.${CURSOR}`);
    assert.deepEqual(labels(square, 'control'), ['12.4.1', '12.4.2']);
    assert.deepEqual(square.items[0].textEdit.range.start, { line: 0, character: 15 });
  });

  it('offers controls in the front matter controls key, inline and as a block list', () => {
    assert.deepEqual(labels(complete(joinLines('---', `controls: [${CURSOR}`, '---')), 'control').length, 4);
    assert.deepEqual(labels(complete(joinLines('---', 'title: x', 'controls:', `  - ${CURSOR}`, '---')), 'control').length, 4);
    // Another key of the front matter gets no ids.
    assert.deepEqual(labels(complete(joinLines('---', 'controls:', '  - 12.4.1', `title: ${CURSOR}`, '---')), 'control'), []);
  });

  it('offers the items of a control after the id and a space, with subjects', () => {
    const r = complete(`## TEL.18.1.6 ${CURSOR}`, 'ja');
    const items = r.items.filter((i) => i.kind === 'item');
    // List 1 labels alone; list 2 labels that list 1 also has need the list number.
    assert.equal(items[0].label, 'a)');
    assert.equal(items[0].detail, '通信の存在');
    assert.ok(items.some((i) => i.label === '[2] a)'));
    assert.ok(items.some((i) => i.label === 'i)' && i.detail === '電話帳掲載の選択'), 'list 2 i) resolves without its list number');
    const twoA = items.find((i) => i.label === '[2] a)')!;
    // "[2]" must follow the id directly, so the space typed is replaced.
    assert.deepEqual(twoA.textEdit.range, { start: { line: 0, character: 13 }, end: { line: 0, character: 14 } });
    assert.equal(twoA.textEdit.newText, '[2] a)');
    const e = items.find((i) => i.label === 'e)')!;
    assert.equal(e.textEdit.newText, ' e)');
    assert.match(service.resolveCompletion(e).documentation ?? '', /TEL\.18\.1\.6\(e\)/);
  });

  it('offers items after an opening parenthesis', () => {
    const r = complete(`TEL.18.1.6(${CURSOR}`);
    const e = r.items.find((i) => i.label === 'e)')!;
    assert.equal(e.textEdit.newText, '(e)');
    assert.ok(!r.items.some((i) => i.kind === 'control'), 'no ids after an id and "("');
  });

  it('offers no items after a complete item reference', () => {
    assert.equal(complete(`TEL.18.1.6 e) ${CURSOR}`).items.filter((i) => i.kind === 'item').length, 0);
  });

  it('offers a section snippet per control at the start of a line, with a line per required item', () => {
    const r = complete(joinLines('# 方針', '', `## ${CURSOR}`), 'ja');
    const snippets = r.items.filter((i) => i.kind === 'snippet');
    assert.equal(snippets.length, 4);
    const s = snippets.find((i) => i.label.includes('TEL.18.1.6'))!;
    assert.ok(s.snippet);
    assert.match(s.label, /X\.1051 管理策の節/);
    const lines = s.textEdit.newText.split('\n');
    assert.equal(lines[0], '## TEL.18.1.6 通信の秘密保持');
    // Five required items of list 1, none of the recommended list 2.
    assert.equal(lines.filter((l) => l.startsWith('- ')).length, 5);
    // Each line is a stub with its tab stop after the label: accepted as is, it is not evidence.
    assert.equal(lines[2], '- **TEL.18.1.6 a) 通信の存在**：${1}<!-- x1051-stub TEL.18.1.6(a): 記述してください — 通信の存在 -->');
    assert.deepEqual(s.textEdit.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 3 } });
    // A control without required items lists its recommended ones; an as-is control only its heading.
    assert.match(snippets.find((i) => i.label.includes('12.4.1'))!.textEdit.newText, /\$\{2\}<!-- x1051-stub 12\.4\.1\(2\):/);
    assert.equal(snippets.find((i) => i.label.includes('12.4.2'))!.textEdit.newText, '## 12.4.2 ログ情報の保護\n\n$0');
  });

  it('a section snippet accepted without typing leaves every item missing, each stub an unfilled-stub', () => {
    const r = complete(joinLines('# 方針', '', `## ${CURSOR}`), 'ja');
    const s = r.items.find((i) => i.kind === 'snippet' && i.label.includes('TEL.18.1.6'))!;
    // What the editor inserts when the author tabs through: tab stops empty.
    const inserted = s.textEdit.newText.replace(/\$\{?\d+\}?/g, '').replace(/\\([\\$}])/g, '$1');
    const found = service.diagnostics(new InMemoryDocument('file:///snippet.md', joinLines('# 方針', '', inserted)), defaultConfig());
    const required = ['TEL.18.1.6(a)', 'TEL.18.1.6(b)', 'TEL.18.1.6(c)', 'TEL.18.1.6(d)', 'TEL.18.1.6(e)'];
    assert.deepEqual(found.filter((f) => f.code === 'missing-item' && f.item).map((f) => f.item), required);
    assert.deepEqual(found.filter((f) => f.code === 'unfilled-stub').map((f) => f.item), required);
  });

  it('filters section snippets by the id typed at the start of a line', () => {
    const r = complete(`## TEL.18.${CURSOR}`);
    const snippets = r.items.filter((i) => i.kind === 'snippet');
    const typed = '## TEL.18.';
    const matching = snippets.filter((i) => (i.filterText ?? i.label).startsWith(typed));
    assert.ok(matching.some((i) => i.label.includes('TEL.18.1.6')));
    assert.ok(matching.every((i) => i.label.includes('TEL.18.')), 'only TEL.18 controls start with what was typed');
  });

  it('offers no section snippets in the middle of prose', () => {
    assert.equal(complete(`当社は ${CURSOR}`).items.filter((i) => i.kind === 'snippet').length, 0);
  });

  it('offers nothing past the end of the document', () => {
    const { doc } = withCursor('file:///c.md', `x${CURSOR}`);
    assert.deepEqual(service.completion(doc, { line: 5, character: 0 }, defaultConfig()).items, []);
  });
});

describe('completion against the real catalogue', () => {
  it('offers the numbered sub-items after an item with a sub-list (TEL.13.1.4(e)( → 1) … 8))', async () => {
    const { realIndex } = await import('../helpers/catalog');
    const real = createPolicyService({ catalog: realIndex(), workspace: new InMemoryWorkspace() });
    const { doc, position } = withCursor('file:///r.md', `迷惑通信は TEL.13.1.4(e)(${CURSOR}`);
    const r = real.completion(doc, position, defaultConfig());
    assert.deepEqual(r.items.map((i) => i.label), ['1)', '2)', '3)', '4)', '5)', '6)', '7)', '8)']);
    assert.equal(r.items[3].textEdit.newText, '(4)');
    // Applying a proposal gives a reference that resolves to the sub-item.
    const text = `迷惑通信は TEL.13.1.4(e)(4)`;
    const analysis = real.analyze(new InMemoryDocument('file:///r2.md', text), defaultConfig());
    assert.equal(analysis.citations[0].item, 'TEL.13.1.4[2](e)(4)');
    // The top-level items of a control with three lists: labels alone when unambiguous.
    const w = withCursor('file:///r3.md', `TEL.13.1.4 ${CURSOR}`);
    const top = real.completion(w.doc, w.position, defaultConfig());
    assert.deepEqual(top.items.filter((i) => i.kind === 'item').map((i) => i.label), ['a)', 'b)', 'c)', 'd)', 'e)', 'f)', 'g)', 'h)', 'i)', 'j)']);
  });
});
