/**
 * Parsing and document structure: LSP positions (CRLF, lone CR, BOM, surrogate pairs),
 * citations (what counts and what does not), and claims (ATX, setext, nesting, front matter).
 */
import * as assert from 'node:assert/strict';
import { createPolicyService, defaultConfig, type PolicyService } from '../../server/src/service';
import { LineIndex } from '../../server/src/service/text';
import { fixtureCatalog, fixtureIndex } from '../helpers/fixtureCatalog';
import { CatalogIndex } from '../../catalog/src/query';
import { InMemoryDocument, InMemoryWorkspace, joinLines } from '../helpers/inMemory';

describe('document', () => {
  let service: PolicyService;
  const config = defaultConfig();
  beforeEach(() => {
    service = createPolicyService({ catalog: fixtureIndex(), workspace: new InMemoryWorkspace() });
  });
  const analyze = (text: string, uri = 'file:///doc.md') => service.analyze(new InMemoryDocument(uri, text), config);
  const addressedIn = (svc: PolicyService, text: string) =>
    svc.analyze(new InMemoryDocument('file:///r.md', text), config).claims[0].items.filter((i) => i.addressed).map((i) => i.item.id);

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
    describe('inside Markdown inline syntax', () => {
      const cited = (text: string) => analyze(text).citations.map((c) => c.item ?? c.control);
      const rangeText = (text: string, i = 0) => {
        const c = analyze(text).citations[i];
        const lines = text.split('\n');
        assert.equal(c.range.start.line, c.range.end.line);
        return lines[c.range.start.line].slice(c.range.start.character, c.range.end.character);
      };
      it('a stable id of list n > 1 is not lost to link syntax: TEL.18.1.6[2](c)', () => {
        assert.deepEqual(cited('See TEL.18.1.6[2](c) for stored records.'), ['TEL.18.1.6[2](c)']);
        assert.equal(rangeText('See TEL.18.1.6[2](c) for stored records.'), 'TEL.18.1.6[2](c)');
        assert.deepEqual(cited('## 保存データ（TEL.18.1.6[2](c)）'), ['TEL.18.1.6[2](c)']);
        const a = analyze(joinLines('## Stored data (TEL.18.1.6[2](c))', '', 'We protect user records from unauthorized access.'));
        assert.deepEqual(a.claims.map((c) => c.items.map((i) => [i.item.id, i.addressed])), [[['TEL.18.1.6[2](c)', true]]]);
        assert.equal(a.claims[0].heading, 'Stored data (TEL.18.1.6[2](c))', 'the heading text keeps the id as written');
      });
      it('an id split by emphasis keeps its item: **TEL.18.1.6** e)', () => {
        assert.deepEqual(cited('Per **TEL.18.1.6** e) we keep dates.'), ['TEL.18.1.6(e)']);
        assert.equal(rangeText('Per **TEL.18.1.6** e) we keep dates.'), 'TEL.18.1.6** e)');
        assert.deepEqual(cited('## _TEL.18.1.6_ e) 日時'), ['TEL.18.1.6(e)']);
        assert.deepEqual(cited('*TEL.18.1.6(e)* and TEL.18.1.6 **(d)**'), ['TEL.18.1.6(e)', 'TEL.18.1.6(d)']);
      });
      it('a linked id counts once, at its text, not again in its destination', () => {
        const text = 'See [TEL.18.1.6](x1051-control:TEL.18.1.7) here.';
        assert.deepEqual(cited(text), ['TEL.18.1.6']);
        assert.equal(rangeText(text), 'TEL.18.1.6');
        assert.deepEqual(cited('See [TEL.18.1.6](https://example.org/TEL.18.1.6) e).'), ['TEL.18.1.6(e)']);
        assert.deepEqual(cited('See [the control](x1051-control:TEL.18.1.6).'), [], 'a destination alone is not prose');
      });
      it('backslash escapes and entities do not shift ranges', () => {
        const text = 'Esc \\* &amp; TEL.18.1.6\\[2\\](c) x';
        assert.deepEqual(cited(text), ['TEL.18.1.6[2](c)']);
        assert.equal(rangeText(text), 'TEL.18.1.6\\[2\\](c)');
      });
      it('table cells do not run into each other', () => {
        const a = analyze(joinLines('| id | item |', '| --- | --- |', '| TEL.18.1.6 | e) dates |'));
        assert.deepEqual(a.citations.map((c) => c.item ?? c.control), ['TEL.18.1.6']);
      });
      it('code spans, code blocks and HTML comments still cite nothing', () => {
        assert.deepEqual(cited(joinLines('`TEL.18.1.6[2](c)` and <!-- TEL.18.1.6 e) -->', '', '```', 'TEL.18.1.6[2](c)', '```')), []);
      });
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

  describe('evidence in lists and tables', () => {
    // The fixture with context words on the elements of TEL.18.1.6 (as the real catalogue has).
    const withContext = () => {
      const cat = fixtureCatalog();
      for (const it of cat.controls.find((c) => c.id === 'TEL.18.1.6')!.items) {
        if (it.list === 1) it.context = { ja: ['通信', '通話'], en: ['communication', 'call'] };
      }
      return createPolicyService({ catalog: new CatalogIndex(cat), workspace: new InMemoryWorkspace() });
    };
    const addressed = (svc: PolicyService, text: string) =>
      svc.analyze(new InMemoryDocument('file:///l.md', text), config).claims[0].items.filter((i) => i.addressed).map((i) => i.item.id);
    it('a list item takes its sense from the paragraph that leads it in', () => {
      const svc = withContext();
      assert.deepEqual(addressed(svc, joinLines('## 秘密（TEL.18.1.6）', '', '次の事項を通信の秘密として保護する。', '', '- 日時情報', '- 宛先')), ['TEL.18.1.6(d)', 'TEL.18.1.6(e)']);
      assert.deepEqual(addressed(svc, joinLines('## 秘密（TEL.18.1.6）', '', '委員会について：', '', '- 日時情報', '- 宛先')), [], 'a lead-in about something else gives no sense');
      assert.deepEqual(addressed(svc, joinLines('## 秘密（TEL.18.1.6）', '', '- 次の事項を通信の秘密として保護する：', '  - 日時情報')), ['TEL.18.1.6(e)'], 'a nested list is led in by its parent item');
    });
    it('a table body row is led in by its header row, and the header by the paragraph before the table', () => {
      const svc = withContext();
      assert.deepEqual(addressed(svc, joinLines('## 秘密（TEL.18.1.6）', '', '| 通信の情報 | 扱い |', '| --- | --- |', '| 日時情報 | 秘密 |')), ['TEL.18.1.6(e)']);
      assert.deepEqual(addressed(svc, joinLines('## Secrecy (TEL.18.1.6)', '', 'For every call we protect:', '', '| Item | Rule |', '| --- | --- |', '| timestamp | secret |')), ['TEL.18.1.6(e)']);
      assert.deepEqual(addressed(svc, joinLines('## Secrecy (TEL.18.1.6)', '', '| Meeting | When |', '| --- | --- |', '| board | timestamp |')), []);
    });
  });

  describe('against the real catalogue', () => {
    it('TEL.18.1.6 c) and d) tell the calling party from the called party', async () => {
      const { realIndex } = await import('../helpers/catalog');
      const svc = createPolicyService({ catalog: realIndex(), workspace: new InMemoryWorkspace() });
      const items = (text: string) => addressedIn(svc, joinLines('## Secrecy (TEL.18.1.6)', '', text)).filter((id) => /\((c|d)\)$/.test(id) && !id.includes('['));
      assert.deepEqual(items('The calling party and the calling number are secret.'), ['TEL.18.1.6(c)']);
      assert.deepEqual(items('The called party and the called number are secret.'), ['TEL.18.1.6(d)']);
    });
    it('generic words in another sense are not evidence of TEL.18.1.6 e), in either language', async () => {
      const { realIndex } = await import('../helpers/catalog');
      const svc = createPolicyService({ catalog: realIndex(), workspace: new InMemoryWorkspace() });
      const e = (text: string) => addressedIn(svc, joinLines('## 通信の秘密（TEL.18.1.6）', '', text)).includes('TEL.18.1.6(e)');
      assert.equal(e('委員会の開催日時は事務局が別途通知する。'), false);
      assert.equal(e('本規程の改版履歴は文書管理システムのタイムスタンプで管理する。'), false);
      assert.equal(e('The date and time of each training session is published on the intranet.'), false);
      assert.equal(e('通信が行われた日時は通信の秘密として保護する。'), true);
      assert.equal(e('The date and time of each call are confidential.'), true);
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
