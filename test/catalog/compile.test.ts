import * as assert from 'node:assert/strict';
import { compileCatalog, compareIds, type Problem } from '../../catalog/src/compile';
import type { SourceControl, SourceFile } from '../../catalog/src/types';
import { sourceFixture } from '../helpers/catalog';

/** The control entry `id` of a fixture (to mutate it). */
function controlIn(files: { path: string; data: SourceFile }[], id: string): SourceControl {
  for (const f of files) {
    for (const e of f.data.entries) if (e.kind === 'control' && e.id === id) return e;
  }
  throw new Error(`no control ${id} in fixture`);
}

function codes(problems: Problem[]): string[] {
  return problems.map((p) => p.code);
}

describe('catalog: compile', () => {
  it('compiles the fixture without problems', () => {
    const { problems } = compileCatalog(sourceFixture());
    assert.deepEqual(problems, []);
  });

  it('flattens items with stable ids, lists and levels', () => {
    const { catalog } = compileCatalog(sourceFixture());
    const c = catalog.controls.find((x) => x.id === 'TEL.18.1.6')!;
    assert.deepEqual(
      c.items.map((i) => [i.id, i.list, i.label, i.level]),
      [
        ['TEL.18.1.6(a)', 1, 'a)', 'required'],
        ['TEL.18.1.6(b)', 1, 'b)', 'required'],
        ['TEL.18.1.6(e)', 1, 'e)', 'required'],
        ['TEL.18.1.6[2](a)', 2, 'a)', 'recommended'],
        ['TEL.18.1.6[2](i)', 2, 'i)', 'recommended'],
      ],
    );
    assert.deepEqual(c.lists, [
      { list: 1, level: 'required', name: { ja: '非開示事項', en: 'non-disclosure element' }, rationale: 'Fixture.', synthesised: false },
      { list: 2, level: 'recommended', name: { ja: '指針', en: 'guideline' }, rationale: 'Fixture.', synthesised: false },
    ]);
    assert.equal(c.items[0].source.list, 1);
    assert.equal(c.items[0].source.line, 2233);
  });

  it('gives sub-items a parent, the full label and the sub-list level', () => {
    const { catalog } = compileCatalog(sourceFixture());
    const items = catalog.controls.find((x) => x.id === 'TEL.13.1.4')!.items;
    const e4 = items.find((i) => i.id === 'TEL.13.1.4(e)(4)')!;
    assert.ok(e4);
    assert.equal(e4.parent, 'TEL.13.1.4(e)');
    assert.equal(e4.label, 'e) 4)');
    assert.equal(e4.level, 'informative');
    assert.equal(items.find((i) => i.id === 'TEL.13.1.4(e)')!.level, 'recommended');
    // Sub-items follow their parent.
    assert.deepEqual(items.map((i) => i.id), ['TEL.13.1.4(a)', 'TEL.13.1.4(e)', 'TEL.13.1.4(e)(1)', 'TEL.13.1.4(e)(2)', 'TEL.13.1.4(e)(4)']);
  });

  it('numbers synthesised items (1), (2)', () => {
    const { catalog } = compileCatalog(sourceFixture());
    const c = catalog.controls.find((x) => x.id === '12.4.1')!;
    assert.deepEqual(c.items.map((i) => i.id), ['12.4.1(1)', '12.4.1(2)']);
    assert.equal(c.lists[0].synthesised, true);
  });

  it('links controls, objectives and clauses, derived from the ids', () => {
    const { catalog } = compileCatalog(sourceFixture());
    const tel = catalog.controls.find((x) => x.id === 'TEL.18.1.6')!;
    assert.equal(tel.objective, 'TEL.18.1');
    assert.equal(tel.clause, 'TEL.18');
    const o = catalog.objectives.find((x) => x.id === 'TEL.18.1')!;
    assert.deepEqual(o.controls, ['TEL.18.1.6']);
    assert.equal(o.asIs, false);
    const cl = catalog.clauses.find((x) => x.id === 'TEL.18')!;
    assert.deepEqual(cl.objectives, ['TEL.18.1']);
    assert.equal(cl.annex, 'A');
    assert.deepEqual(catalog.clauses.find((x) => x.id === '12')!.objectives, ['12.4']);
    assert.equal(catalog.clauses.find((x) => x.id === '12')!.annex, undefined);
  });

  it('makes ISO controls nobody wrote iso-as-is, with title and reference only', () => {
    const { catalog } = compileCatalog(sourceFixture());
    const c = catalog.controls.find((x) => x.id === '12.4.2')!;
    assert.deepEqual(c, {
      id: '12.4.2',
      kind: 'iso-as-is',
      clause: '12',
      objective: '12.4',
      title: { ja: 'ログ情報の保護', en: 'Protection of log information' },
      lists: [],
      items: [],
      source: { clause: '12.4.2' },
    });
    // An objective whose controls are all as-is is as-is; one with telecom guidance is not.
    assert.equal(catalog.objectives.find((x) => x.id === '18.1')!.asIs, true);
    assert.equal(catalog.objectives.find((x) => x.id === '12.4')!.asIs, false);
  });

  it('orders controls in standard order: main body, then Annex A', () => {
    const { catalog } = compileCatalog(sourceFixture());
    assert.deepEqual(catalog.controls.map((c) => c.id), ['12.4.1', '12.4.2', '18.1.1', 'TEL.13.1.4', 'TEL.18.1.6']);
    assert.ok(compareIds('9.1.1', '12.1.1') < 0);
    assert.ok(compareIds('18.2.3', 'TEL.9.5.1') < 0);
    assert.ok(compareIds('TEL.11.1.9', 'TEL.11.3.1') < 0);
  });

  it('gathers errata and states that the English is our translation', () => {
    const { catalog } = compileCatalog(sourceFixture());
    assert.deepEqual(catalog.meta.errata, [{ id: '12.4.1', found: 'ロク', corrected: 'ログ', reason: 'Fixture erratum.' }]);
    assert.match(catalog.meta.translation, /own translation, not an official/);
  });

  it('compiles Annex B entries with their items, definitions and abbreviations', () => {
    const { catalog } = compileCatalog(sourceFixture());
    assert.deepEqual(catalog.annexB.map((b) => b.id), ['B.1', 'B.1.1']);
    assert.deepEqual(catalog.annexB[1].items.map((i) => i.id), ['B.1.1(a)']);
    assert.deepEqual(catalog.definitions[0].notes, [{ ja: '日本では別に定める。', en: 'Defined elsewhere in Japan.' }]);
    assert.equal(catalog.abbreviations[0].abbr, 'DoS');
  });

  describe('problems', () => {
    it('reports a duplicate control id with both files', () => {
      const files = sourceFixture();
      files.push({ path: 'fixture/extra.yaml', data: { entries: [structuredClone(controlIn(files, 'TEL.18.1.6'))] } });
      const { problems } = compileCatalog(files);
      const p = problems.find((x) => x.code === 'duplicate-id')!;
      assert.ok(p, JSON.stringify(problems));
      assert.equal(p.file, 'fixture/extra.yaml');
      assert.equal(p.id, 'TEL.18.1.6');
      assert.match(p.message, /fixture\/annex-a\.yaml/);
    });

    it('reports a duplicate item label', () => {
      const files = sourceFixture();
      const c = controlIn(files, 'TEL.18.1.6');
      c.lists![0].items.push(structuredClone(c.lists![0].items[0]));
      const { problems } = compileCatalog(files);
      assert.deepEqual(codes(problems), ['duplicate-item']);
      assert.equal(problems[0].id, 'TEL.18.1.6(a)');
      assert.equal(problems[0].file, 'fixture/annex-a.yaml');
    });

    it('reports a block referring to a missing list and a list never placed', () => {
      const files = sourceFixture();
      const c = controlIn(files, 'TEL.18.1.6');
      c.guidance = c.guidance!.filter((b) => !('list' in b && b.list === 2));
      c.guidance.push({ list: 3 });
      const { problems } = compileCatalog(files);
      assert.deepEqual(codes(problems).sort(), ['unknown-list', 'unplaced-list']);
      assert.ok(problems.every((p) => p.id === 'TEL.18.1.6'));
    });

    it('reports an id whose form does not match its kind', () => {
      const files = sourceFixture();
      controlIn(files, '12.4.1').controlKind = 'tel';
      files.push({ path: 'fixture/bad.yaml', data: { entries: [{ kind: 'objective', id: '12.4.1', title: { ja: 'x', en: 'x' }, source: { clause: '12.4.1' } }] } });
      const { problems } = compileCatalog(files);
      const bad = problems.filter((p) => p.code === 'bad-id');
      assert.deepEqual(bad.map((p) => p.id).sort(), ['12.4.1', '12.4.1']);
      assert.ok(bad.some((p) => p.file === 'fixture/bad.yaml'));
    });

    it('reports a control whose ISO id is not in the ISO index', () => {
      const files = sourceFixture();
      const c = structuredClone(controlIn(files, '12.4.1'));
      c.id = '12.4.9';
      c.lists = [];
      files.push({ path: 'fixture/extra.yaml', data: { entries: [c] } });
      const { problems } = compileCatalog(files);
      assert.deepEqual(codes(problems), ['not-in-iso-index']);
      assert.equal(problems[0].id, '12.4.9');
    });

    it('reports items without terms, per language', () => {
      const files = sourceFixture();
      controlIn(files, 'TEL.18.1.6').lists![1].items[1].terms.en = [];
      const { problems } = compileCatalog(files);
      assert.deepEqual(codes(problems), ['missing-terms']);
      assert.equal(problems[0].id, 'TEL.18.1.6[2](i)');
      assert.match(problems[0].message, /English/);
    });

    it('reports a TEL control whose objective nobody defines', () => {
      const files = sourceFixture();
      const c = structuredClone(controlIn(files, 'TEL.18.1.6'));
      c.id = 'TEL.11.1.7';
      files.push({ path: 'fixture/extra.yaml', data: { entries: [c] } });
      const { problems } = compileCatalog(files);
      assert.deepEqual(codes(problems), ['missing-objective']);
      assert.equal(problems[0].file, 'fixture/extra.yaml');
    });

    it('reports an erratum naming nothing in the catalogue', () => {
      const files = sourceFixture();
      files[1].data.errata!.push({ id: 'TEL.99.1.1', found: 'a', corrected: 'b', reason: 'test' });
      const { problems } = compileCatalog(files);
      assert.deepEqual(codes(problems), ['unknown-erratum-id']);
    });

    it('reports a synthesised list with printed labels', () => {
      const files = sourceFixture();
      controlIn(files, '12.4.1').lists![0].items[0].label = 'a)';
      const { problems } = compileCatalog(files);
      assert.deepEqual(codes(problems), ['bad-label']);
    });
  });
});
