/**
 * Tests of the client's pure modules (no `vscode` import): the Statement of Applicability
 * escaping, the coverage arithmetic, the inserted snippets and the configuration template. The
 * parts that need VS Code are covered by the end-to-end test (test/e2e).
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CatalogIndex } from '../../catalog/src/query';
import type { Catalog } from '../../catalog/src/types';
import { parseConfig } from '../../server/src/service/config';
import { RULES } from '../../server/src/service/rules';
import { indexCatalog } from '../../client/src/catalog';
import { configurationTemplate } from '../../client/src/configTemplate';
import { claimingDocuments, summarize } from '../../client/src/metrics';
import type { ControlCoverage, Coverage, ItemCoverage } from '../../client/src/protocol';
import { controlText, sectionSkeleton } from '../../client/src/snippets';
import { escapeCsvField, escapeMarkdownCell, renderSoa, type SoaRow } from '../../client/src/soa';

const catalogPath = join(__dirname, '..', '..', 'dist', 'catalog.json');
const range = { start: { line: 3, character: 0 }, end: { line: 3, character: 10 } };

function item(id: string, status: ItemCoverage['status']): ItemCoverage {
  return { id, label: id, labelText: { ja: id, en: id }, list: 1, level: 'required', subject: { ja: id, en: id }, status, evidence: status === 'addressed' ? [{ uri: 'file:///p.md', range, term: 't' }] : [] };
}

function control(id: string, applicability: ControlCoverage['applicability'], status: ControlCoverage['status'], items: ItemCoverage[], claimed = true): ControlCoverage {
  return {
    id,
    title: { ja: id, en: id },
    kind: 'tel',
    applicability,
    status,
    claims: claimed ? [{ uri: 'file:///p.md', range, how: 'heading', missing: items.filter((i) => i.status === 'missing').map((i) => i.id) }] : [],
    items,
  };
}

function coverage(controls: ControlCoverage[]): Coverage {
  return { controls, findings: [], summary: {} as Coverage['summary'] };
}

describe('client: Statement of Applicability export', () => {
  const row: SoaRow = {
    id: 'TEL.11.3.2',
    title: 'Title, with "quotes"',
    applicable: 'no',
    justification: '=HYPERLINK("http://x") | <b>bold</b>\nsecond line',
    status: 'not applicable',
    addressed: 0,
    total: 0,
    where: ['a.md:3'],
  };
  const headers = { id: 'Control', title: 'Title', applicable: 'Applicable', justification: 'Justification', status: 'Status', items: 'Items', where: 'Where' };

  it('escapes author text in Markdown cells: no new row, no column break, no HTML', () => {
    const cell = escapeMarkdownCell(row.justification);
    assert.doesNotMatch(cell, /\n/);
    assert.doesNotMatch(cell, /(^|[^\\])\|/);
    assert.doesNotMatch(cell, /<b>/);
    const table = renderSoa([row], 'markdown', headers, 'SoA');
    const lines = table.trim().split('\n');
    assert.equal(lines.length, 5, table);
    // Every row has exactly as many unescaped separators as the header.
    const pipes = (l: string) => (l.match(/(?<!\\)\|/g) ?? []).length;
    assert.equal(pipes(lines[4]), pipes(lines[2]));
  });

  it('quotes CSV fields and defuses spreadsheet formulas', () => {
    assert.equal(escapeCsvField('plain'), 'plain');
    assert.equal(escapeCsvField('a,b'), '"a,b"');
    assert.equal(escapeCsvField('say "hi"'), '"say ""hi"""');
    assert.equal(escapeCsvField('=1+1'), "'=1+1");
    assert.equal(escapeCsvField('-2'), "'-2");
    const csv = renderSoa([row], 'csv', headers, 'SoA');
    assert.ok(csv.startsWith('\ufeff'));
    const records = csv.slice(1).split('\r\n').filter(Boolean);
    // The line break inside the quoted justification keeps the record count at header + 1 row
    // once quoted fields are rejoined.
    assert.equal(csv.slice(1).match(/\r\n/g)?.length, 2);
    assert.ok(records[1].includes(`"'=HYPERLINK(""http://x"")`), records[1]);
  });

  it('writes JSON with typed applicability', () => {
    const json = JSON.parse(renderSoa([row, { ...row, id: 'X', applicable: '' }], 'json', headers, 'SoA'));
    assert.equal(json[0].applicable, false);
    assert.equal(json[1].applicable, null);
    assert.equal(json[0].justification, row.justification);
  });
});

describe('client: coverage summary', () => {
  it('counts items of applicable controls, an unclaimed applicable control as all missing', () => {
    const c = coverage([
      control('A', 'applicable', 'partial', [item('A1', 'addressed'), item('A2', 'missing'), item('A3', 'not-applicable')]),
      control('B', 'applicable', 'not-claimed', [item('B1', 'not-claimed'), item('B2', 'not-claimed')], false),
      control('C', 'excluded', 'not-applicable', [item('C1', 'not-claimed')], false),
      control('D', 'undecided', 'addressed', [item('D1', 'addressed')]),
    ]);
    const s = summarize(c);
    assert.equal(s.basis, 'applicable');
    assert.deepEqual([s.addressed, s.total], [1, 4]);
    assert.equal(s.percent, 25);
    assert.deepEqual(s.gaps.map((g) => g.control.id), ['B', 'A']);
  });

  it('falls back to the claimed controls when no applicability is configured', () => {
    const c = coverage([
      control('A', 'undecided', 'addressed', [item('A1', 'addressed'), item('A2', 'addressed')]),
      control('B', 'undecided', 'partial', [item('B1', 'addressed'), item('B2', 'missing'), item('B3', 'missing')]),
      control('C', 'undecided', 'not-claimed', [item('C1', 'not-claimed')], false),
    ]);
    const s = summarize(c);
    assert.equal(s.basis, 'claimed');
    assert.deepEqual([s.addressed, s.total, s.percent], [3, 5, 60]);
    assert.deepEqual(s.gaps.map((g) => g.control.id), ['B']);
  });

  it('counts only what was checked: a cited control (no checkable items) adds nothing and is no gap', () => {
    const c = coverage([
      control('A', 'undecided', 'addressed', [item('A1', 'addressed'), item('A2', 'addressed')]),
      control('10.1.1', 'undecided', 'cited', []),
    ]);
    const s = summarize(c);
    assert.deepEqual([s.addressed, s.total, s.percent], [2, 2, 100]);
    assert.deepEqual(s.cited.map((x) => x.control.id), ['10.1.1']);
    assert.deepEqual(s.gaps, []);
    // Only cited controls claimed: nothing was checked, so there is no percentage at all.
    assert.equal(summarize(coverage([control('10.1.1', 'undecided', 'cited', [])])).percent, undefined);
  });

  it('counts the claiming documents that have gaps of their own', () => {
    const a = control('TEL.18.1.6', 'applicable', 'addressed', [item('X1', 'addressed')]);
    a.claims = [
      { uri: 'file:///en.md', range, how: 'heading', missing: [] },
      { uri: 'file:///ja.md', range, how: 'heading', missing: ['X1'] },
      { uri: 'file:///ja.md', range, how: 'heading', missing: [] },
    ];
    assert.deepEqual(claimingDocuments(a), { documents: 2, withGaps: 1 });
  });

  it('reports no percentage when nothing is in scope', () => {
    assert.equal(summarize(coverage([])).percent, undefined);
  });
});

describe('client: inserted text and configuration template', function () {
  let catalog: Catalog;
  before(function () {
    try {
      catalog = JSON.parse(readFileSync(catalogPath, 'utf8')) as Catalog;
    } catch {
      this.skip();
    }
  });

  it('a section skeleton claims the control in a heading and lists its items in a comment', () => {
    const tel = indexCatalog(catalog).controls.get('TEL.18.1.6')!;
    const ja = sectionSkeleton(tel, 'ja', 3);
    const lines = ja.split('\n');
    assert.equal(lines[0], `### TEL.18.1.6 ${tel.title.ja}`);
    const comment = ja.slice(ja.indexOf('<!--'), ja.indexOf('-->') + 3);
    for (const i of tel.items.filter((x) => !x.parent)) assert.ok(comment.includes(i.subject.ja), i.id);
    // Only the heading cites the control: the comment holds labels, not ids.
    assert.equal(ja.split('TEL.18.1.6').length - 1, 1);
    assert.ok(sectionSkeleton(tel, 'en').startsWith(`## TEL.18.1.6 ${tel.title.en}`));
  });

  it('control text is a block quote with the statement and every item', () => {
    const tel = indexCatalog(catalog).controls.get('TEL.18.1.6')!;
    const text = controlText(tel, 'en');
    for (const line of text.trimEnd().split('\n')) assert.match(line, /^>( |$)/);
    for (const i of tel.items) assert.ok(text.includes(i.text.en.slice(0, 30)), i.id);
  });

  it('the configuration lists every TEL control as applicable and parses as YAML', () => {
    const text = configurationTemplate(catalog, 'en');
    const parsed = parse(text) as { language: string; applicability: Record<string, string> };
    const tel = catalog.controls.filter((c) => c.kind === 'tel').map((c) => c.id);
    assert.ok(tel.length > 0);
    assert.deepEqual(parsed.applicability, Object.fromEntries(tel.map((id) => [id, 'applicable'])));
    assert.equal(parsed.language, 'auto');
    // The server's own parser accepts both languages' templates without a single finding.
    for (const lang of ['en', 'ja'] as const) {
      const result = parseConfig(configurationTemplate(catalog, lang), 'file:///w/.x1051.yaml', new CatalogIndex(catalog));
      assert.deepEqual(result.findings, [], lang);
      assert.equal(Object.keys(result.config.applicability).length, tel.length);
    }
    assert.ok(configurationTemplate(catalog, 'ja').includes('適用宣言'));
  });
});

describe('client: localisation', () => {
  const root = join(__dirname, '..', '..');
  const read = (path: string) => readFileSync(join(root, path), 'utf8');

  it('every vscode.l10n.t string of the client has a Japanese translation with the same placeholders', () => {
    const bundle = JSON.parse(read('l10n/bundle.l10n.ja.json')) as Record<string, string>;
    const used = new Set<string>();
    for (const file of readdirSync(join(root, 'client', 'src'))) {
      const source = read(join('client', 'src', file));
      for (const m of source.matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)) used.add(m[1].replace(/\\'/g, "'"));
      assert.doesNotMatch(source, /l10n\.t\(\s*[`"]/, `${file}: use single-quoted literals so the strings can be collected`);
    }
    assert.ok(used.size > 30);
    const placeholders = (s: string) => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();
    for (const s of used) {
      assert.ok(s in bundle, `no Japanese for: ${s}`);
      assert.deepEqual(placeholders(bundle[s]), placeholders(s), s);
    }
    for (const key of Object.keys(bundle)) assert.ok(used.has(key), `unused translation: ${key}`);
  });

  it('every %key% of package.json is in package.nls.json and package.nls.ja.json', () => {
    const manifest = read('package.json');
    const keys = new Set([...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]));
    assert.ok(keys.size > 30);
    const en = JSON.parse(read('package.nls.json')) as Record<string, string>;
    const ja = JSON.parse(read('package.nls.ja.json')) as Record<string, string>;
    for (const key of keys) {
      assert.ok(en[key], `package.nls.json lacks ${key}`);
      assert.ok(ja[key], `package.nls.ja.json lacks ${key}`);
    }
    assert.deepEqual(Object.keys(ja).sort(), Object.keys(en).sort());
  });

  it('every setting has a markdownDescription and every command the X.1051 category', () => {
    const pkg = JSON.parse(read('package.json'));
    const sections = pkg.contributes.configuration as { title: string; properties: Record<string, { markdownDescription?: string }> }[];
    assert.ok(sections.length >= 3);
    for (const section of sections) {
      for (const [name, setting] of Object.entries(section.properties)) {
        assert.ok(name.startsWith('x1051.'), name);
        assert.match(setting.markdownDescription ?? '', /^%.+%$/, name);
      }
    }
    for (const command of pkg.contributes.commands as { command: string; category: string }[]) assert.equal(command.category, 'X.1051', command.command);
  });

  it('x1051.severity.rules offers exactly the rule codes of the server registry', () => {
    const pkg = JSON.parse(read('package.json'));
    const severity = (pkg.contributes.configuration as { id: string; properties: Record<string, { properties?: object }> }[]).find((c) => c.id === 'x1051.severity')!;
    const offered = Object.keys(severity.properties['x1051.severity.rules'].properties ?? {}).sort();
    assert.deepEqual(offered, RULES.map((r) => r.code).sort());
  });
});
