/**
 * Tests of the TextMate injection grammar `syntaxes/x1051.injection.tmLanguage.json`, tokenised for
 * real by `vscode-textmate` with the Oniguruma regular expressions of `vscode-oniguruma`, the same
 * engine VS Code uses.
 *
 * The injection is registered the way VS Code does for a grammar contribution with `injectTo`: the
 * registry's `getInjections(scopeName)` returns, for each host scope, the injection scopes that
 * `package.json` lists for it, and vscode-textmate applies them where the injection selector
 * matches. The host is `fixtures/markdown-host.tmLanguage.json`, our own stand-in with the scope
 * names of VS Code's Markdown grammar (we do not ship or copy that grammar); the end-to-end test
 * runs against the real one.
 *
 * `test/grammar/samples.md` is tokenised into `samples.snapshot.txt` (per line: the text, then one
 * row per token with its text and scopes). A difference fails with a line diff; run the test with
 * `UPDATE_SNAPSHOTS=1` to rewrite the snapshot after an intended change, and review its diff.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

const root = join(__dirname, '..', '..');
const MARKDOWN = 'text.html.markdown';
const INJECTION = 'text.x1051.injection';

/** A grammar contribution of `package.json`. */
interface GrammarContribution {
  scopeName: string;
  path: string;
  injectTo?: string[];
}

const contributions = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { grammars: GrammarContribution[] } }
).contributes.grammars;

/** A token of one line: its text and its scopes from the outermost (the host's root) inwards. */
interface Token {
  text: string;
  scopes: string[];
}

let onigLib: Promise<vsctm.IOnigLib> | undefined;

/** Loads the Oniguruma WebAssembly once per process; a second `loadWASM` would throw. */
function loadOniguruma(): Promise<vsctm.IOnigLib> {
  onigLib ??= (async () => {
    const wasm = readFileSync(join(root, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
    return {
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    };
  })();
  return onigLib;
}

/**
 * The Markdown host grammar with the x1051 injection, as VS Code would assemble them from
 * `package.json`. `patchInjection` lets a test alter the injection grammar before it is loaded.
 */
async function loadMarkdown(patchInjection?: (raw: Record<string, unknown>) => void): Promise<vsctm.IGrammar> {
  const files = new Map<string, string>([[MARKDOWN, join(__dirname, 'fixtures', 'markdown-host.tmLanguage.json')]]);
  const injections = new Map<string, string[]>();
  for (const c of contributions) {
    files.set(c.scopeName, join(root, c.path));
    for (const host of c.injectTo ?? []) injections.set(host, [...(injections.get(host) ?? []), c.scopeName]);
  }
  const registry = new vsctm.Registry({
    onigLib: loadOniguruma(),
    loadGrammar: async (scopeName) => {
      const path = files.get(scopeName);
      if (!path) return null;
      const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      if (scopeName === INJECTION) patchInjection?.(raw);
      // Going through JSON text keeps vscode-textmate's own parsing (and its error reporting) in play.
      return vsctm.parseRawGrammar(JSON.stringify(raw), path);
    },
    getInjections: (scopeName) => injections.get(scopeName),
  });
  const grammar = await registry.loadGrammar(MARKDOWN);
  assert.ok(grammar, 'the host grammar loads');
  return grammar;
}

/** Tokenises a document line by line, carrying the rule stack over as VS Code does. */
function tokenize(grammar: vsctm.IGrammar, text: string): Token[][] {
  let stack = vsctm.INITIAL;
  return text.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, stack);
    stack = result.ruleStack;
    return result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

/** The tokens of the first line of `text` (further lines only give it context). */
function firstLine(grammar: vsctm.IGrammar, text: string): Token[] {
  return tokenize(grammar, text)[0];
}

/** The scopes of the token whose text is exactly `text`; fails when no token is. */
function scopesOf(tokens: Token[], text: string): string[] {
  const token = tokens.find((t) => t.text === text);
  assert.ok(token, `no token "${text}" in ${JSON.stringify(tokens.map((t) => t.text))}`);
  return token.scopes;
}

/** Whether any token of the line carries an x1051 scope. */
function hasX1051Scope(tokens: Token[]): boolean {
  return tokens.some((t) => t.scopes.some((s) => s.endsWith('.x1051')));
}

/** Tokens that carry an x1051 scope, as "text innermost-scope", for compact assertions. */
function x1051Leaves(tokens: Token[]): string[] {
  return tokens.filter((t) => t.scopes.some((s) => s.endsWith('.x1051'))).map((t) => `${t.text} ${t.scopes[t.scopes.length - 1]}`);
}

/** Snapshot text: each non-empty source line, then one row per token (text in JSON quotes, scopes). */
function renderSnapshot(source: string, lines: Token[][]): string {
  const out: string[] = [];
  source.split('\n').forEach((line, i) => {
    if (line === '') return;
    out.push(`${i + 1}: ${line}`);
    // The root scope is on every token; leaving it out keeps the rows short.
    for (const t of lines[i]) out.push(`    ${JSON.stringify(t.text)} ${t.scopes.slice(1).join(' ')}`);
  });
  return out.join('\n') + '\n';
}

/**
 * A readable line diff (longest common subsequence): unchanged lines are left out, except two of
 * context around each change, removed lines start with "-" and added ones with "+".
 */
function lineDiff(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const rows: { mark: ' ' | '-' | '+'; line: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) rows.push({ mark: ' ', line: a[i++] }), j++;
    else if (i < a.length && (j === b.length || lcs[i + 1][j] >= lcs[i][j + 1])) rows.push({ mark: '-', line: a[i++] });
    else rows.push({ mark: '+', line: b[j++] });
  }
  const near = (k: number): boolean => rows.slice(Math.max(0, k - 2), k + 3).some((r) => r.mark !== ' ');
  const shown: string[] = [];
  rows.forEach((r, k) => {
    if (near(k)) shown.push(`${r.mark} ${r.line}`);
    else if (shown[shown.length - 1] !== '  …') shown.push('  …');
  });
  return shown.join('\n');
}

describe('grammar: x1051 injection into Markdown (vscode-textmate)', () => {
  let markdown: vsctm.IGrammar;

  before(async () => {
    markdown = await loadMarkdown();
  });

  it('is contributed to package.json as an injection into Markdown', () => {
    const contribution = contributions.find((c) => c.scopeName === INJECTION);
    assert.ok(contribution, 'package.json contributes the injection grammar');
    assert.deepEqual(contribution.injectTo, [MARKDOWN]);
    const raw = JSON.parse(readFileSync(join(root, contribution.path), 'utf8')) as { scopeName: string; injectionSelector: string };
    assert.equal(raw.scopeName, INJECTION);
    assert.match(raw.injectionSelector, /^L:text\.html\.markdown /);
  });

  it('scopes control ids in paragraphs, list items and headings', () => {
    const prose = firstLine(markdown, 'Logging follows TEL.18.1.6 and more.');
    assert.deepEqual(scopesOf(prose, 'TEL.18.1.6'), [MARKDOWN, 'meta.paragraph.markdown', 'constant.other.control-id.tel.x1051']);
    assert.deepEqual(x1051Leaves(firstLine(markdown, '- 従業者の誓約（TEL.7.1.2）を取る。')), ['TEL.7.1.2 constant.other.control-id.tel.x1051']);

    const heading = firstLine(markdown, '## 第3条 通信の秘密（TEL.18.1.6）');
    assert.deepEqual(scopesOf(heading, 'TEL.18.1.6'), [
      MARKDOWN,
      'markup.heading.markdown',
      'entity.name.section.markdown',
      'constant.other.control-id.tel.x1051',
    ]);
    // The heading text around the id keeps the host's scopes: the injection adds, it does not replace.
    assert.deepEqual(scopesOf(heading, '）'), [MARKDOWN, 'markup.heading.markdown', 'entity.name.section.markdown']);
  });

  it('scopes half- and full-width ids, the printed "TEL 18.1.6" form, ISO/IEC 27002 and Annex A numbers', () => {
    assert.deepEqual(x1051Leaves(firstLine(markdown, '全角 ＴＥＬ．１８．１．６ と 附属書A TEL 18.1.6参照')), [
      'ＴＥＬ．１８．１．６ constant.other.control-id.tel.x1051',
      'TEL 18.1.6 constant.other.control-id.tel.x1051',
    ]);
    // Japanese text runs into ids without spaces; Oniguruma's Unicode \\w must not count kanji as
    // part of a word there.
    assert.deepEqual(x1051Leaves(firstLine(markdown, '管理策TEL.18.1.6参照、全角ＴＥＬ．１８．１．６を、項目TEL.18.1.6(e)とA.12.4.1参照')), [
      'TEL.18.1.6 constant.other.control-id.tel.x1051',
      'ＴＥＬ．１８．１．６ constant.other.control-id.tel.x1051',
      'TEL.18.1.6 constant.other.control-id.tel.x1051',
      '(e) constant.other.item-label.x1051',
      'A.12.4.1 constant.other.control-id.iso.x1051',
    ]);
    assert.deepEqual(x1051Leaves(firstLine(markdown, 'per ISO/IEC 27002:2013 12.4.1 and A.12.4.1.')), [
      'ISO/IEC 27002:2013 entity.name.standard.x1051',
      '12.4.1 constant.other.control-id.iso.x1051',
      'A.12.4.1 constant.other.control-id.iso.x1051',
    ]);
  });

  it('scopes item references with their list index and labels', () => {
    const tokens = firstLine(markdown, 'See TEL.18.1.6 e), TEL.18.1.6[2](c) and TEL.13.1.4(e)(4).');
    assert.deepEqual(x1051Leaves(tokens), [
      'TEL.18.1.6 constant.other.control-id.tel.x1051',
      // The space between id and label belongs to the reference only (the leaf text is " ").
      '  meta.item-reference.x1051',
      'e) constant.other.item-label.x1051',
      'TEL.18.1.6 constant.other.control-id.tel.x1051',
      '[2] constant.other.list-index.x1051',
      '(c) constant.other.item-label.x1051',
      'TEL.13.1.4 constant.other.control-id.tel.x1051',
      '(e) constant.other.item-label.x1051',
      '(4) constant.other.item-label.x1051',
    ]);
    assert.ok(scopesOf(tokens, 'e)').includes('meta.item-reference.x1051'));
  });

  it('leaves ids in inline code and fenced code blocks unscoped', () => {
    const span = firstLine(markdown, 'Code: `TEL.18.1.6` and ``TEL.18.1.6 e)``.');
    assert.equal(hasX1051Scope(span), false, JSON.stringify(span));
    assert.ok(scopesOf(span, 'TEL.18.1.6').includes('markup.inline.raw.string.markdown'));

    const lines = tokenize(markdown, '```\nTEL.18.1.6 in code\n<!-- x1051-enable -->\n```\nTEL.18.1.6 after');
    assert.deepEqual(scopesOf(lines[1], 'TEL.18.1.6 in code'), [MARKDOWN, 'markup.fenced_code.block.markdown']);
    assert.equal(hasX1051Scope(lines[2]), false, 'a directive in a fence is code');
    assert.deepEqual(x1051Leaves(lines[4]), ['TEL.18.1.6 constant.other.control-id.tel.x1051']);
  });

  it('owes the exclusion of code to the injection selector (the test can tell)', async () => {
    // Without the selector's exclusions the same input is scoped inside code, which shows that the
    // previous test checks the selector and not a quirk of the host grammar.
    const unguarded = await loadMarkdown((raw) => {
      raw.injectionSelector = `L:${MARKDOWN}`;
    });
    assert.equal(hasX1051Scope(firstLine(unguarded, 'Code: `TEL.18.1.6`.')), true);
    assert.equal(hasX1051Scope(tokenize(unguarded, '```\nTEL.18.1.6 in code\n```')[1]), true);
  });

  it('scopes x1051 directives inside HTML comments, and only those comments', () => {
    const directive = firstLine(markdown, '<!-- x1051-not-applicable TEL.18.1.6(i): no directory service -->');
    assert.deepEqual(scopesOf(directive, 'x1051-not-applicable'), [
      MARKDOWN,
      'comment.block.html',
      'meta.directive.x1051',
      'keyword.control.directive.x1051',
    ]);
    assert.ok(scopesOf(directive, '(i)').includes('meta.directive.x1051'));
    assert.ok(scopesOf(directive, ':').includes('punctuation.separator.reason.x1051'));
    assert.ok(scopesOf(directive, '-->').includes('punctuation.definition.comment.html'));

    // A directive comment may span lines; the scope carries over to the closing line.
    const spanning = tokenize(markdown, '<!-- x1051-disable missing-item\n     TEL.13.1.4(e)(4) -->\nafter');
    assert.ok(scopesOf(spanning[1], 'TEL.13.1.4').includes('meta.directive.x1051'));
    assert.equal(hasX1051Scope(spanning[2]), false);

    // An ordinary comment is the host's comment; an id in it is still an id.
    const ordinary = firstLine(markdown, '<!-- a note about x1051-not-applicable and TEL.18.1.6 -->');
    assert.equal(ordinary.some((t) => t.scopes.includes('meta.directive.x1051')), false);
    assert.deepEqual(scopesOf(ordinary, 'TEL.18.1.6'), [MARKDOWN, 'comment.block.html', 'constant.other.control-id.tel.x1051']);
  });

  it('leaves look-alikes alone', () => {
    for (const text of ['HOTEL.18.1.6', 'TEL.18.1.666', 'TEL.18.1.6.2', 'version 1.2.3', 'A.12.4.1.5', 'XTEL 18.1.6', 'ＨＯＴＥＬ．１８．１．６']) {
      assert.deepEqual(x1051Leaves(firstLine(markdown, `Not an id: ${text} here.`)), [], text);
    }
  });

  it('tokenises test/grammar/samples.md as in samples.snapshot.txt (UPDATE_SNAPSHOTS=1 rewrites it)', () => {
    const source = readFileSync(join(__dirname, 'samples.md'), 'utf8');
    const actual = renderSnapshot(source, tokenize(markdown, source));
    const path = join(__dirname, 'samples.snapshot.txt');
    if (process.env.UPDATE_SNAPSHOTS === '1') writeFileSync(path, actual);
    assert.ok(existsSync(path), 'no snapshot yet: run with UPDATE_SNAPSHOTS=1 and review the file');
    const expected = readFileSync(path, 'utf8');
    if (actual !== expected) {
      assert.fail(`tokens of samples.md differ from samples.snapshot.txt (- snapshot, + now); UPDATE_SNAPSHOTS=1 rewrites it\n${lineDiff(expected, actual)}`);
    }
  });
});
