/**
 * The data and readers behind the policy-hygiene rules: dates and intervals in front matter,
 * the weak-wording matcher, and what does (and does not) look like a template placeholder.
 */
import * as assert from 'node:assert/strict';
import { addInterval, parseDate, parseInterval, readMetadata, reviewDue } from '../../server/src/service/metadata';
import { parseMarkdown } from '../../server/src/service/markdown';
import { WeakWordingMatcher, WEAK_PHRASES, findPlaceholders, weakPhrases } from '../../server/src/service/wording';

describe('policy hygiene: metadata, wording and placeholders', () => {
  it('reads calendar dates in the forms Japanese and English policies use, and refuses impossible ones', () => {
    assert.equal(parseDate('2025-04-01'), '2025-04-01');
    assert.equal(parseDate('2025/4/1'), '2025-04-01');
    assert.equal(parseDate('２０２５年４月１日'), '2025-04-01');
    assert.equal(parseDate('2024-02-29'), '2024-02-29');
    for (const bad of ['2025-02-29', '2025-13-01', 'April 2025', '', '25-04-01']) assert.equal(parseDate(bad), undefined, bad);
  });

  it('reads review intervals and adds them, clamping to the end of shorter months', () => {
    assert.deepEqual(parseInterval('1y'), { unit: 'year', count: 1 });
    assert.deepEqual(parseInterval('18 months'), { unit: 'month', count: 18 });
    assert.deepEqual(parseInterval('P6M'), { unit: 'month', count: 6 });
    assert.deepEqual(parseInterval('6か月'), { unit: 'month', count: 6 });
    assert.deepEqual(parseInterval('1年'), { unit: 'year', count: 1 });
    assert.deepEqual(parseInterval('annual'), { unit: 'year', count: 1 });
    for (const bad of ['sometimes', '0y', '-1 months', '時々']) assert.equal(parseInterval(bad), undefined, bad);
    assert.equal(addInterval('2025-01-31', { unit: 'month', count: 1 }), '2025-02-28');
    assert.equal(addInterval('2024-02-29', { unit: 'year', count: 1 }), '2025-02-28');
    assert.equal(addInterval('2025-12-25', { unit: 'week', count: 2 }), '2026-01-08');
  });

  it('takes Japanese keys as aliases and computes the review due date from reviewed + interval', () => {
    const parsed = parseMarkdown('---\n所管: 法務部\n最終見直し: 2025年10月1日\n見直し間隔: 1年\nApproved_By: 取締役会\n---\n# 規程\n');
    const meta = readMetadata(parsed)!;
    assert.equal(meta.values.owner?.text, '法務部');
    assert.equal(meta.values['approved-by']?.text, '取締役会');
    assert.deepEqual(reviewDue(meta), { date: '2026-10-01', from: 'reviewed' });
    assert.equal(readMetadata(parseMarkdown('# no front matter\n')), undefined);
  });

  it('matches whole English words, longest phrase first, and not "May" the month or "may lead to"', () => {
    const m = new WeakWordingMatcher(WEAK_PHRASES);
    const hits = (t: string) => m.scan(t).map((h) => t.slice(h.start, h.end));
    assert.deepEqual(hits('Staff should consider encryption.'), ['should consider']);
    assert.deepEqual(hits('Shoulders and mayors are fine; Maybe too.'), []);
    assert.deepEqual(hits('Approved on 1 May 2025; May 3 is a holiday.'), []);
    assert.deepEqual(hits('A breach may lead to dismissal, and staff may share files.'), ['may']);
    assert.deepEqual(hits('アクセス権を見直すことが望ましい。可能な限り暗号化する。'), ['ことが望ましい', '可能な限り']);
  });

  it('a configuration trims and extends the list', () => {
    const list = weakPhrases({ ja: ['原則として'], en: [] }, ['Should']);
    assert.ok(!list.some((p) => p.phrase === 'should'));
    assert.ok(list.some((p) => p.phrase === '原則として' && p.replacement === undefined));
  });

  it('finds template remnants but not links, task boxes, ids in brackets or HTML tags', () => {
    const found = (t: string) => findPlaceholders(t).map((h) => t.slice(h.start, h.end));
    assert.deepEqual(found('[Company Name] and <Organization Name> and {{ .Owner }} and {% if x %}'), ['[Company Name]', '<Organization Name>', '{{ .Owner }}', '{% if x %}']);
    assert.deepEqual(found('○○株式会社の＜組織名＞、【会社名】、担当：TBD、XXX、TODO'), ['○○', '＜組織名＞', '【会社名】', 'TBD', 'XXX', 'TODO']);
    assert.deepEqual(found('See [the procedure](p.md), [ISO][iso], [x] done, [TEL.18.1.6], <br> and <span class="x">.'), []);
    assert.deepEqual(found('Todo lists, XXL sizes and TBDs are words.'), []);
  });
});
