/**
 * Hover and completion while a fresh analysis is on its way (issue #13, goal 3): they answer from
 * the document's last analysis, at the right place when lines moved, and do no analysis of their
 * own; a hover on a line that changed gives nothing rather than a wrong answer.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { createPolicyService, defaultConfig } from '../../server/src/service';
import { mapUnchangedLine } from '../../server/src/service/index';
import { LineIndex } from '../../server/src/service/text';
import { fixtureIndex } from '../helpers/fixtureCatalog';
import { InMemoryDocument, InMemoryWorkspace, joinLines } from '../helpers/inMemory';

const POLICY = joinLines('# 方針', '', '## 第1条 通信の秘密（TEL.18.1.6）', '', '通信の内容を保護する。', '', '## 第2条 その他', '', '補足。', '');

describe('answers from the last analysis while a fresh one is on its way', () => {
  const config = defaultConfig();

  function setUp() {
    const analyzed: string[] = [];
    const waiting = new Set<string>();
    const ws = new InMemoryWorkspace();
    const service = createPolicyService({
      catalog: fixtureIndex(),
      workspace: ws,
      observer: { analyzed: (u) => analyzed.push(u) },
      scheduled: (uri) => waiting.has(uri),
    });
    const doc = new InMemoryDocument('file:///p.md', POLICY);
    ws.add(doc);
    service.analyze(doc, config);
    return { service, doc, analyzed, waiting };
  }

  it('a hover below an inserted line answers from the last analysis, at the moved place, without analysing', () => {
    const { service, doc, analyzed, waiting } = setUp();
    const before = service.hover(doc, { line: 2, character: 16 }, config)!;
    assert.ok(before, 'a hover on the cited id');
    doc.update(joinLines('# 方針', '', '新しい前文。', '', ...POLICY.split('\n').slice(2)));
    waiting.add(doc.uri);
    const count = analyzed.length;
    const moved = service.hover(doc, { line: 4, character: 16 }, config)!;
    assert.equal(analyzed.length, count, 'no analysis to answer it');
    assert.equal(moved.contents, before.contents);
    assert.deepEqual(moved.range, { start: { line: 4, character: before.range!.start.character }, end: { line: 4, character: before.range!.end.character } });
    // The fresh analysis, once due, answers the same.
    waiting.delete(doc.uri);
    assert.deepEqual(service.hover(doc, { line: 4, character: 16 }, config)!.range, moved.range);
    assert.equal(analyzed.length, count + 1);
  });

  it('a hover on the line that changed gives nothing until the fresh analysis, never the old line\'s answer', () => {
    const { service, doc, analyzed, waiting } = setUp();
    doc.update(POLICY.replace('## 第1条 通信の秘密（TEL.18.1.6）', '## 第1条 通信の秘密（TEL.18.1.7）'));
    waiting.add(doc.uri);
    const count = analyzed.length;
    assert.equal(service.hover(doc, { line: 2, character: 16 }, config), undefined);
    assert.equal(analyzed.length, count);
    waiting.delete(doc.uri);
    assert.match(String(service.hover(doc, { line: 2, character: 16 }, config)!.contents), /TEL\.18\.1\.7/);
  });

  it('completion on the line being typed answers from the current text, without analysing', () => {
    const { service, doc, analyzed, waiting } = setUp();
    doc.update(POLICY.replace('補足。', '補足 TEL.18.'));
    waiting.add(doc.uri);
    const count = analyzed.length;
    const r = service.completion(doc, { line: 8, character: 10 }, config);
    assert.equal(analyzed.length, count, 'no analysis to answer it');
    assert.ok(r.items.some((i) => i.label === 'TEL.18.1.6'), JSON.stringify(r.items.map((i) => i.label)));
  });

  it('without a fresh analysis on its way, a stale document is analysed to answer (as before)', () => {
    const { service, doc, analyzed } = setUp();
    doc.update(joinLines('# 方針', '', '新しい前文。', '', ...POLICY.split('\n').slice(2)));
    const count = analyzed.length;
    assert.ok(service.hover(doc, { line: 4, character: 16 }, config));
    assert.equal(analyzed.length, count + 1);
  });

  describe('mapUnchangedLine', () => {
    const piece = fc.constantFrom('a', 'TEL.18.1.6', '通信', ' ', '\n', '\r\n', '');
    const textArb = fc.array(piece, { maxLength: 40 }).map((p) => p.join(''));

    it('maps a line only to the identical line of the analysed text, and ranges back onto it', () => {
      fc.assert(
        fc.property(textArb, fc.nat(), fc.nat(), textArb, fc.nat(), (analysed, a, b, inserted, lineSeed) => {
          const from = a % (analysed.length + 1);
          const to = from + (b % (analysed.length - from + 1));
          const current = analysed.slice(0, from) + inserted + analysed.slice(to);
          const lines = new LineIndex(current);
          const old = new LineIndex(analysed);
          const line = lineSeed % lines.lineCount;
          const text = lines.lineText(line);
          const m = mapUnchangedLine(analysed, current, { line, character: 0 });
          if (!m) return;
          assert.equal(old.lineText(m.at.line), text);
          const range = { start: { line: m.at.line, character: 0 }, end: { line: m.at.line, character: text.length } };
          assert.deepEqual(m.back(range), { start: { line, character: 0 }, end: { line, character: text.length } });
        }),
        { numRuns: 3000 },
      );
    });

    it('maps lines before and after a local edit, not the edited line', () => {
      const analysed = 'one\ntwo\nthree\nfour\n';
      const current = 'one\ntwo\nTHREE and more\nline\nfour\n';
      assert.deepEqual(mapUnchangedLine(analysed, current, { line: 1, character: 2 })?.at, { line: 1, character: 2 });
      assert.equal(mapUnchangedLine(analysed, current, { line: 2, character: 0 }), undefined);
      assert.deepEqual(mapUnchangedLine(analysed, current, { line: 4, character: 1 })?.at, { line: 3, character: 1 });
    });
  });
});

describe('an edited document is scanned again only where it changed (issue #13, goal 2)', () => {
  it('a model built with the previous build\'s scans equals one built from scratch, and rescans only changed blocks', async () => {
    const { buildModel, ScanMemo } = await import('../../server/src/service/document');
    const { parseMarkdown } = await import('../../server/src/service/markdown');
    const { editionSearches } = await import('../../server/src/service/editionCitations');
    const catalog = fixtureIndex();
    const config = defaultConfig();
    const service = createPolicyService({ catalog, workspace: new InMemoryWorkspace() });
    const matcher = service.matcher(config);
    const sections = Array.from({ length: 40 }, (_, i) => [`## 第${i + 1}条 通信の秘密（TEL.18.1.6）`, '', '通信の内容を保護する。', '', '- 発信元を開示しない。', '- 通信の日時を記録しない。', ''].join('\n'));
    let text = ['# 方針', '', ...sections].join('\n');
    const memo = new ScanMemo(matcher);
    const strip = (m: ReturnType<typeof buildModel>) => JSON.stringify({ claims: m.claims, citations: m.citations, problems: m.problems, edition: m.edition, ambiguous: m.ambiguousIds });
    // A block and the block that leads it in (the paragraph before a list), as text.
    const pairs = (parsed: ReturnType<typeof parseMarkdown>) =>
      parsed.blocks.map((b) => `${b.text}\u0000${b.leadIn === undefined ? '' : parsed.blocks[b.leadIn].text}`);
    let before = parseMarkdown(text);
    const seen = { unchanged: 0, blocks: 0 };
    buildModel('file:///m.md', 1, before, catalog, matcher, config, memo);
    memo.endBuild();
    fc.assert(
      fc.property(fc.nat(), fc.constantFrom('', '通信の存在も秘密とする。', '\n\n- 宛先を開示しない。', 'See TEL.18.1.7.', ' A.8.15 も参照。', '\n\n## 第90条 ログ（A.8.15, 5.1 TEL）\n\n記録する。'), (at, insert) => {
        const lines = text.split('\n');
        const line = at % lines.length;
        lines[line] += insert;
        text = lines.join('\n');
        memo.reused = 0;
        const after = parseMarkdown(text);
        const known = new Set(pairs(before));
        const unchanged = pairs(after).filter((p) => known.has(p)).length;
        before = after;
        const searched = editionSearches.blocks;
        const computed = memo.textsComputed;
        const withMemo = buildModel('file:///m.md', 2, after, catalog, matcher, config, memo);
        memo.endBuild();
        // The ids of both numberings and the language counts of an unchanged block come from the
        // memo: only changed blocks are read again (two texts each), and never a second time for
        // the 2022/2024 ids.
        assert.equal(editionSearches.blocks, searched, 'editionCitations searched blocks the memo gave');
        assert.ok(memo.textsComputed - computed <= 2 * (after.blocks.length - unchanged), `${memo.textsComputed - computed} texts computed, ${after.blocks.length - unchanged} blocks changed`);
        const scratch = buildModel('file:///m.md', 2, parseMarkdown(text), catalog, matcher, config);
        assert.equal(strip(withMemo), strip(scratch));
        // Every block whose text and lead-in are unchanged is taken from the memo (an edit touches
        // a few of ~200; a changed lead-in paragraph rescans the items of the list it leads in).
        assert.ok(memo.reused >= unchanged, `${memo.reused} reused, ${unchanged} of ${after.blocks.length} unchanged`);
        seen.unchanged += unchanged;
        seen.blocks += after.blocks.length;
      }),
      { numRuns: 60 },
    );
    // Not vacuous: one-line edits leave nearly all blocks as they were.
    assert.ok(seen.unchanged > seen.blocks * 0.95, `${seen.unchanged} of ${seen.blocks} blocks unchanged`);
  });
});

describe('an analysis crossing threads carries item ids, not item copies', () => {
  it('to the wire and back is the same analysis, its items the catalogue\'s own objects, and the wire is smaller', async () => {
    const { analysisToWire } = await import('../../server/src/service');
    const { analysisFromWire } = await import('../../server/src/service/analysisWire');
    const catalog = fixtureIndex();
    const service = createPolicyService({ catalog, workspace: new InMemoryWorkspace() });
    const doc = new InMemoryDocument('file:///w.md', POLICY);
    const analysis = service.analyze(doc, defaultConfig());
    assert.ok(analysis.claims[0].items.length > 0);
    const wire = structuredClone(analysisToWire(analysis));
    assert.ok(JSON.stringify(wire).length < JSON.stringify(analysis).length / 2, 'the wire form is far smaller');
    assert.equal(typeof analysis.claims[0].items[0].item, 'object', 'the original is unchanged');
    const back = analysisFromWire(wire, catalog);
    assert.deepEqual(back, analysis);
    for (const s of back.claims.flatMap((c) => c.items)) assert.equal(s.item, catalog.item(s.item.id));
    // Received twice through a string table: equal, and the second copy's strings are the first's.
    const { StringTable } = await import('../../server/src/service/analysisWire');
    const table = new StringTable();
    const one = analysisFromWire(structuredClone(analysisToWire(analysis)), catalog, table);
    const two = analysisFromWire(structuredClone(analysisToWire(analysis)), catalog, table);
    assert.deepEqual(two, analysis);
    assert.ok(two.findings.length > 0);
    assert.ok(table.size > 0);
    // V8 gives equal strings no identity to compare; the table hands back its own instance.
    for (const f of two.findings) assert.equal(table.intern(f.message), f.message);
    assert.deepEqual(one, two);
    const bad = structuredClone(analysisToWire(analysis));
    (bad.claims[0].items[0] as unknown as { item: string }).item = 'NO.SUCH(a)';
    assert.throws(() => analysisFromWire(bad, catalog), /NO\.SUCH\(a\)/);
  });
});

describe('a worker keeps only what the next version reuses', () => {
  it('dropAnalysis frees the analysis (and its copy of the text) and keeps the model for the next version', () => {
    const analyzed: string[] = [];
    const ws = new InMemoryWorkspace();
    const service = createPolicyService({ catalog: fixtureIndex(), workspace: ws, scanMemos: 2, observer: { analyzed: (u) => analyzed.push(u) } });
    const doc = new InMemoryDocument('file:///d.md', POLICY);
    service.analyze(doc, defaultConfig());
    assert.equal(service.cacheSizes().analyses, 1);
    service.dropAnalysis(doc.uri);
    assert.equal(service.cacheSizes().analyses, 0, 'the analysis is gone');
    assert.ok(service.cacheSizes().models >= 1, 'the model stays for the next version');
    doc.update(POLICY.replace('補足。', '補足を加える。'));
    const next = service.analyze(doc, defaultConfig());
    assert.equal(next.version, 2);
    assert.equal(analyzed.length, 2);
  });
});
