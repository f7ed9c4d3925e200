/**
 * The document rules of an edited document run again only where it changed (issue #13, goal 2:
 * "re-run only the rules whose inputs changed"): what a rule computes from a block's or a
 * heading's text alone (weak wording, the control titles a heading names) and each block's
 * language counts are kept from the previous run, and the findings are those of a run from scratch.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { createPolicyService, defaultConfig } from '../../server/src/service';
import { buildModel, ScanMemo } from '../../server/src/service/document';
import { computeDiagnostics } from '../../server/src/service/features/diagnostics';
import { parseMarkdown } from '../../server/src/service/markdown';
import { TextMemo } from '../../server/src/service/textMemo';
import type { ResolvedConfig } from '../../server/src/service/config';
import { fixtureIndex } from '../helpers/fixtureCatalog';
import { InMemoryWorkspace } from '../helpers/inMemory';

describe('the rules of an edited document run again only where it changed (issue #13, goal 2)', () => {
  const catalog = fixtureIndex();
  const config = defaultConfig();
  const service = createPolicyService({ catalog, workspace: new InMemoryWorkspace() });
  const matcher = service.matcher(config);
  const section = (i: number) =>
    [
      i % 3 === 0 ? `## 第${i + 1}条 イベントログ取得` : `## ${i + 1}. Secrecy of communications (TEL.18.1.6)`,
      '',
      i % 2 === 0 ? '通信の内容は可能な限り保護することが望ましい。' : 'Staff should protect the content where possible.',
      '',
      '- 発信元を開示しない。',
      '- TODO: 通信の日時を記録しない。',
      '',
    ].join('\n');
  const original = ['# 方針', '', ...Array.from({ length: 30 }, (_, i) => section(i))].join('\n');

  const run = (text: string, cfg: ResolvedConfig, memo?: ScanMemo) => {
    const model = buildModel('file:///r.md', 1, parseMarkdown(text), catalog, matcher, cfg, memo);
    memo?.endBuild();
    return computeDiagnostics(model, catalog, cfg, memo?.rules);
  };

  it('gives the findings of a run from scratch on random edits, and computes again only what changed', () => {
    let text = original;
    const memo = new ScanMemo(matcher);
    const first = run(text, config, memo);
    assert.ok(first.some((f) => f.code === 'weak-wording'), 'the document has weak wording');
    assert.ok(first.some((f) => f.code === 'unclaimed-topic'), 'and a heading naming a control it does not cite');
    // The same text again: every result of the rules comes from the memo.
    memo.rules.computed = 0;
    memo.rules.reused = 0;
    assert.deepEqual(run(text, config, memo), first);
    assert.equal(memo.rules.computed, 0);
    assert.ok(memo.rules.reused > 60, `${memo.rules.reused} reused`);
    let computed = 0;
    let reused = 0;
    fc.assert(
      fc.property(fc.nat(), fc.constantFrom('', 'should', ' where possible.', '努めることが望ましい。', '\n\n## Event logging', '\n\n- 宛先は開示しない。'), (at, insert) => {
        const lines = text.split('\n');
        lines[at % lines.length] += insert;
        text = lines.join('\n');
        memo.rules.computed = 0;
        memo.rules.reused = 0;
        assert.deepEqual(run(text, config, memo), run(text, config));
        // One line changed: at most the block or heading it is in and the few a new heading or list item adds.
        assert.ok(memo.rules.computed <= 6, `${memo.rules.computed} computed again`);
        computed += memo.rules.computed;
        reused += memo.rules.reused;
      }),
      { numRuns: 60 },
    );
    // Not vacuous: nearly everything came from the memo.
    assert.ok(reused > 20 * computed, `${reused} reused, ${computed} computed`);
  });

  it('a result depends on the configuration it read: another weak-wording list is not served from the memo', () => {
    const memo = new ScanMemo(matcher);
    const text = ['# Policy', '', 'Staff protect the content, ideally at once.', ''].join('\n');
    const count = (fs: ReturnType<typeof run>) => fs.filter((f) => f.code === 'weak-wording').length;
    const before = count(run(text, config, memo));
    const removed: ResolvedConfig = { ...config, weakWording: { add: { ja: [], en: [] }, remove: ['ideally'] } };
    assert.equal(count(run(text, removed, memo)), before - 1);
    assert.equal(count(run(text, removed)), before - 1);
    assert.equal(count(run(text, config, memo)), before);
  });

  it('keeps what the last run used, per kind, and drops the rest', () => {
    const memo = new TextMemo();
    const whole = 'x'.repeat(100) + 'block text' + 'y'.repeat(100);
    const slice = whole.slice(100, 110);
    assert.equal(memo.get('k', slice, (t) => t.length), 10);
    memo.endRun();
    assert.equal(memo.get('k', 'block text', () => -1), 10, 'taken from the previous run');
    assert.equal(memo.get('other', 'block text', () => -1), -1, 'per kind');
    memo.endRun();
    memo.endRun();
    assert.equal(memo.get('k', 'block text', () => -2), -2, 'dropped once a run did not use it');
    assert.deepEqual([memo.computed, memo.reused], [3, 1]);
  });
});
