import * as assert from 'node:assert/strict';
import {
  renderControlMarkdown,
  renderItemMarkdown,
  renderAnnexBMarkdown,
  renderDefinitionMarkdown,
  renderAbbreviationMarkdown,
  renderMarkdown,
  escapeMarkdown,
} from '../../catalog/src/render';
import { fixtureIndex } from '../helpers/catalog';

describe('catalog: render', () => {
  const index = fixtureIndex();

  it('renders a TEL control with objective, control, guidance and both lists in place', () => {
    const md = renderControlMarkdown(index, 'TEL.18.1.6', 'ja')!;
    assert.match(md, /^## TEL\.18\.1\.6 通信の秘密保持$/m);
    assert.match(md, /附属書A TEL\.18\.1 法的及び契約上の要求事項の順守/);
    assert.match(md, /\*\*目的\*\*：違反を避けるため。/);
    assert.match(md, /### 管理策\n\n通信の秘密が確保されることが望ましい。/);
    // The lists stand where the blocks place them: list 1 after the first paragraph, list 2 after the second.
    const p1 = md.indexOf('以下の非開示事項');
    const l1 = md.indexOf('- **a)** 通信の存在 `TEL.18.1.6(a)`');
    const p2 = md.indexOf('次の指針');
    const l2 = md.indexOf('- **i)** 電話帳への記載を選択できるようにすること。 `TEL.18.1.6[2](i)`');
    assert.ok(p1 >= 0 && p1 < l1 && l1 < p2 && p2 < l2, md);
    assert.match(md, /リスト 1「非開示事項」：必須/);
    assert.match(md, /リスト 2「指針」：推奨/);
    assert.doesNotMatch(md, /translation/);
  });

  it('renders English with the translation note', () => {
    const md = renderControlMarkdown(index, 'TEL.18.1.6', 'en')!;
    assert.match(md, /^## TEL\.18\.1\.6 Secrecy of communications$/m);
    assert.match(md, /list 1 “non-disclosure element”: required/);
    assert.match(md, /own translation, not an official text/);
  });

  it('renders sub-items nested under their parent', () => {
    const md = renderControlMarkdown(index, 'TEL.13.1.4', 'en')!;
    assert.match(md, /^- \*\*e\)\*\* controls against unwanted communications `TEL\.13\.1\.4\(e\)`\n  - \*\*1\)\*\* spam controls `TEL\.13\.1\.4\(e\)\(1\)`$/m);
    assert.match(md, /^  - \*\*4\)\*\* unauthorised access controls `TEL\.13\.1\.4\(e\)\(4\)`$/m);
  });

  it('renders an ISO control with telecom guidance, its reference and synthesised items', () => {
    const md = renderControlMarkdown(index, '12.4.1', 'ja')!;
    assert.match(md, /ISO\/IEC 27002:2013 12\.4\.1/);
    assert.match(md, /### 電気通信事業者向けの実施の手引き/);
    assert.match(md, /- \*\*1\.\*\* 電気通信事業者は、ログを保存することが望ましい。 `12\.4\.1\(1\)`/);
  });

  it('renders an as-is ISO control as id, title and reference only', () => {
    const md = renderControlMarkdown(index, '12.4.2', 'en')!;
    assert.match(md, /^## 12\.4\.2 Protection of log information$/m);
    assert.match(md, /applies ISO\/IEC 27002:2013 12\.4\.2 as-is/);
    assert.doesNotMatch(md, /###/);
  });

  it('renders items with their control, level, sub-items and evidence terms', () => {
    const md = renderItemMarkdown(index, 'TEL.13.1.4(e)', 'en')!;
    // The human label, as in messages; the stable id in the caption, for configs and directives.
    assert.match(md, /^## TEL\.13\.1\.4 e\) controls against unwanted communications$/m);
    assert.match(md, /`TEL\.13\.1\.4\(e\)`_$/m);
    assert.match(md, /list 1, recommended/);
    assert.match(md, /- \*\*1\)\*\* spam controls `TEL\.13\.1\.4\(e\)\(1\)`/);
    assert.match(md, /\*\*Evidence terms\*\*: `controls against unwanted communications`/);
    assert.match(renderItemMarkdown(index, 'TEL.13.1.4(e)(4)', 'ja')!, /\*\*e\) 4\)\*\* 不正アクセス対策/);
  });

  it('renders Annex B entries, definitions and abbreviations', () => {
    assert.match(renderAnnexBMarkdown(index, 'B.1.1', 'ja')!, /附属書B（参考）[\s\S]*次を考慮する。[\s\S]*- \*\*a\)\*\* 区分すること。/);
    const def = renderDefinitionMarkdown(index, '3.2.1', 'ja')!;
    assert.match(def, /^## 3\.2\.1 通信の秘密 \(secrecy of communications\)$/m);
    assert.match(def, /^注：日本では別に定める。$/m);
    assert.match(renderDefinitionMarkdown(index, '3.2.1', 'en')!, /^Note: Defined elsewhere in Japan\.$/m);
    assert.match(renderAbbreviationMarkdown(index, 'DoS', 'en')!, /^## DoS — Denial of Service$/m);
  });

  it('returns undefined for unknown ids', () => {
    assert.equal(renderControlMarkdown(index, 'TEL.1.1.1', 'ja'), undefined);
    assert.equal(renderItemMarkdown(index, 'TEL.18.1.6(z)', 'ja'), undefined);
    assert.equal(renderMarkdown(index, 'nothing', 'ja'), undefined);
  });

  it('renders whatever lookup finds', () => {
    assert.match(renderMarkdown(index, 'TEL.18.1.6 i)', 'ja')!, /^## TEL\.18\.1\.6 指針 i\)/m);
    assert.match(renderMarkdown(index, 'TEL.18', 'en')!, /Annex A TEL\.18 Compliance/);
    assert.match(renderMarkdown(index, '12.4', 'en')!, /- 12\.4\.2 Protection of log information/);
  });

  it('escapes Markdown in text', () => {
    assert.equal(escapeMarkdown('a*b_c<d>'), 'a\\*b\\_c\\<d\\>');
    assert.equal(escapeMarkdown('# not a heading'), '\\# not a heading');
  });
});
