/**
 * Coverage: per control applicability and status across documents, item statuses with
 * evidence and not-applicable reasons, uncovered-control on the config, cheap recomputation.
 */
import * as assert from 'node:assert/strict';
import { createPolicyService } from '../../server/src/service';
import { parseConfig } from '../../server/src/service/config';
import { computeCoverage } from '../../server/src/service/coverage';
import { fixtureIndex } from '../helpers/fixtureCatalog';
import { InMemoryDocument, InMemoryWorkspace, joinLines } from '../helpers/inMemory';

describe('coverage', () => {
  const catalog = fixtureIndex();
  const { config } = parseConfig(
    joinLines(
      'applicability:',
      '  TEL.18.1.6: applicable',
      '  TEL.18.1.7: applicable',
      '  12.4.2: { status: excluded, justification: "親会社が運用する" }',
    ),
    'file:///w/.x1051.yaml',
    catalog,
  );

  function setup() {
    const a = new InMemoryDocument('file:///w/a.md', joinLines('## 通信の秘密（TEL.18.1.6）', '<!-- x1051-not-applicable TEL.18.1.6(i): 電話番号案内を提供しない -->', '通信の内容と発信元を保護する。'));
    const b = new InMemoryDocument('file:///w/b.md', joinLines('---', 'controls: [12.4.1]', '---', '# ログ', 'ログの保存期間を定め、期間経過後は遅滞なく消去する。', '## 別（TEL.18.1.6 e)）', '通信の日時を記録する。'));
    const ws = new InMemoryWorkspace([a, b]);
    const service = createPolicyService({ catalog, workspace: ws });
    return { a, b, ws, service };
  }

  it('lists every catalogue control with applicability, claims and status', () => {
    const { service } = setup();
    const cov = service.coverage(config);
    assert.deepEqual(cov.controls.map((c) => [c.id, c.applicability, c.status]), [
      ['12.4.1', 'undecided', 'addressed'],
      ['12.4.2', 'excluded', 'not-applicable'],
      ['TEL.18.1.6', 'applicable', 'partial'],
      ['TEL.18.1.7', 'applicable', 'not-claimed'],
    ]);
    const tel = cov.controls.find((c) => c.id === 'TEL.18.1.6')!;
    assert.deepEqual(tel.claims.map((c) => [c.uri, c.range.start.line, c.how]), [['file:///w/a.md', 0, 'heading'], ['file:///w/b.md', 5, 'heading']]);
    const item = (id: string) => tel.items.find((i) => i.id === id)!;
    assert.equal(item('TEL.18.1.6(b)').status, 'addressed');
    assert.deepEqual(item('TEL.18.1.6(b)').evidence.map((e) => [e.uri, e.range.start.line]), [['file:///w/a.md', 2]]);
    assert.equal(item('TEL.18.1.6(e)').status, 'addressed', 'addressed in another document');
    assert.equal(item('TEL.18.1.6(a)').status, 'missing');
    assert.equal(item('TEL.18.1.6[2](i)').status, 'not-applicable');
    assert.equal(item('TEL.18.1.6[2](i)').notApplicable?.reason, '電話番号案内を提供しない');
    assert.equal(cov.controls.find((c) => c.id === '12.4.2')!.justification, '親会社が運用する');
  });

  it('reports uncovered-control on the config entry', () => {
    const { service } = setup();
    const cov = service.coverage(config);
    assert.deepEqual(cov.findings.map((f) => [f.code, f.control, f.uri, f.range.start.line]), [['uncovered-control', 'TEL.18.1.7', 'file:///w/.x1051.yaml', 2]]);
    assert.equal(cov.summary['not-claimed'], 1);
    assert.equal(cov.summary.applicable, 2);
  });

  it('recomputes after one document changes, reusing the others', () => {
    const { a, b, service } = setup();
    const before = service.analyze(b, config);
    service.coverage(config);
    a.update(joinLines('## 通信の秘密（TEL.18.1.6）', '通信の存在、内容、発信元、宛先を保護する。'));
    const cov = service.coverage(config);
    assert.equal(service.analyze(b, config), before, 'the unchanged document was not re-analysed');
    const tel = cov.controls.find((c) => c.id === 'TEL.18.1.6')!;
    assert.equal(tel.items.find((i) => i.id === 'TEL.18.1.6(a)')!.status, 'addressed');
  });

  it('reuses the unchanged documents\' claim, evidence and document entries, and equals a computation from copies of the analyses', () => {
    const { a, b, service } = setup();
    const first = service.coverage(config);
    const entries = (cov: typeof first, uri: string) => [
      ...cov.controls.flatMap((c) => c.claims.filter((x) => x.uri === uri)),
      ...cov.controls.flatMap((c) => c.items.flatMap((i) => i.evidence.filter((e) => e.uri === uri))),
      ...(cov.documents ?? []).filter((d) => d.uri === uri),
    ];
    const ofB = entries(first, b.uri);
    assert.ok(ofB.length >= 4, 'b has claims, evidence and a document entry');
    a.update(joinLines('## 通信の秘密（TEL.18.1.6）', '通信の存在、内容、発信元、宛先を保護する。'));
    const second = service.coverage(config);
    assert.notEqual(second, first);
    const again = entries(second, b.uri);
    assert.equal(again.length, ofB.length);
    again.forEach((e, i) => assert.equal(e, ofB[i], 'the same object, not a copy'));
    assert.ok(entries(second, a.uri).every((e) => !entries(first, a.uri).includes(e)), 'the edited document\'s entries are new');
    // The same result as from analyses never seen before (new objects: nothing reused).
    const copies = [a, b].map((d) => structuredClone(service.analyze(d, config)));
    for (const copy of copies) for (const claim of copy.claims) for (const st of claim.items) st.item = catalog.item(st.item.id)!;
    const fresh = computeCoverage(catalog, copies, config);
    assert.deepEqual(JSON.parse(JSON.stringify(second)), JSON.parse(JSON.stringify(fresh)));
  });

  it('gives a claimed control without checkable items the status cited, never addressed', () => {
    const doc = new InMemoryDocument('file:///w/c.md', joinLines('## 監視（12.4.2）', 'ログを保護する。'));
    const service = createPolicyService({ catalog, workspace: new InMemoryWorkspace([doc]) });
    const { config: plain } = parseConfig('', 'file:///w/.x1051.yaml', catalog);
    const cov = service.coverage(plain);
    const c = cov.controls.find((x) => x.id === '12.4.2')!;
    assert.equal(c.status, 'cited');
    assert.deepEqual(c.claims.map((x) => x.missing), [[]]);
    assert.equal(cov.summary.cited, 1);
    assert.equal(cov.summary.addressed, 0);
  });

  it('gives every claim its own missing items while the control keeps the union', () => {
    const en = new InMemoryDocument(
      'file:///w/en.md',
      joinLines('## Secrecy (TEL.18.1.6)', 'We protect the existence of the communication, the content of the communication, the originator, the recipient and the timestamp.'),
    );
    const ja = new InMemoryDocument('file:///w/ja.md', joinLines('## 通信の秘密（TEL.18.1.6）', '通信の内容を保護する。', '## 続き（TEL.18.1.6）', '通信の発信元を保護する。'));
    const service = createPolicyService({ catalog, workspace: new InMemoryWorkspace([en, ja]) });
    const tel = service.coverage(config).controls.find((c) => c.id === 'TEL.18.1.6')!;
    const first = (ids: string[]) => ids.filter((id) => !id.includes('[2]'));
    assert.deepEqual(tel.claims.map((c) => [c.uri, first(c.missing)]), [
      ['file:///w/en.md', []],
      // The two sections of ja.md share their evidence: origin is addressed in the second.
      ['file:///w/ja.md', ['TEL.18.1.6(a)', 'TEL.18.1.6(d)', 'TEL.18.1.6(e)']],
      ['file:///w/ja.md', ['TEL.18.1.6(a)', 'TEL.18.1.6(d)', 'TEL.18.1.6(e)']],
    ]);
    for (const id of ['TEL.18.1.6(a)', 'TEL.18.1.6(d)', 'TEL.18.1.6(e)']) assert.equal(tel.items.find((i) => i.id === id)!.status, 'addressed', id);
  });
  it('coverageSoFar analyses nothing: finished analyses only, the last one of an edited document', () => {
    const a = new InMemoryDocument('file:///w/a.md', joinLines('## 通信の秘密（TEL.18.1.6）', '通信の内容と発信元を保護する。'));
    const b = new InMemoryDocument('file:///w/b.md', joinLines('# ログ（12.4.1）', 'ログの保存期間を定める。'));
    const analyzed: string[] = [];
    const service = createPolicyService({ catalog, workspace: new InMemoryWorkspace([a, b]), observer: { analyzed: (u) => analyzed.push(u) } });
    // Nothing analysed yet: nothing is analysed to answer, and nothing is claimed.
    const none = service.coverageSoFar(config);
    assert.deepEqual(analyzed, []);
    assert.equal(none.controls.find((c) => c.id === 'TEL.18.1.6')!.status, 'not-claimed');
    service.analyze(a, config);
    analyzed.length = 0;
    const one = service.coverageSoFar(config);
    assert.deepEqual(analyzed, [], 'b, never analysed, is left out rather than analysed');
    assert.deepEqual(one.controls.find((c) => c.id === 'TEL.18.1.6')!.claims.map((c) => c.uri), ['file:///w/a.md']);
    assert.equal(one.controls.find((c) => c.id === '12.4.1')!.status, 'not-claimed');
    // An edit that removes the claim: until a check analyses the new version, its last analysis counts.
    a.update(joinLines('# 別の方針', '本文。'));
    const stale = service.coverageSoFar(config);
    assert.deepEqual(analyzed, []);
    assert.deepEqual(stale.controls.find((c) => c.id === 'TEL.18.1.6')!.claims.map((c) => c.uri), ['file:///w/a.md']);
    // coverage() analyses what is out of date, and coverageSoFar then agrees with it.
    const full = service.coverage(config);
    assert.deepEqual(analyzed.sort(), ['file:///w/a.md', 'file:///w/b.md']);
    assert.equal(full.controls.find((c) => c.id === 'TEL.18.1.6')!.claims.length, 0);
    assert.equal(service.coverageSoFar(config), full, 'the same analyses give the same (cached) coverage');
  });
});
