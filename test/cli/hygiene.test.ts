/**
 * The policy-hygiene rules (#14) through the CLI, as a user runs them: weak wording, template
 * placeholders, document metadata, overdue reviews and withdrawn editions, with `--today` making
 * the date rules reproducible and `.x1051.yaml` tuning them.
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

let tmp: string;

function write(rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
  fs.writeFileSync(path.join(tmp, rel), text);
}

function check(...args: string[]) {
  const catalog = path.join(tmp, 'catalog.json');
  const r = spawnSync(process.execPath, [BIN, 'check', ...args, '--catalog', catalog], { cwd: tmp, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function findings(stdout: string): Array<{ code: string; line: number; message: string; severity: string }> {
  type Entry = { diagnostics: Array<{ code: string; severity: string; message: string; range: { start: { line: number } } }> };
  const report = JSON.parse(stdout) as { files: Entry[]; configs?: Entry[] };
  return [...report.files, ...(report.configs ?? [])].flatMap((f) => f.diagnostics.map((x) => ({ code: x.code, line: x.range.start.line, message: x.message, severity: x.severity })));
}

const POLICY = joinLines(
  '---',
  'owner: Chief Information Security Officer',
  'approved-by: Board of Directors',
  'approved: 2026-04-01',
  'version: "1.0"',
  'next-review: 2027-04-01',
  '---',
  '',
  '# [Company Name] Access Policy',
  '',
  'Administrators should review access rights where possible.',
  '',
  'This policy follows ISO/IEC 27001:2013.',
  '',
);

describe('cli: policy hygiene rules', function () {
  this.timeout(30000);

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-hygiene-'));
    fs.writeFileSync(path.join(tmp, 'catalog.json'), JSON.stringify(fixtureCatalog()));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('reports each hygiene finding in the JSON contract, with the date fixed by --today', () => {
    write('policy.md', POLICY);
    const before = check('policy.md', '--format', 'json', '--today', '2026-12-04');
    const got = findings(before.stdout).map((f) => `${f.line}:${f.code}:${f.severity}`).sort();
    assert.deepEqual(got, ['10:weak-wording:information', '10:weak-wording:information', '12:superseded-reference:information', '8:placeholder:warning'].sort());
    assert.equal(before.code, 1, 'a placeholder warning fails the check');

    const later = check('policy.md', '--format', 'json', '--today', '2027-05-01');
    const overdue = findings(later.stdout).filter((f) => f.code === 'review-overdue');
    assert.equal(overdue.length, 1);
    assert.match(overdue[0].message, /2027-04-01 \(30 days ago\)/);
  });

  it('refuses a --today that is not a calendar date, with exit 2 and one line', () => {
    write('policy.md', POLICY);
    for (const bad of ['2026-02-30', 'tomorrow', '2026/12/04']) {
      const r = check('policy.md', '--today', bad);
      assert.equal(r.code, 2, bad);
      assert.match(r.stderr, /--today must be a date as YYYY-MM-DD/);
    }
  });

  it('.x1051.yaml trims and extends the weak-wording list and raises it inside claimed sections', () => {
    write('.x1051.yaml', joinLines('weakWording:', '  remove: ["should"]', '  add: { en: ["at management discretion"] }', '  inClaimedSections: warning', ''));
    write('policy.md', joinLines('# Policy', '', 'Staff should lock screens.', '', 'Exceptions are granted at management discretion.', '', '## Secrecy (TEL.18.1.6)', '', 'Where possible we protect the content of communications.', ''));
    const got = findings(check('policy.md', '--format', 'json').stdout).filter((f) => f.code === 'weak-wording');
    assert.deepEqual(got.map((f) => `${f.line}:${f.severity}`), ['4:information', '8:warning']);
  });

  it('metadata: required makes a policy without front matter a warning; the default leaves it alone', () => {
    write('policy.md', joinLines('# Policy', '', '## Secrecy (TEL.18.1.6)', '', 'We protect the content of communications.', ''));
    assert.equal(findings(check('policy.md', '--format', 'json').stdout).filter((f) => f.code === 'document-metadata').length, 0);
    write('.x1051.yaml', 'metadata: required\n');
    const got = findings(check('policy.md', '--format', 'json').stdout).filter((f) => f.code === 'document-metadata');
    assert.equal(got.length, 1);
    assert.equal(got[0].severity, 'warning');
    assert.match(got[0].message, /owner, approved-by, approved, version, next-review/);
  });

  it('coverage lists each document with owner, version and next review (md and json), overdue marked', () => {
    write('policy.md', POLICY);
    write('old.md', joinLines('---', '所管: 法務部', '版: "1"', '最終見直し: 2024-01-10', '見直し間隔: 1年', '---', '', '# 規程', ''));
    const catalog = path.join(tmp, 'catalog.json');
    const run = (...a: string[]) => spawnSync(process.execPath, [BIN, 'coverage', ...a, '--catalog', catalog, '--today', '2026-12-04'], { cwd: tmp, encoding: 'utf8' });
    const json = JSON.parse(run('.', '--format', 'json').stdout) as { documents: Array<Record<string, unknown>> };
    assert.deepEqual(json.documents, [
      { path: 'old.md', owner: '法務部', version: '1', nextReview: '2025-01-10', reviewOverdue: true },
      { path: 'policy.md', owner: 'Chief Information Security Officer', approvedBy: 'Board of Directors', approved: '2026-04-01', version: '1.0', nextReview: '2027-04-01', reviewOverdue: false },
    ]);
    const md = run('.', '--lang', 'ja').stdout;
    assert.match(md, /## 文書\n\n\| 文書 \| 所管 \| 版 \| 承認者 \| 承認日 \| 次回見直し \|/);
    assert.match(md, /\| old\.md \| 法務部 \| 1 \|  \|  \| 2025-01-10（期限超過） \|/);
  });

  it('a bad weakWording or metadata setting is an invalid-config finding, not a crash', () => {
    write('.x1051.yaml', joinLines('metadata: sometimes', 'weakWording: { inClaimedSections: loud, add: { fr: ["peut-être"] } }', ''));
    write('policy.md', '# Policy\n\nStaff lock screens.\n');
    const r = check('.', '--format', 'json');
    const cfg = findings(r.stdout).filter((f) => f.code === 'invalid-config');
    assert.equal(cfg.length, 3, JSON.stringify(cfg));
  });
});
