/**
 * The server's boundary: editor settings converted to service options, and the workspace's
 * config lookup (upwards from a document, within its workspace folder).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseConfig } from '../../server/src/service/config';
import { DEFAULT_SETTINGS, localeToLang, mergeConfig, readSettings, toServiceOptions } from '../../server/src/settings';
import { canonicalUri, NodeFileSystem, pathToUri, uriToPath, WorkspaceIndex } from '../../server/src/workspace';
import { cacheFolder } from '../../server/src/server/controlDocuments';

describe('settings at the server boundary', () => {
  it('reads the nested section VS Code sends, and dotted keys', () => {
    const s = readSettings({ language: 'ja', severity: { rules: { 'missing-item': 'error', bogus: 'error' }, levels: { informative: 'off' } }, codeLens: { enabled: false }, include: 'docs/**/*.md' });
    assert.equal(s.language, 'ja');
    assert.deepEqual(s.severityRules, { 'missing-item': 'error' });
    assert.deepEqual(s.severityLevels, { informative: 'off' });
    assert.equal(s.codeLensEnabled, false);
    assert.deepEqual(s.include, ['docs/**/*.md']);
    assert.equal(readSettings({ 'codeLens.enabled': false }).codeLensEnabled, false);
  });

  it('reads one severity setting per item level, ignoring values equal to the defaults', () => {
    // VS Code sends every declared default; only real overrides may reach the config.
    const s = readSettings({ severity: { required: 'error', recommended: 'information', informative: 'off', rules: {} } });
    assert.deepEqual(s.severityLevels, { required: 'error', informative: 'off' });
    assert.deepEqual(readSettings({ severity: { required: 'warning', recommended: 'information', informative: 'hint' } }).severityLevels, {});
  });

  it('falls back to the defaults for missing or invalid values', () => {
    assert.deepEqual(readSettings(undefined), DEFAULT_SETTINGS);
    // A budget past what a timer holds fired after 1 ms: every document was "too complex".
    assert.equal(readSettings({ analysisTimeout: 3_000_000_000 }).analysisTimeout, DEFAULT_SETTINGS.analysisTimeout);
    assert.equal(readSettings({ analysisTimeout: 2_147_483_647 }).analysisTimeout, 2_147_483_647);
    assert.equal(readSettings({ analysisTimeout: 99 }).analysisTimeout, DEFAULT_SETTINGS.analysisTimeout);
    assert.deepEqual(readSettings({ language: 'fr', severity: { rules: { 'missing-item': 'loud' } }, include: [1], codeLens: { enabled: 'yes' } }), DEFAULT_SETTINGS);
  });

  it('maps the UI locale to a fallback language', () => {
    assert.equal(localeToLang('ja'), 'ja');
    assert.equal(localeToLang('ja-JP'), 'ja');
    assert.equal(localeToLang('en-US'), 'en');
    assert.equal(localeToLang(undefined), 'en');
  });

  it('lets .x1051.yaml win over the settings where it says something', () => {
    const settings = readSettings({ language: 'en', severity: { rules: { 'unclaimed-topic': 'off', 'missing-item': 'error' } }, exclude: ['drafts/**'] });
    const file = parseConfig('severity:\n  rules:\n    missing-item: hint\n', 'file:///w/.x1051.yaml', undefined, toServiceOptions(settings, 'ja')).config;
    const merged = mergeConfig(settings, 'ja', file);
    assert.equal(merged.language, 'en', 'the file says nothing about language: the setting holds');
    assert.equal(merged.fallbackLanguage, 'ja');
    assert.deepEqual(merged.severity.rules, { 'unclaimed-topic': 'off', 'missing-item': 'hint' });
    assert.deepEqual(merged.exclude, ['drafts/**']);
    const own = parseConfig('language: ja\nexclude: ["old/**"]\n', 'file:///w/.x1051.yaml', undefined, toServiceOptions(settings, 'en')).config;
    const merged2 = mergeConfig(settings, 'en', own);
    assert.equal(merged2.language, 'en', 'an explicit display language in the settings wins over the file');
    assert.deepEqual(merged2.exclude, ['old/**']);
    assert.equal(mergeConfig(settings, 'en').uri, undefined);
  });

  it('takes the file\'s language when the setting is auto', () => {
    const settings = readSettings({ language: 'auto' });
    const own = parseConfig('language: ja\n', 'file:///w/.x1051.yaml', undefined, toServiceOptions(settings, 'en')).config;
    assert.equal(mergeConfig(settings, 'en', own).language, 'ja');
    const pinnedAuto = parseConfig('language: auto\n', 'file:///w/.x1051.yaml', undefined, toServiceOptions(readSettings({ language: 'en' }), 'ja')).config;
    assert.equal(mergeConfig(readSettings({ language: 'en' }), 'ja', pinnedAuto).language, 'en', 'a file pinning auto does not override an explicit setting');
  });
});

describe('workspace on disk', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-ws-'));
    fs.mkdirSync(path.join(dir, 'ws', 'team', 'sub'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'ws', '.git'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.x1051.yaml'), 'language: en\n');
    fs.writeFileSync(path.join(dir, 'ws', 'team', '.x1051.yaml'), 'language: ja\n');
    fs.writeFileSync(path.join(dir, 'ws', 'a.md'), '# a\n');
    fs.writeFileSync(path.join(dir, 'ws', 'team', 'sub', 'b.md'), '# b\n');
    fs.writeFileSync(path.join(dir, 'ws', '.git', 'c.md'), '# c\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds the nearest config upwards without leaving the workspace folder', () => {
    const ws = new WorkspaceIndex(new NodeFileSystem(), () => undefined, () => []);
    ws.setFolders([pathToUri(path.join(dir, 'ws'))]);
    assert.equal(ws.configFileFor(path.join(dir, 'ws', 'team', 'sub', 'b.md')), path.join(dir, 'ws', 'team', '.x1051.yaml'));
    // The config above the workspace folder is not used.
    assert.equal(ws.configFileFor(path.join(dir, 'ws', 'a.md')), undefined);
  });

  it('indexes Markdown files, skipping dot-folders, and keeps versions stable for unchanged files', async () => {
    const ws = new WorkspaceIndex(new NodeFileSystem(), () => undefined, () => []);
    ws.setFolders([pathToUri(path.join(dir, 'ws'))]);
    const found = await ws.scan();
    assert.deepEqual(found.map((u) => path.basename(u)).sort(), ['a.md', 'b.md']);
    const a = pathToUri(path.join(dir, 'ws', 'a.md'));
    const v = ws.get(a)!.version;
    assert.equal(ws.readDisk(a), false);
    assert.equal(ws.get(a)!.version, v);
    fs.writeFileSync(path.join(dir, 'ws', 'a.md'), '# a changed\n');
    assert.equal(ws.readDisk(a), true);
    assert.ok(ws.get(a)!.version > v, 'a changed text gets a new version');
  });

  it('prefers the open document over the disk', async () => {
    const a = pathToUri(path.join(dir, 'ws', 'a.md'));
    const open = { uri: a, version: 7, getText: () => '# open' };
    const ws = new WorkspaceIndex(new NodeFileSystem(), (u) => (u === a ? open : undefined), () => [open]);
    ws.setFolders([pathToUri(path.join(dir, 'ws'))]);
    await ws.scan();
    assert.equal(ws.get(a)?.getText(), '# open');
    const texts = [...ws.documents()].map((d) => d.getText()).sort();
    assert.deepEqual(texts, ['# b\n', '# open']);
  });
});

describe('uri identity and the cache folder', () => {
  it('gives one canonical uri to every percent-encoding of a file uri', () => {
    const upper = 'file:///home/a/%E6%97%A5%E6%9C%AC%E8%AA%9E%20%E3%83%95%E3%82%A1%E3%82%A4%E3%83%AB.md';
    const lower = upper.toLowerCase().replace('file:///home/a/', 'file:///home/a/');
    assert.notEqual(lower, upper);
    assert.equal(canonicalUri(lower), canonicalUri(upper));
    assert.equal(canonicalUri(upper), upper);
    assert.equal(uriToPath(lower), '/home/a/日本語 ファイル.md');
    assert.equal(canonicalUri('file:///a/b+c.md'), canonicalUri('file:///a/b%2Bc.md'));
    assert.equal(pathToUri('/a/日本語 ファイル.md'), 'file:///a/%E6%97%A5%E6%9C%AC%E8%AA%9E%20%E3%83%95%E3%82%A1%E3%82%A4%E3%83%AB.md');
    // Other schemes keep their spelling.
    assert.equal(canonicalUri('untitled:Untitled-1'), 'untitled:Untitled-1');
    assert.equal(uriToPath('x1051-control:/TEL.18.1.6.md?lang=ja'), undefined);
  });

  it('puts generated control documents under the user cache folder of each platform', () => {
    assert.equal(cacheFolder({ XDG_CACHE_HOME: '/c' }, 'linux'), path.join('/c', 'x1051'));
    assert.equal(cacheFolder({}, 'linux'), path.join(os.homedir(), '.cache', 'x1051'));
    assert.equal(cacheFolder({ XDG_CACHE_HOME: 'relative' }, 'linux'), path.join(os.homedir(), '.cache', 'x1051'));
    assert.equal(cacheFolder({}, 'darwin'), path.join(os.homedir(), 'Library', 'Caches', 'x1051'));
    assert.equal(cacheFolder({ LOCALAPPDATA: '/l' }, 'win32'), path.join('/l', 'x1051'));
  });
});
