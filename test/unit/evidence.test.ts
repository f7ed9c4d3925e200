/**
 * Evidence matching: normalisation of spelling variants, `A + B` terms, negation, first
 * evidence, and linear cost.
 */
import * as assert from 'node:assert/strict';
import { EvidenceMatcher, findEvidence } from '../../server/src/service/evidence';
import fc from 'fast-check';
import { foldVariants, foldVariantsFully, normalizeForMatch, normalizeTerm, Participle, stemWithForm, stemWord } from '../../server/src/service/language';
import { fixtureCatalog } from '../helpers/fixtureCatalog';

const items = fixtureCatalog().controls.flatMap((c) => c.items);
const found = (text: string) => [...findEvidence(text, items).keys()].sort();

describe('evidence', () => {
  describe('normalisation', () => {
    it('folds width, case, okurigana and spelling variants', () => {
      assert.equal(normalizeTerm('取り扱い'), normalizeTerm('取扱い'));
      assert.equal(normalizeTerm('取扱い'), normalizeTerm('取扱'));
      assert.equal(normalizeTerm('行なう'), normalizeTerm('行う'));
      assert.equal(normalizeTerm('ぜい弱性'), normalizeTerm('脆弱性'));
      assert.equal(normalizeTerm('サーバー'), normalizeTerm('サーバ'));
      assert.equal(normalizeTerm('ｻｰﾊﾞｰ'), normalizeTerm('サーバ'));
      assert.equal(normalizeTerm('ＬＯＧ'), normalizeTerm('log'));
    });
    it('stems English lightly', () => {
      assert.equal(stemWord('communications'), stemWord('communication'));
      assert.equal(stemWord('logging'), stemWord('logs'));
      assert.equal(stemWord('logged'), stemWord('log'));
      assert.equal(stemWord('parties'), stemWord('party'));
      assert.equal(stemWord('disclosed'), stemWord('disclose'));
      assert.equal(stemWord('authorised'), stemWord('authorized'));
    });
    it('keeps the participle ending aside, and brings back a y before -ed', () => {
      assert.equal(stemWord('calling'), stemWord('called'), 'one stem: single words still meet all inflections');
      assert.equal(stemWithForm('calling').form, Participle.Ing);
      assert.equal(stemWithForm('called').form, Participle.Ed);
      assert.equal(stemWithForm('call').form, Participle.None);
      assert.equal(stemWord('notified'), stemWord('notify'));
      assert.equal(stemWord('applied'), stemWord('apply'));
    });
    it('reads a hyphen inside a compound as a space, without turning "A-party" into "party"', () => {
      assert.equal(normalizeTerm('anti-cyber-terrorism'), normalizeTerm('anti cyber terrorism'));
      assert.equal(normalizeTerm('fire-resistant'), normalizeTerm('fire resistant'));
      assert.notEqual(normalizeTerm('A-party'), normalizeTerm('party'));
      assert.equal(normalizeTerm('a party'), normalizeTerm('party'), 'the article alone is still dropped');
    });
    it('maps every normalised unit back to the source', () => {
      const n = normalizeForMatch('𠮷 取り扱い', 100);
      assert.equal(n.text, '𠮷取扱');
      assert.equal(n.map[0], 100);
      assert.equal(n.map[2], 103, 'the space between Japanese characters goes; 取 is at 103');
      assert.equal(n.map[n.text.length], 107);
    });
  });

  describe('the short way for ASCII, kana and ideographs', () => {
    it('NFKC leaves every code unit of those ranges as it is (what the short way assumes)', () => {
      for (const [from, to] of [[0x21, 0x7e], [0x3041, 0x3096], [0x30a1, 0x30fa], [0x30fc, 0x30fc], [0x4e00, 0x9fff]]) {
        for (let c = from; c <= to; c++) {
          const ch = String.fromCharCode(c);
          assert.equal(ch.normalize('NFKC').toLowerCase(), ch.toLowerCase(), `U+${c.toString(16)}`);
        }
      }
    });
    it('gives the same text and offsets as the character-by-character way, for mixed input', () => {
      // Half-width katakana with a voiced mark, full-width forms and a compatibility ideograph go
      // the long way; their neighbours the short way.
      const n = normalizeForMatch('ABC ｶﾞ通信ＡＢ\uF900の内容', 10);
      assert.equal(n.text, 'abc ガ通信ab\u8c48の内容');
      assert.deepEqual(n.map.slice(0, 6), [10, 11, 12, 13, 14, 16]);
      assert.equal(n.map[n.text.length], 10 + 'ABC ｶﾞ通信ＡＢ\uF900の内容'.length);
    });
  });

  describe('normalisation appends runs of unchanged text as slices', () => {
    // The passes as they were written first, one string per character: the reference.
    const DET = new Set(['the', 'a', 'an', 'your', 'their', 'our', 'its', 'his', 'her', 'my', 'any', 'such']);
    const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 0x3000 || c === 0xa0;
    const isAlnum = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
    function referenceFold(input: string, offset0: number) {
      let text = '';
      const map: number[] = [];
      let pending = -1;
      for (let i = 0; i < input.length; ) {
        const c = input.charCodeAt(i);
        if (isSpace(c)) {
          if (pending < 0) pending = offset0 + i;
          i++;
          continue;
        }
        let len = c >= 0xd800 && c <= 0xdbff && i + 1 < input.length ? 2 : 1;
        const next = input.charCodeAt(i + len);
        if (next === 0xff9e || next === 0xff9f) len++;
        let folded = input.slice(i, i + len).normalize('NFKC').toLowerCase();
        if (folded.trim() === '') folded = ' ';
        if (pending >= 0) {
          if (text.length > 0) {
            text += ' ';
            map.push(pending);
          }
          pending = -1;
        }
        for (let k = 0; k < folded.length; k++) {
          text += folded[k];
          map.push(offset0 + i);
        }
        i += len;
      }
      map.push(offset0 + input.length);
      return { text, map };
    }
    function referenceStem(n: { text: string; map: number[] }) {
      const src = n.text;
      let text = '';
      const map: number[] = [];
      const forms: number[] = [];
      for (let i = 0; i < src.length; ) {
        if (!isAlnum(src.charCodeAt(i))) {
          const c = src.charCodeAt(i);
          const hyphen = (c === 45 || c === 0x2010) && i > 0 && isAlnum(src.charCodeAt(i - 1)) && isAlnum(src.charCodeAt(i + 1));
          text += hyphen ? ' ' : src[i];
          map.push(n.map[i]);
          forms.push(0);
          i++;
          continue;
        }
        let j = i;
        while (j < src.length && isAlnum(src.charCodeAt(j))) j++;
        const word = src.slice(i, j);
        if (DET.has(word) && (j === src.length || src.charCodeAt(j) === 32)) {
          i = j < src.length ? j + 1 : j;
          continue;
        }
        const { stem, form } = stemWithForm(word);
        for (let k = 0; k < stem.length; k++) {
          text += stem[k];
          map.push(n.map[i + Math.min(k, j - i - 1)]);
          forms.push(k === 0 ? form : 0);
        }
        i = j;
      }
      map.push(n.map[src.length]);
      return { text, map, forms: [...forms] };
    }
    it('gives the text, offsets and participles of the one-string-per-character way (random mixed text)', () => {
      const unit = fc.constantFrom('A', 'b', 'Calls', ' ', '\n', '\u3000', '\u00a0', '-', 'the ', 'logged', 'calling', '通信', 'の', 'ｶ', 'ﾞ', 'Ａ', '\uF900', '\u{20BB7}', '取り扱い', 'ー', 'サーバー', '7', 'x-ray', '。', '.');
      fc.assert(
        fc.property(fc.array(unit, { maxLength: 25 }), fc.nat(50), (parts, offset) => {
          const input = parts.join('');
          const expected = referenceStem(foldVariantsFully(referenceFold(input, offset)));
          const got = normalizeForMatch(input, offset);
          assert.equal(got.text, expected.text);
          assert.deepEqual([...got.map], expected.map);
          assert.deepEqual([...(got.forms ?? [])], expected.forms);
        }),
        { numRuns: 3000 },
      );
    });
  });

  describe('the spelling-variant pass skips a block with nothing to fold', () => {
    it('returns its input unchanged exactly when the full pass would (random mixed text)', () => {
      // Units that start variants, the long-vowel mark, spaces, kana, kanji, a surrogate pair, ASCII.
      const unit = fc.constantFrom('取', 'り', '扱', 'い', '行', 'な', 'ー', 'サ', 'バ', ' ', '通', '信', 'の', '\u{20BB7}', 'a', 'b', '’', '.', 'ぜ', '弱', 'ト', 'ラ', 'ヒ', 'ッ', 'ク');
      fc.assert(
        fc.property(fc.array(unit, { maxLength: 30 }), (parts) => {
          const text = parts.join('');
          const n = { text, map: Array.from({ length: text.length + 1 }, (_, i) => i + 3) };
          const full = foldVariantsFully(n);
          const fast = foldVariants(n);
          assert.equal(fast.text, full.text);
          assert.deepEqual(fast.map, full.map);
        }),
        { numRuns: 3000 },
      );
    });
    it('and skips the common case: plain English and Japanese with nothing to fold', () => {
      for (const text of ['we log every call and keep it for two years.', '通信の秘密を保護する。', 'abc 通信']) {
        const n = { text, map: Array.from({ length: text.length + 1 }, (_, i) => i) };
        assert.equal(foldVariants(n), n, text);
      }
      const wrapped = { text: '通信の 内容', map: [0, 1, 2, 3, 4, 5, 6] };
      assert.notEqual(foldVariants(wrapped), wrapped);
      assert.equal(foldVariants(wrapped).text, '通信の内容');
    });
  });

  describe('matching', () => {
    it('matches Japanese terms across a wrapped line and markup gaps', () => {
      assert.deepEqual(found('通信の\n内容を保護する。'), ['TEL.18.1.6(b)']);
    });
    it('matches English terms with inflections, on word boundaries only', () => {
      assert.deepEqual(found('We never reveal the senders of messages.'), ['TEL.18.1.6(c)']);
      assert.deepEqual(found('We store them in a dispatcher.'), [], '"sender" inside another word does not count');
    });
    it('needs all parts of A + B in one sentence', () => {
      assert.deepEqual(found('第三者への提供を禁止する。'), ['TEL.18.1.6[2](f)']);
      assert.deepEqual(found('第三者について。提供は別途定める。'), []);
      assert.deepEqual(found('We never disclose records to third parties.'), ['TEL.18.1.6[2](f)']);
      assert.deepEqual(found('Third parties are listed. We disclose nothing else.'), []);
    });
    it('does not count a topic stated out of scope (Japanese and English)', () => {
      assert.deepEqual(found('通信の内容は対象外とする。'), []);
      assert.deepEqual(found('本方針は通信の内容を対象としない。'), []);
      assert.deepEqual(found('This policy does not cover the content of communications.'), []);
      assert.deepEqual(found("It doesn't cover the content of the communication."), []);
      assert.deepEqual(found('The content of communications is out of scope.'), []);
    });
    it('keeps negation to its clause', () => {
      assert.deepEqual(found('通信の内容は対象外とするが、発信元は保護する。'), ['TEL.18.1.6(c)']);
      assert.deepEqual(found('The content of communications is out of scope, but the sender is protected.'), ['TEL.18.1.6(c)']);
    });
    it('a safeguard is not a negation', () => {
      assert.deepEqual(found('通信の内容を業務目的以外で扱わない。'), ['TEL.18.1.6(b)']);
    });
    it('a condition is not a negation', () => {
      assert.deepEqual(found('別途定めない限り、通信の内容は開示しない。'), ['TEL.18.1.6(b)']);
    });
    it('a prohibition is not a negation: it addresses the item', () => {
      assert.deepEqual(found('法令に基づく場合を除き、第三者に提供しない。'), ['TEL.18.1.6[2](f)']);
    });
    it('reports the first evidence with source offsets', () => {
      const text = 'まず宛先。次に着信先。';
      const hit = findEvidence(text, items).get('TEL.18.1.6(d)')!;
      assert.equal(text.slice(hit.start, hit.end), '宛先');
      assert.equal(hit.term, '宛先');
    });
    it('adds extra terms per item', () => {
      const m = EvidenceMatcher.forItems(items, { 'TEL.18.1.6(e)': { ja: ['タイムスタンプ'] } });
      assert.ok(m.scan('タイムスタンプを保護する。').has('TEL.18.1.6(e)'));
    });
  });

  describe('phrases keep their participles apart', () => {
    const m = new EvidenceMatcher([
      { item: 'origin', terms: ['calling party', 'calling number'] },
      { item: 'destination', terms: ['called party', 'called number'] },
      { item: 'logging', terms: ['logging'] },
    ]);
    const got = (text: string) => [...m.scan(text).keys()].sort();
    it('tells "calling party" from "called party"', () => {
      assert.deepEqual(got('We protect the calling party.'), ['origin']);
      assert.deepEqual(got('We protect the called party.'), ['destination']);
      assert.deepEqual(got('Calling parties and called numbers are secret.'), ['destination', 'origin']);
      assert.deepEqual(got('The called number is masked.'), ['destination']);
    });
    it('a single word still meets every inflection', () => {
      assert.deepEqual(got('Calls are logged.'), ['logging']);
    });
  });

  describe('context words', () => {
    const m = new EvidenceMatcher([
      {
        item: 'time',
        terms: ['日時', 'タイムスタンプ', '通信日時', 'date and time', 'timestamp', 'time + duration'],
        context: ['通信', '送信', '通話', 'call', 'communication', 'message'],
      },
      { item: 'escalation', terms: ['escalate + SLA', 'エスカレーション + SLA'] },
    ]);
    const has = (text: string) => m.scan(text).has('time');
    it('a generic term counts next to a word about a communication', () => {
      assert.ok(has('通信の日時を保護する。'));
      assert.ok(has('通信が行われた日時は秘密とする。'));
      assert.ok(has('メールの送信日時は秘密とする。'), 'a context word fused to the term (送信日時)');
      assert.ok(has('We protect the date and time of each call.'));
      assert.ok(has('Call timestamps are confidential.'));
      assert.ok(has('Calls are recorded with a timestamp.'), 'within a short reach when nothing modifies the term');
    });
    it('the word that modifies the term decides, whatever else the sentence says', () => {
      assert.ok(!has('委員会の開催日時は事務局が通知する。'));
      assert.ok(!has('通信障害の発生日時を公表する。'), '通信 only starts the compound 通信障害');
      assert.ok(!has('通信の秘密に関する研修の日時を定める。'));
      assert.ok(!has('The date and time of each training session is published.'));
      assert.ok(!has('Corporate Communications may publish the timestamp of the first alarm.'));
      assert.ok(!has('The document timestamp shows the last review.'));
    });
    it('a term that names the context itself needs nothing else', () => {
      assert.ok(has('通信日時'));
    });
    it('an item in a list takes the context and the term parts of its lead-in', () => {
      const lead = m.scanBlock('次の事項を通信の秘密として保護する：', 0);
      assert.ok(m.scanBlock('日時', 100, lead).hits.has('time'));
      assert.ok(!m.scanBlock('日時', 100).hits.has('time'), 'not without the lead-in');
      const esc = m.scanBlock('The duty engineer escalates when:', 0);
      assert.ok(m.scanBlock('an SLA target is likely to be missed;', 50, esc).hits.has('escalation'));
      assert.ok(!m.scanBlock('an SLA target is likely to be missed;', 50).hits.has('escalation'));
      const hit = m.scanBlock('an SLA target', 50, esc).hits.get('escalation')!;
      assert.deepEqual([hit.start, hit.end], [53, 56], 'the evidence is the part in the item itself');
    });
  });

  describe('cost', () => {
    /**
     * The automaton's steps during a scan (transitions taken and failure links followed, as the
     * matcher counts them). Aho–Corasick takes one transition and, amortised, at most one failure
     * link per character, so the steps are at most about twice the normalised text's length,
     * whatever the text: counting, not timing.
     */
    function countLookups(m: EvidenceMatcher, text: string): number {
      m.scan(text);
      return m.lastScanSteps;
    }
    it('is linear in the text: transition lookups stay within twice the normalised length', () => {
      const m = EvidenceMatcher.forItems(items);
      const unit = '当社は通信の内容を適切に取り扱い、第三者への提供を禁止する。We protect the sender and the recipient. ';
      for (const n of [10, 100, 2000]) {
        const text = unit.repeat(n);
        const len = normalizeForMatch(text).text.length;
        const lookups = countLookups(m, text);
        assert.ok(lookups <= 2 * len + 2, `n=${n}: ${lookups} lookups for ${len} characters`);
        assert.ok(lookups >= len, 'every character is looked up at least once (the counter works)');
      }
    });
    it('survives pathological input without backtracking (bounded lookups; the mocha timeout catches a hang)', () => {
      const m = EvidenceMatcher.forItems(items);
      // Long runs of one character, and near-misses of terms repeated, are the classic worst cases.
      for (const text of ['a'.repeat(200000) + '!' + 'の'.repeat(200000), '通信の内'.repeat(50000), 'sende'.repeat(40000)]) {
        const len = normalizeForMatch(text).text.length;
        const lookups = countLookups(m, text);
        assert.ok(lookups <= 2 * len + 2, `${lookups} lookups for ${len} characters`);
      }
    });
  });
});
