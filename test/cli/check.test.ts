/**
 * `x1051 check` and `x1051 coverage`, run as a user would: `node bin/x1051.js …` on temporary
 * folders, against the fixture catalogue (written to the folder and passed with --catalog) so
 * the expectations do not move with the catalogue data.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixtureCatalog } from '../helpers/fixtureCatalog';
import { joinLines } from '../helpers/inMemory';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'x1051.js');

const DONE_JA = joinLines('# 情報セキュリティ方針', '', '## 通信の秘密（TEL.18.1.6）', '', '当社は、取り扱う通信の内容を厳重に保護する。', '');
const ALL_REQUIRED = joinLines('## Secrecy (TEL.18.1.6)', '', 'We protect the existence of communications, the content of communications, the sender, the recipient and the date and time.', '');

let tmp: string;
let catalogFile: string;

function write(rel: string, text: string): string {
  const p = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

function run(args: string[], cwd = tmp) {
  const r = spawnSync(process.execPath, [BIN, ...args, '--catalog', catalogFile], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', LANG: 'en_US.UTF-8' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cli: x1051 check / coverage', function () {
  this.timeout(30000);

  before(async () => {
    if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js'))) {
      // Build just the CLI bundle when the full build has not run.
      const esbuild = await import('esbuild');
      await esbuild.build({ entryPoints: [path.join(ROOT, 'server/src/cli/main.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: path.join(ROOT, 'dist', 'cli.js'), logLevel: 'warning' });
    }
  });

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-check-'));
    catalogFile = path.join(tmp, 'fixture-catalog.json');
    fs.writeFileSync(catalogFile, JSON.stringify(fixtureCatalog()));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('exits 0 when nothing is at or above warning', () => {
    write('policy.md', ALL_REQUIRED);
    const r = run(['check']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /info/, 'information findings are still shown');
  });

  it('exits 1 with the done-criterion findings, stylish by default', () => {
    write('docs/policy.md', DONE_JA);
    const r = run(['check']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^docs\/policy\.md$/m);
    assert.match(r.stdout, /^ {2}3:1 +warning +TEL\.18\.1\.6 a\) 通信の存在 が記述されていません {2}missing-item$/m);
    // The ten missing guidelines are one information finding that lists them.
    assert.match(r.stdout, /^ {2}3:1 +info +TEL\.18\.1\.6 の推奨の項目 10 件が記述されていません：指針 a\)、指針 b\)、.*指針 j\) {2}missing-item$/m);
    assert.match(r.stdout, /5 problems \(0 errors, 4 warnings, 1 info, 0 hints\) in 1 file/);
  });

  it('--format json follows the documented contract', () => {
    write('policy.md', DONE_JA);
    write('notes/other.md', 'See TEL.18.1.9.\n');
    const r = run(['check', '--format', 'json']);
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout);
    assert.equal(out.version, 1);
    assert.deepEqual(out.files.map((f: { path: string }) => f.path), ['notes/other.md', 'policy.md']);
    const f = out.files[1];
    assert.equal(f.lang, 'ja');
    assert.equal(f.claims.length, 1);
    const claim = f.claims[0];
    assert.deepEqual([claim.control, claim.line, claim.how], ['TEL.18.1.6', 3, 'heading']);
    // The claim's own result: every item but the content of communications is missing.
    assert.equal(claim.missing.length, 14);
    assert.ok(!claim.missing.includes('TEL.18.1.6(b)') && claim.missing.includes('TEL.18.1.6(a)'));
    const b = claim.items.find((i: { id: string }) => i.id === 'TEL.18.1.6(b)');
    assert.deepEqual(Object.keys(b).sort(), ['addressed', 'evidence', 'id', 'label', 'level', 'list', 'name', 'status']);
    assert.deepEqual([b.label, b.name], ['b)', 'TEL.18.1.6 b)']);
    // status (#9): addressed | weak | missing, `addressed` kept for compatibility.
    assert.equal(b.status, 'addressed');
    assert.equal(claim.items.find((i: { id: string }) => i.id === 'TEL.18.1.6(a)').status, 'missing');
    assert.equal(claim.items.find((i: { id: string }) => i.id === 'TEL.18.1.6[2](g)').name, 'TEL.18.1.6 指針 g)');
    assert.deepEqual(b.evidence.range.start, { line: 4, character: 8 });
    const d = f.diagnostics[0];
    assert.deepEqual(Object.keys(d).sort(), ['code', 'control', 'data', 'item', 'message', 'range', 'severity']);
    assert.equal(d.code, 'missing-item');
    assert.equal(out.files[0].diagnostics[0].code, 'unknown-control');
    assert.deepEqual(out.summary, { files: 2, errors: 1, warnings: 4, information: 1, hints: 0, claims: 1, itemsAddressed: 1, itemsMissing: 14, itemsNotApplicable: 0 });
    const folded = f.diagnostics.find((x: { severity: string }) => x.severity === 'information');
    assert.equal(folded.data.items.length, 10);
    assert.equal(folded.item, undefined);
  });

  it('after "insert all" stubs on TEL.18.1.6, check still fails with one warning per required item, and each stub is an unfilled-stub with control and item', async () => {
    // The stubs are the ones the editor's fix-all inserts (the same service the extension runs).
    const { createPolicyService, defaultConfig, FIX_ALL_KIND, LineIndex } = await import('../../server/src/service');
    const { fixtureIndex } = await import('../helpers/fixtureCatalog');
    const { InMemoryDocument, InMemoryWorkspace } = await import('../helpers/inMemory');
    const service = createPolicyService({ catalog: fixtureIndex(), workspace: new InMemoryWorkspace() });
    const doc = new InMemoryDocument('file:///p.md', DONE_JA);
    const [fixAll] = service.codeActions(doc, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { only: [FIX_ALL_KIND] }, defaultConfig());
    const lines = new LineIndex(DONE_JA);
    let text = DONE_JA;
    for (const e of [...fixAll.edits].sort((a, b) => lines.offsetAt(b.range.start) - lines.offsetAt(a.range.start))) text = text.slice(0, lines.offsetAt(e.range.start)) + e.newText + text.slice(lines.offsetAt(e.range.end));
    write('policy.md', text);
    const r = run(['check', '--format', 'json']);
    assert.equal(r.code, 1, 'a file of stubs fails CI');
    const d: Array<{ code: string; severity: string; control?: string; item?: string; range: { start: { line: number } } }> = JSON.parse(r.stdout).files[0].diagnostics;
    const stubLines = text.split('\n').flatMap((l, i) => (l.includes('x1051-stub') ? [i] : []));
    const unfilled = d.filter((x) => x.code === 'unfilled-stub');
    assert.equal(unfilled.length, stubLines.length);
    assert.deepEqual(unfilled.map((x) => x.range.start.line), stubLines);
    assert.ok(unfilled.every((x) => x.severity === 'warning' && x.control === 'TEL.18.1.6' && x.item?.startsWith('TEL.18.1.6')));
    // Every required item a)–e) not written before is still a missing-item warning, and has its stub.
    for (const id of ['TEL.18.1.6(a)', 'TEL.18.1.6(c)', 'TEL.18.1.6(d)', 'TEL.18.1.6(e)']) {
      assert.ok(d.some((x) => x.code === 'missing-item' && x.item === id && x.severity === 'warning'), id);
      assert.ok(unfilled.some((x) => x.item === id), id);
    }
    // Writing one stub clears its two findings, and only those.
    const written = text.replace(/(\*\*TEL\.18\.1\.6 e\) 通信の日時\*\*：)/, '$1通信の日時も第三者に開示しない。');
    write('policy.md', written);
    const d2: Array<{ code: string; item?: string }> = JSON.parse(run(['check', '--format', 'json']).stdout).files[0].diagnostics;
    assert.ok(!d2.some((x) => x.item === 'TEL.18.1.6(e)'));
    assert.equal(d2.length, d.length - 2);
  });

  it('--format sarif is SARIF 2.1.0 with rules and 1-based regions', () => {
    write('policy.md', DONE_JA);
    const r = run(['check', '--format', 'sarif']);
    assert.equal(r.code, 1);
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, '2.1.0');
    assert.match(sarif.$schema, /sarif-2\.1\.0/);
    const run0 = sarif.runs[0];
    const rules = run0.tool.driver.rules;
    assert.ok(rules.length >= 7);
    for (const rule of rules) {
      assert.match(rule.id, /^[a-z-]+$/);
      assert.ok(rule.shortDescription.text.length > 0);
      assert.match(rule.helpUri, new RegExp(`docs/rules/${rule.id}\\.md$`));
    }
    const res = run0.results[0];
    assert.equal(res.ruleId, 'missing-item');
    assert.equal(rules[res.ruleIndex].id, 'missing-item');
    assert.equal(res.level, 'warning');
    assert.ok(res.message.text.length > 0);
    assert.deepEqual(res.locations[0].physicalLocation.region, { startLine: 3, startColumn: 1, endLine: 3, endColumn: 21 });
    assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'policy.md');
    assert.equal(res.properties.control, 'TEL.18.1.6');
    assert.equal(res.properties.item, 'TEL.18.1.6(a)');
    assert.ok(run0.results.some((x: { level: string }) => x.level === 'note'), 'information maps to note');
    const folded = run0.results.find((x: { level: string }) => x.level === 'note');
    assert.equal(folded.properties.items.length, 10, 'the folded finding names its items');
  });

  it('exits 2 for a missing path, naming it, and still checks the other files', () => {
    write('policy.md', ALL_REQUIRED);
    const r = run(['check', 'policy.md', 'nope.md', '--format', 'json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nope\.md: no such file or directory/);
    assert.equal(JSON.parse(r.stdout).files.length, 1);
  });

  it('exits 2 on a usage error', () => {
    const r = run(['check', '--format', 'xml']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--format must be stylish, json or sarif/);
  });

  it('exits 2 for an unreadable file, naming it, and still checks the others', () => {
    // A broken symbolic link cannot be read even by root (CI runs as root, where a chmod 000
    // file would still be readable).
    fs.symlinkSync(path.join(tmp, 'gone.md'), path.join(tmp, 'locked.md'));
    write('ok.md', ALL_REQUIRED);
    const r = run(['check', '--format', 'json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /locked\.md: cannot read \(broken symbolic link\)/);
    assert.deepEqual(JSON.parse(r.stdout).files.map((f: { path: string }) => f.path), ['ok.md']);
  });

  it('finds the config upwards, honours include/exclude, severities and glob arguments', () => {
    write('.x1051.yaml', joinLines('exclude: ["drafts/**"]', 'severity:', '  levels: { required: information }'));
    write('policies/a.md', DONE_JA);
    write('drafts/b.md', 'TEL.18.1.9\n');
    write('policies/readme.txt', 'TEL.18.1.9\n');
    const r = run(['check', '--format', 'json']);
    assert.equal(r.code, 0, r.stdout);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.files.map((f: { path: string }) => f.path), ['policies/a.md']);
    assert.ok(out.files[0].diagnostics.every((d: { severity: string }) => d.severity === 'information'));
    const g = run(['check', 'policies/*.md', '--format', 'json']);
    assert.deepEqual(JSON.parse(g.stdout).files.map((f: { path: string }) => f.path), ['policies/a.md']);
  });

  it('reports config problems and uncovered controls on the config file', () => {
    write('.x1051.yaml', joinLines('languag: ja', 'applicability:', '  TEL.18.1.7: applicable', '  TEL.18.1.6: applicable'));
    write('a.md', ALL_REQUIRED);
    const r = run(['check', '--format', 'json']);
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout);
    assert.equal(out.configs.length, 1);
    assert.equal(out.configs[0].path, '.x1051.yaml');
    assert.deepEqual(out.configs[0].diagnostics.map((d: { code: string; severity: string }) => [d.code, d.severity]), [['invalid-config', 'warning'], ['uncovered-control', 'warning']]);
    assert.equal(out.configs[0].diagnostics[1].range.start.line, 2);
  });

  describe('checking a subset of the files', () => {
    const uncovered = (out: { configs: { diagnostics: { code: string; control?: string }[] }[] }) =>
      out.configs.flatMap((c) => c.diagnostics).filter((d) => d.code === 'uncovered-control').map((d) => d.control);
    beforeEach(() => {
      write('.x1051.yaml', joinLines('applicability:', '  TEL.18.1.6: applicable', '  TEL.18.1.7: applicable', '  12.4.1: applicable'));
      write('policies/secrecy.md', ALL_REQUIRED);
      write('policies/emergency.md', joinLines('## Essential communications (TEL.18.1.7)', '', 'We give priority to meteorological agencies, flood control and fire and rescue.', ''));
    });

    it('judges uncovered-control over the config\'s whole scope, read from disk, not over the files given', () => {
      const one = run(['check', 'policies/secrecy.md', '--format', 'json']);
      const out = JSON.parse(one.stdout);
      assert.deepEqual(out.files.map((f: { path: string }) => f.path), ['policies/secrecy.md'], 'only the file given is checked');
      // TEL.18.1.7 is claimed by a file not given: not uncovered. 12.4.1 is claimed nowhere: uncovered.
      assert.deepEqual(uncovered(out), ['12.4.1']);
      // The same verdict as checking everything.
      assert.deepEqual(uncovered(JSON.parse(run(['check', '--format', 'json']).stdout)), ['12.4.1']);
    });

    it('a subset is clean when the whole scope is', () => {
      write('policies/logging.md', joinLines('## Event logging (12.4.1)', '', 'We set a retention period for logs and erase them without delay afterwards.', ''));
      const r = run(['check', 'policies/secrecy.md']);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.doesNotMatch(r.stdout, /uncovered-control/);
    });

    it('does not judge uncovered-control when a file of the scope cannot be read, and says so', () => {
      fs.writeFileSync(path.join(tmp, 'policies', 'broken.md'), Buffer.from([0x23, 0x20, 0xff, 0xfe, 0x0a]));
      const r = run(['check', 'policies/secrecy.md', '--format', 'json']);
      assert.deepEqual(uncovered(JSON.parse(r.stdout)), []);
      assert.match(r.stderr, /note: uncovered-control not judged for \.x1051\.yaml: 1 file of its scope cannot be read \(policies\/broken\.md\)/);
    });

    it('leaves out files excluded by the config and files governed by a nearer config', () => {
      write('.x1051.yaml', joinLines('exclude: ["drafts/**"]', 'applicability:', '  TEL.18.1.6: applicable', '  TEL.18.1.7: applicable'));
      fs.rmSync(path.join(tmp, 'policies', 'emergency.md'));
      write('drafts/emergency.md', joinLines('## Essential communications (TEL.18.1.7)', '', 'Meteorological agencies first.', ''));
      write('sub/.x1051.yaml', 'language: en\n');
      write('sub/emergency.md', joinLines('## Essential communications (TEL.18.1.7)', '', 'Meteorological agencies first.', ''));
      assert.deepEqual(uncovered(JSON.parse(run(['check', 'policies/secrecy.md', '--format', 'json']).stdout)), ['TEL.18.1.7']);
    });
  });

  it('--lang sets the language of messages; a BOM and CRLF do not shift columns', () => {
    write('policy.md', '\uFEFF' + DONE_JA.replace(/\n/g, '\r\n'));
    const r = run(['check', '--lang', 'en', '--format', 'json']);
    const d = JSON.parse(r.stdout).files[0].diagnostics[0];
    assert.match(d.message, /is not addressed/);
    assert.deepEqual(d.range.start, { line: 2, character: 0 });
  });

  describe('coverage', () => {
    beforeEach(() => {
      write('.x1051.yaml', joinLines('applicability:', '  TEL.18.1.6: applicable', '  12.4.2: { status: excluded, justification: "<script>alert(1)</script> | =cmd" }'));
      write('policy.md', DONE_JA.replace('## 通信の秘密', '## \\<script>x\\</script> 通信の秘密'));
    });

    it('prints a Markdown Statement of Applicability with author text escaped', () => {
      const r = run(['coverage']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^\| Control \| Title \| Applicability \| Justification \| Status \| Addressed at \| Missing items \| Not applicable \|$/m);
      const tel = r.stdout.split('\n').find((l) => l.startsWith('| TEL.18.1.6 '))!;
      assert.match(tel, /\| applicable \| {2}\| partial \| policy\.md:3 \(&lt;script&gt;x&lt;\/script&gt; 通信の秘密（TEL\.18\.1\.6）\) \\\[14 missing\\\] \| TEL\.18\.1\.6 a\) existence of the communication; /);
      assert.ok(!tel.includes('<script>'), tel);
      const excluded = r.stdout.split('\n').find((l) => l.startsWith('| 12.4.2 '))!;
      assert.ok(!excluded.includes('<script>'), excluded);
      assert.match(excluded, /&lt;script&gt;alert\(1\)&lt;\/script&gt; \\\| =cmd/);
      assert.equal(excluded.split(/(?<!\\)\|/).length, 10, 'the escaped pipe does not add a cell');
    });

    it('prints CSV with quoting and formula guard', () => {
      const r = run(['coverage', '--format', 'csv']);
      assert.equal(r.code, 0);
      const lines = r.stdout.split('\r\n');
      assert.equal(lines[0], 'Control,Title,Applicability,Justification,Status,Addressed at,Missing items,Not applicable');
      const excluded = lines.find((l) => l.startsWith('12.4.2,'))!;
      assert.equal(excluded, '12.4.2,Protection of log information,excluded,<script>alert(1)</script> | =cmd,not-applicable,,,');
      const tel = lines.find((l) => l.startsWith('TEL.18.1.6,'))!;
      assert.match(tel, /^TEL\.18\.1\.6,Secrecy of communications,applicable,,partial,policy\.md:3 \(<script>x<\/script> 通信の秘密（TEL\.18\.1\.6）\) \[14 missing\],TEL\.18\.1\.6 a\) existence/);
    });

    it('prints JSON with statuses and paths', () => {
      const r = run(['coverage', '--format', 'json']);
      const out = JSON.parse(r.stdout);
      const tel = out.controls.find((c: { id: string }) => c.id === 'TEL.18.1.6');
      assert.equal(tel.status, 'partial');
      assert.equal(tel.claims[0].path, 'policy.md');
      assert.equal(out.controls.find((c: { id: string }) => c.id === '12.4.2').applicability, 'excluded');
    });

    it('keeps each claiming document\'s gaps visible: claims[].missing, and the SoA counts documents with gaps', () => {
      write('en.md', ALL_REQUIRED);
      const json = JSON.parse(run(['coverage', '--format', 'json']).stdout);
      const tel = json.controls.find((c: { id: string }) => c.id === 'TEL.18.1.6');
      // The union of both documents addresses every required item...
      const required = tel.items.filter((i: { level: string }) => i.level === 'required');
      assert.ok(required.every((i: { status: string }) => i.status === 'addressed'), JSON.stringify(required));
      // ...but the Japanese policy alone still misses four of them.
      const byPath = new Map(tel.claims.map((c: { path: string; missing: string[] }) => [c.path, c.missing.filter((id) => !id.includes('['))]));
      assert.deepEqual(byPath.get('en.md'), []);
      assert.deepEqual(byPath.get('policy.md'), ['TEL.18.1.6(a)', 'TEL.18.1.6(c)', 'TEL.18.1.6(d)', 'TEL.18.1.6(e)']);
    });

    it('says "addressed (1 of 2 claiming documents has gaps)" when another document hides a gap', () => {
      write('en.md', joinLines('## Event logging (12.4.1)', '', 'We set a retention period for logs and erase them without delay afterwards.', ''));
      write('ja.md', joinLines('## ログ（12.4.1）', '', 'ログの保存期間を定める。', ''));
      const r = run(['coverage']);
      const row = r.stdout.split('\n').find((l) => l.startsWith('| 12.4.1 '))!;
      assert.match(row, /\| addressed \(1 of 2 claiming documents has gaps\) \|/);
      assert.match(row, /ja\.md:1 .*\\\[1 missing\\\]/);
      assert.doesNotMatch(row, /en\.md:1 [^,]*missing/);
      const ja = run(['coverage', '--lang', 'ja']).stdout.split('\n').find((l) => l.startsWith('| 12.4.1 '))!;
      assert.match(ja, /記述済み（引用している文書 2 件中 1 件に未記述あり）/);
    });

    it('reports a claimed control without checkable items as cited, not addressed', () => {
      write('log.md', joinLines('## Protection of log information (12.4.2)', '', 'We encrypt data.', ''));
      write('.x1051.yaml', joinLines('applicability:', '  TEL.18.1.6: applicable'));
      const json = JSON.parse(run(['coverage', '--format', 'json']).stdout);
      const c = json.controls.find((x: { id: string }) => x.id === '12.4.2');
      assert.equal(c.status, 'cited');
      assert.equal(json.summary.cited, 1);
      assert.equal(json.summary.addressed, 0);
      const md = run(['coverage']).stdout;
      assert.match(md.split('\n').find((l) => l.startsWith('| 12.4.2 '))!, /\| cited \(not checked\) \|/);
      assert.match(md, /cited \(not checked\) 1/);
      assert.match(run(['coverage', '--format', 'csv']).stdout, /\r\n12\.4\.2,Protection of log information,undecided,,cited \(not checked\),log\.md:1/);
    });
  });

  it('applicability: notApplicable and a profile are honoured by check and reported in the SoA', () => {
    write('.x1051.yaml', joinLines('profile: it-service', 'applicability:', '  TEL.18.1.6: applicable', 'notApplicable:', '  TEL.18.1.7: "No essential communications"', '  TEL.18.1.6(d): "We keep no destinations"'));
    write('policy.md', joinLines('## Secrecy (TEL.18.1.6)', '', 'We protect the existence of communications, the content of communications, the sender and the date and time.', ''));
    const check = JSON.parse(run(['check', '--format', 'json']).stdout);
    // Every item reported, whether alone (required) or in the folded finding (recommended).
    const missing = check.files[0].diagnostics
      .filter((d: { code: string }) => d.code === 'missing-item')
      .flatMap((d: { item?: string; data?: { items?: string[] } }) => (d.item ? [d.item] : d.data?.items ?? []));
    assert.ok(!missing.includes('TEL.18.1.6(d)'), 'the item marked not applicable is not reported');
    assert.ok(!missing.includes('TEL.18.1.6[2](g)'), 'the item the profile marks not applicable is not reported');
    assert.ok(missing.includes('TEL.18.1.6[2](a)'), 'items that apply still are');
    assert.deepEqual(check.configs[0].diagnostics, []);
    const lines = run(['coverage']).stdout.split('\n');
    assert.match(lines.find((l) => l.startsWith('| TEL.18.1.7 '))!, /\| excluded \| No essential communications \| not-applicable \|/);
    const tel = lines.find((l) => l.startsWith('| TEL.18.1.6 '))!;
    assert.match(tel, /We keep no destinations/);
    assert.match(tel, /The unit provides no telephone services\. \(profile it-service\)/);
    const json = JSON.parse(run(['coverage', '--format', 'json']).stdout);
    const d = json.controls.find((c: { id: string }) => c.id === 'TEL.18.1.6').items.find((i: { id: string }) => i.id === 'TEL.18.1.6(d)');
    assert.deepEqual([d.status, d.notApplicable.reason, d.notApplicable.path], ['not-applicable', 'We keep no destinations', '.x1051.yaml']);
  });

  it('--lang ja puts the config file\'s own findings in Japanese too', () => {
    write('.x1051.yaml', joinLines('languag: ja', 'applicability:', '  TEL.18.1.7: applicable'));
    write('a.md', ALL_REQUIRED);
    const ja = JSON.parse(run(['check', '--format', 'json', '--lang', 'ja']).stdout).configs[0].diagnostics.map((d: { message: string }) => d.message);
    assert.match(ja[0], /^不明な設定「languag」です/);
    assert.match(ja[1], /TEL\.18\.1\.7 重要通信 は適用としていますが、どの文書も引用していません/);
    const en = JSON.parse(run(['check', '--format', 'json', '--lang', 'en']).stdout).configs[0].diagnostics.map((d: { message: string }) => d.message);
    assert.match(en[0], /^Unknown setting "languag"/);
  });

  it('SARIF rule descriptions follow --lang', () => {
    write('policy.md', DONE_JA);
    for (const lang of ['en', 'ja'] as const) {
      const rules = JSON.parse(run(['check', '--format', 'sarif', '--lang', lang]).stdout).runs[0].tool.driver.rules;
      for (const rule of rules) {
        for (const text of [rule.shortDescription.text, rule.fullDescription.text]) {
          if (lang === 'en') assert.doesNotMatch(text, /[\u3040-\u30ff\u4e00-\u9fff]/, `${rule.id}: ${text}`);
          else assert.match(text, /[\u3040-\u30ff\u4e00-\u9fff]/, `${rule.id}: ${text}`);
        }
      }
    }
  });
});
