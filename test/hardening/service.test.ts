/**
 * The pure service on any input: random and mutated Markdown (fast-check) and a corpus of
 * adversarial documents. Properties: nothing throws, every range lies inside the document (line <
 * lineCount, character ≤ the line's UTF-16 length), the output is deterministic, and each document
 * finishes — the per-test mocha timeout is the hang detector (no timed assertions: input sizes are
 * bounded so that quadratic work would exceed it, and each regex was reviewed by hand, see
 * docs/reliability.md).
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { findIdCandidates, normalizeId } from '../../catalog/src/normalize';
import { createPolicyService, defaultConfig, compileGlob, isIncluded, LineIndex, type Finding, type Range, type ResolvedConfig } from '../../server/src/service';
import { parseConfig } from '../../server/src/service/config';
import { fixtureIndex } from '../helpers/fixtureCatalog';
import { InMemoryDocument, InMemoryWorkspace } from '../helpers/inMemory';

const catalog = fixtureIndex();

/** Every range found anywhere in a value (findings, claims, hovers, edits…). */
function rangesIn(value: unknown, out: Array<Range & { path: string }> = [], seen = new Set<unknown>(), at = ''): Array<Range & { path: string }> {
  if (!value || typeof value !== 'object' || seen.has(value)) return out;
  seen.add(value);
  const v = value as Record<string, unknown>;
  const isPos = (p: unknown) => !!p && typeof (p as { line?: unknown }).line === 'number' && typeof (p as { character?: unknown }).character === 'number';
  if (isPos(v.start) && isPos(v.end)) out.push({ ...(v as unknown as Range), path: at });
  for (const k of Object.keys(v)) if (k !== 'item') rangesIn(v[k], out, seen, `${at}.${k}`);
  return out;
}

/** Asserts that every range of `value` lies inside `text`. */
function assertInside(text: string, value: unknown, what: string): void {
  const lines = new LineIndex(text);
  for (const r of rangesIn(value)) {
    for (const p of [r.start, r.end]) {
      assert.ok(Number.isInteger(p.line) && p.line >= 0 && p.line < lines.lineCount, `${what}: line ${p.line} outside 0..${lines.lineCount - 1} at ${r.path}`);
      const len = lines.lineEnd(p.line) - lines.lineStart(p.line);
      assert.ok(Number.isInteger(p.character) && p.character >= 0 && p.character <= len, `${what}: character ${p.character} outside line ${p.line} of length ${len} at ${r.path}`);
    }
    assert.ok(r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character), `${what}: range ends before it starts at ${r.path}`);
  }
}

/** Runs every feature of the service on `text` at a few positions and returns everything it said. */
function exercise(text: string, positions: Array<{ line: number; character: number }>, config: ResolvedConfig = defaultConfig()): unknown {
  const doc = new InMemoryDocument('file:///w/policy.md', text);
  const other = new InMemoryDocument('file:///w/other.md', '# TEL.18.1.6\n通信の内容\n');
  const svc = createPolicyService({ catalog, workspace: new InMemoryWorkspace([doc, other]) });
  const out: Record<string, unknown> = {};
  out.analysis = svc.analyze(doc, config);
  out.findings = svc.diagnostics(doc, config);
  out.symbols = svc.documentSymbols(doc, config);
  out.lenses = svc.codeLenses(doc, config);
  out.coverage = svc.coverage(config);
  const lines = new LineIndex(text);
  out.features = positions.map((p) => {
    const range = { start: p, end: { line: Math.min(p.line + 3, lines.lineCount + 2), character: p.character } };
    return {
      hover: svc.hover(doc, p, config),
      completion: svc.completion(doc, p, config),
      actions: svc.codeActions(doc, range, {}, config),
      definition: svc.definition(doc, p, config),
      references: svc.references(doc, p, config),
    };
  });
  out.fixAll = svc.codeActions(doc, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { only: ['source.fixAll.x1051'] }, config);
  return out;
}

/** Positions the features are asked at: in range, at line ends, and out of range (negative too). */
function positionsFor(text: string): Array<{ line: number; character: number }> {
  const lines = new LineIndex(text);
  const last = lines.lineCount - 1;
  return [
    { line: 0, character: 0 },
    { line: Math.floor(last / 2), character: 5 },
    { line: last, character: lines.lineEnd(last) - lines.lineStart(last) },
    { line: last + 10, character: 3 },
    { line: -1, character: -5 },
    { line: 0, character: 1_000_000 },
  ];
}

/** Checks the three properties on one text. */
function checkText(text: string, what: string, extra: Array<{ line: number; character: number }> = []): void {
  const positions = [...positionsFor(text), ...extra];
  const a = exercise(text, positions);
  // Only ranges of the policy document itself are checked against its text.
  const own = a as { analysis: unknown; findings: unknown; symbols: unknown; lenses: unknown; features: Array<Record<string, unknown>>; fixAll: unknown };
  assertInside(text, [own.analysis, own.findings, own.symbols, own.lenses, own.fixAll, own.features.map((f) => [f.hover, f.completion, f.actions])], what);
  assert.deepEqual(exercise(text, positions), a, `${what}: the same input twice gives the same output`);
}

// ----- Generators ------------------------------------------------------------------------------

const FRAGMENTS = [
  '# ', '## ', '###### ', '- ', '  - ', '1. ', '> ', '>>> ', '```', '~~~', '    code', '| a | b |', '|---|---|', '---', '***',
  '<!--', '-->', '<!-- x1051-disable -->', '<!-- x1051-not-applicable TEL.18.1.6(i): 理由 -->', '<!-- x1051-not-applicable', '<!-- x1051-enable missing-item -->',
  'TEL.18.1.6', 'TEL.18.1.6(e)', 'TEL.18.1.6 e)', 'TEL.18.1.6[2](i)', 'ＴＥＬ．１８．１．６', 'ＴＥＬ．１８．', 'TEL.18.1.6((((', 'A.A.A.12', 'A.12.4.1', '[12.4.1]', '（12.4.1）', 'TEL.18.1.99', 'ISO/IEC 27002 12.4.1', 'JT-X1051 18.1.6',
  '通信の秘密', '通信の内容', '発信者', '日時', '対象外', 'が、', 'the content of communications', 'sender', 'out of scope', 'but',
  '😀', '\uD800', '\uDC00', '\u0000', '\uFEFF', '\r\n', '\r', '\n', '\n\n', '\t', '\u3000', '。', '.', '(', ')', '[', ']', '*', '_', '`', '\\', '&amp;', '<script>', '1234567890123456789',
  '---\ncontrols: [TEL.18.1.6]\n---\n', '---\ncontrols: 12\n---\n', '---\n[\n---\n',
];

const markdown = fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 4 })), { maxLength: 60 }).map((parts) => parts.join(''));

/** A real-looking document with a random edit applied (insert, delete or replace a slice). */
const BASE = '---\ncontrols: [TEL.18.1.7]\n---\n# 方針\n\n## 通信の秘密（TEL.18.1.6）\n\n当社は通信の内容および発信者を保護する。\n\n- 日時\n- 宛先 TEL.18.1.6(e)\n\n<!-- x1051-not-applicable TEL.18.1.6(i): 理由 -->\n\n| 項目 | 対応 |\n|---|---|\n| TEL.18.1.6 a) | 通信の存在 |\n\n```\nTEL.18.1.6\n```\n';
const mutated = fc.tuple(fc.nat(BASE.length), fc.nat(40), fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: 'binary', maxLength: 10 }))).map(([at, del, ins]) => BASE.slice(0, at) + ins + BASE.slice(at + del));

describe('hardening: the service on any input', function () {
  this.timeout(120000);

  it('random Markdown: never throws, ranges inside, deterministic', () => {
    const position = fc.record({ line: fc.integer({ min: -3, max: 40 }), character: fc.integer({ min: -3, max: 300 }) });
    fc.assert(fc.property(markdown, fc.array(position, { maxLength: 4 }), (text, at) => checkText(text, JSON.stringify(text).slice(0, 200), at)), { numRuns: 60, seed: 1051 });
  });

  it('mutated policies: never throws, ranges inside, deterministic', () => {
    fc.assert(fc.property(mutated, (text) => checkText(text, JSON.stringify(text).slice(0, 200))), { numRuns: 40, seed: 27011 });
  });

  it('positions outside the text get empty answers; malformed positions are refused', () => {
    const doc = new InMemoryDocument('file:///w/p.md', '# TEL.18.1.6\n');
    const svc = createPolicyService({ catalog, workspace: new InMemoryWorkspace([doc]) });
    const config = defaultConfig();
    for (const p of [{ line: -1, character: 0 }, { line: 0, character: -1 }, { line: 0, character: 13 }, { line: 2, character: 0 }]) {
      assert.equal(svc.hover(doc, p, config), undefined, JSON.stringify(p));
      assert.deepEqual(svc.completion(doc, p, config).items, [], JSON.stringify(p));
      assert.deepEqual(svc.definition(doc, p, config), []);
      assert.deepEqual(svc.references(doc, p, config), []);
    }
    assert.ok(svc.hover(doc, { line: 0, character: 4 }, config), 'inside: answered');
    // The server's handler wrapper logs these and answers empty (test/lsp/server.test.ts).
    for (const p of [null, { line: '0', character: 0 }, { line: 0.5, character: 0 }, { line: NaN, character: 0 }]) {
      assert.throws(() => svc.hover(doc, p as never, config), /invalid position/);
    }
  });

  it('line endings (CRLF, lone CR, mixed) and a BOM: ranges stay inside', () => {
    const lf = BASE;
    for (const text of [lf.replace(/\n/g, '\r\n'), lf.replace(/\n/g, '\r'), lf.replace(/\n/g, (_m, i: number) => (i % 2 ? '\r' : '\r\n')), '\uFEFF' + lf, '\uFEFF' + lf.replace(/\n/g, '\r\n')]) {
      checkText(text, JSON.stringify(text.slice(0, 40)));
      // The claim is found whatever the line endings.
      const doc = new InMemoryDocument('file:///w/a.md', text);
      const svc = createPolicyService({ catalog, workspace: new InMemoryWorkspace([doc]) });
      assert.ok(svc.analyze(doc, defaultConfig()).claims.some((c) => c.control === 'TEL.18.1.6'), JSON.stringify(text.slice(0, 40)));
    }
  });

  describe('adversarial documents (bounded sizes; the mocha timeout detects a hang)', () => {
    const repeat = (s: string, n: number) => s.repeat(n);
    const cases: Array<[string, string]> = [
      ['10,000 headings', Array.from({ length: 10000 }, (_, i) => `${'#'.repeat((i % 6) + 1)} TEL.18.1.6 見出し${i}\n`).join('')],
      ['lists nested 500 deep', Array.from({ length: 500 }, (_, i) => `${' '.repeat(Math.min(i, 60) * 2)}- TEL.18.1.6 通信の内容`).join('\n')],
      ['block quotes nested 500 deep', '>'.repeat(500) + ' ## TEL.18.1.6\n' + '>'.repeat(500) + ' 通信の内容'],
      ['a table of 5,000 rows', '| 管理策 | 対応 |\n|---|---|\n' + repeat('| TEL.18.1.6 e) | 通信の日時 |\n', 5000)],
      ['an unclosed fence', '# TEL.18.1.6\n```\n' + repeat('TEL.18.1.6 通信の内容\n', 5000)],
      ['unclosed comments', '# TEL.18.1.6\n' + repeat('<!--', 50000)],
      ['an unclosed directive', '# TEL.18.1.6\n<!-- x1051-not-applicable ' + repeat('TEL.18.1.6 ', 5000)],
      ['full-width fragments', repeat('ＴＥＬ．１８．', 20000)],
      ['open parentheses after an id', repeat('TEL.18.1.6((((', 20000)],
      ['A.A.A.12', repeat('A.A.A.12', 20000)],
      ['a long digit run', '# ' + '9'.repeat(100000) + '\n' + repeat('1.', 50000)],
      ['TEL and many spaces', 'TEL' + ' '.repeat(100000) + '18.1.6'],
      ['NUL bytes', repeat('\u0000# TEL.18.1.6\u0000 通信の内容\u0000\n', 2000)],
      ['lone surrogates', repeat('\uD800# TEL.18.1.6 \uDC00通信の内容\uDBFF\n', 2000)],
      ['emoji everywhere', '# TEL.18.1.6 😀\n' + repeat('😀通信の😀内容😀', 10000)],
      ['emphasis runs', repeat('*', 20000) + 'TEL.18.1.6' + repeat('_', 20000)],
      ['negations', '# TEL.18.1.6\n' + repeat('対象外', 30000)],
      ['many directives', repeat('<!-- x1051-disable missing-item,unknown-control -->\n<!-- x1051-enable -->\n', 3000)],
      ['front matter nested 2,000 deep', '---\nx: ' + '['.repeat(2000) + ']'.repeat(2000) + '\ncontrols: [TEL.18.1.6]\n---\n# a\n'],
      ['a front-matter alias bomb', '---\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ncontrols: *f\n---\n# TEL.18.1.6\n'],
    ];
    for (const [name, text] of cases) {
      it(`${name}: never throws, ranges inside, deterministic`, () => {
        checkText(text, name);
      });
    }
  });

  describe('regex-bearing functions on adversarial strings of growing size', () => {
    // Each is run up to 200,000 characters: linear work finishes in well under a second, quadratic
    // work (4·10^10 steps) would run into the mocha timeout. The results are checked too.
    const sizes = [1000, 10000, 200000];
    const shapes: Array<[string, (n: number) => string]> = [
      ['digits and dots', (n) => '1.'.repeat(n / 2)],
      ['digits', (n) => '9'.repeat(n)],
      ['TEL with open parentheses', (n) => 'TEL.18.1.6('.repeat(n / 11)],
      ['TEL. TEL. TEL.', (n) => 'TEL. '.repeat(n / 5)],
      ['A.A.A.', (n) => 'A.'.repeat(n / 2) + '12.4.1'],
      ['brackets', (n) => '('.repeat(n / 2) + '12.4.1' + ')'.repeat(n / 2)],
      ['standard names', (n) => 'ISO/IEC 27002 の箇条 '.repeat(n / 18) + '12.4.1'],
      ['full width', (n) => 'ＴＥＬ．１８．１．６（ｅ）'.repeat(n / 13)],
      ['label runs', (n) => 'TEL.18.1.6' + ' a)'.repeat(n / 3)],
    ];
    for (const [name, make] of shapes) {
      it(`findIdCandidates: ${name}`, () => {
        for (const n of sizes) {
          const text = make(n);
          const found = findIdCandidates(text);
          // Candidates never overlap and lie inside the text: the scan moves forward only.
          let last = -1;
          for (const c of found) {
            assert.ok(c.start >= 0 && c.end <= text.length && c.start < c.end && c.contextStart >= last, name);
            last = c.end;
          }
          assert.ok(found.length <= text.length / 5 + 1);
        }
      });
    }
    it('completion at the end of a 200,000-character front-matter line (was quadratic)', function () {
      // The per-test timeout is the hang detector; the old /[A-Za-z0-9.]*$/ took ~30 s here.
      this.timeout(20000);
      const line = 'controls: [' + 'a'.repeat(200000) + ' ';
      const text = `---\n${line}\n---\n# x\n`;
      const doc = new InMemoryDocument('file:///w/c.md', text);
      const svc = createPolicyService({ catalog, workspace: new InMemoryWorkspace([doc]) });
      const r = svc.completion(doc, { line: 1, character: line.length }, defaultConfig());
      assertInside(text, r, 'completion');
    });
    it('normalizeId on adversarial strings', () => {
      for (const n of sizes) {
        assert.deepEqual(normalizeId('TEL.18.1.6' + ' '.repeat(n)), { control: 'TEL.18.1.6' });
        assert.equal(normalizeId('9'.repeat(n)), undefined);
        assert.equal(normalizeId('A.'.repeat(n)), undefined);
      }
    });
    it('globs: many stars and globstars against long paths (no backtracking)', () => {
      for (const n of [10, 100, 1000]) {
        const glob = '**/'.repeat(n) + '*a*'.repeat(n) + '.md';
        const re = compileGlob(glob);
        const path = 'x/'.repeat(n) + 'a'.repeat(n * 3) + '.mdx';
        // As a regular expression this backtracked exponentially; the state-set matcher takes
        // O(path × glob) steps.
        assert.equal(re.test(path), false);
        assert.equal(isIncluded('a/b/c.md', { include: [glob], exclude: [] }), false);
      }
    });
    it('globs: regex syntax is literal, unbalanced braces are literal, brace bombs are capped', () => {
      assert.equal(compileGlob('(a+)+$.md').test('(a+)+$.md'), true);
      assert.equal(compileGlob('(a+)+$.md').test('aaaa.md'), false);
      assert.equal(compileGlob('[unclosed').test('[unclosed'), true);
      assert.equal(compileGlob('{a').test('{a'), true);
      assert.equal(compileGlob('docs/{a,{b,c}}.md').test('docs/c.md'), true);
      // 2^30 alternatives are not expanded: the braces are read literally instead.
      assert.equal(compileGlob('{a,b}'.repeat(30)).test('ab'.repeat(15)), false);
      assert.equal(compileGlob('{a,b}'.repeat(30)).test('{a,b}'.repeat(30)), true);
    });
    it('config parsing: deep nesting, long scalars, alias bombs', () => {
      for (const text of [
        'include: ' + '['.repeat(2000) + ']'.repeat(2000),
        'language: ' + 'a'.repeat(200000),
        'a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\ninclude: *e\n',
        '\u0000\uFFFE\uD800binary',
        ': : : [ { ',
      ]) {
        const { config, findings } = parseConfig(text, 'file:///w/.x1051.yaml', catalog);
        assert.deepEqual(config.include, ['**/*.md'], 'a refused config keeps the default include');
        assert.ok(findings.length > 0, `a finding for ${JSON.stringify(text.slice(0, 30))}`);
        assertInside(text, findings, 'config findings');
      }
    });
  });

  describe('x1051.maxDocumentSize', () => {
    it('a document above the limit is not parsed and gets one information finding', () => {
      const config = { ...defaultConfig(), maxDocumentSize: 1000 };
      const text = '# TEL.18.1.6\n' + '通信の秘密を守る。'.repeat(200);
      const doc = new InMemoryDocument('file:///w/big.md', text);
      const svc = createPolicyService({ catalog, workspace: new InMemoryWorkspace([doc]) });
      const findings: Finding[] = svc.diagnostics(doc, config);
      assert.deepEqual(findings.map((f) => [f.code, f.severity]), [['document-too-large', 'information']]);
      assert.match(findings[0].message, /too large \(0\.0 MB > limit 0\.0 MB/);
      assert.deepEqual(svc.analyze(doc, config).claims, [], 'nothing was parsed');
      assert.equal(svc.coverage(config).controls.find((c) => c.id === 'TEL.18.1.6')?.claims.length ?? 0, 0);
      // Features answer without parsing either.
      assert.equal(svc.hover(doc, { line: 0, character: 4 }, config), undefined);
      checkText(text, 'big');
    });
    it('counts UTF-8 bytes: 400 kana are 1,200 bytes', () => {
      const doc = new InMemoryDocument('file:///w/kana.md', 'あ'.repeat(400));
      const svc = createPolicyService({ catalog, workspace: new InMemoryWorkspace([doc]) });
      assert.equal(svc.diagnostics(doc, { ...defaultConfig(), maxDocumentSize: 1199 })[0]?.code, 'document-too-large');
      assert.ok(!svc.diagnostics(doc, { ...defaultConfig(), maxDocumentSize: 1200 }).some((f) => f.code === 'document-too-large'));
    });
    it('the config key is validated', () => {
      assert.equal(parseConfig('maxDocumentSize: 1024', 'file:///c', catalog).config.maxDocumentSize, 1024);
      const bad = parseConfig('maxDocumentSize: -3', 'file:///c', catalog);
      assert.equal(bad.config.maxDocumentSize, 5 * 1024 * 1024);
      assert.equal(bad.findings[0].code, 'invalid-config');
    });
  });
});
