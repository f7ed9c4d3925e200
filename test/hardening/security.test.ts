/**
 * Security of workspace content: nothing in a workspace is executed, YAML cannot pollute
 * prototypes, configuration cannot make the server or the CLI read outside the folder, exported
 * reports keep author text as text, and the untrusted-workspace declaration matches what the
 * server does (docs/reliability.md).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createPolicyService, defaultConfig } from '../../server/src/service';
import { parseConfig } from '../../server/src/service/config';
import { readSettings } from '../../server/src/settings';
import { WorkspaceIndex, NodeFileSystem, pathToUri } from '../../server/src/workspace';
import { fixtureCatalog, fixtureIndex } from '../helpers/fixtureCatalog';
import { InMemoryDocument, InMemoryWorkspace } from '../helpers/inMemory';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'x1051.js');
const catalog = fixtureIndex();

/** Asserts that no prototype got a `polluted` property and no global got `pwned`. */
function assertClean(): void {
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype polluted');
  assert.equal(([] as unknown as Record<string, unknown>).polluted, undefined, 'Array.prototype polluted');
  assert.equal((globalThis as Record<string, unknown>).pwned, undefined, 'workspace code ran');
}

describe('hardening: security of workspace content', function () {
  this.timeout(30000);
  afterEach(() => {
    // Clean up so that one failure does not cascade into the next tests.
    delete (Object.prototype as Record<string, unknown>).polluted;
    delete (globalThis as Record<string, unknown>).pwned;
  });

  it('YAML tags that would run code in other loaders do nothing here (config and front matter)', () => {
    const yaml = [
      'language: !!js/function "function () { globalThis.pwned = 1 }"',
      'include: !!js/eval "globalThis.pwned = 1"',
      'exclude: !<tag:yaml.org,2002:js/undefined> x',
      'terms: !!python/object/apply:os.system ["touch /tmp/x1051-pwned"]',
      '',
    ].join('\n');
    const { config, findings } = parseConfig(yaml, 'file:///w/.x1051.yaml', catalog);
    assertClean();
    // The tags are not interpreted: the values are plain strings (language is then invalid).
    assert.equal(config.language, 'auto');
    assert.deepEqual(config.include, ['globalThis.pwned = 1']);
    assert.equal(findings.filter((f) => /Unresolved tag.*not interpreted/.test(f.message)).length, 4, JSON.stringify(findings));
    const doc = new InMemoryDocument('file:///w/a.md', `---\n${yaml}controls: !!js/function "function(){globalThis.pwned=1}"\n---\n# TEL.18.1.6\n`);
    const svc = createPolicyService({ catalog, workspace: new InMemoryWorkspace([doc]) });
    svc.diagnostics(doc, defaultConfig());
    assertClean();
    assert.equal(fs.existsSync('/tmp/x1051-pwned'), false);
  });

  it('__proto__ keys in .x1051.yaml, front matter and settings pollute nothing', () => {
    const yaml = [
      '__proto__: { polluted: 1 }',
      'applicability:',
      '  __proto__: { polluted: 1 }',
      '  TEL.18.1.6: applicable',
      'severity:',
      '  rules: { __proto__: error, constructor: off }',
      '  __proto__: { polluted: 1 }',
      'terms:',
      '  __proto__: { ja: [x] }',
      '  TEL.18.1.6(e): { __proto__: [x], ja: [タイムスタンプ] }',
      '',
    ].join('\n');
    const { config } = parseConfig(yaml, 'file:///w/.x1051.yaml', catalog);
    assertClean();
    assert.deepEqual(Object.keys(config.applicability), ['TEL.18.1.6']);
    assert.equal(Object.getPrototypeOf(config.applicability), Object.prototype);
    const doc = new InMemoryDocument('file:///w/a.md', '---\n__proto__: { polluted: 1 }\nconstructor: { prototype: { polluted: 1 } }\ncontrols: [TEL.18.1.6]\n---\n# a\n');
    const svc = createPolicyService({ catalog, workspace: new InMemoryWorkspace([doc]) });
    assert.equal(svc.analyze(doc, defaultConfig()).claims.length, 1);
    assertClean();
    // Settings arrive as JSON from the client; a JSON __proto__ key is an own property.
    const s = readSettings(JSON.parse('{"__proto__": {"polluted": 1}, "severity": {"rules": {"__proto__": {"polluted": 1}}}, "include": ["**/*.md"]}'));
    assertClean();
    assert.deepEqual(s.severityRules, {});
  });

  describe('configuration cannot reach outside the folder', () => {
    let tmp: string;
    beforeEach(() => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-sec-'));
      fs.mkdirSync(path.join(tmp, 'outside'));
      fs.writeFileSync(path.join(tmp, 'outside', 'secret.md'), '# TEL.18.1.6 secret\n');
      fs.writeFileSync(path.join(tmp, '.x1051.yaml'), 'language: ja\n');
      fs.mkdirSync(path.join(tmp, 'ws'));
      fs.writeFileSync(path.join(tmp, 'ws', 'policy.md'), '# TEL.18.1.6\n');
      fs.writeFileSync(path.join(tmp, 'ws', '.x1051.yaml'), `include: ["../**", "${tmp}/**", "/**", "**/*.md"]\n`);
    });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it('server: include globs only filter what the folder walk found; nothing outside is read', async () => {
      const touched: string[] = [];
      const real = new NodeFileSystem();
      const spy = {
        readFile: (f: string) => (touched.push(f), real.readFile(f)),
        readDir: (d: string) => (touched.push(d), real.readDir(d)),
        isFile: (f: string) => (touched.push(f), real.isFile(f)),
      };
      const ws = new WorkspaceIndex(spy, () => undefined, () => []);
      ws.setFolders([pathToUri(path.join(tmp, 'ws'))]);
      const found = await ws.scan();
      assert.deepEqual(found, [pathToUri(path.join(tmp, 'ws', 'policy.md'))]);
      const config = ws.configFileFor(path.join(tmp, 'ws', 'policy.md'));
      assert.equal(config, path.join(tmp, 'ws', '.x1051.yaml'));
      const outside = touched.filter((p) => !p.startsWith(path.join(tmp, 'ws')));
      assert.deepEqual(outside, [], 'no path outside the workspace folder was touched (not even the parent folder\'s .x1051.yaml)');
    });

    it('CLI: the same config checks only the folder given', () => {
      const catalogFile = path.join(tmp, 'catalog.json');
      fs.writeFileSync(catalogFile, JSON.stringify(fixtureCatalog()));
      const r = spawnSync(process.execPath, [BIN, 'check', '--format', 'json', '--catalog', catalogFile], { cwd: path.join(tmp, 'ws'), encoding: 'utf8' });
      const out = JSON.parse(r.stdout);
      assert.deepEqual(out.files.map((f: { path: string }) => f.path), ['policy.md']);
    });
  });

  describe('exported reports keep author text as text', () => {
    let tmp: string;
    let catalogFile: string;
    // Escaped in Markdown, so the heading's text holds the tag (raw inline HTML is not text).
    const HEADING = '\\<script>alert(1)\\</script> =HYPERLINK("http://x") "q" | TEL.18.1.6';
    const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args, '--catalog', catalogFile], { cwd: tmp, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    before(() => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-esc-'));
      catalogFile = path.join(tmp, 'catalog.json');
      fs.writeFileSync(catalogFile, JSON.stringify(fixtureCatalog()));
      fs.writeFileSync(path.join(tmp, '.x1051.yaml'), 'applicability:\n  TEL.18.1.6: applicable\n  12.4.2: { status: excluded, justification: "=cmd|\' /C calc\'!A0 <img src=x onerror=alert(1)>" }\n');
      fs.writeFileSync(path.join(tmp, 'policy.md'), `## ${HEADING}\n\nTEL.18.1.66 <b>bold</b>\n`);
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it('coverage md: no raw HTML tag survives', () => {
      const r = run(['coverage']);
      assert.equal(r.status, 0, r.stderr);
      assert.ok(!/<script|<img/i.test(r.stdout), r.stdout);
      assert.match(r.stdout, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    });
    it('coverage csv: quoted, with formulas neutralised', () => {
      const r = run(['coverage', '--format', 'csv']);
      const row = r.stdout.split('\r\n').find((l) => l.startsWith('12.4.2,'))!;
      assert.match(row, /,"'=cmd\|' \/C calc'!A0 <img src=x onerror=alert\(1\)>",|,'=cmd/);
      const tel = r.stdout.split('\r\n').find((l) => l.startsWith('TEL.18.1.6,'))!;
      assert.ok(tel.includes('""q""'), 'quotes are doubled inside a quoted field');
    });
    it('coverage json and check json/sarif: the heading round-trips as a string', () => {
      const cov = JSON.parse(run(['coverage', '--format', 'json']).stdout);
      const claim = cov.controls.find((c: { id: string }) => c.id === 'TEL.18.1.6').claims[0];
      assert.ok(JSON.stringify(claim).includes('<script>alert(1)</script>'), 'JSON carries the text verbatim, as data');
      const check = JSON.parse(run(['check', '--format', 'json']).stdout);
      assert.equal(check.files[0].claims[0].control, 'TEL.18.1.6');
      const sarif = JSON.parse(run(['check', '--format', 'sarif']).stdout);
      const unknown = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'unknown-control');
      assert.equal(typeof unknown.message.text, 'string');
      assert.ok(!('markdown' in unknown.message) || !/<b>/.test(unknown.message.markdown), 'no author HTML in SARIF markdown');
    });
  });

  it('untrusted workspaces: declared supported, because the server runs nothing from the workspace', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, true);
    // What makes that safe is asserted above: no code execution from YAML, no prototype
    // pollution, no reads outside the folder; the catalogue path comes from the extension, never
    // from workspace settings.
    const settingsKeys = Object.keys(pkg.contributes.configuration.flatMap((c: { properties: object }) => Object.keys(c.properties)).reduce((a: Record<string, 1>, k: string) => ((a[k] = 1), a), {}));
    assert.ok(!settingsKeys.some((k) => /path|command|exec|script/i.test(k)), `no setting names a path or command: ${settingsKeys.join(', ')}`);
  });
});
