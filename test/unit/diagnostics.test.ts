/**
 * Diagnostics: the project's done-criterion (in Japanese and in English), severities by level
 * and by config, messages in the document's language, unknown-control with did-you-mean data,
 * unclaimed-topic precision, invalid front matter.
 */
import * as assert from 'node:assert/strict';
import { createPolicyService, defaultConfig, type ResolvedConfig } from '../../server/src/service';
import { loadCatalog } from '../../catalog/src/load';
import { fixtureIndex } from '../helpers/fixtureCatalog';
import { InMemoryDocument, InMemoryWorkspace, joinLines } from '../helpers/inMemory';

const service = createPolicyService({ catalog: fixtureIndex(), workspace: new InMemoryWorkspace() });
let n = 0;
const diagnose = (text: string, config: ResolvedConfig = defaultConfig()) => service.diagnostics(new InMemoryDocument(`file:///t${n++}.md`, text), config);

const JA = joinLines('# 情報セキュリティ方針', '', '## 通信の秘密（TEL.18.1.6）', '', '当社は、取り扱う通信の内容を厳重に保護する。');
const EN = joinLines('# Information security policy', '', '## Secrecy of communications (TEL.18.1.6)', '', 'We strictly protect the content of the communications we handle.');

function checkDoneCriterion(findings: ReturnType<typeof diagnose>, subjects: RegExp[]) {
  const warnings = findings.filter((f) => f.severity === 'warning');
  assert.equal(warnings.length, 4, warnings.map((w) => w.message).join('\n'));
  assert.ok(warnings.every((w) => w.code === 'missing-item' && w.range.start.line === 2 && w.control === 'TEL.18.1.6'));
  assert.deepEqual(warnings.map((w) => w.item), ['TEL.18.1.6(a)', 'TEL.18.1.6(c)', 'TEL.18.1.6(d)', 'TEL.18.1.6(e)']);
  warnings.forEach((w, i) => assert.match(w.message, subjects[i]));
  // The ten missing guidelines (recommended) are folded into one finding that lists them.
  const infos = findings.filter((f) => f.severity === 'information');
  assert.equal(infos.length, 1);
  assert.equal(infos[0].code, 'missing-item');
  assert.equal(infos[0].item, undefined);
  assert.deepEqual(infos[0].data?.items, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].map((l) => `TEL.18.1.6[2](${l})`));
  assert.equal(infos[0].related?.length, 10, 'the detail is kept, one related entry per item');
  assert.ok(infos[0].related!.every((r) => r.range.start.line === 2));
  assert.equal(findings.length, 5);
}

describe('diagnostics', () => {
  describe('done-criterion: a section covering only the content of communications', () => {
    it('Japanese: four warnings naming existence, origin, destination and date/time, one information folding the ten guidelines', () => {
      checkDoneCriterion(diagnose(JA), [/TEL\.18\.1\.6 a\) 通信の存在 が記述されていません/, /c\) 通信の発信元/, /d\) 通信の着信先/, /e\) 通信の日時 が記述されていません/]);
    });
    it('English: the same findings, in English', () => {
      checkDoneCriterion(diagnose(EN), [/TEL\.18\.1\.6 a\) existence of the communication is not addressed/, /origin/, /destination/, /date and time of the communication is not addressed/]);
    });
    it('holds against the real compiled catalogue too', () => {
      let real;
      try {
        real = loadCatalog();
      } catch {
        return; // dist/catalog.json not built in this checkout
      }
      const svc = createPolicyService({ catalog: real, workspace: new InMemoryWorkspace() });
      for (const text of [JA, EN]) {
        const f = svc.diagnostics(new InMemoryDocument(`file:///real${n++}.md`, text), defaultConfig());
        const warnings = f.filter((x) => x.severity === 'warning' && x.code === 'missing-item');
        assert.deepEqual(warnings.map((w) => w.item), ['TEL.18.1.6(a)', 'TEL.18.1.6(c)', 'TEL.18.1.6(d)', 'TEL.18.1.6(e)'], text);
        const folded = f.filter((x) => x.severity === 'information' && x.code === 'missing-item');
        assert.equal(folded.length, 1);
        assert.equal((folded[0].data?.items as string[]).length, 10);
      }
    });
  });

  it('a single missing recommended item is reported as itself, not folded', () => {
    const text = joinLines('## 通信の秘密（TEL.18.1.6）', '', '通信の存在、通信の内容、発信元、宛先、通信の日時を保護する。',
      '電気通信設備を適切に維持する。接続点で他の通信が開示されないようにする。記録の改ざんを防ぐ。職員が許可なく利用することを禁じる。',
      '保存期間を定める。第三者に提供しない。発信者番号通知を選べる。発信者番号を第三者に渡さない。電話帳への掲載を選べる。');
    const f = diagnose(text);
    assert.deepEqual(f.map((x) => [x.item, x.severity]), [['TEL.18.1.6[2](j)', 'information']]);
    assert.match(f[0].message, /^TEL\.18\.1\.6 指針 j\) 捜査機関からの要請の確認 が記述されていません$/);
  });

  it('a section addressing every item has no finding', () => {
    const text = joinLines('## 通信の秘密（TEL.18.1.6）', '', '通信の存在、通信の内容、発信元、宛先、通信の日時を保護する。',
      '電気通信設備を適切に維持する。接続点で他の通信が開示されないようにする。記録の改ざんを防ぐ。職員が許可なく利用することを禁じる。',
      '保存期間を定める。第三者に提供しない。発信者番号通知を選べる。発信者番号を第三者に渡さない。電話帳への掲載を選べる。捜査機関からの要請を確認する。');
    assert.deepEqual(diagnose(text).map((f) => f.message), []);
  });

  it('severities follow the level, and the config overrides per level and per rule', () => {
    const base = diagnose(JA);
    assert.equal(base.filter((f) => f.severity === 'warning').length, 4);
    const cfg = defaultConfig();
    cfg.severity.levels = { required: 'error', recommended: 'off' };
    const strict = diagnose(JA, cfg);
    assert.deepEqual([...new Set(strict.map((f) => f.severity))], ['error']);
    assert.equal(strict.length, 4);
    const off = defaultConfig();
    off.severity.rules = { 'missing-item': 'off' };
    assert.deepEqual(diagnose(JA, off), []);
    const hint = defaultConfig();
    hint.severity.rules = { 'missing-item': 'hint' };
    assert.ok(diagnose(JA, hint).every((f) => f.severity === 'hint'));
  });

  it('messages follow the configured language over the document', () => {
    const cfg = defaultConfig();
    cfg.language = 'en';
    assert.match(diagnose(JA, cfg)[0].message, /is not addressed/);
  });

  it('unknown-control is an error with did-you-mean candidates in data', () => {
    const [f] = diagnose('See TEL.18.1.8 for details.');
    assert.equal(f.code, 'unknown-control');
    assert.equal(f.severity, 'error');
    assert.match(f.message, /Unknown control TEL\.18\.1\.8; did you mean/);
    assert.ok((f.data!.candidates as string[]).includes('TEL.18.1.6'));
    assert.deepEqual(f.range, { start: { line: 0, character: 4 }, end: { line: 0, character: 14 } });
  });

  it('unknown item of a known control', () => {
    const [f] = diagnose('## 通信の秘密（TEL.18.1.6(z)）\n\n当社は通信の秘密を守る。');
    assert.equal(f.code, 'unknown-control');
    assert.match(f.message, /TEL\.18\.1\.6 に項目/);
  });

  describe('unclaimed-topic', () => {
    it('flags a section that addresses two items of a control it does not cite', () => {
      const f = diagnose(joinLines('# 方針', '## ログ', '', 'ログの保存期間を定め、期間経過後は遅滞なく消去する。'));
      assert.deepEqual(f.map((x) => [x.code, x.severity, x.control, x.range.start.line]), [['unclaimed-topic', 'hint', '12.4.1', 1]]);
    });
    it('flags a heading naming a control title', () => {
      const f = diagnose(joinLines('## 通信の秘密保持について', '', '別途定める。'));
      assert.deepEqual(f.map((x) => [x.code, x.control]), [['unclaimed-topic', 'TEL.18.1.6']]);
    });
    it('stays quiet for one item, or when the control is cited anywhere', () => {
      assert.deepEqual(diagnose(joinLines('## 記録', '', '通信の内容は暗号化する。')), []);
      assert.deepEqual(diagnose(joinLines('## ログ', '', 'ログの保存期間を定め、期間経過後は遅滞なく消去する。12.4.1 ではなく (12.4.1) を参照。')).filter((f) => f.code === 'unclaimed-topic'), []);
    });
  });

  describe('invalid-front-matter', () => {
    it('reports bad YAML and keeps checking the rest', () => {
      const f = diagnose(joinLines('---', 'controls: [TEL.18.1.6', '---', 'TEL.18.1.9'));
      assert.deepEqual(f.map((x) => x.code), ['invalid-front-matter', 'unknown-control']);
      assert.equal(f[0].range.start.line >= 1, true);
    });
    it('reports a controls entry that is not an id, on that entry', () => {
      const f = diagnose(joinLines('---', 'controls: [TEL.18.1.6, hello]', '---', '通信の内容、発信元、宛先、通信の日時、通信の存在。'));
      const bad = f.filter((x) => x.code === 'invalid-front-matter');
      assert.equal(bad.length, 1);
      assert.deepEqual(bad[0].range, { start: { line: 1, character: 23 }, end: { line: 1, character: 28 } });
      assert.equal(f.filter((x) => x.severity === 'warning').length, 0, 'the valid entry still claims and is judged');
    });
    it('reports controls that is not a list', () => {
      const f = diagnose(joinLines('---', 'controls: TEL.18.1.6', '---', 'x'));
      assert.deepEqual(f.map((x) => x.code), ['invalid-front-matter']);
    });
  });

  it('every finding carries a code of the registry', () => {
    for (const f of diagnose(JA + '\nTEL.18.1.9')) assert.match(f.code, /^[a-z-]+$/);
  });
});
