/**
 * The ISO/IEC 27002:2022 control set and its correspondence to ISO/IEC 27002:2013
 * (catalog/data/iso27002-2022.yaml), and the ISO/IEC 27011:2024 TEL numbers recorded from public
 * sources: counts, completeness of the mapping both ways, schema and compile checks.
 */
import * as assert from 'node:assert/strict';
import { readSourceFile } from '../../catalog/src/build';
import { compileCatalog } from '../../catalog/src/compile';
import { formatIdRuns, describeMapping } from '../../catalog/src/editions';
import type { CatalogIndex } from '../../catalog/src/query';
import type { SourceFile } from '../../catalog/src/types';
import { realIndex, sourceFixture } from '../helpers/catalog';

const NEW_IN_2022 = ['5.7', '5.23', '5.30', '7.4', '8.9', '8.10', '8.11', '8.12', '8.16', '8.23', '8.28'];

describe('catalog: ISO/IEC 27002:2022 and ISO/IEC 27011:2024 editions', () => {
  let index: CatalogIndex;
  before(function () {
    this.timeout(60000);
    index = realIndex();
  });

  it('has the 93 controls of 27002:2022: 37 organizational, 8 people, 14 physical, 34 technological', () => {
    const all = index.editions.controls2022();
    assert.equal(all.length, 93);
    const count = (theme: string) => all.filter((c) => c.theme === theme).length;
    assert.deepEqual([count('organizational'), count('people'), count('physical'), count('technological')], [37, 8, 14, 34]);
    // Numbered without gaps: 5.1–5.37, 6.1–6.8, 7.1–7.14, 8.1–8.34.
    const expected = [
      ...Array.from({ length: 37 }, (_, i) => `5.${i + 1}`),
      ...Array.from({ length: 8 }, (_, i) => `6.${i + 1}`),
      ...Array.from({ length: 14 }, (_, i) => `7.${i + 1}`),
      ...Array.from({ length: 34 }, (_, i) => `8.${i + 1}`),
    ];
    assert.deepEqual(all.map((c) => c.id), expected);
    for (const c of all) {
      assert.ok(c.title.en.trim() && c.title.ja.trim(), `${c.id} has both titles`);
      assert.ok(c.jaTitle === 'jis' || c.jaTitle === 'ours');
    }
  });

  it('the 11 controls new in 2022 map from nothing, and only they', () => {
    const empty = index.editions.controls2022().filter((c) => c.from.length === 0).map((c) => c.id);
    assert.deepEqual(empty, NEW_IN_2022);
  });

  it('every ISO/IEC 27002:2013 control maps to at least one 2022 control', () => {
    const iso2013 = index.allControls().filter((c) => !c.id.startsWith('TEL.'));
    assert.equal(iso2013.length, 114);
    const unmapped = iso2013.filter((c) => index.editions.successors2022(c.id).length === 0).map((c) => c.id);
    assert.deepEqual(unmapped, []);
  });

  it('every `from` of a 2022 control is an ISO/IEC 27002:2013 control, none repeated within a control', () => {
    for (const c of index.editions.controls2022()) {
      assert.equal(new Set(c.from).size, c.from.length, c.id);
      for (const f of c.from) assert.ok(index.control(f) && !f.startsWith('TEL.'), `${c.id} maps from ${f}`);
    }
  });

  it('only 18.2.3 is split (to 5.36 and 8.8); the rest map to exactly one 2022 control', () => {
    const many = index.allControls().filter((c) => index.editions.successors2022(c.id).length > 1).map((c) => c.id);
    assert.deepEqual(many, ['18.2.3']);
    assert.deepEqual(index.editions.successors2022('18.2.3').map((c) => c.id), ['5.36', '8.8']);
  });

  it('records Annex B correspondences such as 8.15 ← 12.4.1–12.4.3 and 8.32 ← 12.1.2, 14.2.2–14.2.4', () => {
    assert.deepEqual(index.editions.control2022('8.15')?.from, ['12.4.1', '12.4.2', '12.4.3']);
    assert.equal(describeMapping(index.editions.control2022('8.32')!, 'en'), '8.32 Change management ← 12.1.2, 14.2.2–14.2.4');
    assert.deepEqual(index.editions.successors2022('12.4.1').map((c) => c.id), ['8.15']);
    assert.equal(describeMapping(index.editions.control2022('5.7')!, 'en'), '5.7 Threat intelligence ← new in 2022');
  });

  it('records 27011:2024 TEL numbers only with a public source, and knows how many there are', () => {
    const tel = index.editions.tel2024();
    assert.ok(tel.length >= 1);
    for (const c of tel) {
      assert.match(c.id, / TEL$/);
      assert.match(c.source ?? '', /^https:\/\//, `${c.id} names its source`);
      for (const f of c.from) assert.equal(index.control(f)?.kind, 'tel');
    }
    assert.equal(index.editions.controlTel2024('5.42')?.title.en, 'Non-disclosure of communications');
    assert.equal(index.editions.tel2024Of('TEL.18.1.6')?.id, '5.42 TEL');
    assert.equal(index.editions.tel2024Of('TEL.9.5.1'), undefined, 'unknown 2024 numbers are not invented');
    assert.equal(index.editions.tel2024Total(), 14);
  });

  it('formats runs of ids compactly', () => {
    assert.equal(formatIdRuns(['14.2.4', '12.1.2', '14.2.2', '14.2.3']), '12.1.2, 14.2.2–14.2.4');
    assert.equal(formatIdRuns(['12.4.1', '12.4.2']), '12.4.1, 12.4.2');
    assert.equal(formatIdRuns(['8.3.1', '8.3.2', '8.3.3', '11.2.5']), '8.3.1–8.3.3, 11.2.5');
  });

  describe('schema and compile checks', () => {
    const fixtureWith = (edition: string): { path: string; data: SourceFile }[] => {
      const { data, errors } = readSourceFile('fixture/editions.yaml', edition);
      assert.deepEqual(errors, []);
      return [...sourceFixture(), { path: 'fixture/editions.yaml', data: data! }];
    };
    const edition = (rows: string) =>
      `entries:\n  - kind: edition\n    edition: "27002:2022"\n    standard: test\n    controls:\n${rows}`;

    it('the schema refuses an id that is not a 2022 id and an unknown theme', () => {
      const bad = readSourceFile('x.yaml', edition('      - { id: "A.8.15", theme: technological, title: { ja: ログ取得, en: Logging }, jaTitle: jis, from: [] }\n'));
      assert.ok(bad.errors.some((e) => e.pointer?.endsWith('/id')), JSON.stringify(bad.errors));
      const theme = readSourceFile('x.yaml', edition('      - { id: "8.15", theme: technical, title: { ja: ログ取得, en: Logging }, jaTitle: jis, from: [] }\n'));
      assert.ok(theme.errors.some((e) => e.pointer?.endsWith('/theme')), JSON.stringify(theme.errors));
    });

    it('compile reports a 2013 control that no 2022 control maps from, a theme that does not match and an unknown `from`', () => {
      const files = fixtureWith(
        edition(
          [
            '      - { id: "8.15", theme: technological, title: { ja: ログ取得, en: Logging }, jaTitle: jis, from: [12.4.1, 12.4.9] }',
            '      - { id: "5.31", theme: people, title: { ja: 法令, en: Legal }, jaTitle: jis, from: [18.1.1] }',
            '',
          ].join('\n'),
        ),
      );
      const { problems, catalog } = compileCatalog(files);
      const messages = problems.map((p) => `${p.code}: ${p.message}`);
      assert.ok(messages.some((m) => /12\.4\.2 is not the source of any/.test(m)), messages.join('\n'));
      assert.ok(messages.some((m) => /5\.31 has theme people/.test(m)), messages.join('\n'));
      assert.ok(messages.some((m) => /maps from 12\.4\.9/.test(m)), messages.join('\n'));
      assert.equal(catalog.editions?.['27002:2022']?.controls.length, 2);
    });

    it('a complete fixture mapping compiles without problems', () => {
      const files = fixtureWith(
        edition(
          [
            '      - { id: "8.15", theme: technological, title: { ja: ログ取得, en: Logging }, jaTitle: jis, from: [12.4.1, 12.4.2] }',
            '      - { id: "5.31", theme: organizational, title: { ja: 法令, en: Legal }, jaTitle: jis, from: [18.1.1] }',
            '',
          ].join('\n'),
        ),
      );
      const { problems } = compileCatalog(files);
      assert.deepEqual(problems.filter((p) => p.code === 'edition'), []);
    });
  });
});
