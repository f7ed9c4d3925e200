/**
 * `.x1051.yaml`: defaults, valid settings, precise ranges for errors, unknown keys as warnings,
 * bad values falling back to defaults, alias bombs refused, globs.
 */
import * as assert from 'node:assert/strict';
import { parseConfig, defaultConfig, isIncluded, compileGlob } from '../../server/src/service/config';
import { fixtureIndex } from '../helpers/fixtureCatalog';
import { joinLines } from '../helpers/inMemory';

const catalog = fixtureIndex();
const parse = (text: string) => parseConfig(text, 'file:///w/.x1051.yaml', catalog);

describe('config', () => {
  it('an empty file means the defaults', () => {
    const { config, findings } = parse('');
    assert.deepEqual(findings, []);
    assert.equal(config.language, 'auto');
    assert.deepEqual(config.include, ['**/*.md']);
    assert.deepEqual(config.exclude, ['node_modules/**']);
    assert.equal(config.uri, 'file:///w/.x1051.yaml');
  });

  it('reads every setting', () => {
    const { config, findings } = parse(joinLines(
      'language: ja',
      'include: ["policies/**/*.md"]',
      'exclude: [drafts/**]',
      'applicability:',
      '  TEL.18.1.6: applicable',
      '  "12.4.2": { status: excluded, justification: "ログ基盤は親会社が運用する" }',
      'severity:',
      '  rules: { unclaimed-topic: off, missing-item: error }',
      '  levels: { recommended: off }',
      'terms:',
      '  TEL.18.1.6 e): { ja: [タイムスタンプ], en: [timestamp] }',
    ));
    assert.deepEqual(findings, []);
    assert.equal(config.language, 'ja');
    assert.deepEqual(config.include, ['policies/**/*.md']);
    assert.deepEqual(config.applicability['TEL.18.1.6'], { status: 'applicable' });
    assert.deepEqual(config.applicability['12.4.2'], { status: 'excluded', justification: 'ログ基盤は親会社が運用する' });
    assert.deepEqual(config.severity.rules, { 'unclaimed-topic': 'off', 'missing-item': 'error' });
    assert.deepEqual(config.severity.levels, { recommended: 'off' });
    assert.deepEqual(config.terms['TEL.18.1.6(e)'], { ja: ['タイムスタンプ'], en: ['timestamp'] });
    assert.equal(config.ranges.applicability['TEL.18.1.6'].start.line, 4);
  });

  it('unknown keys are warnings on the key', () => {
    const { findings } = parse('langauge: ja\n');
    assert.equal(findings.length, 1);
    assert.equal(findings[0].code, 'invalid-config');
    assert.equal(findings[0].severity, 'warning');
    assert.deepEqual(findings[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 8 } });
  });

  it('bad values are errors on the value, and the default is used', () => {
    const { config, findings } = parse(joinLines('language: fr', 'severity:', '  rules: { missing-item: loud }'));
    assert.deepEqual(findings.map((f) => [f.severity, f.range.start.line, f.range.start.character]), [['error', 0, 10], ['error', 2, 25]]);
    assert.equal(config.language, 'auto');
    assert.deepEqual(config.severity.rules, {});
  });

  it('severity.rules.invalid-config applies to the config\'s own findings', () => {
    assert.deepEqual(parse(joinLines('language: fr', 'severity: { rules: { invalid-config: off } }')).findings, []);
    assert.deepEqual(parse(joinLines('language: fr', 'severity: { rules: { invalid-config: hint } }')).findings.map((f) => f.severity), ['hint']);
  });

  it('an excluded control needs a justification; unknown controls get did-you-mean', () => {
    const { config, findings } = parse(joinLines('applicability:', '  TEL.18.1.6: excluded', '  TEL.18.1.8: applicable', '  12.4.1: { status: excluded, justification: "" }'));
    assert.equal(findings.length, 3);
    assert.match(findings[0].message, /justification/);
    assert.match(findings[1].message, /TEL\.18\.1\.8.*did you mean.*TEL\.18\.1\.[67]/);
    assert.deepEqual(findings[1].data, { candidates: catalog.didYouMean('TEL.18.1.8') });
    assert.deepEqual(config.applicability, {});
  });

  it('YAML syntax errors are reported with their position', () => {
    const { findings } = parse('language: [ja\n');
    assert.ok(findings.length > 0);
    assert.equal(findings[0].severity, 'error');
  });

  it('refuses alias bombs', () => {
    const bomb = joinLines(
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
    );
    const t0 = Date.now();
    const { config, findings } = parse(bomb);
    assert.ok(Date.now() - t0 < 2000);
    assert.ok(findings.some((f) => f.severity === 'error' && /refused|alias/i.test(f.message)), JSON.stringify(findings));
    assert.deepEqual(config.include, defaultConfig().include);
  });

  it('globs: ** crosses folders, * does not, braces alternate', () => {
    assert.ok(compileGlob('**/*.md').test('a/b/c.md'));
    assert.ok(compileGlob('**/*.md').test('c.md'));
    assert.ok(!compileGlob('docs/*.md').test('docs/a/b.md'));
    assert.ok(compileGlob('docs/*.{md,markdown}').test('docs/b.markdown'));
    assert.ok(isIncluded('policies/a.md', defaultConfig()));
    assert.ok(!isIncluded('node_modules/x/readme.md', defaultConfig()));
    assert.ok(!isIncluded('notes.txt', defaultConfig()));
  });
});
