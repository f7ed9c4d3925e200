/**
 * Migration between numberings through the language service (real catalogue): counterparts and
 * notes, and the rewrite / add-beside code actions — applied, then re-analysed, every claim the
 * citation made is still made.
 */
import * as assert from 'node:assert/strict';
import { createPolicyService, defaultConfig } from '../../server/src/service';
import { migrationEntries } from '../../server/src/service/migrate';
import { LineIndex } from '../../server/src/service/text';
import { InMemoryDocument, InMemoryWorkspace, joinLines } from '../helpers/inMemory';
import { realIndex } from '../helpers/catalog';

describe('migrate: 2013 ↔ 2022', () => {
  let service: ReturnType<typeof createPolicyService>;
  let n = 0;
  before(function () {
    this.timeout(60000);
    service = createPolicyService({ catalog: realIndex(), workspace: new InMemoryWorkspace() });
  });
  const config = { ...defaultConfig(), language: 'en' as const };
  const doc = (text: string) => new InMemoryDocument(`file:///m${n++}.md`, text);
  const claimsOf = (text: string) => new Set(service.analyze(doc(text), config).claims.map((c) => c.control));
  const entries = (text: string, to: '2022' | '2013') => {
    const d = doc(text);
    return migrationEntries(service.analyze(d, config), service.catalog, text, to);
  };
  /** Applies one action's edits to the text. */
  const apply = (text: string, edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]) => {
    const lines = new LineIndex(text);
    let out = text;
    for (const e of [...edits].sort((a, b) => lines.offsetAt(b.range.start) - lines.offsetAt(a.range.start))) {
      out = out.slice(0, lines.offsetAt(e.range.start)) + e.newText + out.slice(lines.offsetAt(e.range.end));
    }
    return out;
  };
  /** Every rewrite/beside action on every line of the text, each applied on its own. */
  const everyAction = (text: string) => {
    const d = doc(text);
    const lines = text.split('\n');
    const results: Array<{ title: string; text: string }> = [];
    lines.forEach((l, line) => {
      const acts = service.codeActions(d, { start: { line, character: 0 }, end: { line, character: l.length } }, { only: ['refactor'] }, config);
      for (const a of acts.filter((x) => /Rewrite in|number beside/.test(x.title))) results.push({ title: a.title, text: apply(text, a.edits) });
    });
    return results;
  };

  it('to 2022: counterparts, split and merged notes, unknown 2024 TEL numbers, item references not rewritten', () => {
    const text = joinLines('## Event logging (12.4.1)', '', 'text', '', '## Review (18.2.3)', '', '## 通信の秘密（TEL.18.1.6）', '', '## Networks (TEL.13.1.4)', '', 'See TEL.18.1.6 e).');
    const e = entries(text, '2022');
    const by = (id: string) => e.find((x) => x.id === id)!;
    assert.deepEqual(by('12.4.1').counterparts.map((c) => c.id), ['8.15']);
    assert.equal(by('12.4.1').rewrite, 'A.8.15');
    assert.equal(by('12.4.1').beside, '12.4.1 / 2022: 8.15');
    assert.match(by('12.4.1').note!.en, /8\.15 also covers 12\.4\.2, 12\.4\.3/);
    assert.equal(by('18.2.3').rewrite, 'A.5.36, A.8.8');
    assert.match(by('18.2.3').note!.en, /split into 5\.36 and 8\.8/);
    assert.equal(by('TEL.18.1.6').rewrite, '5.42 TEL');
    assert.equal(by('TEL.13.1.4').rewrite, undefined);
    assert.match(by('TEL.13.1.4').note!.en, /2024 number of TEL\.13\.1\.4 is not known/);
    assert.equal(by('TEL.18.1.6(e)').rewrite, undefined);
    assert.match(by('TEL.18.1.6(e)').note!.en, /item reference/);
  });

  it('to 2013: a merged 2022 control lists all its 2013 controls; a new one has no counterpart', () => {
    const e = entries(joinLines('## A.8.15 Logging', '', 'text', '', '## A.5.7 Threat intelligence', '', 'text'), '2013');
    assert.equal(e[0].rewrite, 'A.12.4.1, A.12.4.2, A.12.4.3');
    assert.equal(e[0].beside, 'A.8.15 (2013: 12.4.1, 12.4.2, 12.4.3)');
    assert.equal(e[1].rewrite, undefined);
    assert.match(e[1].note!.en, /new in 2022/);
  });

  it('an ambiguous 2022 number is written with its year (5.1.1 → 27002:2022 5.1)', () => {
    assert.equal(entries('## Policies (5.1.1)\n\ntext', '2022')[0].rewrite, '27002:2022 5.1');
  });

  it('every rewrite and add-beside action keeps every claim of the document (both directions)', () => {
    const docs = [
      joinLines('# Policy', '', '## Event logging (12.4.1)', '', 'Event logs are kept.', '', '## 通信の秘密（TEL.18.1.6）', '', '本文', '', '## Review 18.2.3 [18.2.3]', '', 'text'),
      joinLines('# Policy', '', '## A.8.15 Logging', '', 'Event logs are kept.', '', '### A.8.32 Change Management', '', 'text', '', '## 5.42 TEL', '', 'text'),
      joinLines('---', 'edition: 2022', '---', '## Logging [8.15]', '', 'text', '', '## Policies (A.5.1)', '', 'text'),
    ];
    let actions = 0;
    for (const text of docs) {
      const before = claimsOf(text);
      assert.ok(before.size > 0);
      for (const a of everyAction(text)) {
        actions++;
        const after = claimsOf(a.text);
        for (const c of before) assert.ok(after.has(c), `${a.title} lost the claim of ${c}:\n${a.text}`);
      }
    }
    assert.ok(actions >= 10, `only ${actions} actions were tried`);
  });

  it('the code actions are titled with the target numbering and never offered for a control new in 2022', () => {
    const text = '## A.5.7 Threat intelligence\n\n## Event logging (12.4.1)\n';
    const titles = everyAction(text).map((a) => a.title);
    assert.ok(titles.includes('Rewrite in ISO/IEC 27002:2022 numbering: A.8.15'), titles.join('\n'));
    assert.ok(titles.includes('Add the ISO/IEC 27002:2022 number beside: 12.4.1 / 2022: 8.15'), titles.join('\n'));
    assert.ok(!titles.some((t) => /5\.7/.test(t)));
  });
});

describe('ambiguous-edition quick fixes', () => {
  let service: ReturnType<typeof createPolicyService>;
  before(function () {
    this.timeout(60000);
    service = createPolicyService({ catalog: realIndex(), workspace: new InMemoryWorkspace() });
  });
  const config = { ...defaultConfig(), language: 'en' as const };
  const fixesAt = (text: string, line: number) => {
    const d = new InMemoryDocument(`file:///q${Math.random()}.md`, text);
    return service.codeActions(d, { start: { line, character: 4 }, end: { line, character: 4 } }, { only: ['quickfix'] }, config).filter((a) => a.fixes.some((f) => f.code === 'ambiguous-edition'));
  };
  const applyOne = (text: string, e: { range: { start: { line: number; character: number } }; newText: string }) => {
    const lines = new LineIndex(text);
    const at = lines.offsetAt(e.range.start);
    return text.slice(0, at) + e.newText + text.slice(at);
  };

  it('without front matter: inserts one holding edition: 2022 (preferred) or 2013; the hint goes and A.5.1 claims as chosen', () => {
    const text = '# Policy\n\n## A.5.1 Policies\n\ntext\n';
    const fixes = fixesAt(text, 2);
    assert.deepEqual(fixes.map((f) => f.title), [
      'Read this document in ISO/IEC 27002:2022 numbering (edition: 2022 in the front matter)',
      'Read this document in ISO/IEC 27002:2013 numbering (edition: 2013 in the front matter)',
    ]);
    assert.equal(fixes[0].isPreferred, true);
    const fixed = applyOne(text, fixes[0].edits[0]);
    assert.ok(fixed.startsWith('---\nedition: 2022\n---\n\n# Policy'), fixed);
    const d = new InMemoryDocument('file:///q-fixed.md', fixed);
    assert.deepEqual(service.analyze(d, config).claims.map((c) => c.control), ['5.1.1', '5.1.2']);
    assert.equal(service.diagnostics(d, config).filter((f) => f.code === 'ambiguous-edition').length, 0);
  });

  it('with front matter: inserts the key as its first line and keeps everything else', () => {
    const text = '---\ntitle: P\n---\n## A.5.1 Policies\n\ntext\n';
    const fixed = applyOne(text, fixesAt(text, 3)[1].edits[0]);
    assert.equal(fixed, '---\nedition: 2013\ntitle: P\n---\n## A.5.1 Policies\n\ntext\n');
  });
});
