import * as assert from 'node:assert/strict';
import { findIdCandidates, normalizeId, foldWidth, formatItemId, bareLabel, cleanIdText, type IdResolver } from '../../catalog/src/normalize';

/** The single candidate found in `text`, failing when there is not exactly one. */
function one(text: string) {
  const found = findIdCandidates(text);
  assert.equal(found.length, 1, `expected one candidate in ${JSON.stringify(text)}, got ${JSON.stringify(found)}`);
  return found[0];
}

describe('normalize: findIdCandidates', () => {
  const telForms: [string, string][] = [
    ['TEL.18.1.6', 'TEL.18.1.6'],
    ['TEL 18.1.6', 'TEL 18.1.6'],
    ['TEL18.1.6', 'TEL18.1.6'],
    ['TEL. 18.1.6', 'TEL. 18.1.6'],
    ['ＴＥＬ．１８．１．６', 'ＴＥＬ．１８．１．６'],
    ['tel.18.1.6', 'tel.18.1.6'],
  ];
  for (const [form, raw] of telForms) {
    it(`finds ${form} as TEL.18.1.6 with its exact range`, () => {
      const text = `本規程は ${form} を扱う。`;
      const c = one(text);
      assert.equal(c.normalized, 'TEL.18.1.6');
      assert.equal(c.control, 'TEL.18.1.6');
      assert.equal(c.prefix, 'tel');
      assert.equal(c.raw, raw);
      assert.equal(text.slice(c.start, c.end), raw);
      assert.deepEqual(c.itemLabels, []);
    });
  }

  it('takes a standard name before TEL into the context, not the id', () => {
    const text = 'X.1051 TEL.18.1.6 applies';
    const c = one(text);
    assert.equal(c.prefix, 'tel');
    assert.equal(c.raw, 'TEL.18.1.6');
    assert.equal(c.contextStart, 0);
    assert.equal(c.standard, 'X.1051');
  });

  it('takes 附属書A before TEL into the context', () => {
    const text = '（附属書A TEL.18.1.6）';
    const c = one(text);
    assert.equal(c.prefix, 'tel');
    assert.equal(text.slice(c.contextStart, c.end), '附属書A TEL.18.1.6');
    assert.equal(c.bracketed, true);
  });

  it('reads the forms of the standard text itself (TEL 13.1.6, TEL. 18.1.7, TEL18.1.7)', () => {
    const text = '（附属書A TEL 13.1.6を参照）、（附属書A TEL18.1.7参照）、（TEL. 13.1.5参照）';
    assert.deepEqual(
      findIdCandidates(text).map((c) => c.normalized),
      ['TEL.13.1.6', 'TEL.18.1.7', 'TEL.13.1.5'],
    );
  });

  const standardForms: [string, string, string][] = [
    ['JT-X1051 18.1.6', '18.1.6', 'X.1051'],
    ['ISO/IEC 27002 12.4.1', '12.4.1', '27002'],
    ['27002:2013 12.4.1', '12.4.1', '27002'],
    ['ISO/IEC 27011 12.4.1', '12.4.1', '27011'],
    ['ISO/IEC 27002の12.4.1', '12.4.1', '27002'],
    ['ITU-T X.1051 clause 12.4.1', '12.4.1', 'X.1051'],
  ];
  for (const [form, id, std] of standardForms) {
    it(`finds "${form}" with prefix 'standard'`, () => {
      const text = `see ${form} here`;
      const c = one(text);
      assert.equal(c.normalized, id);
      assert.equal(c.prefix, 'standard');
      assert.equal(c.standard, std);
      assert.equal(c.raw, id);
      assert.equal(text.slice(c.contextStart, c.end), form);
    });
  }

  it("finds A.12.4.1 with prefix 'iso27001-annex'", () => {
    const c = one('Annex control A.12.4.1 of ISO/IEC 27001');
    assert.equal(c.normalized, '12.4.1');
    assert.equal(c.prefix, 'iso27001-annex');
    assert.equal(c.raw, 'A.12.4.1');
  });

  const itemForms: [string, string, string[]][] = [
    ['TEL.18.1.6 a)', 'TEL.18.1.6(a)', ['a']],
    ['TEL.18.1.6(e)', 'TEL.18.1.6(e)', ['e']],
    ['TEL.18.1.6（e）', 'TEL.18.1.6(e)', ['e']],
    ['TEL.13.1.4 e) 4)', 'TEL.13.1.4(e)(4)', ['e', '4']],
    ['TEL.13.1.4(e)(4)', 'TEL.13.1.4(e)(4)', ['e', '4']],
    ['TEL.13.1.4 e)4)', 'TEL.13.1.4(e)(4)', ['e', '4']],
    ['ＴＥＬ．１３．１．４（ｅ）（４）', 'TEL.13.1.4(e)(4)', ['e', '4']],
    ['TEL.9.5.1(1)', 'TEL.9.5.1(1)', ['1']],
  ];
  for (const [form, id, labels] of itemForms) {
    it(`finds the item reference "${form}"`, () => {
      const text = `${form} について`;
      const c = one(text);
      assert.equal(c.normalized, id);
      assert.deepEqual(c.itemLabels, labels);
      assert.equal(c.raw, form);
    });
  }

  it('reads the stable id of a list-2 item', () => {
    const c = one('TEL.18.1.6[2](c)');
    assert.equal(c.normalized, 'TEL.18.1.6[2](c)');
    assert.equal(c.list, 2);
    assert.deepEqual(c.itemLabels, ['c']);
  });

  it('does not take a Markdown footnote after an id for a list', () => {
    const c = one('TEL.18.1.6[2] text');
    assert.equal(c.normalized, 'TEL.18.1.6');
    assert.equal(c.raw, 'TEL.18.1.6');
  });

  it('does not take a parenthesis glued to a word for a label', () => {
    const c = one('(see TEL.18.1.6)');
    assert.equal(c.raw, 'TEL.18.1.6');
    assert.equal(c.bracketed, true);
  });

  it("returns bare numbers with prefix 'none' and whether they are bracketed", () => {
    const cases: [string, boolean][] = [
      ['see 8.2.1 for this', false],
      ['see [8.2.1] for this', true],
      ['see (8.2.1) for this', true],
      ['参照（8.2.1）', true],
      ['see (ref. 8.2.1) for this', true],
      ['(a) 8.2.1 then b)', false],
    ];
    for (const [text, bracketed] of cases) {
      const c = findIdCandidates(text)[0];
      assert.ok(c, text);
      assert.equal(c.normalized, '8.2.1', text);
      assert.equal(c.prefix, 'none', text);
      assert.equal(c.bracketed, bracketed, text);
    }
  });

  it('accepts an id at the end of a sentence', () => {
    assert.equal(one('This follows 12.4.1.').normalized, '12.4.1');
    assert.equal(one('TEL.18.1.6。').normalized, 'TEL.18.1.6');
  });

  it('takes any numbers after TEL or A. as an id (an unknown one is reported, not dropped), and bare numbers only from 5 to 19', () => {
    for (const text of ['TEL.5.1.1', 'TEL.19.1.1', 'A.19.1.1', 'A.3.1.9', '[19.1.1]']) {
      assert.equal(findIdCandidates(text).length, 1, text);
    }
    assert.equal(findIdCandidates('[20.1.1]').length, 0);
    assert.equal(findIdCandidates('[19.1.1]')[0].enclosed, true);
    assert.equal(findIdCandidates('（19.1.1 参照）')[0].enclosed, false);
  });

  it('reads ids through invisible and look-alike characters, keeping offsets and naming the characters', () => {
    const cases: Array<[string, string, string[]]> = [
      ['見出し TEL.18.1\u200b.6 です', 'TEL.18.1.6', ['U+200B']],
      ['TEL\u00a018.1.6', 'TEL.18.1.6', ['U+00A0']],
      ['ＴＥＬ。１８。１。６', 'TEL.18.1.6', ['U+3002']],
      ['\u0422\u0415L.18.1.6', 'TEL.18.1.6', ['U+0422', 'U+0415']],
      ['A.12\u00ad.4.1', '12.4.1', ['U+00AD']],
      ['TEL.1\u200d8.1.6 e)', 'TEL.18.1.6(e)', ['U+200D']],
    ];
    for (const [text, normalized, chars] of cases) {
      const c = findIdCandidates(text);
      assert.equal(c.length, 1, text);
      assert.equal(c[0].normalized, normalized, text);
      assert.deepEqual(c[0].suspicious, chars, text);
      assert.equal(c[0].raw, text.slice(c[0].start, c[0].end), text);
    }
    assert.equal(findIdCandidates('TEL.18.1.6 and ＴＥＬ．１８．１．６')[0].suspicious, undefined, 'plain and full-width ids are not suspicious');
    assert.equal(cleanIdText('TEL\u00a018.1\u200b.6'), 'TEL 18.1.6');
    assert.equal(cleanIdText('ＴＥＬ。１８。１。６'), 'ＴＥＬ．１８．１．６');
  });

  it('rejects longer numbers, versions, addresses and dates', () => {
    for (const text of [
      '1.2.3.4',
      'v8.2.1',
      'version8.2.1',
      'host 10.1.2.3 is down',
      '2016.4.1',
      '2018.2.15 release',
      'node 20.9.5',
      '1.2.3',
      '4.1.1',
      '8.2.1a',
      '12.04.1',
      '123.4.1',
      '12.4',
      'hotel18.1.6',
    ]) {
      assert.deepEqual(findIdCandidates(text), [], text);
    }
  });

  it("treats 'hotel 18.1.6' as a bare number, not as TEL", () => {
    const c = one('hotel 18.1.6');
    assert.equal(c.prefix, 'none');
    assert.equal(c.normalized, '18.1.6');
  });

  it('keeps UTF-16 offsets across surrogate pairs and CRLF', () => {
    const text = '𠮷𠮷\r\n方針 TEL.18.1.6(e) と 12.4.1';
    const found = findIdCandidates(text);
    assert.equal(found.length, 2);
    assert.equal(text.slice(found[0].start, found[0].end), 'TEL.18.1.6(e)');
    assert.equal(text.slice(found[1].start, found[1].end), '12.4.1');
  });

  it('finds several ids in one line', () => {
    const found = findIdCandidates('TEL.18.1.6, TEL.18.1.7 and 12.4.1 / 12.4.2');
    assert.deepEqual(found.map((c) => c.normalized), ['TEL.18.1.6', 'TEL.18.1.7', '12.4.1', '12.4.2']);
  });

  it('stays linear on adversarial input', () => {
    const inputs = [
      '1.'.repeat(50000),
      '9'.repeat(100000),
      'TEL.'.repeat(30000),
      'TEL 18.1.6 ('.repeat(10000),
      '(('.repeat(50000) + '12.4.1',
      'ISO/IEC 27002 '.repeat(10000),
      '18.1.6 a) '.repeat(10000),
    ];
    for (const input of inputs) {
      const t0 = Date.now();
      findIdCandidates(input);
      assert.ok(Date.now() - t0 < 1500, `too slow on ${input.slice(0, 20)}…`);
    }
  });
});

describe('normalize: normalizeId', () => {
  it('normalises every single form without a catalogue', () => {
    const cases: [string, { control: string; item?: string }][] = [
      ['TEL.18.1.6', { control: 'TEL.18.1.6' }],
      ['TEL 18.1.6', { control: 'TEL.18.1.6' }],
      ['TEL18.1.6', { control: 'TEL.18.1.6' }],
      ['TEL. 18.1.6', { control: 'TEL.18.1.6' }],
      ['ＴＥＬ．１８．１．６', { control: 'TEL.18.1.6' }],
      ['X.1051 TEL.18.1.6', { control: 'TEL.18.1.6' }],
      ['附属書A TEL.18.1.6', { control: 'TEL.18.1.6' }],
      ['JT-X1051 18.1.6', { control: '18.1.6' }],
      ['ISO/IEC 27002 12.4.1', { control: '12.4.1' }],
      ['27002:2013 12.4.1', { control: '12.4.1' }],
      ['ISO/IEC 27011 12.4.1', { control: '12.4.1' }],
      ['A.12.4.1', { control: '12.4.1' }],
      ['12.4.1', { control: '12.4.1' }],
      ['TEL.18.1.6 a)', { control: 'TEL.18.1.6', item: 'TEL.18.1.6(a)' }],
      ['TEL.18.1.6(e)', { control: 'TEL.18.1.6', item: 'TEL.18.1.6(e)' }],
      ['TEL.18.1.6（e）', { control: 'TEL.18.1.6', item: 'TEL.18.1.6(e)' }],
      ['TEL.13.1.4 e) 4)', { control: 'TEL.13.1.4', item: 'TEL.13.1.4(e)(4)' }],
      ['TEL.18.1.6[2](c)', { control: 'TEL.18.1.6', item: 'TEL.18.1.6[2](c)' }],
      ['  TEL.18.1.6.  ', { control: 'TEL.18.1.6' }],
    ];
    for (const [raw, expected] of cases) assert.deepEqual(normalizeId(raw), expected, raw);
  });

  it('returns undefined for text that is not a single id', () => {
    for (const raw of ['', 'TEL', 'TEL.18.1', 'TEL.18.1.6 and TEL.18.1.7', 'see TEL.18.1.6', '1.2.3.4', 'TEL.18.1.6 extra']) {
      assert.equal(normalizeId(raw), undefined, raw);
    }
  });

  /** A tiny resolver: TEL.18.1.6 has list 1 a)–e) and list 2 a)–j); TEL.13.1.4 has e) 1)–8). */
  const resolver: IdResolver = {
    control: (id) => (['TEL.18.1.6', 'TEL.13.1.4', '12.4.1'].includes(id) ? { id } : undefined),
    resolveItem(control, labels, list) {
      const lists: Record<string, string[][]> = {
        'TEL.18.1.6': [['a', 'b', 'c', 'd', 'e'], ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']],
        'TEL.13.1.4': [['a', 'b', 'c', 'd', 'e']],
      };
      const ls = lists[control];
      if (!ls) return undefined;
      const idx = list !== undefined ? list - 1 : ls.findIndex((l) => l.includes(labels[0]));
      if (idx < 0 || !ls[idx]?.includes(labels[0])) return undefined;
      if (labels.length > 1 && !(control === 'TEL.13.1.4' && labels[0] === 'e' && Number(labels[1]) <= 8)) return undefined;
      return { id: formatItemId(control, idx + 1, labels) };
    },
  };

  it('resolves labels to stable item ids with a catalogue (list 1 first)', () => {
    assert.deepEqual(normalizeId('TEL.18.1.6 e)', resolver), { control: 'TEL.18.1.6', item: 'TEL.18.1.6(e)' });
    assert.deepEqual(normalizeId('TEL.18.1.6(i)', resolver), { control: 'TEL.18.1.6', item: 'TEL.18.1.6[2](i)' });
    assert.deepEqual(normalizeId('TEL.13.1.4 e) 4)', resolver), { control: 'TEL.13.1.4', item: 'TEL.13.1.4(e)(4)' });
  });

  it('returns undefined with a catalogue for unknown controls and items', () => {
    assert.equal(normalizeId('TEL.18.1.9', resolver), undefined);
    assert.equal(normalizeId('TEL.18.1.6(k)', resolver), undefined);
    assert.equal(normalizeId('TEL.13.1.4 e) 9)', resolver), undefined);
    assert.equal(normalizeId('18.1.6', resolver), undefined);
  });

  it('maps an X.1051-named bare number to its TEL control, but not an ISO/IEC 27002 one', () => {
    assert.deepEqual(normalizeId('JT-X1051 18.1.6', resolver), { control: 'TEL.18.1.6' });
    assert.equal(normalizeId('ISO/IEC 27002 18.1.6', resolver), undefined);
  });
});

describe('normalize: helpers', () => {
  it('folds width one code unit for one', () => {
    assert.equal(foldWidth('ＴＥＬ．１８　ａ）'), 'TEL.18 a)');
    assert.equal(foldWidth('通信の秘密').length, 5);
  });

  it('formats item ids by the project convention', () => {
    assert.equal(formatItemId('TEL.18.1.6', 1, ['a']), 'TEL.18.1.6(a)');
    assert.equal(formatItemId('TEL.18.1.6', 2, ['c']), 'TEL.18.1.6[2](c)');
    assert.equal(formatItemId('TEL.13.1.4', 1, ['e', '4']), 'TEL.13.1.4(e)(4)');
  });

  it('strips printed label punctuation', () => {
    assert.equal(bareLabel('a)'), 'a');
    assert.equal(bareLabel('4)'), '4');
    assert.equal(bareLabel('1.'), '1');
    assert.equal(bareLabel('ｅ）'), 'ｅ');
  });
});

describe('normalize: robustness', () => {
  /** A small deterministic PRNG, so a failure can be replayed. */
  function rng(seed: number) {
    let s = seed >>> 0;
    return () => {
      s = (s * 1664525 + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }
  const alphabet = ['T', 'E', 'L', '.', '．', ' ', '　', '1', '8', '6', '9', '0', '(', ')', '（', '）', '[', ']', 'a', 'e', 'A', 'X', '-', ':', '\n', '𠮷', 'の', '２', 'ｅ', 'ISO/IEC 27002 ', 'JT-X1051 ', '附属書A '];

  it('returns well-formed candidates for random text', () => {
    const next = rng(1051);
    for (let round = 0; round < 2000; round++) {
      let text = '';
      const len = Math.floor(next() * 40);
      for (let i = 0; i < len; i++) text += alphabet[Math.floor(next() * alphabet.length)];
      let last = -1;
      for (const c of findIdCandidates(text)) {
        assert.ok(c.contextStart <= c.start && c.start < c.end && c.end <= text.length, JSON.stringify({ text, c }));
        assert.ok(c.start >= last, `candidates out of order in ${JSON.stringify(text)}`);
        last = c.end;
        assert.equal(c.raw, text.slice(c.start, c.end));
        // The normalized form of a candidate normalises to itself.
        const again = normalizeId(c.normalized);
        assert.ok(again, `${c.normalized} from ${JSON.stringify(text)} does not normalise`);
        assert.equal(again.item ?? again.control, c.prefix === 'tel' || c.list !== undefined || c.itemLabels.length > 0 ? c.normalized : again.control);
      }
    }
  });

  it('keeps the pure modules free of Node built-ins', () => {
    const fs = require('node:fs') as typeof import('node:fs');
    const path = require('node:path') as typeof import('node:path');
    for (const f of ['normalize.ts', 'compile.ts', 'query.ts', 'render.ts', 'index.ts', 'types.ts']) {
      const src = fs.readFileSync(path.join(__dirname, '..', '..', 'catalog', 'src', f), 'utf8');
      assert.doesNotMatch(src, /from ['"](?:node:|fs|path|vscode)|require\(/, f);
    }
  });
});
