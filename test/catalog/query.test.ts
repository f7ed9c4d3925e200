import * as assert from 'node:assert/strict';
import { editDistance, textKey } from '../../catalog/src/query';
import { normalizeId } from '../../catalog/src/normalize';
import { fixtureIndex } from '../helpers/catalog';

describe('catalog: query', () => {
  const index = fixtureIndex();

  it('looks up controls, objectives, clauses, items, Annex B, definitions and abbreviations by id', () => {
    assert.equal(index.control('TEL.18.1.6')?.title.en, 'Secrecy of communications');
    assert.equal(index.control('TEL.18.1.9'), undefined);
    assert.equal(index.objective('TEL.18.1')?.controls[0], 'TEL.18.1.6');
    assert.equal(index.clause('12')?.objectives[0], '12.4');
    assert.equal(index.item('TEL.18.1.6[2](i)')?.level, 'recommended');
    assert.equal(index.annexB('B.1.1')?.items.length, 1);
    assert.equal(index.definition('3.2.1')?.term.ja, '通信の秘密');
    assert.equal(index.abbreviation('DoS')?.expansion, 'Denial of Service');
  });

  it('finds definitions by term in either language, ignoring width, case and spaces', () => {
    assert.equal(index.definitionByTerm('通信の秘密')?.id, '3.2.1');
    assert.equal(index.definitionByTerm('Secrecy of Communications')?.id, '3.2.1');
    assert.equal(index.definitionByTerm('secrecyofcommunications')?.id, '3.2.1');
    assert.equal(index.definitionByTerm('通信'), undefined);
  });

  it('finds abbreviations ignoring case and width', () => {
    assert.equal(index.abbreviation('dos')?.abbr, 'DoS');
    assert.equal(index.abbreviation('ＤｏＳ')?.abbr, 'DoS');
  });

  it('resolves item labels: list 1 first, else the first list that has the label', () => {
    assert.equal(index.resolveItem('TEL.18.1.6', ['a'])?.id, 'TEL.18.1.6(a)');
    assert.equal(index.resolveItem('TEL.18.1.6', ['i'])?.id, 'TEL.18.1.6[2](i)');
    assert.equal(index.resolveItem('TEL.18.1.6', ['a'], 2)?.id, 'TEL.18.1.6[2](a)');
    assert.equal(index.resolveItem('TEL.18.1.6', ['z']), undefined);
    assert.equal(index.resolveItem('TEL.13.1.4', ['e', '4'])?.id, 'TEL.13.1.4(e)(4)');
    assert.equal(index.resolveItem('TEL.13.1.4', ['e', '3']), undefined);
    assert.equal(index.resolveItem('B.1.1', ['a'])?.id, 'B.1.1(a)');
    assert.equal(index.resolveItem('TEL.99.1.1', ['a']), undefined);
  });

  it('serves normalizeId as its resolver', () => {
    assert.deepEqual(normalizeId('TEL.18.1.6（i）', index), { control: 'TEL.18.1.6', item: 'TEL.18.1.6[2](i)' });
    assert.deepEqual(normalizeId('ＴＥＬ．１３．１．４ ｅ) ４)', index), { control: 'TEL.13.1.4', item: 'TEL.13.1.4(e)(4)' });
    assert.equal(normalizeId('TEL.18.1.7', index), undefined);
  });

  it('lists sub-items of an item', () => {
    assert.deepEqual(index.childrenOf('TEL.13.1.4(e)').map((i) => i.id), ['TEL.13.1.4(e)(1)', 'TEL.13.1.4(e)(2)', 'TEL.13.1.4(e)(4)']);
    assert.deepEqual(index.childrenOf('TEL.13.1.4(a)'), []);
  });

  it('looks up free-form text: ids in any form, terms, titles, abbreviations', () => {
    const kindOf = (s: string) => {
      const r = index.lookup(s);
      if (!r) return undefined;
      switch (r.kind) {
        case 'control':
          return `control ${r.control.id}`;
        case 'item':
          return `item ${r.item.id}`;
        case 'objective':
          return `objective ${r.objective.id}`;
        case 'clause':
          return `clause ${r.clause.id}`;
        case 'annex-b':
          return `annex-b ${r.entry.id}`;
        case 'definition':
          return `definition ${r.definition.id}`;
        case 'abbreviation':
          return `abbreviation ${r.abbreviation.abbr}`;
      }
    };
    assert.equal(kindOf('TEL 18.1.6'), 'control TEL.18.1.6');
    assert.equal(kindOf('TEL.18.1.6 e)'), 'item TEL.18.1.6(e)');
    assert.equal(kindOf('TEL.18.1.6[2](i)'), 'item TEL.18.1.6[2](i)');
    assert.equal(kindOf('TEL.18.1'), 'objective TEL.18.1');
    assert.equal(kindOf('TEL.18'), 'clause TEL.18');
    assert.equal(kindOf('12'), 'clause 12');
    assert.equal(kindOf('B.1.1'), 'annex-b B.1.1');
    assert.equal(kindOf('B.1.1(a)'), 'item B.1.1(a)');
    assert.equal(kindOf('3.2.1'), 'definition 3.2.1');
    assert.equal(kindOf('通信の秘密'), 'definition 3.2.1');
    assert.equal(kindOf('通信の秘密保持'), 'control TEL.18.1.6');
    assert.equal(kindOf('Event logging'), 'control 12.4.1');
    assert.equal(kindOf('DoS'), 'abbreviation DoS');
    assert.equal(kindOf('nothing here'), undefined);
    assert.equal(kindOf(''), undefined);
  });

  it('suggests the same numbers under the other prefix first', () => {
    assert.equal(index.didYouMean('TEL.12.4.1')[0], '12.4.1');
    assert.equal(index.didYouMean('18.1.6')[0], 'TEL.18.1.6');
  });

  it('suggests ids within a small edit distance', () => {
    const s = index.didYouMean('TEL.18.1.5');
    assert.ok(s.includes('TEL.18.1.6'), JSON.stringify(s));
    assert.ok(s.length <= 3);
    assert.deepEqual(index.didYouMean('TEL.18.1.6(f)'), ['TEL.18.1.6(a)', 'TEL.18.1.6(b)', 'TEL.18.1.6(e)']);
    assert.deepEqual(index.didYouMean('completely different'), []);
    assert.equal(index.didYouMean('TEL.18.1.5', 1).length, 1);
  });

  it('searches ids, titles, terms and text, best first', () => {
    assert.equal(index.search('TEL.18.1.6')[0].id, 'TEL.18.1.6');
    assert.equal(index.search('秘密')[0].id, 'TEL.18.1.6');
    assert.equal(index.search('logging')[0].id, '12.4.1');
    assert.ok(index.search('通信の日時情報').some((r) => r.id === 'TEL.18.1.6(e)'));
    assert.ok(index.search('DoS').some((r) => r.kind === 'abbreviation'));
    // Restricting the language restricts what matches.
    assert.equal(index.search('logging', 'ja').length, 0);
    assert.deepEqual(index.search('').map((r) => r.id), index.allControls().map((c) => c.id));
  });

  it('lists all controls in standard order', () => {
    assert.deepEqual(index.allControls().map((c) => c.id), ['12.4.1', '12.4.2', '18.1.1', 'TEL.13.1.4', 'TEL.18.1.6']);
  });

  it('compares text keys across width and case', () => {
    assert.equal(textKey('ＴＥＬ　Ａ'), 'tela');
    assert.equal(editDistance('TEL.18.1.6', 'TEL.18.1.7'), 1);
    assert.equal(editDistance('abc', 'xyz', 1), 2);
  });
});
