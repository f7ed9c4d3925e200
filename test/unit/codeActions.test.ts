import * as assert from 'node:assert/strict';
import {
  createPolicyService,
  defaultConfig,
  FIX_ALL_KIND,
  LineIndex,
  type CodeActionEntry,
  type Finding,
  type ResolvedConfig,
  type TextEditEntry,
} from '../../server/src/service';
import { fixtureIndex } from '../helpers/fixtureCatalog';
import { InMemoryDocument, InMemoryWorkspace, joinLines } from '../helpers/inMemory';

const catalog = fixtureIndex();

/** Applies non-overlapping edits to a text, last first so earlier offsets stay valid. */
function applyEdits(text: string, edits: TextEditEntry[]): string {
  const lines = new LineIndex(text);
  const sorted = edits
    .map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** True when every character of `original` occurs in `edited` in order (edits only inserted). */
function isSubsequence(original: string, edited: string): boolean {
  let j = 0;
  for (let i = 0; i < edited.length && j < original.length; i++) if (edited[i] === original[j]) j++;
  return j === original.length;
}

const key = (f: Finding) => `${f.code} ${f.item ?? f.control ?? ''} ${f.message}`;

function setup(text: string, config: ResolvedConfig = defaultConfig()) {
  const service = createPolicyService({ catalog, workspace: new InMemoryWorkspace() });
  let version = 1;
  const analyse = (t: string) => service.diagnostics(new InMemoryDocument('file:///p.md', t, version++), config);
  const doc = new InMemoryDocument('file:///p.md', text);
  const findings = service.diagnostics(doc, config);
  const actionsAt = (f: Finding | { range: Finding['range'] }, only?: string[]) => service.codeActions(doc, f.range, { only }, config);
  /** Applies an action and checks the contract: pure insertion, its findings gone, none new. */
  const applyAndCheck = (action: CodeActionEntry, pureInsert = true) => {
    const after = applyEdits(text, action.edits);
    if (pureInsert) {
      assert.ok(action.edits.every((e) => e.range.start.line === e.range.end.line && e.range.start.character === e.range.end.character), 'edits are insertions');
      assert.ok(isSubsequence(text, after), 'every original character is still there');
    }
    const again = analyse(after);
    for (const fixed of action.fixes) assert.ok(!again.some((f) => key(f) === key(fixed)), `still reported: ${key(fixed)}\n${after}`);
    const before = new Set(findings.map(key));
    const added = again.filter((f) => !before.has(key(f)));
    assert.deepEqual(added.map(key), [], `new findings after applying\n${after}`);
    return { after, again };
  };
  /**
   * Applies a stub action and checks its contract: pure insertion, the missing items it was offered
   * for are all still reported (a stub is not evidence), and the only new findings are one
   * `unfilled-stub` per stubbed item, carrying its control and item.
   */
  const applyStubs = (action: CodeActionEntry) => {
    const after = applyEdits(text, action.edits);
    assert.ok(action.edits.every((e) => e.range.start.line === e.range.end.line && e.range.start.character === e.range.end.character), 'edits are insertions');
    assert.ok(isSubsequence(text, after), 'every original character is still there');
    const again = analyse(after);
    for (const f of action.fixes) assert.ok(again.some((g) => key(g) === key(f)), `a stub cleared ${key(f)}\n${after}`);
    const before = new Set(findings.map(key));
    const added = again.filter((f) => !before.has(key(f)));
    assert.ok(added.every((f) => f.code === 'unfilled-stub' && f.severity === 'warning' && f.item && f.control && f.item.startsWith(f.control)), added.map(key).join('\n'));
    const stubbed = [...after.matchAll(/<!-- x1051-stub (\S+):/g)].map((m) => m[1]);
    assert.deepEqual(added.map((f) => f.item).sort(), stubbed.sort());
    return { after, again, stubbed };
  };
  return { findings, actionsAt, applyAndCheck, applyStubs, service, doc };
}

const JA = [
  '# 情報セキュリティ方針',
  '',
  '## TEL.18.1.6 通信の秘密保持',
  '',
  '当社は通信の存在及び通信の内容を第三者に開示しない。',
  '',
  '## 次の節',
  '',
  '本文。',
];

describe('code actions', () => {
  it('inserts a stub for a missing item at the end of the claimed section; the finding stays and the stub is unfilled-stub', () => {
    const s = setup(joinLines(...JA));
    const missingE = s.findings.find((f) => f.code === 'missing-item' && f.item === 'TEL.18.1.6(e)');
    assert.ok(missingE, 'the fixture misses e)');
    const actions = s.actionsAt(missingE).filter((a) => a.kind === 'quickfix');
    const stub = actions.find((a) => a.fixes.length === 1 && a.fixes[0] === missingE)!;
    assert.ok(stub, actions.map((a) => a.title).join('\n'));
    assert.equal(stub.title, 'TEL.18.1.6 e) 通信の日時 の記述欄を挿入');
    assert.ok(stub.isPreferred);
    const { after, stubbed } = s.applyStubs(stub);
    assert.deepEqual(stubbed, ['TEL.18.1.6(e)']);
    const lines = after.split('\n');
    const at = lines.findIndex((l) => l.includes('TEL.18.1.6 e)'));
    // After the section's last line, before the next heading, separated by blank lines.
    assert.equal(lines[at - 1], '');
    assert.equal(lines[at - 2], '当社は通信の存在及び通信の内容を第三者に開示しない。');
    assert.equal(lines[at + 1], '');
    assert.equal(lines[at + 2], '## 次の節');
    assert.equal(lines[at], '- **TEL.18.1.6 e) 通信の日時**：<!-- x1051-stub TEL.18.1.6(e): 記述してください — 通信の日時情報 -->');
    // The item already has a stub: no second one is offered.
    const s2 = setup(after);
    const e2 = s2.findings.find((f) => f.code === 'missing-item' && f.item === 'TEL.18.1.6(e)')!;
    assert.ok(e2, 'the stub is not evidence');
    assert.ok(!s2.actionsAt(e2).some((a) => a.edits.some((x) => x.newText.includes('x1051-stub TEL.18.1.6(e):'))));
  });

  it('inserts every missing item of a claim in one edit', () => {
    const s = setup(joinLines(...JA));
    const missing = s.findings.filter((f) => f.code === 'missing-item');
    assert.ok(missing.length >= 3);
    const all = s.actionsAt(missing[0]).find((a) => /^TEL\.18\.1\.6 の未記述の \d+ 項目をすべて挿入/.test(a.title))!;
    assert.ok(all, s.actionsAt(missing[0]).map((a) => a.title).join('\n'));
    assert.equal(all.edits.length, 1);
    assert.equal(all.fixes.length, missing.length);
    const { again } = s.applyStubs(all);
    assert.equal(again.filter((f) => f.code === 'missing-item').length, missing.length);
  });

  it('fixes all missing items of the document with source.fixAll.x1051, in several sections', () => {
    const text = joinLines(
      '# Policy',
      '',
      '## TEL.18.1.6 Secrecy of communications',
      '',
      '- We never disclose the content of communications.',
      '- Nor the existence of any communication.',
      '',
      '### Details',
      '',
      'More words.',
      '',
      '## Event logging (12.4.1)',
      '',
      'We log events.',
    );
    const s = setup(text);
    const missing = s.findings.filter((f) => f.code === 'missing-item');
    assert.ok(missing.some((f) => f.control === '12.4.1') && missing.some((f) => f.control === 'TEL.18.1.6'));
    const whole = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
    const [fixAll] = s.actionsAt(whole, ['source.fixAll']);
    assert.equal(fixAll.kind, FIX_ALL_KIND);
    assert.equal(fixAll.fixes.length, missing.length);
    const { after, again } = s.applyStubs(fixAll);
    assert.equal(again.filter((f) => f.code === 'missing-item').length, missing.length, after);
    // Stubs continue the list of the section's own text, before the subsection.
    const lines = after.split('\n');
    const firstStub = lines.findIndex((l) => l.includes('<!-- x1051-stub'));
    assert.equal(lines[firstStub - 1], '- Nor the existence of any communication.');
    assert.ok(lines.indexOf('### Details') > firstStub);
    assert.match(after, /- \*\*TEL\.18\.1\.6 e\) date and time of the communication\*\*: <!-- x1051-stub TEL\.18\.1\.6\(e\): describe how this is addressed — the date and time of the communication -->/);
    // Fix-all again offers nothing: every missing item has its stub.
    const s2 = setup(after);
    assert.equal(s2.actionsAt(whole, [FIX_ALL_KIND]).length, 0);
    // Only quick fixes when the editor asks for quick fixes.
    assert.ok(s.actionsAt(missing[0], ['quickfix']).every((a) => a.kind === 'quickfix'));
  });

  it('stubs of list 2 items name the list, and work for CRLF text', () => {
    const text = joinLines.crlf('# 方針', '', '## TEL.18.1.6 通信の秘密保持', '', '通信の存在、通信の内容、発信元、着信先、通信の日時は開示しない。');
    const s = setup(text);
    // The ten guidelines are one folded finding; its fix inserts a stub for each of them.
    const folded = s.findings.find((f) => (f.data?.items as string[] | undefined)?.includes('TEL.18.1.6[2](a)'));
    assert.ok(folded);
    const stub = s.actionsAt(folded).find((a) => a.fixes.length === 1)!;
    assert.match(stub.title, /推奨・参考項目 10 件の記述欄を挿入/);
    assert.match(stub.edits[0].newText, /^\r\n\r\n- \*\*TEL\.18\.1\.6\[2\] a\) 電気通信設備の適切な維持\*\*：/);
    assert.equal((stub.edits[0].newText.match(/^- \*\*TEL\.18\.1\.6/gm) ?? []).length, 10);
    s.applyStubs(stub);
  });

  it('suggests did-you-mean replacements for an unknown id, replacing only the id', () => {
    const text = joinLines('# Policy', '', 'See TEL.18.1.8 e) for the retention rules.');
    const s = setup(text);
    const unknown = s.findings.find((f) => f.code === 'unknown-control');
    assert.ok(unknown);
    const fixes = s.actionsAt(unknown).filter((a) => a.fixes.includes(unknown));
    assert.ok(fixes.length > 0);
    const to1816 = fixes.find((a) => a.edits[0].newText.startsWith('TEL.18.1.'))!;
    assert.ok(to1816, fixes.map((f) => f.title).join(', '));
    const after = applyEdits(text, to1816.edits);
    assert.match(after, /^See TEL\.18\.1\.[67](?:\(e\)| e\)) for the retention rules\.$/m);
    assert.ok(!s.service.diagnostics(new InMemoryDocument('file:///p.md', after, 9), defaultConfig()).some((f) => f.code === 'unknown-control'));
  });

  it('inserts the control statement as a blockquote under a claiming heading', () => {
    const text = joinLines(...JA);
    const s = setup(text);
    const onHeading = { range: { start: { line: 2, character: 5 }, end: { line: 2, character: 5 } } };
    const insert = s.actionsAt(onHeading).find((a) => a.kind === 'refactor')!;
    assert.ok(insert);
    const { after } = s.applyAndCheck(insert);
    assert.match(after, /## TEL\.18\.1\.6 通信の秘密保持\n\n> \*\*管理策（TEL\.18\.1\.6）\*\*：電気通信事業者によって取扱われる通信の秘密が確保されることが望ましい。\n\n当社は/);
    // Once quoted, the action is not offered again.
    const s2 = setup(after);
    assert.equal(s2.actionsAt(onHeading).filter((a) => a.kind === 'refactor').length, 0);
    // Not on prose lines.
    assert.equal(s.actionsAt({ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } } }).filter((a) => a.kind === 'refactor').length, 0);
  });

  it('stubs a front-matter claim at the end of the document', () => {
    const text = joinLines('---', 'controls: [12.4.1]', '---', '', '# Logging', '', 'We log events.', '');
    const s = setup(text);
    const missing = s.findings.filter((f) => f.code === 'missing-item');
    assert.ok(missing.length > 0);
    const whole = { range: { start: { line: 0, character: 0 }, end: { line: 7, character: 0 } } };
    const [fixAll] = s.actionsAt(whole, [FIX_ALL_KIND]);
    const { after } = s.applyStubs(fixAll);
    assert.ok(after.endsWith('-->\n') || after.endsWith('-->'), after);
  });
});

describe('code actions against the real catalogue', function () {
  this.timeout(60000);

  it('no stub of any item of any control addresses its item, in both languages, and each is one unfilled-stub', async () => {
    const { realIndex } = await import('../helpers/catalog');
    const { stubLine } = await import('../../server/src/service/features/codeActions');
    const real = realIndex();
    const service = createPolicyService({ catalog: real, workspace: new InMemoryWorkspace() });
    const config = defaultConfig();
    const failures: string[] = [];
    let count = 0;
    let version = 1;
    for (const control of real.allControls()) {
      if (control.items.length === 0) continue;
      for (const lang of ['ja', 'en'] as const) {
        // Every item's stub under a heading claiming the control: every item stays missing.
        const stubs = control.items.map((item) => stubLine(item, lang, real));
        count += stubs.length;
        const text = joinLines(`## ${control.title[lang]} [${control.id}]`, '', ...stubs);
        const found = service.diagnostics(new InMemoryDocument(`file:///all/${control.id}.${lang}.md`, text, version++), { ...config, language: lang });
        const missing = new Set(found.filter((f) => f.code === 'missing-item').flatMap((f) => (f.item ? [f.item] : ((f.data?.items as string[] | undefined) ?? []))));
        const unfilled = found.filter((f) => f.code === 'unfilled-stub').map((f) => f.item);
        for (const item of control.items) {
          if (!missing.has(item.id)) failures.push(`${item.id} ${lang}: the stub counts as evidence`);
        }
        if (unfilled.length !== control.items.length) failures.push(`${control.id} ${lang}: ${unfilled.length} unfilled-stub for ${control.items.length} stubs`);
      }
    }
    assert.ok(count > 100, 'the real catalogue has items');
    assert.deepEqual(failures.slice(0, 10), [], `${failures.length} failures`);
  });

  it('fix-all on a real TEL.18.1.6 section keeps every missing item and the text, and adds one unfilled-stub per stub', async () => {
    const { realIndex } = await import('../helpers/catalog');
    const real = realIndex();
    const service = createPolicyService({ catalog: real, workspace: new InMemoryWorkspace() });
    const text = joinLines('# 方針', '', '## TEL.18.1.6 通信の秘密保持', '', '当社は通信の内容を第三者に開示しない。', '', '## 付則', '', '以上。');
    const doc = new InMemoryDocument('file:///r.md', text);
    const config = defaultConfig();
    const before = service.diagnostics(doc, config);
    const [fixAll] = service.codeActions(doc, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { only: [FIX_ALL_KIND] }, config);
    assert.ok(fixAll && fixAll.fixes.length === before.filter((f) => f.code === 'missing-item').length);
    const after = applyEdits(text, fixAll.edits);
    assert.ok(isSubsequence(text, after));
    const again = service.diagnostics(new InMemoryDocument('file:///r.md', after, 2), config);
    assert.deepEqual(again.filter((f) => f.code === 'missing-item').map((f) => f.message), before.filter((f) => f.code === 'missing-item').map((f) => f.message));
    const stubs = [...after.matchAll(/<!-- x1051-stub (\S+):/g)].map((m) => m[1]);
    assert.deepEqual(again.filter((f) => f.code === 'unfilled-stub').map((f) => f.item), stubs);
    // Every required item missing before is still a warning, and has its unfilled stub.
    for (const f of before.filter((x) => x.code === 'missing-item' && x.item)) {
      assert.ok(again.some((g) => g.code === 'unfilled-stub' && g.item === f.item && g.severity === 'warning'), f.item);
    }
    assert.deepEqual(again.filter((f) => f.code !== 'missing-item' && f.code !== 'unfilled-stub'), []);
  });
});
