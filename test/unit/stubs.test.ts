/**
 * Stubs and quoted catalogue text are never evidence (stubs.ts), when a stub counts as filled
 * (rule unfilled-stub), and where stubs land when a section ends in an open construct.
 */
import * as assert from 'node:assert/strict';
import { createPolicyService, defaultConfig, FIX_ALL_KIND, LineIndex, type Finding, type TextEditEntry } from '../../server/src/service';
import { stubLine } from '../../server/src/service/features/codeActions';
import { findStubs } from '../../server/src/service/stubs';
import { parseMarkdown } from '../../server/src/service/markdown';
import { fixtureIndex } from '../helpers/fixtureCatalog';
import { InMemoryDocument, InMemoryWorkspace, joinLines } from '../helpers/inMemory';

const catalog = fixtureIndex();
const service = createPolicyService({ catalog, workspace: new InMemoryWorkspace() });
const config = defaultConfig();
let version = 1;
const check = (text: string): Finding[] => service.diagnostics(new InMemoryDocument('file:///s.md', text, version++), config);
const missing = (fs: Finding[]) => fs.filter((f) => f.code === 'missing-item' && f.item).map((f) => f.item);
const unfilled = (fs: Finding[]) => fs.filter((f) => f.code === 'unfilled-stub').map((f) => f.item);

const HEAD = ['# 方針', '', '## TEL.18.1.6 通信の秘密保持', '', '当社は通信の存在、通信の内容、発信元及び着信先を第三者に開示しない。', ''];
const item = (id: string) => catalog.item(id)!;
const E = stubLine(item('TEL.18.1.6(e)'), 'ja', catalog);

function applyEdits(text: string, edits: TextEditEntry[]): string {
  const lines = new LineIndex(text);
  const sorted = edits.map((e) => ({ s: lines.offsetAt(e.range.start), e: lines.offsetAt(e.range.end), t: e.newText })).sort((a, b) => b.s - a.s);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.s) + e.t + out.slice(e.e);
  return out;
}

describe('stubs are never evidence', () => {
  it('the stub carries a marker naming its item, the label, what to write and the item text', () => {
    assert.equal(E, '- **TEL.18.1.6 e) 通信の日時**：<!-- x1051-stub TEL.18.1.6(e): 記述してください — 通信の日時情報 -->');
    const stubs = findStubs(parseMarkdown(joinLines(...HEAD, E)));
    assert.deepEqual(stubs.map((s) => [s.item, s.filled]), [['TEL.18.1.6(e)', false]]);
  });

  it('an unfilled stub leaves its item missing and is one unfilled-stub warning with control and item', () => {
    const f = check(joinLines(...HEAD, E));
    assert.deepEqual(missing(f), ['TEL.18.1.6(e)']);
    const u = f.filter((x) => x.code === 'unfilled-stub');
    assert.equal(u.length, 1);
    assert.equal(u[0].severity, 'warning');
    assert.equal(u[0].control, 'TEL.18.1.6');
    assert.equal(u[0].item, 'TEL.18.1.6(e)');
    assert.equal(u[0].range.start.line, 6);
    assert.match(u[0].message, /TEL\.18\.1\.6 e\) 通信の日時 の記述欄が未記入です/);
  });

  it('is filled once the author writes text after the label (same line or a continuation line), and only that text is evidence', () => {
    // Text that addresses the item: the finding and the stub warning both clear.
    const written = E.replace('：<!--', '：通信の日時も第三者に開示しない。<!--');
    let f = check(joinLines(...HEAD, written));
    assert.deepEqual([missing(f), unfilled(f)], [[], []]);
    const continued = `${E}\n  通信の日時も第三者に開示しない。`;
    f = check(joinLines(...HEAD, continued));
    assert.deepEqual([missing(f), unfilled(f)], [[], []]);
    // Text that does not address it: the stub is written (no unfilled-stub), the label is still
    // not evidence, so the item stays missing.
    const other = E.replace('：<!--', '：別途定める。<!--');
    f = check(joinLines(...HEAD, other));
    assert.deepEqual([missing(f), unfilled(f)], [['TEL.18.1.6(e)'], []]);
  });

  it('deleting only the marker leaves a bare label, which is not evidence either', () => {
    const bare = E.replace(/<!--.*-->/, '');
    const f = check(joinLines(...HEAD, bare));
    assert.deepEqual([missing(f), unfilled(f)], [['TEL.18.1.6(e)'], []]);
    // The author's own bold label followed by text still counts, and so does a bold sentence of
    // the author's that starts with the reference.
    const f2 = check(joinLines(...HEAD, '- **TEL.18.1.6 e) 通信の日時**：通信の日時も開示しない。'));
    assert.deepEqual(missing(f2), []);
    const f3 = check(joinLines(...HEAD, '**TEL.18.1.6 e) 通信の日時も第三者に開示しない。**'));
    assert.deepEqual(missing(f3), []);
  });

  it('a marker inside a code block is not a stub', () => {
    const f = check(joinLines(...HEAD, '通信の日時も開示しない。', '', '```', E, '```'));
    assert.deepEqual([missing(f), unfilled(f)], [[], []]);
  });

  it('a blockquote that reproduces catalogue text is not evidence; the same words as prose are', () => {
    const text2a = item('TEL.18.1.6[2](a)').text.ja;
    const asProse = check(joinLines(...HEAD, '通信の日時も開示しない。', '', text2a));
    const asQuote = check(joinLines(...HEAD, '通信の日時も開示しない。', '', `> ${text2a}`));
    const folded = (fs: Finding[]) => fs.flatMap((f) => (f.data?.items as string[] | undefined) ?? []);
    assert.ok(!folded(asProse).includes('TEL.18.1.6[2](a)'), 'written as prose it counts');
    assert.ok(folded(asQuote).includes('TEL.18.1.6[2](a)'), 'quoted from the catalogue it does not');
    // A quote of the author's own words still counts.
    const own = check(joinLines(...HEAD, '> 通信の日時も第三者に開示しない。'));
    assert.deepEqual(missing(own), []);
  });

  it('"insert control text" quotes the statement, which is never evidence', () => {
    const text = joinLines(...HEAD.slice(0, 4), '通信の日時も開示しない。');
    const doc = new InMemoryDocument('file:///q.md', text);
    const [insert] = service.codeActions(doc, { start: { line: 2, character: 4 }, end: { line: 2, character: 4 } }, { only: ['refactor'] }, config).filter((a) => /control text|管理策の文言/.test(a.title));
    assert.ok(insert);
    const after = applyEdits(text, insert.edits);
    assert.match(after, /^> \*\*管理策（TEL\.18\.1\.6）\*\*：/m);
    assert.deepEqual(check(after).map((f) => f.code + ' ' + (f.item ?? '')), check(text).map((f) => f.code + ' ' + (f.item ?? '')));
  });
});

describe('stubs land where they work', () => {
  const fixAll = (text: string) => {
    const doc = new InMemoryDocument('file:///p.md', text, version++);
    const [a] = service.codeActions(doc, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { only: [FIX_ALL_KIND] }, config);
    assert.ok(a, 'fix-all is offered');
    return applyEdits(text, a.edits);
  };
  const body = ['# 方針', '', '## TEL.18.1.6 通信の秘密保持', '', '当社は通信の内容を第三者に開示しない。', ''];
  for (const [name, open, rest] of [
    ['an unclosed code fence', '```text', ['ログの例']],
    ['an unclosed tilde fence in a list item', '- ~~~', ['  x']],
    ['an unclosed HTML comment', '<!-- 下書き', ['未完成のメモ']],
    ['an unclosed <pre>', '<pre>', ['整形済み']],
  ] as const) {
    it(`a section ending in ${name} gets its stubs before it, outside it`, () => {
      const text = joinLines(...body, open, ...rest);
      const after = fixAll(text);
      const lines = after.split('\n');
      const firstStub = lines.findIndex((l) => l.includes('x1051-stub'));
      const opener = lines.indexOf(open);
      assert.ok(firstStub > 0 && firstStub < opener, after);
      assert.equal(lines[opener - 1], '', 'a blank line keeps the construct apart');
      // The stubs are read as stubs: each is an unfilled-stub finding.
      const f = check(after);
      assert.equal(unfilled(f).length, (after.match(/x1051-stub/g) ?? []).length);
      assert.ok(unfilled(f).length >= 4);
    });
  }

  it('a closed fence at the end of a section gets its stubs after it, as before', () => {
    const text = joinLines(...body, '```', 'code', '```', '', '## 次');
    const after = fixAll(text);
    const lines = after.split('\n');
    assert.ok(lines.findIndex((l) => l.includes('x1051-stub')) > lines.lastIndexOf('```'), after);
    assert.ok(lines.findIndex((l) => l.includes('x1051-stub')) < lines.indexOf('## 次'), after);
  });
});

describe('quoted control text against the real catalogue', function () {
  this.timeout(60000);

  it('the control text Insert Control… quotes (statement and every item, short ones too) addresses nothing, in both languages', async () => {
    const { realIndex } = await import('../helpers/catalog');
    const { controlText } = await import('../../client/src/snippets');
    const real = realIndex();
    const svc = createPolicyService({ catalog: real, workspace: new InMemoryWorkspace() });
    let checked = 0;
    for (const control of real.allControls()) {
      if (control.items.length === 0) continue;
      const id = control.id;
      checked++;
      for (const lang of ['ja', 'en'] as const) {
        const text = joinLines(`## ${control.title[lang]} [${id}]`, '', controlText(control, lang));
        const found = svc.diagnostics(new InMemoryDocument(`file:///ct/${id}.${lang}.md`, text, version++), { ...config, language: lang });
        const missingIds = new Set(found.filter((f) => f.code === 'missing-item').flatMap((f) => (f.item ? [f.item] : ((f.data?.items as string[] | undefined) ?? []))));
        const addressed = control.items.filter((i) => !missingIds.has(i.id) && !(i.parent && missingIds.has(i.parent)));
        assert.deepEqual(addressed.map((i) => i.id), [], `${id} ${lang}: quoted items counted as written`);
      }
    }
    assert.ok(checked > 30, 'every control with items');
  });
});
