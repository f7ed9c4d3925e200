/**
 * Parsing and document structure: LSP positions (CRLF, lone CR, BOM, surrogate pairs),
 * citations (what counts and what does not), and claims (ATX, setext, nesting, front matter).
 */
import * as assert from 'node:assert/strict';
import { createPolicyService, defaultConfig, type PolicyService } from '../../server/src/service';
import { LineIndex } from '../../server/src/service/text';
import { fixtureIndex } from '../helpers/fixtureCatalog';
import { InMemoryDocument, InMemoryWorkspace, joinLines } from '../helpers/inMemory';

describe('document', () => {
  let service: PolicyService;
  const config = defaultConfig();
  beforeEach(() => {
    service = createPolicyService({ catalog: fixtureIndex(), workspace: new InMemoryWorkspace() });
  });
  const analyze = (text: string, uri = 'file:///doc.md') => service.analyze(new InMemoryDocument(uri, text), config);

  describe('LineIndex', () => {
    it('treats \\r\\n, \\n and a lone \\r as line ends', () => {
      const idx = new LineIndex('a\r\nb\rc\nd');
      assert.equal(idx.lineCount, 4);
      assert.deepEqual(idx.positionAt(3), { line: 1, character: 0 });
      assert.deepEqual(idx.positionAt(5), { line: 2, character: 0 });
      assert.deepEqual(idx.positionAt(7), { line: 3, character: 0 });
      assert.equal(idx.offsetAt({ line: 2, character: 0 }), 5);
      assert.equal(idx.lineText(0), 'a');
      assert.equal(idx.offsetAt({ line: 0, character: 99 }), 1, 'clamped to the line end, before \\r\\n');
    });
  });

  describe('positions', () => {
    const body = ['# 方針', '', '## 通信の秘密（TEL.18.1.6）', '', '通信の内容を保護する。'];
    const citationAt = (text: string) => {
      const a = analyze(text);
      const c = a.citations.find((x) => x.control === 'TEL.18.1.6');
      assert.ok(c, 'citation found');
      return { c, a };
    };
    for (const [name, eol] of [['\\n', '\n'], ['CRLF', '\r\n'], ['lone CR', '\r']] as const) {
      it(`are LSP positions with ${name} line ends`, () => {
        const { c, a } = citationAt(body.join(eol));
        assert.deepEqual(c.range, { start: { line: 2, character: 9 }, end: { line: 2, character: 19 } });
        assert.deepEqual(a.claims[0].range.start, { line: 2, character: 0 });
        const ev = a.claims[0].items.find((i) => i.item.id === 'TEL.18.1.6(b)')!.evidence!;
        assert.deepEqual(ev.range, { start: { line: 4, character: 0 }, end: { line: 4, character: 5 } });
      });
    }
    it('count a leading byte-order mark as one code unit of line 0', () => {
      const { c } = citationAt('\uFEFF## TEL.18.1.6 通信の秘密\n\n通信の内容。');
      assert.deepEqual(c.range.start, { line: 0, character: 4 });
    });
    it('count a surrogate pair (𠮷) as two UTF-16 code units', () => {
      const { c, a } = citationAt('## 𠮷野家の通信の秘密（TEL.18.1.6）\n\n𠮷 通信の内容を守る。');
      assert.deepEqual(c.range.start, { line: 0, character: 14 });
      const ev = a.claims[0].items.find((i) => i.item.id === 'TEL.18.1.6(b)')!.evidence!;
      assert.deepEqual(ev.range, { start: { line: 2, character: 3 }, end: { line: 2, character: 8 } });
    });
  });

  describe('citations', () => {
    it('finds controls and items in headings, prose and front matter', () => {
      const a = analyze(joinLines('---', 'controls: [12.4.1]', '---', '## TEL.18.1.6 e) 日時', '', '詳細は TEL 18.1.7 と ＴＥＬ．１８．１．６ を参照。'));
      const got = a.citations.map((c) => `${c.where}:${c.item ?? c.control}`);
      assert.deepEqual(got, ['heading:TEL.18.1.6(e)', 'prose:TEL.18.1.7', 'prose:TEL.18.1.6', 'front-matter:12.4.1']);
    });
    it('takes a bare number only when bracketed, never a heading\'s own section number', () => {
      const a = analyze(joinLines('### 12.4.1 Callers asking', '', '## 3. 通信の秘密', '', '第5条 12.4.1 applies; see [12.4.1] and （12.4.1） and (ref. 12.4.1).'));
      assert.deepEqual(a.citations.map((c) => c.raw), ['12.4.1', '12.4.1', '12.4.1']);
      assert.ok(a.citations.every((c) => c.where === 'prose'));
      assert.equal(a.claims.length, 0);
    });
    it('ignores code blocks, inline code and HTML comments', () => {
      const a = analyze(joinLines('## Title', '', '```', 'TEL.18.1.6', '```', '', 'Use `TEL.18.1.6` here <!-- TEL.18.1.7 -->.', '', '    TEL.18.1.6 indented code'));
      assert.deepEqual(a.citations, []);
    });
    it('finds ids in other front-matter values as citations, not claims', () => {
      const a = analyze(joinLines('---', 'title: 通信の秘密', 'related: "see TEL.18.1.7"', '---', 'x'));
      assert.deepEqual(a.citations.map((c) => [c.where, c.control, c.range.start.line, c.range.start.character]), [['front-matter', 'TEL.18.1.7', 2, 14]]);
      assert.equal(a.claims.length, 0);
    });
    it('marks ids outside the catalogue as unknown (no control)', () => {
      const a = analyze('See TEL.18.1.9 and TEL.18.1.6(z).');
      assert.deepEqual(a.citations.map((c) => [c.raw, c.control]), [['TEL.18.1.9', undefined], ['TEL.18.1.6(z)', undefined]]);
    });
  });

  describe('claims', () => {
    it('an ATX heading claims its section, subsections included, up to the next heading of the same level', () => {
      const a = analyze(joinLines('## 通信の秘密（TEL.18.1.6）', '### 詳細', '発信元を記録しない。', '## 次の章', '通信の日時を保存する。'));
      assert.equal(a.claims.length, 1);
      const c = a.claims[0];
      assert.equal(c.how, 'heading');
      assert.deepEqual(c.section, { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } });
      const status = (id: string) => c.items.find((i) => i.item.id === id)!.addressed;
      assert.equal(status('TEL.18.1.6(c)'), true, 'subsection prose counts');
      assert.equal(status('TEL.18.1.6(e)'), false, 'the next section does not');
    });
    it('setext headings claim too', () => {
      const a = analyze(joinLines('Secrecy (TEL.18.1.6)', '====================', '', 'We protect the sender.', '', 'Other', '-----', 'The recipient.'));
      assert.equal(a.claims.length, 1);
      const c = a.claims[0];
      assert.equal(c.items.find((i) => i.item.id === 'TEL.18.1.6(c)')!.addressed, true);
      // The level-2 "Other" is a subsection of the level-1 heading, so it counts.
      assert.equal(c.items.find((i) => i.item.id === 'TEL.18.1.6(d)')!.addressed, true);
    });
    it('one heading may claim several controls; the heading text itself is not evidence', () => {
      const a = analyze(joinLines('## 通信の内容とログ（TEL.18.1.6, 12.4.1）', '', '特になし。'));
      assert.deepEqual(a.claims.map((c) => c.control), ['TEL.18.1.6', '12.4.1']);
      assert.equal(a.claims[0].items.find((i) => i.item.id === 'TEL.18.1.6(b)')!.addressed, false);
    });
    it('a heading citing an item claims just that item', () => {
      const a = analyze(joinLines('## 日時（TEL.18.1.6 e)）', '', '通信の日時を保護する。'));
      assert.equal(a.claims.length, 1);
      assert.deepEqual(a.claims[0].items.map((i) => [i.item.id, i.addressed]), [['TEL.18.1.6(e)', true]]);
    });
    it('front matter claims the whole document, ranged on the entry', () => {
      const a = analyze(joinLines('---', 'title: x', 'controls: [TEL.18.1.6, 12.4.1]', '---', '# 方針', '通信の内容。', '## 別章', '発信元。'));
      assert.deepEqual(a.claims.map((c) => [c.control, c.how, c.range.start.line]), [['TEL.18.1.6', 'front-matter', 2], ['12.4.1', 'front-matter', 2]]);
      const st = (id: string) => a.claims[0].items.find((i) => i.item.id === id)!.addressed;
      assert.equal(st('TEL.18.1.6(b)'), true);
      assert.equal(st('TEL.18.1.6(c)'), true);
    });
  });

  describe('evidence scope', () => {
    it('code blocks, inline code and HTML comments address nothing', () => {
      const a = analyze(joinLines('## 通信の秘密（TEL.18.1.6）', '', '```', '通信の日時', '```', '', '`発信元` <!-- 宛先 --> 通信の内容。'));
      const addressed = a.claims[0].items.filter((i) => i.addressed).map((i) => i.item.id);
      assert.deepEqual(addressed, ['TEL.18.1.6(b)']);
    });
    it('front matter may claim single items; unknown entries are unknown citations', () => {
      const a = analyze(joinLines('---', 'controls: [TEL.18.1.6(e), TEL.18.1.9]', '---', '通信の日時を守る。'));
      assert.deepEqual(a.claims.map((c) => c.items.map((i) => [i.item.id, i.addressed])), [[['TEL.18.1.6(e)', true]]]);
      assert.deepEqual(a.findings.map((f) => [f.code, f.range.start.line]), [['unknown-control', 1]]);
    });
  });

  describe('language', () => {
    it('tells Japanese from English, honours a fixed language', () => {
      assert.equal(analyze('## 方針\n\n当社は通信の秘密を守る。Policy v2 applies.').lang, 'ja');
      assert.equal(analyze('## Policy\n\nWe protect the secrecy of communications (通信の秘密).').lang, 'en');
      const fixed = { ...defaultConfig(), language: 'en' as const };
      assert.equal(service.analyze(new InMemoryDocument('file:///j.md', '当社は通信の秘密を守る。'), fixed).lang, 'en');
    });
  });

  describe('caching', () => {
    it('reuses the analysis for the same version and config, recomputes after a change', () => {
      const doc = new InMemoryDocument('file:///c.md', '## TEL.18.1.6\n\n通信の内容。');
      const a1 = service.analyze(doc, config);
      assert.equal(service.analyze(doc, config), a1);
      doc.update('## TEL.18.1.6\n\n通信の日時。');
      const a2 = service.analyze(doc, config);
      assert.notEqual(a2, a1);
      assert.equal(a2.claims[0].items.find((i) => i.item.id === 'TEL.18.1.6(e)')!.addressed, true);
    });
  });
});
