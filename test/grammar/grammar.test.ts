/**
 * Tests of the TextMate injection grammar `syntaxes/x1051.injection.tmLanguage.json`.
 *
 * A full TextMate snapshot needs `vscode-textmate` and `vscode-oniguruma`, which are not
 * dependencies of the project. Instead, a small tokenizer here applies the grammar's own regular
 * expressions (read from the JSON file, so an edit of the grammar is what gets tested) the way
 * TextMate does for an injection: at each position the earliest match wins, ties go to the first
 * pattern, `begin`/`end` rules open a nested scope. What it cannot check is the injection selector
 * itself (that code spans and fenced blocks of the Markdown grammar are left alone): the test
 * blanks them out as the selector would, and the end-to-end test sees the grammar in a real VS Code.
 * The patterns only use syntax that means the same in Oniguruma and JavaScript (fixed-length
 * look-behind, character classes, `\s`, `\w`, `\d`), which the first test guards.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface Rule {
  include?: string;
  name?: string;
  match?: string;
  begin?: string;
  end?: string;
  captures?: Record<string, { name: string }>;
  beginCaptures?: Record<string, { name: string }>;
  endCaptures?: Record<string, { name: string }>;
  patterns?: Rule[];
}
interface Grammar {
  scopeName: string;
  injectionSelector: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
}

/** A scoped piece of a line: its text, column (UTF-16) and scopes from outer to inner. */
interface Token {
  text: string;
  column: number;
  scopes: string[];
}

const root = join(__dirname, '..', '..');
const grammar = JSON.parse(readFileSync(join(root, 'syntaxes', 'x1051.injection.tmLanguage.json'), 'utf8')) as Grammar;

function resolve(rules: Rule[]): Rule[] {
  return rules.map((r) => (r.include ? grammar.repository[r.include.slice(1)] : r));
}

function regex(source: string): RegExp {
  return new RegExp(source, 'gu');
}

/** Scoped tokens of one capture set, innermost scopes last. */
function captured(m: RegExpExecArray, captures: Rule['captures'], outer: string[], out: Token[]): void {
  if (!captures) return;
  // Group offsets come from the `d` flag; groups of these patterns never nest.
  const indices = (m as RegExpExecArray & { indices: [number, number][] }).indices;
  for (const [group, { name }] of Object.entries(captures)) {
    const span = indices[Number(group)];
    if (!span) continue;
    out.push({ text: m.input.slice(span[0], span[1]), column: span[0], scopes: [...outer, ...name.split(' ')] });
  }
}

/** Tokenises one line; `stack` carries an open begin/end rule over to the next line. */
function tokenizeLine(line: string, stack: Rule[]): Token[] {
  const out: Token[] = [];
  let pos = 0;
  while (pos <= line.length) {
    const open = stack[stack.length - 1];
    const outer = stack.flatMap((r) => (r.name ? r.name.split(' ') : []));
    const candidates: { rule: Rule | 'end'; m: RegExpExecArray }[] = [];
    const rules = open ? resolve(open.patterns ?? []) : resolve(grammar.patterns);
    if (open?.end) {
      const re = new RegExp(open.end, 'gdu');
      re.lastIndex = pos;
      const m = re.exec(line);
      if (m) candidates.push({ rule: 'end', m });
    }
    for (const rule of rules) {
      const re = new RegExp((rule.match ?? rule.begin)!, 'gdu');
      re.lastIndex = pos;
      const m = re.exec(line);
      if (m) candidates.push({ rule, m });
    }
    if (candidates.length === 0) break;
    // Earliest match wins; on a tie the end pattern and then the first rule in order.
    const best = candidates.reduce((a, b) => (b.m.index < a.m.index ? b : a));
    const { rule, m } = best;
    if (rule === 'end') {
      captured(m, open!.endCaptures, outer, out);
      stack.pop();
    } else if (rule.match) {
      const scopes = rule.name ? [...outer, ...rule.name.split(' ')] : outer;
      if (rule.name) out.push({ text: m[0], column: m.index, scopes });
      captured(m, rule.captures, scopes, out);
    } else {
      const scopes = rule.name ? [...outer, ...rule.name.split(' ')] : outer;
      captured(m, rule.beginCaptures, scopes, out);
      stack.push(rule);
    }
    pos = m.index + Math.max(m[0].length, 1);
  }
  return out;
}

/**
 * Tokenises a Markdown sample, skipping what the injection selector excludes: fenced code
 * blocks and inline code spans (blanked with spaces so columns stay right).
 */
function tokenize(markdown: string): { line: number; tokens: Token[] }[] {
  const stack: Rule[] = [];
  const result: { line: number; tokens: Token[] }[] = [];
  let fenced = false;
  markdown.split(/\r?\n/).forEach((raw, i) => {
    if (/^\s*(```|~~~)/.test(raw)) {
      fenced = !fenced;
      return;
    }
    if (fenced) return;
    const line = raw.replace(/`[^`]*`/g, (code) => ' '.repeat(code.length));
    const tokens = tokenizeLine(line, stack);
    if (tokens.length > 0) result.push({ line: i + 1, tokens });
  });
  return result;
}

/** Tokens of a single line with only the innermost scope, for compact assertions. */
function leaves(line: string): [string, string][] {
  return tokenizeLine(line, []).map((t) => [t.text, t.scopes[t.scopes.length - 1]]);
}

describe('grammar: x1051 injection into Markdown', () => {
  it('is injected into Markdown and uses only regex syntax shared by Oniguruma and JavaScript', () => {
    assert.match(grammar.injectionSelector, /^L:text\.html\.markdown\b/);
    const sources: string[] = [];
    const walk = (r: Rule): void => {
      for (const s of [r.match, r.begin, r.end]) if (s) sources.push(s);
      r.patterns?.forEach(walk);
    };
    Object.values(grammar.repository).forEach(walk);
    assert.ok(sources.length >= 7);
    for (const s of sources) {
      assert.doesNotThrow(() => regex(s), s);
      // Variable-length look-behind is JavaScript-only; named groups and \p{} differ in Oniguruma.
      assert.doesNotMatch(s, /\(\?<![^)]*[*+?]/, `variable-length look-behind in ${s}`);
      assert.doesNotMatch(s, /\\p\{|\(\?<[a-z]/i, `non-portable syntax in ${s}`);
    }
  });

  it('scopes telecom control ids, half and full width, and the printed "TEL 18.1.6" form', () => {
    assert.deepEqual(leaves('see TEL.18.1.6.'), [['TEL.18.1.6', 'constant.other.control-id.tel.x1051']]);
    assert.deepEqual(leaves('（ＴＥＬ．１８．１．６）'), [['ＴＥＬ．１８．１．６', 'constant.other.control-id.tel.x1051']]);
    assert.deepEqual(leaves('附属書A TEL 18.1.6参照'), [['TEL 18.1.6', 'constant.other.control-id.tel.x1051']]);
  });

  it('scopes item references with their labels in every written form', () => {
    assert.deepEqual(leaves('TEL.18.1.6 e) applies'), [
      ['TEL.18.1.6 e)', 'meta.item-reference.x1051'],
      ['TEL.18.1.6', 'constant.other.control-id.tel.x1051'],
      ['e)', 'constant.other.item-label.x1051'],
    ]);
    assert.deepEqual(
      leaves('TEL.18.1.6[2](c)').map((t) => t[1]),
      ['meta.item-reference.x1051', 'constant.other.control-id.tel.x1051', 'constant.other.list-index.x1051', 'constant.other.item-label.x1051'],
    );
    const nested = leaves('TEL.13.1.4(e)(4)');
    assert.deepEqual(nested.filter((t) => t[1] === 'constant.other.item-label.x1051').map((t) => t[0]), ['(e)', '(4)']);
  });

  it('scopes ISO/IEC 27002 and Annex A control numbers', () => {
    assert.deepEqual(leaves('per ISO/IEC 27002:2013 12.4.1'), [
      ['ISO/IEC 27002:2013', 'entity.name.standard.x1051'],
      ['12.4.1', 'constant.other.control-id.iso.x1051'],
    ]);
    assert.deepEqual(leaves('A.12.4.1 of ISO/IEC 27001'), [['A.12.4.1', 'constant.other.control-id.iso.x1051']]);
  });

  it('scopes x1051 directives inside HTML comments, not ordinary comments', () => {
    const tokens = tokenizeLine('<!-- x1051-not-applicable TEL.18.1.6(i): no directory service -->', []);
    const directive = tokens.find((t) => t.text === 'x1051-not-applicable');
    assert.ok(directive);
    assert.deepEqual(directive.scopes, ['comment.block.html', 'meta.directive.x1051', 'keyword.control.directive.x1051']);
    const item = tokens.find((t) => t.text === '(i)');
    assert.ok(item?.scopes.includes('meta.directive.x1051'));
    assert.equal(tokenizeLine('<!-- a note about x1051-not-applicable -->', []).some((t) => t.scopes.includes('meta.directive.x1051')), false);
  });

  it('leaves look-alikes alone', () => {
    for (const text of ['HOTEL.18.1.6', 'TEL.18.1.666', 'TEL.18.1.6.2', 'version 1.2.3', 'A.12.4.1.5', 'XTEL 18.1.6', 'ＨＯＴＥＬ．１８．１．６']) {
      assert.deepEqual(leaves(text), [], text);
    }
  });

  it('tokenises test/grammar/samples.md as in its snapshot (UPDATE_SNAPSHOTS=1 rewrites it)', () => {
    const sample = readFileSync(join(__dirname, 'samples.md'), 'utf8');
    const actual = tokenize(sample).map(({ line, tokens }) => ({
      line,
      tokens: tokens.map((t) => `${t.column}:${t.text} ${t.scopes.join(' ')}`),
    }));
    const path = join(__dirname, 'samples.snapshot.json');
    if (process.env.UPDATE_SNAPSHOTS === '1') writeFileSync(path, JSON.stringify(actual, null, 2) + '\n');
    assert.deepEqual(actual, JSON.parse(readFileSync(path, 'utf8')));
  });
});
