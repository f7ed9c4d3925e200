import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readSourceFile, schemaValidators, formatBuildError } from '../../catalog/src/build';
import { compileCatalog } from '../../catalog/src/compile';
import { DATA_DIR, realBuild, sourceFixture } from '../helpers/catalog';

/** A minimal valid source file as YAML text, with `control` spliced in as the only entry. */
function yamlWith(entry: string): string {
  return `entries:\n${entry}`;
}

const goodControl = [
  '  - kind: control',
  '    id: TEL.18.1.6',
  '    controlKind: tel',
  '    title: { ja: 通信の秘密保持, en: Secrecy of communications }',
  '    guidance: [{ list: 1 }]',
  '    lists:',
  '      - list: 1',
  '        level: required',
  '        rationale: why',
  '        items:',
  '          - label: a)',
  '            ja: 通信の存在',
  '            en: existence',
  '            subject: { ja: 通信の存在, en: existence }',
  '            terms: { ja: [通信の存在], en: [existence] }',
  '    source: { clause: TEL.18.1.6, annex: A, line: 2233 }',
  '',
].join('\n');

describe('catalog: schemas', () => {
  describe('every data file validates against source.schema.json', () => {
    const files = fs.existsSync(DATA_DIR) ? fs.readdirSync(DATA_DIR).filter((n) => /\.ya?ml$/.test(n)).sort() : [];
    it('there are data files', () => {
      assert.ok(files.length > 0, 'catalog/data has no YAML files');
    });
    for (const name of files) {
      it(name, () => {
        const { errors } = readSourceFile(`catalog/data/${name}`, fs.readFileSync(path.join(DATA_DIR, name), 'utf8'));
        assert.deepEqual(errors.map(formatBuildError), []);
      });
    }
  });

  it('the real catalogue compiles without problems and validates against catalog.schema.json', () => {
    const r = realBuild();
    assert.deepEqual(r.problems.map((p) => `${p.file} (${p.id}) ${p.message}`), []);
    assert.deepEqual(r.errors.map(formatBuildError), []);
    assert.ok(r.catalog);
    assert.equal(schemaValidators().catalog(r.catalog), true);
  });

  it('the compiled fixture validates against catalog.schema.json', () => {
    const { catalog } = compileCatalog(sourceFixture());
    const v = schemaValidators().catalog;
    assert.equal(v(catalog), true, JSON.stringify(v.errors));
  });

  it('accepts a well-formed control', () => {
    const { data, errors } = readSourceFile('x.yaml', yamlWith(goodControl));
    assert.deepEqual(errors, []);
    assert.equal(data?.entries.length, 1);
  });

  const broken: [string, string, RegExp][] = [
    ['an unknown property', goodControl.replace('    controlKind: tel', '    controlKind: tel\n    colour: red'), /must not have property 'colour'/],
    ['a control id of the wrong form', goodControl.replace('id: TEL.18.1.6', 'id: TEL.18.1.6.1'), /must match pattern/],
    ['an empty Japanese title', goodControl.replace('ja: 通信の秘密保持', "ja: ''"), /must NOT have fewer than 1 characters|must match pattern/],
    ['a missing English text', goodControl.replace('            en: existence\n', ''), /must have required property 'en'/],
    ['an unknown level', goodControl.replace('level: required', 'level: mandatory'), /must be equal to one of the allowed values/],
    ['a label without its parenthesis', goodControl.replace('label: a)', 'label: a'), /must match pattern/],
  ];
  for (const [what, text, message] of broken) {
    it(`rejects ${what}, naming file, line, pointer and entry`, () => {
      const { data, errors } = readSourceFile('catalog/data/x.yaml', yamlWith(text));
      assert.equal(data, undefined);
      assert.ok(errors.length > 0);
      const e = errors.find((x) => message.test(x.message));
      assert.ok(e, errors.map(formatBuildError).join('\n'));
      assert.equal(e.file, 'catalog/data/x.yaml');
      assert.match(e.id ?? '', /^TEL\.18\.1\.6/);
      assert.match(e.pointer ?? '', /^\/entries\/0/);
      assert.ok(e.line !== undefined && e.line >= 2, `line ${e.line}`);
    });
  }

  it('reports every schema error, not just the first', () => {
    const text = goodControl.replace('level: required', 'level: mandatory').replace('label: a)', 'label: a');
    const { errors } = readSourceFile('x.yaml', yamlWith(text));
    assert.ok(errors.length >= 2, errors.map(formatBuildError).join('\n'));
  });

  it('points schema errors at the offending line', () => {
    const { errors } = readSourceFile('x.yaml', yamlWith(goodControl.replace('level: required', 'level: mandatory')));
    const e = errors.find((x) => x.pointer === '/entries/0/lists/0/level')!;
    assert.ok(e, errors.map(formatBuildError).join('\n'));
    assert.equal(e.line, 9);
  });

  it('reports YAML syntax errors with file and line', () => {
    const { errors } = readSourceFile('catalog/data/y.yaml', 'entries:\n  - kind: clause\n    title: { ja: x\n');
    assert.ok(errors.length > 0);
    assert.equal(errors[0].file, 'catalog/data/y.yaml');
    assert.ok(errors[0].line !== undefined && errors[0].line >= 2);
    assert.match(formatBuildError(errors[0]), /^catalog\/data\/y\.yaml:\d+:/);
  });

  it('refuses alias bombs', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'entries: [*c, *c]'].join('\n');
    const { data, errors } = readSourceFile('bomb.yaml', bomb);
    assert.equal(data, undefined);
    assert.ok(errors.some((e) => /alias/i.test(e.message)), errors.map(formatBuildError).join('\n'));
  });

  it('reports duplicate keys', () => {
    const { errors } = readSourceFile('d.yaml', 'entries: []\nentries: []\n');
    assert.ok(errors.length > 0);
    assert.equal(errors[0].line, 2);
  });
});
