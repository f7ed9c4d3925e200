/**
 * Completeness of the real catalogue (catalog/data): the build itself does not assert counts, so
 * that it passes while the data is being written; these tests do.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CatalogIndex } from '../../catalog/src/query';
import { renderControlMarkdown, renderDefinitionMarkdown } from '../../catalog/src/render';
import { REPO_ROOT, realIndex } from '../helpers/catalog';

const TEL_CONTROLS = [
  'TEL.9.5.1',
  'TEL.11.1.7',
  'TEL.11.1.8',
  'TEL.11.1.9',
  'TEL.11.3.1',
  'TEL.11.3.2',
  'TEL.11.3.3',
  'TEL.13.1.4',
  'TEL.13.1.5',
  'TEL.13.1.6',
  'TEL.18.1.6',
  'TEL.18.1.7',
  'TEL.18.1.8',
];

const letters = (from: string, to: string) =>
  Array.from({ length: to.charCodeAt(0) - from.charCodeAt(0) + 1 }, (_, i) => String.fromCharCode(from.charCodeAt(0) + i));

describe('catalog: completeness of catalog/data', () => {
  let index: CatalogIndex;
  before(function () {
    this.timeout(60000);
    index = realIndex();
  });

  it('has the 114 ISO/IEC 27002 controls in 35 objectives and 14 clauses', () => {
    const iso = index.allControls().filter((c) => !c.id.startsWith('TEL.'));
    assert.equal(iso.length, 114);
    assert.equal(index.catalog.objectives.filter((o) => !o.id.startsWith('TEL.')).length, 35);
    assert.equal(index.catalog.clauses.filter((c) => !c.id.startsWith('TEL.')).length, 14);
    for (const c of iso) assert.ok(c.kind === 'iso-telecom' || c.kind === 'iso-as-is', `${c.id} is ${c.kind}`);
  });

  it('has the 13 TEL controls of Annex A in 5 objectives', () => {
    assert.deepEqual(index.allControls().filter((c) => c.kind === 'tel').map((c) => c.id), TEL_CONTROLS);
    assert.deepEqual(
      index.catalog.objectives.filter((o) => o.id.startsWith('TEL.')).map((o) => o.id),
      ['TEL.9.5', 'TEL.11.1', 'TEL.11.3', 'TEL.13.1', 'TEL.18.1'],
    );
    for (const id of TEL_CONTROLS) {
      const c = index.control(id)!;
      assert.ok(c.control?.ja, `${id} has no control statement`);
      assert.ok(index.objective(c.objective)?.objective?.ja, `${c.objective} has no objective text`);
    }
  });

  it('has the 16 definitions of 3.1, with the notes the standard prints', () => {
    const defs = index.catalog.definitions.filter((d) => d.id.startsWith('3.1.'));
    assert.deepEqual(defs.map((d) => d.id), Array.from({ length: 16 }, (_, i) => `3.1.${i + 1}`));
    // Which definitions carry a note ("注：…") is read from the source text itself.
    const lines = fs.readFileSync(path.join(REPO_ROOT, 'catalog', 'source', 'jt-x1051.txt'), 'utf8').split(/\r?\n/).map((l) => l.trim());
    const withNotes = new Set<string>();
    let current: string | undefined;
    for (const l of lines) {
      const h = /^(3\.1\.[0-9]+)\s/.exec(l);
      if (h) current = h[1];
      else if (/^3\.2\s/.test(l)) break;
      else if (current && l.startsWith('注')) withNotes.add(current);
    }
    assert.ok(withNotes.size >= 5, `only ${withNotes.size} notes found in the source`);
    for (const d of defs) {
      assert.equal(d.notes.length > 0, withNotes.has(d.id), `${d.id}: notes ${d.notes.length}, source has ${withNotes.has(d.id) ? 'a note' : 'none'}`);
    }
  });

  it('has abbreviations, among them DoS and DDoS', () => {
    assert.ok(index.abbreviation('DoS'));
    assert.ok(index.abbreviation('DDoS'));
  });

  it('has Annex B entries B.1.1, B.1.2, B.2.1 and B.2.2 with informative items', () => {
    for (const id of ['B.1.1', 'B.1.2', 'B.2.1', 'B.2.2']) {
      const b = index.annexB(id);
      assert.ok(b, `${id} missing`);
      assert.ok(b.items.length > 0, `${id} has no items`);
      assert.ok(b.items.every((i) => i.level === 'informative'), `${id} has non-informative items`);
    }
  });

  it('gives every control with telecom guidance at least one item', () => {
    const without = index
      .allControls()
      .filter((c) => c.kind === 'tel' || (c.kind === 'iso-telecom' && (c.telecomGuidance?.length ?? 0) > 0))
      .filter((c) => c.items.length === 0)
      .map((c) => c.id);
    assert.deepEqual(without, []);
  });

  it('gives every item Japanese and English text, subject and evidence terms', () => {
    const bad: string[] = [];
    for (const c of [...index.allControls(), ...index.catalog.annexB]) {
      for (const i of c.items) {
        if (!i.text.ja || !i.text.en || !i.subject.ja || !i.subject.en || i.terms.ja.length === 0 || i.terms.en.length === 0) bad.push(i.id);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('ships only id, title and reference for ISO controls applied as-is', () => {
    for (const c of index.allControls().filter((x) => x.kind === 'iso-as-is')) {
      assert.equal(c.items.length, 0, c.id);
      assert.equal(c.guidance, undefined, c.id);
      assert.equal(c.telecomGuidance, undefined, c.id);
      assert.equal(c.control, undefined, `${c.id} must not carry the ISO control text`);
    }
  });

  it('TEL.18.1.6 has list 1 a)–e) required and list 2 a)–j) recommended', () => {
    const c = index.control('TEL.18.1.6')!;
    const list = (n: number) => c.items.filter((i) => i.list === n && !i.parent);
    assert.deepEqual(list(1).map((i) => i.label), letters('a', 'e').map((l) => `${l})`));
    assert.ok(list(1).every((i) => i.level === 'required'));
    assert.deepEqual(list(2).map((i) => i.label), letters('a', 'j').map((l) => `${l})`));
    assert.ok(list(2).every((i) => i.level === 'recommended'));
    assert.equal(index.resolveItem('TEL.18.1.6', ['i'])?.id, 'TEL.18.1.6[2](i)');
    assert.equal(index.item('TEL.18.1.6(e)')?.text.ja, '通信の日時情報');
  });

  it('TEL.13.1.4 has sub-items e) 1)–8)', () => {
    const subs = index.itemsOf('TEL.13.1.4').filter((i) => i.parent !== undefined && /\(e\)\([0-9]+\)$/.test(i.id));
    assert.equal(subs.length, 8, subs.map((i) => i.id).join(', '));
    const parent = subs[0].parent!;
    assert.ok(subs.every((i) => i.parent === parent));
    assert.deepEqual(subs.map((i) => i.label.split(' ').pop()), ['1)', '2)', '3)', '4)', '5)', '6)', '7)', '8)']);
    assert.equal(index.resolveItem('TEL.13.1.4', ['e', '4'])?.id, subs[3].id);
  });

  it('renders the real catalogue without doubled note words', () => {
    for (const d of index.catalog.definitions) {
      assert.doesNotMatch(renderDefinitionMarkdown(index, d.id, 'ja')!, /注：注/);
    }
    // 通信の秘密保持 is both a defined term (3.1.4) and TEL.18.1.6's title: the definition points to the control.
    assert.match(renderDefinitionMarkdown(index, '3.1.4', 'ja')!, /関連する管理策: TEL\.18\.1\.6 通信の秘密保持/);
    const md = renderControlMarkdown(index, 'TEL.18.1.6', 'ja')!;
    assert.match(md, /`TEL\.18\.1\.6\[2\]\(j\)`/);
  });
});
