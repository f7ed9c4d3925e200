/**
 * The one human item label: the printed label after the control id, the list named in words for
 * the later lists of a control with several; read back by `parseItemLabel` in either language.
 */
import * as assert from 'node:assert/strict';
import { itemLabel, parseItemLabel } from '../../catalog/src/labels';
import { realIndex } from '../helpers/catalog';

describe('item labels', () => {
  const catalog = realIndex();

  it('names the list in words for later lists, in the language', () => {
    assert.equal(itemLabel(catalog.item('TEL.18.1.6(e)')!, 'en'), 'TEL.18.1.6 e)');
    assert.equal(itemLabel(catalog.item('TEL.18.1.6[2](g)')!, 'en'), 'TEL.18.1.6 guideline g)');
    assert.equal(itemLabel(catalog.item('TEL.18.1.6[2](g)')!, 'ja'), 'TEL.18.1.6 指針 g)');
    assert.equal(itemLabel(catalog.item('TEL.13.1.4[2](e)(4)')!, 'en'), 'TEL.13.1.4 consideration e) 4)');
    assert.equal(itemLabel(catalog.item('12.4.1[2](1)')!, 'ja'), '12.4.1 関連情報 1.');
    assert.equal(itemLabel(catalog.item('TEL.13.1.5(3)')!, 'en'), 'TEL.13.1.5 3.');
  });

  it('every list of a control with several has a name in both languages', () => {
    for (const c of catalog.allControls()) {
      if (c.lists.length < 2) continue;
      for (const l of c.lists) assert.ok(l.name?.ja && l.name.en, `${c.id} list ${l.list}`);
      // Names tell the lists apart.
      assert.equal(new Set(c.lists.map((l) => l.name!.en)).size, c.lists.length, c.id);
    }
  });

  it('reads back the label of every item, in both languages, as that item', () => {
    let n = 0;
    for (const c of catalog.allControls()) {
      for (const item of c.items) {
        for (const lang of ['ja', 'en'] as const) {
          assert.equal(parseItemLabel(itemLabel(item, lang), catalog)?.id, item.id, `${itemLabel(item, lang)}`);
          n++;
        }
      }
    }
    assert.ok(n > 400, `${n} labels`);
  });

  it('refuses a list name the control does not have, and text that is not a label', () => {
    assert.equal(parseItemLabel('TEL.18.1.6 bogus g)', catalog), undefined);
    assert.equal(parseItemLabel('TEL.18.1.6 guideline z)', catalog), undefined);
    assert.equal(parseItemLabel('secrecy of communications', catalog), undefined);
  });
});
