/**
 * The bundled examples do what examples/README.md says they do. Runs the built CLI
 * (`node bin/x1051.js check examples --format json`, after `npm run build`) and checks the
 * documented facts: the two-elements-missing file, the not-applicable item, the front-matter
 * claims, the unknown control id and the statement of applicability.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

/** The parts of the CLI's JSON report these tests read. */
interface ReportItem {
  id: string;
  list: number;
  label: string;
  level: string;
  addressed: boolean;
  notApplicable?: unknown;
}
interface ReportClaim {
  control: string;
  line: number;
  how: 'heading' | 'front-matter';
  items: ReportItem[];
}
interface ReportDiagnostic {
  code: string;
  severity: string;
  message: string;
  control?: string;
  item?: string;
  [key: string]: unknown;
}
interface ReportFile {
  path: string;
  lang: string;
  claims: ReportClaim[];
  diagnostics: ReportDiagnostic[];
}
interface Report {
  files: ReportFile[];
  [key: string]: unknown;
}

/** Runs the CLI once for the whole suite; findings make it exit non-zero, so stdout is what counts. */
function checkExamples(): Report {
  assert.ok(existsSync(join(ROOT, 'dist', 'cli.js')), 'dist/cli.js is missing: run `npm run build` first');
  const res = spawnSync(process.execPath, ['bin/x1051.js', 'check', 'examples', '--format', 'json'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 32 * 1024 * 1024,
  });
  assert.equal(res.error, undefined, `could not run the CLI: ${res.error?.message}`);
  try {
    return JSON.parse(res.stdout) as Report;
  } catch {
    assert.fail(`the CLI printed no JSON report (exit ${res.status}):\n${res.stderr}\n${res.stdout.slice(0, 2000)}`);
  }
}

/** The report entry of an example file, found by its path relative to examples/. */
function file(report: Report, rel: string): ReportFile {
  const f = report.files.find((x) => x.path.replace(/\\/g, '/').endsWith(`examples/${rel}`));
  assert.ok(f, `${rel} is not in the report (files: ${report.files.map((x) => x.path).join(', ')})`);
  return f;
}

function claim(f: ReportFile, control: string, how: ReportClaim['how'] = 'heading'): ReportClaim {
  const c = f.claims.find((x) => x.control === control && x.how === how);
  assert.ok(c, `${f.path} has no ${how} claim of ${control} (claims: ${f.claims.map((x) => `${x.control}/${x.how}`).join(', ')})`);
  return c;
}

/** Every diagnostic anywhere in the report (per file, and any report-level list such as the config's). */
function allDiagnostics(report: Report): ReportDiagnostic[] {
  const out: ReportDiagnostic[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.code === 'string' && typeof o.message === 'string') out.push(o as ReportDiagnostic);
      else Object.values(o).forEach(walk);
    }
  };
  walk(report);
  return out;
}

describe('cli: bundled examples', function () {
  // One CLI run serves every test below.
  let report: Report;
  before(function () {
    this.timeout(60000);
    report = checkExamples();
  });

  describe('ja/secrecy-of-communications.md (two elements missing)', () => {
    it('claims TEL.18.1.6 in 第3条 and leaves exactly the destination and the date/time unaddressed at the required level', () => {
      const f = file(report, 'ja/secrecy-of-communications.md');
      assert.equal(f.lang, 'ja');
      const c = claim(f, 'TEL.18.1.6');
      const missingRequired = c.items
        .filter((i) => i.level === 'required' && !i.addressed && !i.notApplicable)
        .map((i) => i.id)
        .sort();
      assert.deepEqual(missingRequired, ['TEL.18.1.6(d)', 'TEL.18.1.6(e)']);
      for (const id of ['TEL.18.1.6(a)', 'TEL.18.1.6(b)', 'TEL.18.1.6(c)']) {
        assert.equal(c.items.find((i) => i.id === id)?.addressed, true, `${id} should be addressed`);
      }
    });

    it('gives exactly two required-level missing-item findings for TEL.18.1.6: (d) and (e)', () => {
      const f = file(report, 'ja/secrecy-of-communications.md');
      const required = new Set(claim(f, 'TEL.18.1.6').items.filter((i) => i.level === 'required').map((i) => i.id));
      const findings = f.diagnostics.filter((d) => d.code === 'missing-item' && d.item !== undefined && required.has(d.item));
      assert.deepEqual(findings.map((d) => d.item).sort(), ['TEL.18.1.6(d)', 'TEL.18.1.6(e)']);
      for (const d of findings) assert.equal(d.control, 'TEL.18.1.6');
    });

    it('shows TEL.18.1.6(i), the directory enquiry guideline, as not applicable with its reason, and reports nothing for it', () => {
      const f = file(report, 'ja/secrecy-of-communications.md');
      const i = claim(f, 'TEL.18.1.6').items.find((x) => x.id === 'TEL.18.1.6[2](i)');
      assert.ok(i, 'TEL.18.1.6[2](i) is not among the claim items');
      assert.ok(i.notApplicable, 'TEL.18.1.6[2](i) is not marked not applicable');
      assert.match(JSON.stringify(i.notApplicable), /電話番号案内サービスを提供しない/);
      assert.equal(f.diagnostics.filter((d) => d.item === 'TEL.18.1.6[2](i)' && d.code === 'missing-item').length, 0);
      assert.equal(f.diagnostics.filter((d) => d.code === 'invalid-directive').length, 0);
    });
  });

  it('ja/network-security.md claims TEL.13.1.5 and 12.4.1 in its front matter and TEL.13.1.4 in a heading', () => {
    const f = file(report, 'ja/network-security.md');
    claim(f, 'TEL.13.1.5', 'front-matter');
    claim(f, '12.4.1', 'front-matter');
    claim(f, 'TEL.13.1.4', 'heading');
    assert.equal(f.diagnostics.filter((d) => d.code === 'invalid-front-matter').length, 0);
  });

  it('en/secrecy-of-communications.md addresses every required item of TEL.18.1.6', () => {
    const f = file(report, 'en/secrecy-of-communications.md');
    assert.equal(f.lang, 'en');
    const missing = claim(f, 'TEL.18.1.6').items.filter((i) => i.level === 'required' && !i.addressed).map((i) => i.id);
    assert.deepEqual(missing, []);
  });

  it('en/emergency-communications.md cites the unknown TEL.18.1.9 and gets an unknown-control finding', () => {
    const f = file(report, 'en/emergency-communications.md');
    const unknown = f.diagnostics.filter((d) => d.code === 'unknown-control');
    assert.equal(unknown.length, 1, JSON.stringify(unknown));
    assert.match(unknown[0].message, /TEL\.18\.1\.9/);
    // No other example cites an unknown id.
    const elsewhere = report.files.filter((x) => x !== f).flatMap((x) => x.diagnostics.filter((d) => d.code === 'unknown-control'));
    assert.deepEqual(elsewhere, []);
  });

  it('follows the statement of applicability: TEL.18.1.8 is uncovered, the excluded TEL.11.3.2 is not', () => {
    const uncovered = allDiagnostics(report).filter((d) => d.code === 'uncovered-control');
    const controls = uncovered.map((d) => d.control ?? (/TEL\.[0-9.]+[0-9]/.exec(d.message) ?? [''])[0]);
    assert.ok(controls.includes('TEL.18.1.8'), `no uncovered-control finding for TEL.18.1.8: ${JSON.stringify(uncovered)}`);
    assert.ok(!controls.includes('TEL.11.3.2'), 'the excluded TEL.11.3.2 is reported as uncovered');
    // Every other applicable control is claimed somewhere in the examples.
    assert.deepEqual(controls.filter((c) => c !== 'TEL.18.1.8'), []);
  });

  it('checking one file alone reports the same coverage findings: only the real gap TEL.18.1.8, none invented', () => {
    const res = spawnSync(process.execPath, ['bin/x1051.js', 'check', 'examples/en/facility-security.md', '--format', 'json'], { cwd: ROOT, encoding: 'utf8' });
    const one = JSON.parse(res.stdout) as Report & { configs: Array<{ diagnostics: ReportDiagnostic[] }> };
    assert.deepEqual(one.files.map((f) => f.path), ['examples/en/facility-security.md']);
    const uncovered = one.configs.flatMap((c) => c.diagnostics).filter((d) => d.code === 'uncovered-control');
    assert.deepEqual(uncovered.map((d) => d.control), ['TEL.18.1.8']);
    assert.deepEqual(one.files[0].diagnostics.filter((d) => d.severity === 'warning' || d.severity === 'error'), []);
  });

  it('has a valid .x1051.yaml', () => {
    assert.deepEqual(allDiagnostics(report).filter((d) => d.code === 'invalid-config'), []);
  });
  for (const rel of ['en/operations-security-2022.md', 'ja/operations-security-2022.md']) {
    it(`${rel}: written in 2022 numbering, its 2022 headings claim the X.1051:2016 controls they map from, every item addressed`, () => {
      type ViaClaim = ReportClaim & { via?: { id: string; edition: string } };
      const f = file(report, rel) as unknown as Omit<ReportFile, 'claims'> & { edition?: unknown; claims: ViaClaim[] };
      assert.deepEqual(f.edition, { edition: '2022', how: 'front-matter' });
      assert.deepEqual(f.claims.map((c) => `${c.control}<-${c.via?.id}`), ['12.4.1<-8.15', '12.4.2<-8.15', '12.4.3<-8.15', '13.1.3<-8.22', '17.2.1<-8.14']);
      for (const c of f.claims) {
        assert.equal(c.via?.edition, '27002:2022');
        for (const it of c.items) assert.equal(it.addressed, true, `${it.id} should be addressed`);
      }
      assert.ok(f.claims.find((c) => c.control === '12.4.1')!.items.length >= 3, 'the telecom items of 12.4.1 are checked');
      assert.deepEqual(f.diagnostics, [], 'no finding: 5.7 (new in 2022) is a known citation');
    });
  }
});
