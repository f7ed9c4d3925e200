/**
 * Item status `addressed` | `weak` | `missing`: near-evidence outside the claimed section makes an
 * item weak (a weak-evidence hint, no missing-item finding); an item citation in prose counts as
 * evidence; the "this paragraph addresses item X" fix inserts one; hovers explain verdicts.
 */
import * as assert from 'node:assert/strict';
import { createPolicyService, defaultConfig, LineIndex, type TextEditEntry } from '../../server/src/service';
import { fixtureIndex } from '../helpers/fixtureCatalog';
import { stubLine } from '../../server/src/service/features/codeActions';
import { InMemoryDocument, InMemoryWorkspace, joinLines } from '../helpers/inMemory';

const catalog = fixtureIndex();
const config = defaultConfig();

function applyEdits(text: string, edits: TextEditEntry[]): string {
  const lines = new LineIndex(text);
  const sorted = edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText })).sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

function analyse(text: string) {
  const service = createPolicyService({ catalog, workspace: new InMemoryWorkspace() });
  const doc = new InMemoryDocument('file:///p.md', text);
  const analysis = service.analyze(doc, config);
  const status = (id: string) => analysis.claims.flatMap((c) => c.items).find((s) => s.item.id === id)!;
  return { service, doc, analysis, status, findings: service.diagnostics(doc, config) };
}

const ELSEWHERE = joinLines(
  '# 規程',
  '',
  '## 1 総則',
  '',
  '通信の宛先は秘密として扱う。',
  '',
  '## 2 通信の秘密（TEL.18.1.6）',
  '',
  '通信の内容、発信元及び通信日時は第三者に開示しない。',
  '',
);

describe('item status: addressed, weak, missing', () => {
  it('evidence only outside the claimed section is weak, with where it is', () => {
    const { status } = analyse(ELSEWHERE);
    assert.equal(status('TEL.18.1.6(b)').status, 'addressed');
    assert.equal(status('TEL.18.1.6(b)').addressed, true);
    const d = status('TEL.18.1.6(d)');
    assert.equal(d.status, 'weak');
    assert.equal(d.addressed, false);
    assert.equal(d.near?.reason, 'elsewhere');
    assert.equal(d.near?.heading, '1 総則');
    assert.equal(status('TEL.18.1.6(a)').status, 'missing');
  });

  it('only missing items are missing-item findings; weak items are weak-evidence hints naming the place', () => {
    const { findings } = analyse(ELSEWHERE);
    const missing = findings.filter((f) => f.code === 'missing-item');
    assert.ok(missing.some((f) => f.item === 'TEL.18.1.6(a)'));
    assert.ok(!missing.some((f) => f.item === 'TEL.18.1.6(d)' || (f.data?.items as string[] | undefined)?.includes('TEL.18.1.6(d)')));
    const weak = findings.filter((f) => f.code === 'weak-evidence');
    assert.equal(weak.length, 1);
    assert.equal(weak[0].item, 'TEL.18.1.6(d)');
    assert.equal(weak[0].severity, 'hint');
    assert.match(weak[0].message, /1 総則/);
    assert.match(weak[0].message, /宛先/);
    assert.equal(weak[0].related?.[0].range.start.line, 4, 'related information points at the near text');
  });

  it('an item citation in prose is evidence for that item', () => {
    const text = joinLines('## 通信の秘密（TEL.18.1.6）', '', '利用者が誰と話したかは、社外に出さない（TEL.18.1.6 d)）。', '');
    const { status } = analyse(text);
    assert.equal(status('TEL.18.1.6(d)').status, 'addressed');
    assert.equal(status('TEL.18.1.6(d)').evidence?.term, 'TEL.18.1.6 d)');
    assert.equal(status('TEL.18.1.6(c)').status, 'missing', 'other items are not addressed by it');
  });

  it("a stub's label is not an item citation, unfilled or filled", () => {
    const stub = stubLine(catalog.item('TEL.18.1.6(a)')!, 'ja', catalog);
    const text = joinLines('## 通信の秘密（TEL.18.1.6）', '', stub, '');
    assert.equal(analyse(text).status('TEL.18.1.6(a)').status, 'missing');
    // Filled with words that are not evidence: the label's reference still does not count.
    const filled = joinLines('## 通信の秘密（TEL.18.1.6）', '', `${stub}担当部署が別途定める。`, '');
    assert.equal(analyse(filled).status('TEL.18.1.6(a)').status, 'missing');
  });

  it('the weak-evidence quick fix cites the item at its near-evidence, which then addresses it', () => {
    const { service, doc, findings } = analyse(ELSEWHERE);
    const weak = findings.find((f) => f.code === 'weak-evidence')!;
    const action = service.codeActions(doc, weak.range, {}, config).find((a) => a.fixes.some((f) => f.code === 'weak-evidence'));
    assert.ok(action, 'a fix is offered');
    const after = applyEdits(ELSEWHERE, action.edits);
    assert.ok(after.includes('通信の宛先は秘密として扱う。（TEL.18.1.6 d)）'), after);
    const again = analyse(after);
    assert.equal(again.status('TEL.18.1.6(d)').status, 'addressed');
    assert.ok(!again.findings.some((f) => f.code === 'weak-evidence'));
  });

  it('"this paragraph addresses item X" inserts a citation that counts as evidence, in English too', () => {
    const text = joinLines('## Secrecy (TEL.18.1.6)', '', 'We never reveal who a customer called.', '');
    const { service, doc, status } = analyse(text);
    assert.equal(status('TEL.18.1.6(d)').status, 'missing');
    const actions = service.codeActions(doc, { start: { line: 2, character: 5 }, end: { line: 2, character: 5 } }, {}, config);
    const action = actions.find((a) => a.title.startsWith('This paragraph addresses TEL.18.1.6 d)'));
    assert.ok(action, actions.map((a) => a.title).join('\n'));
    assert.equal(action.edits[0].newText, ' (TEL.18.1.6 d))');
    const after = applyEdits(text, action.edits);
    assert.equal(after, joinLines('## Secrecy (TEL.18.1.6)', '', 'We never reveal who a customer called. (TEL.18.1.6 d))', ''));
    const again = analyse(after);
    assert.equal(again.status('TEL.18.1.6(d)').status, 'addressed');
    assert.ok(!again.findings.some((f) => f.code === 'missing-item' && f.item === 'TEL.18.1.6(d)'));
  });

  it('offers no "this paragraph addresses" action outside any claimed section', () => {
    const text = joinLines('# Intro', '', 'Plain words.', '', '## Secrecy (TEL.18.1.6)', '', 'Nothing.', '');
    const { service, doc } = analyse(text);
    const actions = service.codeActions(doc, { start: { line: 2, character: 1 }, end: { line: 2, character: 1 } }, {}, config);
    assert.ok(!actions.some((a) => a.title.startsWith('This paragraph addresses')));
  });

  it('the hover on the claim explains weak and missing verdicts: what was looked for and the nearest text', () => {
    const { service, doc } = analyse(ELSEWHERE);
    const h = service.hover(doc, { line: 6, character: 14 }, config)!;
    assert.ok(h, 'a hover on the claiming citation');
    assert.match(h.contents, /≈ \*\*d\)\*\* 通信の着信先 — 「1 総則」で記述されています（「宛先」）/);
    assert.match(h.contents, /探した語: 着信先、宛先、受信者/);
    assert.match(h.contents, /✗ \*\*a\)\*\* 通信の存在/);
    assert.match(h.contents, /近い記述：この節には見つかりません/);
  });

  it('a missing item keeps its nearest text (some words of a two-part term) for the hover, and stays missing', () => {
    const text = joinLines('## 通信の秘密（TEL.18.1.6）', '', '電気通信設備は定期的に点検する。', '');
    const { status } = analyse(text);
    const a2 = status('TEL.18.1.6[2](a)');
    assert.equal(a2.status, 'missing');
    assert.equal(a2.near?.reason, 'nearest');
    assert.equal(a2.near?.term, '電気通信設備 + 維持');
  });
});
