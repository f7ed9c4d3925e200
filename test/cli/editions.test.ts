/**
 * The CLI in either numbering, run as a user runs it (`node bin/x1051.js`, the built bundles):
 * `show` with 2022/2024 ids and `--edition`, `coverage --edition 2022`, `check --format json`
 * claims with `via`, `catalog --format json` editions.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/catalog';

function x1051(args: string[], cwd = REPO_ROOT, env: Record<string, string> = {}) {
  const res = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'x1051.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', LANG: 'C', ...env },
    maxBuffer: 32 * 1024 * 1024,
  });
  assert.equal(res.error, undefined, res.error?.message);
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe('cli: editions (2013/2022)', function () {
  this.timeout(120000);
  let dir: string;
  before(function () {
    if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'cli.js'))) {
      const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-editions-'));
    fs.writeFileSync(
      path.join(dir, 'ops.md'),
      [
        '# Operations security policy (ISO/IEC 27001:2022)',
        '',
        '## A.8.15 Logging',
        '',
        'Event logs recording user activities, exceptions, faults and information security events are produced and kept.',
        '',
        '## A.5.7 Threat intelligence',
        '',
        'We collect and analyse threat information.',
        '',
      ].join('\n'),
    );
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('x1051 show', () => {
    it('"27002:2022 8.15" shows the title, theme, the 2013 controls it maps from and their guidance', () => {
      const r = x1051(['show', '27002:2022 8.15', '--lang', 'en']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^8\.15 Logging \(ISO\/IEC 27002:2022\)/);
      assert.match(r.stdout, /Technological controls/);
      assert.match(r.stdout, /Maps from X\.1051:2016 \/ ISO\/IEC 27002:2013: 12\.4\.1–12\.4\.3/);
      // The telecom guidance of 12.4.1 follows.
      assert.match(r.stdout, /12\.4\.1 Event logging[\s\S]*Telecommunications-specific implementation guidance/);
    });
    it('A.8.15 and 8.15 TEL are the same control; 5.42 TEL names its public source', () => {
      assert.equal(x1051(['show', 'A.8.15', '--lang', 'en']).stdout, x1051(['show', '27002:2022 8.15', '--lang', 'en']).stdout);
      assert.match(x1051(['show', '8.15 TEL', '--lang', 'en']).stdout, /^8\.15 Logging/);
      const tel = x1051(['show', '5.42 TEL', '--lang', 'en']);
      assert.equal(tel.code, 0);
      assert.match(tel.stdout, /5\.42 TEL Non-disclosure of communications \(ISO\/IEC 27011:2024\)/);
      assert.match(tel.stdout, /Source: https:\/\/iso27001security\.com\/html\/27011\.html/);
      assert.match(tel.stdout, /TEL\.18\.1\.6 Secrecy of communications/);
    });
    it('A.5.1 is ambiguous without --edition (exit 2 naming both); --edition decides', () => {
      const amb = x1051(['show', 'A.5.1']);
      assert.equal(amb.code, 2);
      assert.match(amb.stderr, /objective 5\.1 .* control 5\.1 Policies for information security .*--edition/);
      const y22 = x1051(['show', 'A.5.1', '--edition', '2022', '--lang', 'en']);
      assert.equal(y22.code, 0);
      assert.match(y22.stdout, /^5\.1 Policies for information security \(ISO\/IEC 27002:2022\)/);
      assert.match(y22.stdout, /5\.1\.1–|5\.1\.1, 5\.1\.2/);
      const bare = x1051(['show', '8.15', '--edition', '2022', '--lang', 'ja']);
      assert.match(bare.stdout, /^8\.15 ログ取得/);
    });
    it('ids in neither edition exit 2 with a message; a 2016 hover line gives the 2022 number or says the 2024 one is unknown', () => {
      assert.equal(x1051(['show', 'A.8.40']).code, 2);
      const tel = x1051(['show', '5.40 TEL']);
      assert.equal(tel.code, 2);
      assert.match(tel.stderr, /known only for 5\.42 TEL/);
      assert.match(x1051(['show', '12.4.1', '--lang', 'en']).stdout, /ISO\/IEC 27002:2022: 8\.15 Logging/);
      assert.match(x1051(['show', 'TEL.9.5.1', '--lang', 'en']).stdout, /ISO\/IEC 27011:2024: 2024 number not known/);
      assert.match(x1051(['show', 'TEL.18.1.6', '--lang', 'en']).stdout, /ISO\/IEC 27011:2024: 5\.42 TEL Non-disclosure of communications/);
      assert.match(x1051(['show', '5.7']).stderr, /As ISO\/IEC 27002:2022 it is 5\.7 Threat intelligence/);
    });
  });

  describe('x1051 coverage --edition 2022', () => {
    it('prints the 93 controls and the 13 TEL controls, with the X.1051 controls underneath', () => {
      const r = x1051(['coverage', dir, '--edition', '2022', '--format', 'json']);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.edition, '27002:2022');
      assert.equal(out.controls.filter((c: { edition: string }) => c.edition === '27002:2022').length, 93);
      const tel = out.controls.filter((c: { edition: string }) => c.edition === '27011:2024');
      assert.equal(tel.length, 13);
      assert.deepEqual(tel.filter((c: { numberKnown: boolean }) => c.numberKnown).map((c: { id: string }) => c.id), ['5.42 TEL']);
      const logging = out.controls.find((c: { id: string }) => c.id === '8.15');
      assert.deepEqual(logging.x1051.map((x: { id: string }) => x.id), ['12.4.1', '12.4.2', '12.4.3']);
      assert.notEqual(logging.status, 'not-claimed');
      assert.ok(logging.x1051[0].claims[0].path.endsWith('ops.md'));
      const threat = out.controls.find((c: { id: string }) => c.id === '5.7');
      assert.equal(threat.status, 'cited', 'a new control cited in a heading is cited, never addressed');
      assert.equal(threat.citedAt.length, 1);
    });
    it('markdown: one row per 2022 control, ↳ rows for the X.1051 controls, TEL rows saying when the 2024 number is unknown', () => {
      const r = x1051(['coverage', dir, '--edition', '2022', '--lang', 'en']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^# Statement of Applicability \(ISO\/IEC 27001:2022 Annex A/);
      assert.match(r.stdout, /\| 8\.15 \| Logging \| technological \|/);
      assert.match(r.stdout, /\| ↳ 12\.4\.1 \| Event logging \|/);
      assert.match(r.stdout, /\| TEL\.9\.5\.1 \(2024 number not known\) \|/);
      assert.match(r.stdout, /\| 5\.7 \| Threat intelligence \| organizational \| undecided \| cited \(not checked\) \| new in 2022/);
      assert.equal(x1051(['coverage', dir, '--edition', '2020']).code, 2);
    });
  });

  describe('x1051 migrate', () => {
    it('--to 2013 (md): every 2022 citation with its 2013 counterparts and what to decide; changes no file', () => {
      const before = fs.readFileSync(path.join(dir, 'ops.md'), 'utf8');
      const r = x1051(['migrate', dir, '--to', '2013', '--lang', 'en']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^# Migration to X\.1051:2016 \/ ISO\/IEC 27002:2013 numbering/);
      assert.match(r.stdout, /\| 3 \| A\.8\.15 \| 12\.4\.1 Event logging; 12\.4\.2 Protection of log information; 12\.4\.3 Administrator and operator logs \| A\.12\.4\.1, A\.12\.4\.2, A\.12\.4\.3 \| 8\.15 merges/);
      assert.match(r.stdout, /\| 7 \| A\.5\.7 \| — \| — \| 5\.7 is new in 2022/);
      assert.equal(fs.readFileSync(path.join(dir, 'ops.md'), 'utf8'), before);
    });
    it('--to 2022 --format json on the examples: TEL ids with and without a known 2024 number', () => {
      const r = x1051(['migrate', 'examples', '--format', 'json']);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.version, 1);
      assert.equal(out.to, '2022');
      const all = out.files.flatMap((f: { citations: unknown[] }) => f.citations) as Array<{ id: string; rewrite?: string; note?: { en: string }; line: number }>;
      assert.ok(all.length > 0);
      assert.ok(all.some((c) => c.id === 'TEL.18.1.6' && c.rewrite === '5.42 TEL'));
      assert.ok(all.some((c) => c.id === 'TEL.13.1.4' && c.rewrite === undefined && /not known/.test(c.note?.en ?? '')));
      assert.equal(out.summary.citations, all.length);
    });
    it('bad options exit 2', () => {
      assert.equal(x1051(['migrate', dir, '--to', '2019']).code, 2);
      assert.equal(x1051(['migrate', dir, '--format', 'csv']).code, 2);
    });
  });

  describe('JSON contracts', () => {
    it('check --format json: claims made through a 2022 id carry via, and each file its edition', () => {
      const r = x1051(['check', dir, '--format', 'json']);
      const out = JSON.parse(r.stdout);
      const f = out.files[0];
      assert.deepEqual(f.edition, { edition: '2022', how: 'inferred' });
      assert.deepEqual(f.claims.map((c: { control: string }) => c.control), ['12.4.1', '12.4.2', '12.4.3']);
      for (const c of f.claims) assert.deepEqual(c.via, { id: '8.15', edition: '27002:2022' });
    });
    it('catalog --format json: editions with 27002:2022 controls {id, title {ja, en}, theme, from} and 27011:2024 entries', () => {
      const out = JSON.parse(x1051(['catalog', '--format', 'json']).stdout);
      assert.equal(out.version, 1);
      const c2022 = out.editions['27002:2022'].controls;
      assert.equal(c2022.length, 93);
      const logging = c2022.find((c: { id: string }) => c.id === '8.15');
      assert.deepEqual({ id: logging.id, title: logging.title, theme: logging.theme, from: logging.from }, { id: '8.15', title: { ja: 'ログ取得', en: 'Logging' }, theme: 'technological', from: ['12.4.1', '12.4.2', '12.4.3'] });
      assert.equal(out.editions['27011:2024'].controls[0].id, '5.42 TEL');
      assert.ok(Array.isArray(out.controls) && out.controls.length === 127, 'the X.1051 catalogue is unchanged');
    });
  });
});
