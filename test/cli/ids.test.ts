/**
 * Ids as authors really write them (#8), through `x1051 check --format json` on the real
 * catalogue: invisible and look-alike characters still claim (and are reported), unknown ids with
 * holes are errors with control suggestions only, and numbered headings claim when their words
 * match the control's title.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'x1051.js');

interface Report {
  files: Array<{ claims: Array<{ control: string; range: { start: { line: number } } }>; diagnostics: Array<{ code: string; severity: string; message: string; data?: { candidates?: string[] }; range: { start: { line: number } } }> }>;
}

let tmp: string;

function check(text: string, config?: string): { code: number | null; report: Report } {
  fs.writeFileSync(path.join(tmp, 'policy.md'), text);
  if (config !== undefined) fs.writeFileSync(path.join(tmp, '.x1051.yaml'), config);
  const r = spawnSync(process.execPath, [BIN, 'check', 'policy.md', '--format', 'json'], { cwd: tmp, encoding: 'utf8' });
  return { code: r.status, report: JSON.parse(r.stdout) as Report };
}

const BODY = '\n\n当社は通信の内容を第三者に開示しない。\n';

describe('cli: ids as authors write them', function () {
  this.timeout(30000);
  beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-ids-'))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('an id with invisible or look-alike characters claims like the plain one, exits 1 like it, and is reported', () => {
    const plain = check('## 通信の秘密（TEL.18.1.6）' + BODY);
    assert.equal(plain.code, 1);
    const plainMissing = plain.report.files[0].diagnostics.filter((d) => d.code === 'missing-item').length;
    for (const heading of ['## 通信の秘密（TEL.18.1\u200b.6）', '## 通信の秘密（TEL\u00a018.1.6）', '## 通信の秘密 ＴＥＬ。１８。１。６', '## 通信の秘密（TEL.18\u2060.1.6）', '## 通信の秘密（TEL.18.1\u200f.6）', '## 通信の秘密（TEL.18.1\u00ad.6）']) {
      const r = check(heading + BODY);
      assert.equal(r.code, 1, heading);
      assert.deepEqual(r.report.files[0].claims.map((c) => c.control), ['TEL.18.1.6'], heading);
      const diags = r.report.files[0].diagnostics;
      assert.equal(diags.filter((d) => d.code === 'missing-item').length, plainMissing, heading);
      assert.equal(diags.filter((d) => d.code === 'suspicious-id').length, 1, heading);
    }
  });

  it('an id-shaped string that cannot be read is a suspicious-id warning, never silence', () => {
    const r = check('## 通信の秘密（TEL.18-1-6）' + BODY);
    assert.equal(r.code, 1);
    assert.deepEqual(r.report.files[0].claims, []);
    const s = r.report.files[0].diagnostics.filter((d) => d.code === 'suspicious-id');
    assert.equal(s.length, 1);
    assert.equal(s[0].severity, 'warning');
  });

  it('A.19.1.1, TEL.19.1.1 and [19.1.1] are unknown-control errors whose suggestions are controls, never definitions', () => {
    const r = check('## Logging A.19.1.1\n\nSee [19.1.1] and TEL.19.1.1, and our clause （5.2.1 参照）.\n\n## Terms (A.3.1.9)\n\nx\n');
    const unknown = r.report.files[0].diagnostics.filter((d) => d.code === 'unknown-control');
    assert.deepEqual(unknown.map((d) => d.range.start.line), [0, 2, 2, 4]);
    for (const d of unknown) for (const c of d.data?.candidates ?? []) assert.ok(/^(TEL\.)?\d+\.\d+\.\d+$/.test(c) && !c.startsWith('3.'), `${c} is a control id`);
    assert.equal(r.code, 1);
  });

  it('a numbered heading claims its control when its words match the title; a number alone or another title does not', () => {
    const r = check('# Policy\n\n## 12.4.1 Event logging\n\nLogs are kept for a year.\n\n## 12.4.1 Overview\n\nx\n\n## 12.4.1\n\ny\n\n### 12.4.1 イベントログの取得\n\nログを保存する。\n');
    assert.deepEqual(r.report.files[0].claims.map((c) => `${c.control}@${c.range.start.line}`), ['12.4.1@2', '12.4.1@14']);
    const off = check('# Policy\n\n## 12.4.1 Event logging\n\nLogs are kept.\n', 'numberedHeadings: off\n');
    assert.deepEqual(off.report.files[0].claims, []);
  });

  it('the unclaimed-topic hint advises a form that claims (in brackets for ISO controls)', () => {
    const r = check('# 規程\n\n## ログの管理\n\nログの保存期間を定め、期間経過後は遅滞なく消去する。\n');
    const hint = r.report.files[0].diagnostics.find((d) => d.code === 'unclaimed-topic');
    assert.ok(hint, 'a hint is given');
    assert.match(hint.message, /（12\.4\.1）/);
    const followed = check('# 規程\n\n## ログの管理（12.4.1）\n\nログの保存期間を定め、期間経過後は遅滞なく消去する。\n');
    assert.deepEqual(followed.report.files[0].claims.map((c) => c.control), ['12.4.1']);
  });
});
