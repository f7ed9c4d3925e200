/**
 * Avoidable work (docs/performance.md): each test counts the work done (block visits, parses,
 * analyses), never time, so that a quadratic walk or a repeated analysis fails on any machine.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkWorkspace, coverageByConfig, openWorkspace } from '../../server/src/cli/check';
import { createPolicyService, defaultConfig } from '../../server/src/service';
import { buildModel, firstBlockAtOrAfter } from '../../server/src/service/document';
import type { ParsedMarkdown } from '../../server/src/service/markdown';
import { fixtureCatalog, fixtureIndex } from '../helpers/fixtureCatalog';
import { InMemoryDocument, InMemoryWorkspace, joinLines } from '../helpers/inMemory';

/** A policy of `n` sections, each claiming TEL.18.1.6 and addressing one item in a paragraph. */
function manyClaims(n: number): string {
  const lines: string[] = ['# 方針', ''];
  for (let i = 1; i <= n; i++) lines.push(`## 第${i}条 通信の秘密（TEL.18.1.6）`, '', '通信の内容を保護する。', '', `補足 ${i}。`, '');
  return joinLines(...lines);
}

/** The parsed document with its blocks wrapped so that every read of a block is counted. */
function countingBlocks(parsed: ParsedMarkdown): { parsed: ParsedMarkdown; reads: () => number } {
  let reads = 0;
  const blocks = new Proxy(parsed.blocks, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver);
    },
  });
  return { parsed: { ...parsed, blocks }, reads: () => reads };
}

describe('avoidable work', () => {
  const config = defaultConfig();

  describe('claims read only their own section', () => {
    it('finds the first block at or after an offset', () => {
      const blocks = [{ start: 0 }, { start: 5 }, { start: 5 }, { start: 9 }];
      assert.equal(firstBlockAtOrAfter(blocks, 0), 0);
      assert.equal(firstBlockAtOrAfter(blocks, 1), 1);
      assert.equal(firstBlockAtOrAfter(blocks, 5), 1);
      assert.equal(firstBlockAtOrAfter(blocks, 6), 3);
      assert.equal(firstBlockAtOrAfter(blocks, 10), 4);
      assert.equal(firstBlockAtOrAfter([], 3), 0);
    });

    it('reads each block a bounded number of times, however many claims there are', () => {
      const catalog = fixtureIndex();
      const service = createPolicyService({ catalog, workspace: new InMemoryWorkspace() });
      const counts = [50, 200].map((n) => {
        const doc = new InMemoryDocument(`file:///many${n}.md`, manyClaims(n));
        const { parsed, reads } = countingBlocks(service.parse(doc));
        const model = buildModel(doc.uri, doc.version, parsed, catalog, service.matcher(config), config);
        assert.equal(model.claims.length, n, 'one claim per section');
        // Each claim found its own section's evidence, not another's.
        for (const claim of model.claims) {
          const st = claim.items.find((s) => s.addressed)!;
          assert.ok(st, 'an item is addressed');
          assert.ok(st.evidence!.range.start.line > claim.range.start.line && st.evidence!.range.start.line < claim.section.end.line + 1);
        }
        return reads() / parsed.blocks.length;
      });
      // Walking every block for every claim reads each block once per claim (50 and 200 times).
      assert.ok(counts[1] < 20, `reads per block with 200 claims: ${counts[1]}`);
      assert.ok(counts[1] < counts[0] * 1.5, `reads per block grow with the number of claims: ${counts.join(' → ')}`);
    });
  });

  describe('x1051 check analyses each document once', () => {
    let tmp: string;
    beforeEach(() => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-work-'));
      const write = (rel: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
        fs.writeFileSync(path.join(tmp, rel), text);
      };
      write('catalog.json', JSON.stringify(fixtureCatalog()));
      write('a/.x1051.yaml', joinLines('applicability:', '  TEL.18.1.6: applicable', '  TEL.18.1.7: applicable', ''));
      write('a/one.md', joinLines('## 通信の秘密（TEL.18.1.6）', '', '通信の内容を保護する。', ''));
      write('a/two.md', joinLines('## 記録（12.4.1）', '', 'ログを取得する。', ''));
      write('b/three.md', joinLines('## 通信の秘密（TEL.18.1.6）', '', '発信元を保護する。', ''));
    });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    const io = () => ({ stdout: () => undefined, stderr: () => undefined, isTTY: false, env: {}, cwd: tmp });

    it('parses and analyses every document exactly once, config findings included', () => {
      const parsed: string[] = [];
      const analyzed: string[] = [];
      const ws = openWorkspace([], new Map([['catalog', path.join(tmp, 'catalog.json')]]), io(), { parsed: (u) => parsed.push(u), analyzed: (u) => analyzed.push(u) });
      const report = checkWorkspace(ws);
      assert.equal(report.files.length, 3);
      assert.deepEqual([...parsed].sort(), ws.documents.map((d) => d.doc.uri).sort(), 'each document parsed once');
      assert.deepEqual([...analyzed].sort(), ws.documents.map((d) => d.doc.uri).sort(), 'each document analysed once');
      // The coverage of the config group still sees the documents: TEL.18.1.7 is unclaimed.
      const onConfig = report.configs.flatMap((c) => c.findings.map((f) => [f.code, f.control]));
      assert.deepEqual(onConfig, [['uncovered-control', 'TEL.18.1.7']]);
    });

    it('coverage per config reuses the analyses, and check skips the group without a config', () => {
      const analyzed: string[] = [];
      const ws = openWorkspace([], new Map([['catalog', path.join(tmp, 'catalog.json')]]), io(), { analyzed: (u) => analyzed.push(u) });
      const all = coverageByConfig(ws);
      assert.equal(all.length, 2, 'the config file and the group without one');
      assert.equal(analyzed.length, 3);
      const withFile = coverageByConfig(ws, true);
      assert.deepEqual(withFile.map((r) => path.basename(r.config.file ?? '')), ['.x1051.yaml']);
      assert.equal(analyzed.length, 3, 'nothing analysed again');
      const tel = withFile[0].coverage.controls.find((c) => c.id === 'TEL.18.1.6')!;
      assert.deepEqual(tel.claims.map((c) => path.basename(c.uri)), ['one.md'], 'only the documents the config governs');
    });
  });

  describe('the service keeps little and computes coverage once', () => {
    const docs = (n: number) =>
      Array.from({ length: n }, (_, i) => new InMemoryDocument(`file:///w/d${i}.md`, joinLines(`## 通信の秘密（TEL.18.1.6）`, '', i % 2 ? '通信の内容を保護する。' : '発信元を保護する。', '')));

    it('serves the same coverage until an analysis changes, then recomputes once', () => {
      const list = docs(5);
      let covered = 0;
      const service = createPolicyService({ catalog: fixtureIndex(), workspace: new InMemoryWorkspace(list), observer: { covered: (n) => { covered++; assert.equal(n, 5); } } });
      const first = service.coverage(config);
      assert.equal(service.coverage(config), first, 'nothing changed: the same answer');
      assert.equal(covered, 1);
      list[0].update(joinLines('## 通信の秘密（TEL.18.1.6）', '', '宛先を保護する。', ''));
      const second = service.coverage(config);
      assert.notEqual(second, first);
      assert.equal(service.coverage(config), second);
      assert.equal(covered, 2, 'one computation per change');
      const tel = second.controls.find((c) => c.id === 'TEL.18.1.6')!;
      assert.ok(tel.items.some((i) => i.evidence.some((e) => e.uri === 'file:///w/d0.md')), 'the edit is in the new answer');
      const other = { ...config };
      assert.notEqual(service.coverage(other), second, 'another config is another coverage');
    });

    it('keeps models only for retained and recent documents, re-parsing a dropped one on demand', () => {
      const list = docs(12);
      const parsed: string[] = [];
      const analyzed: string[] = [];
      const service = createPolicyService({
        catalog: fixtureIndex(),
        workspace: new InMemoryWorkspace(list),
        observer: { parsed: (u) => parsed.push(u), analyzed: (u) => analyzed.push(u) },
        retain: (uri) => uri === 'file:///w/d0.md',
        keepModels: 3,
      });
      const before = list.map((d) => service.analyze(d, config));
      assert.equal(parsed.length, 12);
      // Coverage and the analyses of every document are answered without parsing again.
      service.coverage(config);
      list.forEach((d, i) => assert.equal(service.analyze(d, config), before[i]));
      assert.equal(parsed.length, 12, 'analyses are kept for every document');
      // The retained document's model survived; a recent one too; an old one is rebuilt.
      service.model(list[0], config);
      service.model(list[11], config);
      assert.equal(parsed.length, 12, 'retained and recent models are kept');
      const m = service.model(list[3], config);
      assert.equal(parsed.length, 13, 'a dropped model is rebuilt by parsing again');
      assert.equal(m.claims.length, 1);
      assert.equal(service.analyze(list[3], config), before[3], 'rebuilding the model keeps the analysis');
      assert.equal(analyzed.length, 12, 'nothing analysed twice');
    });

    it('shares one empty evidence map for blocks without evidence', () => {
      const service = createPolicyService({ catalog: fixtureIndex(), workspace: new InMemoryWorkspace() });
      const model = service.model(new InMemoryDocument('file:///e.md', joinLines('# 方針', '', '前文。', '', '別の段落。', '', '## 通信の秘密（TEL.18.1.6）', '', '通信の内容を保護する。', '')), config);
      const empty = model.blockHits.filter((h) => h.size === 0);
      assert.ok(empty.length >= 3);
      assert.ok(empty.every((h) => h === empty[0]), 'one shared empty map');
      assert.ok(model.blockHits.some((h) => h.size > 0));
    });
  });
});
