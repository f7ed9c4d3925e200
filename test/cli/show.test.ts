/**
 * The `x1051` command line: `show`, `catalog`, help, version and usage errors, run as a user runs
 * them (`node bin/x1051.js …`, which loads `dist/cli.js` and `dist/catalog.json`).
 *
 * `npm test` builds first. When run alone, the `before` hook runs the build (`esbuild.mjs`) if
 * `dist/cli.js` or `dist/catalog.json` is missing or older than its sources.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { markdownToTerminal } from '../../server/src/cli/show';
import { REPO_ROOT } from '../helpers/catalog';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const CATALOG = path.join(REPO_ROOT, 'dist', 'catalog.json');

/** Newest modification time of the files under `dirs` (recursively). */
function newest(...dirs: string[]): number {
  let max = 0;
  const walk = (p: string) => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) for (const n of fs.readdirSync(p)) walk(path.join(p, n));
    else max = Math.max(max, st.mtimeMs);
  };
  for (const d of dirs) walk(path.join(REPO_ROOT, d));
  return max;
}

const mtime = (p: string) => (fs.existsSync(p) ? fs.statSync(p).mtimeMs : 0);

/**
 * Rebuilds when the CLI bundle or the catalogue is missing or stale: through the project's own
 * build script, so the test runs exactly what users run rather than a copy of its options.
 */
async function ensureBuilt(): Promise<void> {
  const stale =
    mtime(CATALOG) < newest('catalog/data', 'catalog/src', 'catalog/schema') ||
    mtime(CLI) < newest('server/src', 'catalog/src', 'package.json');
  if (!stale) return;
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}${r.stderr}`);
}

/** Runs `node bin/x1051.js …args` with a neutral locale unless `env` says otherwise. */
function x1051(args: string[], env: Record<string, string> = {}) {
  const res = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'x1051.js'), ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', LANG: 'C', ...env },
    maxBuffer: 32 * 1024 * 1024,
  });
  assert.equal(res.error, undefined, res.error?.message);
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe('cli: x1051 show / catalog', function () {
  this.timeout(120000);
  before(async function () {
    // A full build takes seconds, more on a loaded machine.
    this.timeout(180_000);
    await ensureBuilt();
  });

  it('shows a TEL control with its lists and item ids (ja)', () => {
    const r = x1051(['show', 'TEL.18.1.6', '--lang', 'ja']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^TEL\.18\.1\.6 通信の秘密保持$/m);
    assert.match(r.stdout, /^管理策$/m);
    assert.match(r.stdout, /a\) 通信の存在 \[TEL\.18\.1\.6\(a\)\]/);
    assert.match(r.stdout, /\[TEL\.18\.1\.6\[2\]\(j\)\]/);
    // Plain text when stdout is not a terminal: no Markdown or escape sequences left.
    assert.doesNotMatch(r.stdout, /\*\*|\x1b\[|^#/m);
  });

  it('shows English with --lang en, and follows LANG without it', () => {
    const en = x1051(['show', 'TEL.18.1.6', '--lang', 'en']);
    assert.equal(en.code, 0, en.stderr);
    assert.match(en.stdout, /Secrecy|secrecy/);
    assert.match(en.stdout, /own translation/);
    const ja = x1051(['show', 'TEL.18.1.6'], { LANG: 'ja_JP.UTF-8' });
    assert.match(ja.stdout, /通信の秘密保持/);
  });

  it('accepts any id spelling: full width, spaces, item references', () => {
    const full = x1051(['show', 'ＴＥＬ．１８．１．６', '--lang', 'ja']);
    assert.equal(full.code, 0, full.stderr);
    assert.match(full.stdout, /^TEL\.18\.1\.6 /m);
    const item = x1051(['show', 'TEL.18.1.6', 'e)', '--lang', 'ja']);
    assert.equal(item.code, 0, item.stderr);
    assert.match(item.stdout, /^TEL\.18\.1\.6 e\) /m);
    assert.match(item.stdout, /通信の日時情報/);
    const sub = x1051(['show', 'TEL.13.1.4(e)(4)', '--lang', 'ja']);
    assert.equal(sub.code, 0, sub.stderr);
    // Sub-item e) 4) is in whichever list of TEL.13.1.4 has e) first (the data decides).
    assert.match(sub.stdout, /^TEL\.13\.1\.4 考慮事項 e\) 4\) /m);
    const list2 = x1051(['show', 'TEL.18.1.6(i)', '--lang', 'en']);
    assert.match(list2.stdout, /^TEL\.18\.1\.6 guideline i\) /m);
  });

  it('accepts every form any output prints: stable ids, the diagnostics\' old form and the human labels', () => {
    for (const q of ['TEL.18.1.6[2](g)', 'TEL.18.1.6[2] g)', 'TEL.18.1.6 guideline g)', 'TEL.18.1.6 指針 g)', 'TEL.18.1.6 Guideline G)', 'ＴＥＬ．１８．１．６ 指針 ｇ）']) {
      const r = x1051(['show', q, '--lang', 'en']);
      assert.equal(r.code, 0, `${q}: ${r.stderr}`);
      assert.match(r.stdout, /^TEL\.18\.1\.6 guideline g\) user choice over caller ID presentation$/m, q);
    }
    // What check --format json prints as an item's name, for every item of a multi-list control, reads back.
    const check = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'x1051.js'), 'check', 'examples/ja/secrecy-of-communications.md', '--format', 'json', '--lang', 'en'], { cwd: REPO_ROOT, encoding: 'utf8' });
    const names: string[] = JSON.parse(check.stdout).files[0].claims.flatMap((c: { items: { name: string }[] }) => c.items.map((i) => i.name));
    assert.ok(names.includes('TEL.18.1.6 guideline i)'), names.join(', '));
    for (const name of names) assert.equal(x1051(['show', name]).code, 0, name);
    // A list name the control does not have is not guessed.
    assert.equal(x1051(['show', 'TEL.18.1.6 bogus g)']).code, 2);
  });

  it('shows an ISO control applied as-is as id, title and reference', () => {
    const r = x1051(['show', '5.1.1', '--lang', 'en']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^5\.1\.1 Policies for information security$/m);
    assert.match(r.stdout, /applies ISO\/IEC 27002:2013 5\.1\.1 as-is/);
  });

  it('shows terms, titles and abbreviations', () => {
    const title = x1051(['show', '通信の秘密保持', '--lang', 'ja']);
    assert.equal(title.code, 0, title.stderr);
    assert.match(title.stdout, /通信の秘密保持/);
    const dos = x1051(['show', 'DoS', '--lang', 'en']);
    assert.equal(dos.code, 0, dos.stderr);
    assert.match(dos.stdout, /^DoS — Denial of Service$/m);
    const def = x1051(['show', '3.1.3', '--lang', 'ja']);
    assert.equal(def.code, 0, def.stderr);
    assert.match(def.stdout, /重要通信/);
  });

  it('exits 2 with suggestions for an unknown id', () => {
    const r = x1051(['show', 'TEL.12.4.1', '--lang', 'en']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /Did you mean 12\.4\.1/);
    const typo = x1051(['show', 'TEL.18.1.9']);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /TEL\.18\.1\.[678]/);
  });

  it('exits 2 on usage errors', () => {
    assert.equal(x1051(['show']).code, 2);
    assert.equal(x1051(['show', 'TEL.18.1.6', '--lang', 'fr']).code, 2);
    assert.equal(x1051(['show', 'TEL.18.1.6', '--colour', 'red']).code, 2);
    assert.equal(x1051(['catalog', '--format', 'xml']).code, 2);
  });

  it('prints the compiled catalogue as JSON', () => {
    const r = x1051(['catalog', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const c = JSON.parse(r.stdout);
    const tel = c.controls.find((x: { id: string }) => x.id === 'TEL.18.1.6');
    assert.equal(tel.kind, 'tel');
    assert.equal(tel.title.ja, '通信の秘密保持');
    const item = tel.items.find((i: { id: string }) => i.id === 'TEL.18.1.6[2](c)');
    assert.deepEqual(Object.keys(item).filter((k) => ['id', 'list', 'label', 'level', 'text', 'terms'].includes(k)).sort(), ['id', 'label', 'level', 'list', 'terms', 'text']);
    assert.equal(item.list, 2);
    assert.equal(item.level, 'recommended');
    assert.ok(item.terms.ja.length > 0 && item.terms.en.length > 0);
    assert.ok(c.definitions.length >= 16);
    assert.ok(c.abbreviations.length > 0);
    assert.equal(c.controls.length, 127);
  });

  it('prints the catalogue as a table', () => {
    const r = x1051(['catalog', '--lang', 'en']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^TEL\.18\.1\.6\s+TEL\s+Secrecy/im);
    assert.match(r.stdout, /^5\.1\.1\s+ISO as-is\s+Policies for information security$/m);
    assert.equal(r.stdout.trim().split('\n').length, 127);
  });

  it('prints help and version, and exits 2 for an unknown command', () => {
    const help = x1051(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: x1051 <command>/);
    assert.match(help.stdout, /^\s+show\s/m);
    assert.match(help.stdout, /^\s+catalog\s/m);
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    assert.equal(x1051(['--version']).stdout.trim(), pkg.version);
    assert.match(x1051(['show', '--help']).stdout, /^Usage: x1051 show/);
    const unknown = x1051(['frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command 'frobnicate'/);
    assert.match(unknown.stderr, /Usage: x1051/);
    assert.equal(x1051([]).code, 2);
  });
});

describe('cli: markdownToTerminal', () => {
  const md = '## TEL.18.1.6 通信の秘密保持\n\n_附属書A TEL.18.1_\n\n- **a)** 通信の存在 `TEL.18.1.6(a)`\n  - **1)** a\\*b\n';

  it('prints plain text for pipes', () => {
    assert.equal(
      markdownToTerminal(md, false),
      'TEL.18.1.6 通信の秘密保持\n' + '='.repeat(11 + 7 * 2) + '\n\n附属書A TEL.18.1\n\n  a) 通信の存在 [TEL.18.1.6(a)]\n    1) a*b\n',
    );
  });

  it('uses bold headings and dim captions on a terminal', () => {
    const out = markdownToTerminal(md, true);
    assert.match(out, /^\x1b\[1mTEL\.18\.1\.6 通信の秘密保持\x1b\[0m$/m);
    assert.match(out, /^\x1b\[2m附属書A TEL\.18\.1\x1b\[0m$/m);
    assert.match(out, /\x1b\[1ma\)\x1b\[0m 通信の存在/);
  });
});
