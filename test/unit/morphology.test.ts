/**
 * Morphology and thesaurus in evidence matching: English lemmas and derivational families
 * (wink-lemmatizer + thesaurus data), Japanese stems and compound splitting (kuromoji), concept
 * references expanded from the thesaurus and extended by a config.
 */
import * as assert from 'node:assert/strict';
import { EvidenceMatcher } from '../../server/src/service/evidence';
import { EnglishLexicon, japaneseVariants } from '../../server/src/service/morphology';
import { createAnalyser, defaultDictionaryPath } from '../../server/src/morphologyHost';
import { alternateTerm, checkThesaurus, conceptLookup, expandTerm, type Thesaurus } from '../../catalog/src/thesaurus';
import { realIndex } from '../helpers/catalog';
import { parseConfig } from '../../server/src/service/config';
import { readSourceFile } from '../../catalog/src/build';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createPolicyService, defaultConfig } from '../../server/src/service';

const analyser = createAnalyser({ dicPath: defaultDictionaryPath(__dirname) });
const families = [['approve', 'approval'], ['retain', 'retention'], ['encrypt', 'encryption']];

describe('morphology', () => {
  describe('English: lemma and derivational family', () => {
    it('folds inflections to the lemma and derivations to the family head', () => {
      const lx = new EnglishLexicon(analyser, families);
      assert.equal(lx.fold('approved'), 'approve');
      assert.equal(lx.fold('approval'), 'approve');
      assert.equal(lx.fold('retention'), 'retain');
      assert.equal(lx.fold('parties'), 'party');
      assert.equal(lx.fold('encryption'), 'encrypt');
    });
    it('"the CIO must approve the change plan" addresses an item written with "approval"', () => {
      const items = [{ item: 'x', terms: ['change + approval'] }];
      const text = 'The CIO must approve the change plan.';
      assert.equal(new EvidenceMatcher(items).scan(text).has('x'), false, 'the light stemmer alone does not see it');
      assert.equal(new EvidenceMatcher(items, { analyser, families }).scan(text).has('x'), true);
    });
    it('"retained for two years" meets "retention period" through the family', () => {
      const m = new EvidenceMatcher([{ item: 'r', terms: ['retention + years'] }], { analyser, families });
      assert.ok(m.scan('Call records are retained for two years.').has('r'));
    });
  });

  describe('Japanese: stems and compounds (kuromoji)', () => {
    it('cuts a conjugated ending to its invariant stem, keeps negations', () => {
      assert.equal(japaneseVariants('承認を得る', analyser).stem, '承認を得');
      assert.equal(japaneseVariants('削除する', analyser).stem, '削除');
      assert.equal(japaneseVariants('速やかに', analyser).stem, '速やか');
      assert.equal(japaneseVariants('漏らさない', analyser).stem, '漏らさない');
      assert.equal(japaneseVariants('通信の秘密', analyser).stem, '通信の秘密');
    });
    it('splits a noun compound in two', () => {
      assert.deepEqual(japaneseVariants('アクセス権削除', analyser).split, ['アクセス権', '削除']);
      assert.equal(japaneseVariants('削除', analyser).split, undefined);
    });
    it('a term meets every conjugation of its verb', () => {
      const m = new EvidenceMatcher([{ item: 'a', terms: ['承認を得る'] }], { analyser });
      assert.ok(m.scan('変更は責任者の承認を得た上で実施する。').has('a'));
      assert.ok(!new EvidenceMatcher([{ item: 'a', terms: ['承認を得る'] }]).scan('変更は責任者の承認を得た上で実施する。').has('a'));
    });
    it('a compound split apart is near-evidence (weak), not evidence', () => {
      const m = new EvidenceMatcher([{ item: 'd', terms: ['アクセス権削除'] }], { analyser });
      const scan = m.scanBlock('退職者のアクセス権は速やかに削除する。');
      assert.equal(scan.hits.has('d'), false);
      assert.equal(scan.weak.get('d')?.weak, true);
      assert.ok(m.scanBlock('退職時はアクセス権削除を行う。').hits.has('d'));
    });
    it('a term without its context word is near-evidence', () => {
      const m = new EvidenceMatcher([{ item: 'b', terms: ['content'], context: ['communication', 'call'] }]);
      const scan = m.scanBlock('The content of the web page is reviewed.');
      assert.equal(scan.hits.has('b'), false);
      assert.ok(scan.weak.has('b'));
    });
  });

  describe('thesaurus', () => {
    const thesaurus: Thesaurus = { concepts: [{ id: 'supplier', ja: ['委託先', '供給者'], en: ['supplier', 'vendor'] }], families: { en: families } };
    it('expands {concept} into every variant, in both languages', () => {
      assert.deepEqual(expandTerm('{supplier} + audit', conceptLookup(thesaurus)).sort(), ['supplier + audit', 'vendor + audit', '委託先 + audit', '供給者 + audit'].sort());
      assert.deepEqual(expandTerm('plain', conceptLookup(thesaurus)), ['plain']);
    });
    it('a config adds words to a concept', () => {
      const more = expandTerm('{supplier}', conceptLookup(thesaurus, { supplier: { ja: ['協力会社'] } }));
      assert.ok(more.includes('協力会社'));
    });
    it('reports unknown concept references and duplicate ids', () => {
      const problems = checkThesaurus({ ...thesaurus, concepts: [...thesaurus.concepts, thesaurus.concepts[0]] }, [{ id: 'X(a)', term: '{nosuch} + a' }]);
      assert.ok(problems.some((p) => /defined twice/.test(p)));
      assert.ok(problems.some((p) => /unknown concept \{nosuch\}/.test(p)));
    });
    it('the build validates thesaurus.yaml against its schema', () => {
      const bad = readSourceFile('catalog/data/thesaurus.yaml', 'concepts:\n  - {id: supplier, ja: [委託先]}\nfamilies: {en: [[approve]]}\n');
      assert.ok(bad.errors.some((e) => /required property 'en'/.test(e.message)), JSON.stringify(bad.errors));
      assert.ok(bad.errors.some((e) => /fewer than 2/.test(e.message)), 'a family needs two words');
      const good = readSourceFile('catalog/data/thesaurus.yaml', 'concepts:\n  - {id: supplier, ja: [委託先], en: [vendor]}\nfamilies: {en: [[approve, approval]]}\n');
      assert.deepEqual(good.errors, []);
    });
    it('the real catalogue carries the thesaurus and items refer to its concepts', () => {
      const idx = realIndex();
      const th = idx.catalog.thesaurus!;
      assert.ok(th.concepts.some((c) => c.id === 'supplier' && c.ja.includes('委託先') && c.en.includes('vendor')));
      const users = idx.allControls().flatMap((c) => c.items).filter((i) => [...i.terms.ja, ...i.terms.en].some((t) => t.includes('{supplier}')));
      assert.ok(users.length >= 3, 'several items share the supplier concept');
    });
    it('"vendor" addresses an item whose terms name only the supplier concept', () => {
      const idx = realIndex();
      const items = idx.allControls().flatMap((c) => c.items);
      const m = EvidenceMatcher.forItems(items, undefined, { thesaurus: idx.catalog.thesaurus });
      const target = items.find((i) => i.terms.en.includes('{supplier} + confidentiality'))!;
      assert.ok(target, 'an item uses {supplier} + confidentiality');
      assert.ok(m.scan('Each vendor is bound by confidentiality.').has(target.id));
    });
    it('alternations (thesaurus data) let 「かどうか」 stand for 「か否か」 and 「テスト」 for 「試験」 in any term', () => {
      const groups = [['かどうか', 'か否か'], ['テスト', '試験']];
      assert.deepEqual(alternateTerm('通信を行ったかどうか', groups), ['通信を行ったかどうか', '通信を行ったか否か']);
      assert.deepEqual(alternateTerm('回帰テストかどうか', groups).sort(), ['回帰テストかどうか', '回帰テストか否か', '回帰試験かどうか', '回帰試験か否か'].sort());
      assert.deepEqual(alternateTerm('通信の存在', groups), ['通信の存在']);
      assert.deepEqual(alternateTerm('regression test', groups), ['regression test']);
      const idx = realIndex();
      assert.deepEqual(checkThesaurus({ ...idx.catalog.thesaurus!, alternations: { ja: [['試験', 'テスト'], ['テスト', '検査']] } }, []), ['"テスト" is in two alternation groups']);
      const items = idx.allControls().flatMap((c) => c.items);
      const m = EvidenceMatcher.forItems(items, undefined, { thesaurus: idx.catalog.thesaurus });
      // TEL.18.1.6 a) lists 「通信が行われたかどうか」; the policy writes 「か否か」.
      assert.ok(m.scan('通信が行われたか否かという事実そのものを秘密とする。').has('TEL.18.1.6(a)'));
      // Without the thesaurus, no alternation.
      assert.ok(!EvidenceMatcher.forItems(items, undefined, {}).scan('通信が行われたか否かという事実そのものを秘密とする。').has('TEL.18.1.6(a)'));
    });
    it('a noun compound in a term also matches its two nouns joined by 「の」, as full evidence', () => {
      const items = [{ item: 'X(1)', terms: ['インシデント件数'] }];
      const m = new EvidenceMatcher(items, { analyser });
      assert.ok(m.scan('インシデントの件数を四半期ごとに集計する。').has('X(1)'));
      assert.ok(!m.scan('インシデントと件数は別に数える。').has('X(1)'), 'the halves apart are not full evidence');
    });
    it('a separation concept: "kept apart" segregates hosted customer networks (13.1.3 2)', () => {
      const idx = realIndex();
      const items = idx.allControls().flatMap((c) => c.items);
      const m = EvidenceMatcher.forItems(items, undefined, { thesaurus: idx.catalog.thesaurus });
      assert.ok(m.scan('Customer networks that we host are kept apart from our production network.').has('13.1.3(2)'));
      assert.ok(!m.scan('Customer networks that we host are monitored.').has('13.1.3(2)'));
    });
    it('.x1051.yaml `concepts:` extends a concept for every item using it', () => {
      const idx = realIndex();
      const { config, findings } = parseConfig('concepts:\n  supplier:\n    en: [delivery partner]\n', 'file:///c/.x1051.yaml', idx);
      assert.deepEqual(findings, []);
      assert.deepEqual(config.concepts.supplier.en, ['delivery partner']);
      const items = idx.allControls().flatMap((c) => c.items);
      const target = items.find((i) => i.terms.en.includes('{supplier} + confidentiality'))!;
      const m = EvidenceMatcher.forItems(items, config.terms, { thesaurus: idx.catalog.thesaurus, concepts: config.concepts });
      assert.ok(m.scan('Each delivery partner is bound by confidentiality.').has(target.id));
    });
  });

  describe('the Japanese dictionary is held only while it is used', () => {
    it('is released when idle and loaded again only for terms it has not seen', async () => {
      let loads = 0;
      const a = createAnalyser({ dicPath: defaultDictionaryPath(__dirname), releaseAfterMs: 20, onDictionaryLoad: () => loads++ });
      const first = a.tokenize!('通信の秘密を保護する');
      assert.ok(first.length > 0);
      a.tokenize!('通信履歴を保存する');
      assert.equal(loads, 1, 'one load for a burst of terms');
      await new Promise((r) => setTimeout(r, 60));
      // A term seen before comes from the cache: no load.
      assert.deepEqual(a.tokenize!('通信の秘密を保護する'), first);
      assert.equal(loads, 1);
      // A new term after the release loads the dictionary again, with the same analysis.
      assert.ok(a.tokenize!('入退室を記録する').length > 0);
      assert.equal(loads, 2);
    });
  });

  describe('the build-time tokens of the catalogue terms (dist/dict/terms.json)', () => {
    const dist = path.resolve(__dirname, '../../dist/dict');
    it('the default matcher compiles without loading the dictionary, into the same automaton', () => {
      let loads = 0;
      const seeded = createAnalyser({ dicPath: dist, onDictionaryLoad: () => loads++ });
      const live = createAnalyser({ dicPath: dist, seedPath: null });
      const index = realIndex();
      const fromSeed = createPolicyService({ catalog: index, workspace: { documents: () => [] }, analyser: seeded }).matcher(defaultConfig());
      assert.equal(loads, 0, 'no dictionary load for the catalogue terms');
      const fromDictionary = createPolicyService({ catalog: index, workspace: { documents: () => [] }, analyser: live }).matcher(defaultConfig());
      assert.equal(fromSeed.patternCount, fromDictionary.patternCount);
      const text = '通信の秘密を保護し、通信履歴は保存期間の経過後に速やかに削除する。入退室の記録を保管した。';
      assert.deepEqual([...fromSeed.scan(text)], [...fromDictionary.scan(text)]);
    });
    it('a configuration with Japanese terms of its own still loads it for those', () => {
      let loads = 0;
      const seeded = createAnalyser({ dicPath: dist, onDictionaryLoad: () => loads++ });
      const known = Object.keys(JSON.parse(fs.readFileSync(path.join(dist, 'terms.json'), 'utf8')) as object);
      assert.ok(known.length > 1000, `${known.length} terms`);
      for (const term of known.slice(0, 50)) seeded.tokenize!(term);
      assert.equal(loads, 0);
      assert.ok(seeded.tokenize!('当社独自の監視端末を停止させる').length > 0);
      assert.equal(loads, 1);
    });
  });
});
