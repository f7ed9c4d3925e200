/**
 * Citations in ISO/IEC 27002:2022 / ISO/IEC 27011:2024 numbering, through the language service
 * with the real catalogue: the forms accepted, what a 2022 citation claims, the edition setting
 * (front matter, config, auto) and its hint, unknown ids, and messages naming both numbers.
 */
import * as assert from 'node:assert/strict';
import { createPolicyService, defaultConfig, type ResolvedConfig } from '../../server/src/service';
import { parseConfig } from '../../server/src/service/config';
import { findEditionIdCandidates } from '../../catalog/src/editionIds';
import { InMemoryDocument, InMemoryWorkspace, joinLines } from '../helpers/inMemory';
import { realIndex } from '../helpers/catalog';

describe('editions: 2022 and 2024 ids', () => {
  let service: ReturnType<typeof createPolicyService>;
  let n = 0;
  before(function () {
    this.timeout(60000);
    service = createPolicyService({ catalog: realIndex(), workspace: new InMemoryWorkspace() });
  });
  const analyze = (text: string, config: ResolvedConfig = defaultConfig()) => {
    const doc = new InMemoryDocument(`file:///e${n++}.md`, text);
    return { analysis: service.analyze(doc, config), findings: service.diagnostics(doc, config) };
  };
  const claimed = (text: string, config?: ResolvedConfig) =>
    analyze(text, config).analysis.claims.map((c) => `${c.control}${c.via ? ` via ${c.via.id}` : ''}`);

  describe('the scanner', () => {
    const forms = (t: string) => findEditionIdCandidates(t).map((c) => `${c.number}:${c.form}`);
    it('accepts A.8.15, 27002:2022 8.15, ISO/IEC 27001:2022 A.8.15, 2022: 8.15, 8.15 TEL, 5.42 TEL and [8.15]', () => {
      assert.deepEqual(forms('### A.8.32 Change Management'), ['8.32:annex']);
      assert.deepEqual(forms('see ISO/IEC 27002:2022 5.15.'), ['5.15:year-2022']);
      assert.deepEqual(forms('ISO/IEC 27001:2022 A.8.15'), ['8.15:year-2022']);
      assert.deepEqual(forms('(12.4.1 / 2022: 8.15)'), ['8.15:year-2022']);
      assert.deepEqual(forms('8.15 TEL and 5.42 TEL'), ['8.15:tel', '5.42:tel']);
      assert.deepEqual(forms('[8.15]'), ['8.15:bare']);
      assert.deepEqual(forms('（Ａ．８．１５）'), ['8.15:annex']);
    });
    it('ignores versions, section numbers, 2013 objectives named as such and longer tokens', () => {
      for (const t of ['version 8.15', 'v8.15', '1.8.15', 'A.8.15a', 'ISO/IEC 27001:2013 A.8.1', 'A.12.4', 'section 5.1 says', '2021: 8.1']) {
        assert.deepEqual(forms(t), [], t);
      }
    });
  });

  describe('what a 2022 citation claims', () => {
    it('a heading citing A.8.15 claims 12.4.1, 12.4.2 and 12.4.3, their items checked, messages naming both numbers', () => {
      const { analysis, findings } = analyze(joinLines('# Policy', '', '## A.8.15 Logging', '', 'Event logs are kept.'));
      assert.deepEqual(analysis.claims.map((c) => c.control), ['12.4.1', '12.4.2', '12.4.3']);
      assert.ok(analysis.claims.every((c) => c.via?.id === '8.15' && c.via.edition === '27002:2022'));
      const missing = findings.filter((f) => f.code === 'missing-item');
      assert.ok(missing.length > 0, 'the telecom items of 12.4.1 are checked');
      assert.ok(missing.every((f) => f.message.includes('(cited as 8.15 Logging ← 12.4.1–12.4.3)')), missing.map((f) => f.message).join('\n'));
    });

    it('the same section written with 12.4.1 gets the same items checked (same missing items)', () => {
      const a = analyze(joinLines('# Policy', '', '## A.8.15 Logging', '', 'Event logs are kept.')).findings.filter((f) => f.control === '12.4.1').map((f) => f.item);
      const b = analyze(joinLines('# Policy', '', '## 12.4.1 Event logging (ISO/IEC 27002 12.4.1)', '', 'Event logs are kept.')).findings.filter((f) => f.control === '12.4.1').map((f) => f.item);
      assert.deepEqual(a, b);
    });

    it('every accepted form claims in a heading', () => {
      assert.deepEqual(claimed('## Change Management (ISO/IEC 27002:2022 8.32)\n\ntext'), ['12.1.2 via 8.32', '14.2.2 via 8.32', '14.2.3 via 8.32', '14.2.4 via 8.32']);
      assert.deepEqual(claimed('## ISO/IEC 27001:2022 A.8.15\n\ntext'), ['12.4.1 via 8.15', '12.4.2 via 8.15', '12.4.3 via 8.15']);
      assert.deepEqual(claimed('## Logging (8.15 TEL)\n\ntext'), ['12.4.1 via 8.15', '12.4.2 via 8.15', '12.4.3 via 8.15']);
      assert.deepEqual(claimed('## 通信の秘密（5.42 TEL）\n\n本文'), ['TEL.18.1.6 via 5.42 TEL']);
      assert.deepEqual(claimed('---\nedition: 2022\n---\n## Logging [8.15]\n\ntext'), ['12.4.1 via 8.15', '12.4.2 via 8.15', '12.4.3 via 8.15']);
    });

    it('a direct citation beside the 2022 one makes the claim direct (no via)', () => {
      assert.deepEqual(claimed('## Event logging (12.4.1 / 2022: 8.15)\n\ntext'), ['12.4.1', '12.4.2 via 8.15', '12.4.3 via 8.15']);
    });

    it('a control new in 2022 (5.7) claims nothing and is not unknown', () => {
      const { analysis, findings } = analyze('## A.5.7 Threat intelligence\n\ntext');
      assert.deepEqual(analysis.claims, []);
      assert.equal(findings.filter((f) => f.code === 'unknown-control').length, 0);
      assert.ok(analysis.citations.some((c) => c.via?.id === '5.7' && c.via.known));
    });

    it('ids in neither edition are unknown-control; an unknown 2024 TEL number says so', () => {
      const { findings } = analyze('## A.8.40 Something\n\nSee ISO/IEC 27002:2022 5.38 and 5.40 TEL.');
      const unknown = findings.filter((f) => f.code === 'unknown-control').map((f) => f.message);
      assert.equal(unknown.length, 3, unknown.join('\n'));
      assert.match(unknown[0], /A\.8\.40/);
      assert.match(unknown[1], /5\.38/);
      assert.match(unknown[2], /5\.40 TEL: not a known ISO\/IEC 27011:2024 TEL control number/);
    });

    it('a bare [8.15] in a document that is not 2022 is not a citation', () => {
      const { analysis, findings } = analyze('## Logging [8.15]\n\nSee 12.4.1 [12.4.1].');
      assert.equal(analysis.citations.filter((c) => c.via).length, 0);
      assert.equal(findings.filter((f) => f.code === 'unknown-control').length, 0);
    });
  });

  describe('the edition of ambiguous ids (A.5.1: a 2013 objective and a 2022 control)', () => {
    const doc = joinLines('# Policy', '', '## A.5.1 Policies for information security', '', 'text');
    it('auto without other citations: claims nothing, one ambiguous-edition hint naming both meanings', () => {
      const { analysis, findings } = analyze(doc);
      assert.deepEqual(analysis.claims, []);
      assert.equal(analysis.edition?.how, 'undecided');
      const hints = findings.filter((f) => f.code === 'ambiguous-edition');
      assert.equal(hints.length, 1);
      assert.equal(hints[0].severity, 'hint');
      assert.match(hints[0].message, /objective 5\.1 Management direction for information security.*control 5\.1 Policies for information security/);
    });
    it('auto infers 2022 from the document’s other 2022 ids', () => {
      const { analysis, findings } = analyze(doc + '\n\n## A.8.15 Logging\n\ntext');
      assert.deepEqual(analysis.edition, { edition: '2022', how: 'inferred' });
      assert.ok(analysis.claims.some((c) => c.control === '5.1.1' && c.via?.id === '5.1'));
      assert.equal(findings.filter((f) => f.code === 'ambiguous-edition').length, 0);
    });
    it('auto infers 2013 from three-component ids: A.5.1 is then an objective and claims nothing', () => {
      const { analysis, findings } = analyze(doc + '\n\n## 12.4.1 Event logging (ISO/IEC 27002 12.4.1)\n\ntext');
      assert.deepEqual(analysis.edition, { edition: '2013', how: 'inferred' });
      assert.deepEqual(analysis.claims.map((c) => c.control), ['12.4.1']);
      assert.equal(findings.filter((f) => f.code === 'ambiguous-edition').length, 0);
    });
    it('front matter edition: 2022 decides, and wins over the config', () => {
      const config = parseConfig('edition: 2013\n', 'file:///.x1051.yaml').config;
      const { analysis } = analyze('---\nedition: 2022\n---\n' + doc, config);
      assert.deepEqual(analysis.edition, { edition: '2022', how: 'front-matter' });
      assert.deepEqual(analysis.claims.map((c) => c.control), ['5.1.1', '5.1.2']);
    });
    it('.x1051.yaml edition: 2022 decides when the front matter does not', () => {
      const config = parseConfig('edition: 2022\n', 'file:///.x1051.yaml').config;
      const { analysis } = analyze(doc, config);
      assert.deepEqual(analysis.edition, { edition: '2022', how: 'config' });
      assert.deepEqual(analysis.claims.map((c) => c.control), ['5.1.1', '5.1.2']);
    });
    it('a bad edition value is an error in the config and in the front matter', () => {
      const { findings } = parseConfig('edition: 2020\n', 'file:///.x1051.yaml');
      assert.ok(findings.some((f) => f.code === 'invalid-config' && /edition must be 2013, 2022 or auto/.test(f.message)));
      const fm = analyze('---\nedition: twenty\n---\n' + doc).findings;
      assert.ok(fm.some((f) => f.code === 'invalid-front-matter' && /edition/.test(f.message)));
    });
  });
});

describe('editions: hover and completion', () => {
  let service: ReturnType<typeof createPolicyService>;
  before(function () {
    this.timeout(60000);
    service = createPolicyService({ catalog: realIndex(), workspace: new InMemoryWorkspace() });
  });
  const at = (text: string) => {
    const i = text.indexOf('|');
    const clean = text.slice(0, i) + text.slice(i + 1);
    const lines = clean.slice(0, i).split('\n');
    return { doc: new InMemoryDocument(`file:///h${Math.random()}.md`, clean), position: { line: lines.length - 1, character: lines[lines.length - 1].length } };
  };

  it('hover on A.8.32 names both numbers, the mapped controls’ status and guidance', () => {
    const { doc, position } = at('# P\n\n## A.8.|32 Change Management\n\nChanges are controlled.\n');
    const h = service.hover(doc, position, { ...defaultConfig(), language: 'en' });
    assert.ok(h);
    assert.match(h.contents, /\*\*8\.32 Change management ← 12\.1\.2, 14\.2\.2–14\.2\.4\*\*/);
    assert.match(h.contents, /Maps from X\.1051:2016/);
    assert.match(h.contents, /12\.1\.2 — \*\*Status in this section\*\*/);
  });

  it('hover on a 2016 id shows its 2022 number; on an unknown 2024 TEL number says it is not known', () => {
    const h = service.hover(at('## Event logging (12.4.|1)\n\ntext\n').doc, at('## Event logging (12.4.|1)\n\ntext\n').position, { ...defaultConfig(), language: 'en' });
    assert.match(h!.contents, /ISO\/IEC 27002:2022\*\*: 8\.15 Logging/);
    const t = at('See 5.4|0 TEL.\n');
    assert.match(service.hover(t.doc, t.position, { ...defaultConfig(), language: 'en' })!.contents, /2024 number not known/);
  });

  it('completion after "A.8.1" offers 2022 ids with their title and 2013 numbers; brackets offer them in a 2022 document only', () => {
    const a = at('## A.8.1|');
    const items = service.completion(a.doc, a.position, defaultConfig()).items.filter((i) => i.data?.kind === 'edition-2022');
    assert.deepEqual(items.map((i) => i.label), ['8.1', '8.10', '8.11', '8.12', '8.13', '8.14', '8.15', '8.16', '8.17', '8.18', '8.19']);
    assert.equal(items.find((i) => i.label === '8.15')?.detail, 'Logging ← 12.4.1–12.4.3');
    const resolved = service.resolveCompletion(items.find((i) => i.label === '8.15')!);
    assert.match(resolved.documentation ?? '', /8\.15 Logging \(ISO\/IEC 27002:2022\)/);
    const in2022 = at('---\nedition: 2022\n---\n## Logging [8.1|');
    assert.ok(service.completion(in2022.doc, in2022.position, defaultConfig()).items.some((i) => i.label === '8.15'));
    const in2013 = at('---\nedition: 2013\n---\n## Logging [8.1|');
    assert.ok(!service.completion(in2013.doc, in2013.position, defaultConfig()).items.some((i) => i.data?.kind === 'edition-2022'));
  });
});

describe('editions: front matter controls', () => {
  let service: ReturnType<typeof createPolicyService>;
  let n = 0;
  before(function () {
    this.timeout(60000);
    service = createPolicyService({ catalog: realIndex(), workspace: new InMemoryWorkspace() });
  });
  const analyze = (text: string) => {
    const doc = new InMemoryDocument(`file:///f${n++}.md`, text);
    return { analysis: service.analyze(doc, defaultConfig()), findings: service.diagnostics(doc, defaultConfig()) };
  };

  it('`controls: [A.8.15, 5.42 TEL]` claims the 2016 controls they map from, with via', () => {
    const { analysis, findings } = analyze('---\ncontrols: [A.8.15, 5.42 TEL, 12.4.2]\n---\n# Policy\n\ntext\n');
    assert.deepEqual(analysis.claims.map((c) => `${c.control}${c.via ? `<-${c.via.id}` : ''}`), ['12.4.1<-8.15', '12.4.2', '12.4.3<-8.15', 'TEL.18.1.6<-5.42 TEL']);
    assert.equal(findings.filter((f) => f.code === 'invalid-front-matter').length, 0);
  });

  it('a bare 8.15 needs edition: 2022; A.5.1 without an edition is an error naming both meanings; A.8.40 is unknown', () => {
    assert.deepEqual(analyze('---\nedition: 2022\ncontrols: ["8.15"]\n---\n# P\n').analysis.claims.map((c) => c.control), ['12.4.1', '12.4.2', '12.4.3']);
    const amb = analyze('---\ncontrols: [A.5.1]\n---\n# P\n').findings.filter((f) => f.code === 'invalid-front-matter');
    assert.equal(amb.length, 1);
    assert.match(amb[0].message, /objective 5\.1 .* control 5\.1 .*edition: 2022/);
    assert.equal(analyze('---\ncontrols: [A.8.40]\n---\n# P\n').findings.filter((f) => f.code === 'unknown-control').length, 1);
  });
});

describe('editions: .x1051.yaml applicability by 2022 id', () => {
  let catalog: ReturnType<typeof realIndex>;
  before(function () {
    this.timeout(60000);
    catalog = realIndex();
  });
  it('A.8.15: applicable decides 12.4.1–12.4.3; a direct X.1051 entry wins; a new control is a warning', () => {
    const { config, findings } = parseConfig('applicability:\n  A.8.15: applicable\n  12.4.2: { status: excluded, justification: outsourced }\n  A.5.7: applicable\n', 'file:///.x1051.yaml', catalog);
    assert.equal(config.applicability['12.4.1']?.status, 'applicable');
    assert.equal(config.applicability['12.4.3']?.status, 'applicable');
    assert.equal(config.applicability['12.4.2']?.status, 'excluded');
    assert.ok(config.ranges.applicability['12.4.1']);
    const w = findings.filter((f) => f.code === 'invalid-config');
    assert.equal(w.length, 1);
    assert.equal(w[0].severity, 'warning');
    assert.match(w[0].message, /5\.7 Threat intelligence is new in ISO\/IEC 27002:2022/);
  });
  it('with edition: 2022 an unquoted 5.10 is 5.10 (not the number 5.1) and A.5.1 is control 5.1; without it A.5.1 is an error', () => {
    const { config } = parseConfig('edition: 2022\napplicability:\n  5.10: applicable\n  A.5.1: applicable\n', 'file:///.x1051.yaml', catalog);
    assert.equal(config.applicability['8.1.3']?.status, 'applicable', '5.10 ← 8.1.3, 8.2.3');
    assert.equal(config.applicability['5.1.1']?.status, 'applicable');
    const amb = parseConfig('applicability:\n  A.5.1: applicable\n', 'file:///.x1051.yaml', catalog).findings;
    assert.ok(amb.some((f) => f.severity === 'error' && /objective 5\.1 .*control 5\.1/.test(f.message)));
  });
});
