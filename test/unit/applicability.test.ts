/**
 * Applicability in `.x1051.yaml`: `notApplicable` (controls and items, one justification each) and
 * built-in profiles. What does not apply is never reported missing or uncovered, and appears in the
 * coverage as not applicable with its justification; bad ids and empty justifications are config
 * findings.
 */
import * as assert from 'node:assert/strict';
import { createPolicyService } from '../../server/src/service';
import { parseConfig } from '../../server/src/service/config';
import { PROFILES } from '../../server/src/service/profiles';
import { fixtureIndex } from '../helpers/fixtureCatalog';
import { realIndex } from '../helpers/catalog';
import { InMemoryDocument, InMemoryWorkspace, joinLines } from '../helpers/inMemory';

const catalog = fixtureIndex();
const URI = 'file:///w/.x1051.yaml';
const parse = (text: string) => parseConfig(text, URI, catalog);

describe('applicability: notApplicable and profiles', () => {
  it('reads controls and items with their justification, in any id form', () => {
    const { config, findings } = parse(
      joinLines('applicability:', '  TEL.18.1.6: applicable', 'notApplicable:', '  TEL.18.1.7: "no essential communications"', '  "TEL.18.1.6 e)": "no timestamps kept"', '  TEL.18.1.6[2](g): "no caller ID service"'),
    );
    assert.deepEqual(findings, []);
    assert.deepEqual(config.applicability['TEL.18.1.7'], { status: 'excluded', justification: 'no essential communications' });
    assert.deepEqual(Object.keys(config.notApplicable).sort(), ['TEL.18.1.6(e)', 'TEL.18.1.6[2](g)', 'TEL.18.1.7']);
    assert.equal(config.notApplicable['TEL.18.1.6[2](g)'].reason.en, 'no caller ID service');
    assert.equal(config.ranges.notApplicable['TEL.18.1.6(e)'].start.line, 4);
  });

  it('reports bad ids, empty justifications, a bad profile and contradictions as invalid-config', () => {
    const { config, findings } = parse(
      joinLines(
        'profile: telco-lite',
        'applicability:',
        '  TEL.18.1.6: applicable',
        'notApplicable:',
        '  TEL.18.1.9: "typo"',
        '  TEL.18.1.6(z): "no such item"',
        '  12.4.1: ""',
        '  TEL.18.1.6: "contradicts applicability"',
        '  TEL.18.1.7: [a, list]',
      ),
    );
    assert.deepEqual(
      findings.map((f) => [f.code, f.severity, f.range.start.line]),
      [
        ['invalid-config', 'error', 0],
        ['invalid-config', 'error', 4],
        ['invalid-config', 'error', 5],
        ['invalid-config', 'error', 6],
        ['invalid-config', 'error', 8],
        ['invalid-config', 'error', 7],
      ],
    );
    assert.match(findings[0].message, /known: it-service/);
    assert.match(findings[1].message, /TEL\.18\.1\.9.*did you mean/);
    assert.match(findings[5].message, /both applicability and notApplicable/);
    assert.deepEqual(config.applicability['TEL.18.1.6'], { status: 'applicable' }, 'the applicability entry stands');
    assert.deepEqual(config.notApplicable, {});
    assert.equal(config.profile, undefined);
  });

  it('never reports what does not apply as missing, and shows it in the coverage with the justification', () => {
    const { config } = parse(
      joinLines('applicability:', '  TEL.18.1.6: applicable', '  12.4.1: applicable', 'notApplicable:', '  TEL.18.1.7: "no essential communications"', '  TEL.18.1.6(e): "no timestamps kept"'),
    );
    const doc = new InMemoryDocument('file:///w/a.md', joinLines('## Secrecy (TEL.18.1.6)', '', 'We protect the existence of the communication and the content of the communication.'));
    const service = createPolicyService({ catalog, workspace: new InMemoryWorkspace([doc]) });
    const missing = service.diagnostics(doc, config).filter((f) => f.code === 'missing-item').map((f) => f.item);
    assert.ok(missing.includes('TEL.18.1.6(d)'));
    assert.ok(!missing.includes('TEL.18.1.6(e)'), 'the item the config marks not applicable is not reported');
    const cov = service.coverage(config);
    const e = cov.controls.find((c) => c.id === 'TEL.18.1.6')!.items.find((i) => i.id === 'TEL.18.1.6(e)')!;
    assert.equal(e.status, 'not-applicable');
    assert.equal(e.notApplicable?.reason, 'no timestamps kept');
    assert.equal(e.notApplicable?.uri, URI);
    assert.equal(e.notApplicable?.range.start.line, 5);
    assert.ok(!cov.controls.find((c) => c.id === 'TEL.18.1.6')!.claims[0].missing.includes('TEL.18.1.6(e)'));
    const tel7 = cov.controls.find((c) => c.id === 'TEL.18.1.7')!;
    assert.deepEqual([tel7.status, tel7.applicability, tel7.justification], ['not-applicable', 'excluded', 'no essential communications']);
    // 12.4.1 is applicable and unclaimed; TEL.18.1.7, unclaimed too, does not apply.
    assert.deepEqual(cov.findings.filter((f) => f.code === 'uncovered-control').map((f) => f.control), ['12.4.1'], 'a control that does not apply is not uncovered');
  });

  it('a claimed control the config excludes reports no missing items', () => {
    const { config } = parse(joinLines('notApplicable:', '  TEL.18.1.7: "no essential communications"'));
    const doc = new InMemoryDocument('file:///w/b.md', joinLines('## Essential communications (TEL.18.1.7)', '', 'Nothing here yet.'));
    const service = createPolicyService({ catalog, workspace: new InMemoryWorkspace([doc]) });
    assert.deepEqual(service.diagnostics(doc, config).filter((f) => f.code === 'missing-item'), []);
    const claim = service.analyze(doc, config).claims[0];
    assert.ok(claim.items.every((s) => s.notApplicable?.source === 'config' && s.notApplicable.reason === 'no essential communications'));
  });

  it('a directive in the policy keeps its own reason over the config', () => {
    const { config } = parse(joinLines('notApplicable:', '  TEL.18.1.6(e): "config reason"'));
    const doc = new InMemoryDocument('file:///w/c.md', joinLines('## Secrecy (TEL.18.1.6)', '<!-- x1051-not-applicable TEL.18.1.6(e): author reason -->', 'Content of the communication.'));
    const service = createPolicyService({ catalog, workspace: new InMemoryWorkspace([doc]) });
    const st = service.analyze(doc, config).claims[0].items.find((s) => s.item.id === 'TEL.18.1.6(e)')!;
    assert.equal(st.notApplicable?.reason, 'author reason');
  });

  describe('profiles', () => {
    const real = realIndex();

    it('every built-in profile names real controls and items, each with a justification in both languages', () => {
      assert.ok(PROFILES.length >= 1);
      for (const p of PROFILES) {
        assert.match(p.id, /^[a-z][a-z0-9-]*$/);
        for (const [id, reason] of Object.entries(p.notApplicable)) {
          assert.ok(real.control(id) ?? real.item(id), `${p.id}: ${id} is not in the catalogue`);
          assert.ok(reason.ja.trim() && reason.en.trim(), `${p.id}: ${id} has no justification`);
        }
      }
    });

    it('it-service: telecom-only controls and items do not apply; the file\'s own entries override it', () => {
      const { config, findings } = parseConfig(
        joinLines('profile: it-service', 'applicability:', '  TEL.11.1.8: applicable', 'notApplicable:', '  TEL.13.1.6: "no interconnection at all"'),
        URI,
        real,
      );
      // The explicit entry wins, and the author is told (information: CI stays green).
      assert.deepEqual(findings.map((f) => [f.severity, f.control, f.range.start.line]), [['information', 'TEL.11.1.8', 2]]);
      assert.match(findings[0].message, /TEL\.11\.1\.8 is declared applicable, which overrides profile it-service/);
      assert.equal(config.profile, 'it-service');
      const tel1117 = config.applicability['TEL.11.1.7'];
      assert.equal(tel1117.status, 'excluded');
      assert.equal(tel1117.status === 'excluded' && tel1117.profile, 'it-service');
      assert.deepEqual(config.applicability['TEL.11.1.8'], { status: 'applicable' }, 'explicitly applicable overrides the profile');
      assert.equal(config.notApplicable['TEL.18.1.6[2](g)'].from, 'it-service');
      assert.deepEqual(config.applicability['TEL.13.1.6'], { status: 'excluded', justification: 'no interconnection at all' });
      // The profile's item entries of a control the file excludes do not matter; those of others stay.
      assert.equal(config.notApplicable['TEL.13.1.5(3)'].from, 'it-service');
    });

    it('it-service in the coverage: excluded controls with the justification in the report language', () => {
      const { config } = parseConfig(joinLines('language: ja', 'profile: it-service'), URI, real);
      const service = createPolicyService({ catalog: real, workspace: new InMemoryWorkspace([]) });
      const cov = service.coverage(config);
      const c = cov.controls.find((x) => x.id === 'TEL.11.1.8')!;
      assert.equal(c.status, 'not-applicable');
      assert.equal(c.profile, 'it-service');
      assert.match(c.justification!, /電気通信設備を運用していない/);
      assert.match(c.justificationText!.en, /operates no telecommunication facilities/);
      const g = cov.controls.find((x) => x.id === 'TEL.18.1.6')!.items.find((i) => i.id === 'TEL.18.1.6[2](g)')!;
      assert.equal(g.status, 'not-applicable');
      assert.equal(g.notApplicable?.profile, 'it-service');
    });
  });
});

describe('config messages follow the language', () => {
  const catalog = fixtureIndex();
  const bad = joinLines('languag: ja', 'notApplicable:', '  TEL.18.1.9: "typo"', 'profile: nope');

  it('English by default, Japanese when the run or the file says ja', () => {
    const en = parseConfig(bad, URI, catalog).findings.map((f) => f.message);
    assert.match(en[0], /^Unknown setting "languag"/);
    const ja = parseConfig(bad, URI, catalog, { language: 'ja' }).findings.map((f) => f.message);
    assert.match(ja[0], /^不明な設定「languag」です/);
    assert.match(ja[1], /^「TEL\.18\.1\.9」はカタログの管理策 ID でも項目 ID でもありません（もしかして: /);
    assert.match(ja[2], /^profile は組み込みの適用性プロファイルの名前でなければなりません/);
    // The file's own language, even when it comes after the problem.
    const own = parseConfig(joinLines('applicability:', '  TEL.18.1.6: excluded', 'language: ja'), URI, catalog).findings.map((f) => f.message);
    assert.deepEqual(own, ['TEL.18.1.6: 適用除外とする管理策には理由が必要です: {status: excluded, justification: "…"}。']);
    // A fixed language of the run wins over the file's.
    const run = parseConfig(joinLines('applicability:', '  TEL.18.1.6: excluded', 'language: ja'), URI, catalog, { language: 'en' }).findings.map((f) => f.message);
    assert.match(run[0], /needs a justification/);
  });
});
