import * as assert from 'node:assert/strict';
import { CatalogIndex } from '../../catalog/src/query';
import { defaultConfig, createPolicyService, type ResolvedConfig } from '../../server/src/service';
import { fixtureCatalog } from '../helpers/fixtureCatalog';
import { InMemoryWorkspace, joinLines, withCursor, CURSOR } from '../helpers/inMemory';

/** The fixture plus one definition and one abbreviation, for hovers in prose. */
function catalogWithTerms(): CatalogIndex {
  const c = fixtureCatalog();
  c.definitions.push({
    id: '3.1.9', term: { ja: '重要通信', en: 'priority communications' },
    text: { ja: '天災、事変その他の非常事態が発生し、又は発生するおそれがあるときに行われる通信。', en: 'Communications made when a disaster or emergency occurs or may occur.' },
    notes: [], source: { clause: '3.1.9' },
  });
  c.abbreviations.push({ abbr: 'DDoS', expansion: 'Distributed Denial of Service', text: { ja: '分散型サービス妨害', en: 'Distributed denial of service' }, source: { clause: '4' } });
  return new CatalogIndex(c);
}

function setup(config: ResolvedConfig = defaultConfig()) {
  const catalog = catalogWithTerms();
  const service = createPolicyService({ catalog, workspace: new InMemoryWorkspace() });
  return {
    hoverAt(text: string) {
      const { doc, position } = withCursor('file:///p.md', text);
      return service.hover(doc, position, config);
    },
  };
}

const JA_SECTION = [
  '# 情報セキュリティ方針',
  '',
  `## TEL.18.1${CURSOR}.6 通信の秘密保持`,
  '',
  '当社は通信の存在、通信の内容及び発信元を第三者に開示しない。通信の日時情報も同様に扱う。',
];

describe('hover', () => {
  it('shows the guidance of a claimed control in Japanese first, then a compact status', () => {
    const h = setup().hoverAt(joinLines(...JA_SECTION));
    assert.ok(h, 'expected a hover');
    assert.match(h.contents, /^## TEL\.18\.1\.6 通信の秘密保持/, 'the guidance comes first');
    assert.match(h.contents, /管理策/);
    assert.ok(h.contents.indexOf('この節の対応状況') > h.contents.indexOf('### 管理策'), 'the status follows the guidance');
    // Addressed items in one line, each missing required item on its own, the others folded.
    assert.match(h.contents, /- ✓ \*\*a\)\*\*、\*\*b\)\*\*、\*\*c\)\*\*、\*\*e\)\*\*/);
    assert.match(h.contents, /- ✗ \*\*d\)\*\* 通信の着信先/);
    assert.match(h.contents, /- ✗ 推奨・参考 \d+ 件：指針 \*\*a\)\*\*、指針 \*\*b\)\*\*/);
    const status = h.contents.slice(h.contents.indexOf('この節の対応状況'));
    assert.equal((status.match(/^- /gm) ?? []).length, 3, status);
    assert.deepEqual(h.range, { start: { line: 2, character: 3 }, end: { line: 2, character: 13 } });
  });

  it('marks not-applicable items with n/a and the reason', () => {
    const h = setup().hoverAt(joinLines(
      ...JA_SECTION,
      '',
      '<!-- x1051-not-applicable TEL.18.1.6(g): 発信者番号通知サービスを提供していない -->',
    ));
    assert.ok(h);
    assert.match(h.contents, /- n\/a 指針 \*\*g\)\*\* 発信者番号通知の選択 — 発信者番号通知サービスを提供していない/);
  });

  it('follows x1051.language when it is fixed', () => {
    const h = setup({ ...defaultConfig(), language: 'en' }).hoverAt(joinLines(...JA_SECTION));
    assert.ok(h);
    assert.match(h.contents, /## TEL\.18\.1\.6 Secrecy of communications/);
    assert.match(h.contents, /\d+\/\d+ items addressed/);
  });

  it('shows no status lines for a control only cited in prose and not claimed', () => {
    const h = setup().hoverAt(joinLines('# 方針', '', `ログは TEL.18.1${CURSOR}.6 に従って扱う。`));
    assert.ok(h);
    assert.match(h.contents, /通信の秘密保持/);
    assert.doesNotMatch(h.contents, /[✓✗]/);
  });

  it('on an item reference shows the item first, then its control', () => {
    const h = setup().hoverAt(joinLines('# Policy', '', `We never disclose TEL.18.1.6 e${CURSOR}) data to anyone.`));
    assert.ok(h);
    const item = h.contents.indexOf('## TEL.18.1.6 e)');
    const control = h.contents.indexOf('## TEL.18.1.6 Secrecy');
    assert.ok(item >= 0 && control > item, h.contents);
  });

  it('on an unknown id says so and suggests the closest id', () => {
    const h = setup().hoverAt(joinLines('# Policy', '', `See TEL.18.1.${CURSOR}9 for details.`));
    assert.ok(h);
    assert.match(h.contents, /not a control/);
  });

  it('explains a defined term and an abbreviation written in prose', () => {
    const s = setup();
    const term = s.hoverAt(`災害時には重要${CURSOR}通信を優先して扱う。`);
    assert.ok(term);
    assert.match(term.contents, /3\.1\.9 重要通信/);
    assert.deepEqual(term.range, { start: { line: 0, character: 5 }, end: { line: 0, character: 9 } });
    const abbr = s.hoverAt(`Our network absorbs DD${CURSOR}oS attacks.`);
    assert.ok(abbr);
    assert.match(abbr.contents, /DDoS — Distributed Denial of Service/);
    // Inside another word the abbreviation is not recognised.
    assert.equal(s.hoverAt(`xDD${CURSOR}oSx`), undefined);
  });

  it('returns nothing on plain prose, and positions count UTF-16 units past surrogate pairs', () => {
    const s = setup();
    assert.equal(s.hoverAt(`普通の${CURSOR}文章です。`), undefined);
    const h = s.hoverAt(joinLines.crlf('# 𠮷野家の方針', '', `𠮷 TEL.18.1.${CURSOR}6 を参照。`));
    assert.ok(h);
    assert.deepEqual(h.range.start, { line: 2, character: 3 });
  });
});

describe('hover against the real catalogue', () => {
  it('explains 通信の秘密保持, 重要通信, 電気通信サービス加入者 and DDoS in prose', async () => {
    const { realIndex } = await import('../helpers/catalog');
    const catalog = realIndex();
    const service = createPolicyService({ catalog, workspace: new InMemoryWorkspace() });
    const at = (t: string) => {
      const { doc, position } = withCursor('file:///r.md', t);
      return service.hover(doc, position, defaultConfig())?.contents ?? '';
    };
    assert.match(at(`当社は通信の秘密${CURSOR}保持を徹底する。`), /3\.1\.4 通信の秘密保持/);
    assert.match(at(`災害時は重要${CURSOR}通信を優先する。`), /3\.1\.3 重要通信/);
    assert.match(at(`電気通信サービス加入${CURSOR}者に通知する。`), /3\.1\.13 電気通信サービス加入者/);
    assert.match(at(`We mitigate DD${CURSOR}oS attacks.`), /DDoS — /);
    // Longest match wins: 電気通信サービス利用者 rather than 利用者.
    assert.match(at(`電気通信サービス利用${CURSOR}者の記録`), /3\.1\.14/);
  });
});
