/**
 * Protocol-level tests: the bundled server (`dist/server.js`, built by `npm run build`) spawned
 * over stdio, driven with real LSP messages, against the real compiled catalogue.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileUri, LspSession, SERVER_PATH, type WireDiagnostic } from './lspClient';

/** Applies LSP text edits (non-overlapping) to a text with `\n` line ends. */
function applyEdits(text: string, edits: { range: WireDiagnostic['range']; newText: string }[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = edits.map((e) => ({ s: offset(e.range.start), e: offset(e.range.end), t: e.newText })).sort((a, b) => b.s - a.s);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.s) + e.t + out.slice(e.e);
  return out;
}

const codes = (d: WireDiagnostic[]) => [...new Set(d.map((x) => x.code))].sort();

const POLICY = [
  '# 情報セキュリティ方針',
  '',
  '## TEL.18.1.6 通信の秘密保持',
  '',
  '当社は通信の存在、通信の内容、発信元及び宛先を第三者に開示しない。',
  '',
  '## その他',
  '',
  '詳細は TEL.18.1.66 を参照する。',
  '',
].join('\n');

describe('language server over stdio', function () {
  this.timeout(30000);
  let dir: string;
  let session: LspSession;
  let capabilities: Record<string, unknown>;

  before(async function () {
    if (!fs.existsSync(SERVER_PATH)) throw new Error(`${SERVER_PATH} is missing: run \`npm run build\` first`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-lsp-'));
    fs.writeFileSync(path.join(dir, 'indexed.md'), '# Policy\n\n## TEL.18.1.6 Secrecy of communications\n\nWe never disclose the content of communications.\n');
    fs.writeFileSync(path.join(dir, 'cited.md'), '# Crypto\n\n## Cryptographic controls [10.1.1]\n\nWe encrypt data.\n');
    fs.mkdirSync(path.join(dir, 'node_modules', 'pkg'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'node_modules', 'pkg', 'README.md'), '## TEL.18.1.6 x\n');
    fs.writeFileSync(path.join(dir, '.x1051.yaml'), 'language: auto\nunknownKey: 1\napplicability:\n  TEL.18.1.7: applicable\n');
    const started = await LspSession.start({ workspaceFolders: [dir], locale: 'ja' });
    session = started.session;
    capabilities = started.result.capabilities;
  });

  after(async () => {
    await session?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('announces its capabilities', () => {
    assert.deepEqual(capabilities.textDocumentSync, { openClose: true, change: 2, save: { includeText: true } });
    assert.equal(capabilities.hoverProvider, true);
    assert.deepEqual((capabilities.completionProvider as { resolveProvider: boolean }).resolveProvider, true);
    const kinds = (capabilities.codeActionProvider as { codeActionKinds: string[] }).codeActionKinds;
    assert.ok(kinds.includes('quickfix') && kinds.includes('source.fixAll.x1051'));
    for (const p of ['definitionProvider', 'referencesProvider', 'documentSymbolProvider', 'workspaceSymbolProvider', 'codeLensProvider']) {
      assert.ok(capabilities[p], p);
    }
  });

  it('registers file watchers dynamically and indexes the workspace under a progress', async () => {
    await session.waitFor(() => session.registrations.some((r) => r.method === 'workspace/didChangeWatchedFiles'), 'watcher registration');
    const reg = session.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles')!;
    const globs = (reg.registerOptions as { watchers: { globPattern: string }[] }).watchers.map((w) => w.globPattern);
    assert.ok(globs.includes('**/*.md') && globs.includes('**/.x1051.yaml'));
    // A file that was never opened gets diagnostics from the background indexing.
    const indexed = await session.waitForDiagnostics(fileUri(path.join(dir, 'indexed.md')));
    assert.ok(indexed.some((d) => d.code === 'missing-item'));
    await session.waitFor(() => session.progress.some((p) => p.kind === 'begin') && session.progress.some((p) => p.kind === 'end'), 'progress begin and end');
    // node_modules is not indexed.
    assert.equal(session.diagnostics.has(fileUri(path.join(dir, 'node_modules', 'pkg', 'README.md'))), false);
  });

  it('publishes the config file findings on the config file', async () => {
    const d = await session.waitForDiagnostics(fileUri(path.join(dir, '.x1051.yaml')), (x) => x.some((f) => f.code === 'invalid-config'));
    assert.ok(d.some((f) => f.code === 'invalid-config' && /unknownKey/.test(f.message)));
    // TEL.18.1.7 is declared applicable and claimed nowhere.
    await session.waitForDiagnostics(fileUri(path.join(dir, '.x1051.yaml')), (x) => x.some((f) => f.code === 'uncovered-control'));
  });

  const uri = () => fileUri(path.join(dir, 'policy.md'));

  it('publishes diagnostics with code, source and documentation link on open', async () => {
    await session.open(uri(), POLICY);
    const d = await session.waitForDiagnostics(uri());
    assert.deepEqual(codes(d), ['missing-item', 'unknown-control']);
    for (const x of d) {
      assert.equal(x.source, 'x1051');
      assert.equal(x.codeDescription?.href, `https://github.com/x1051/x1051/blob/main/docs/rules/${x.code}.md`);
    }
    const e = d.find((x) => x.code === 'missing-item' && /e\) 通信の日時/.test(x.message));
    assert.ok(e, 'e) is missing, in Japanese');
    assert.equal(e.severity, 2);
    // The missing guidelines are one information diagnostic; relatedInformation keeps one entry per item.
    const folded = d.filter((x) => x.code === 'missing-item' && x.severity === 3);
    assert.equal(folded.length, 1, JSON.stringify(folded));
    const related = (folded[0] as { relatedInformation?: { location: { uri: string }; message: string }[] }).relatedInformation ?? [];
    assert.ok(related.length >= 9, JSON.stringify(folded[0]));
    assert.ok(related.every((r) => r.location.uri === uri()));
    assert.ok(related.some((r) => /^TEL\.18\.1\.6 指針 a\) /.test(r.message)), JSON.stringify(related));
  });

  it('answers hover with the guidance and the item statuses', async () => {
    const h = await session.request<{ contents: { kind: string; value: string } }>('textDocument/hover', { textDocument: { uri: uri() }, position: { line: 2, character: 6 } });
    assert.equal(h.contents.kind, 'markdown');
    // The guidance first, then a compact status: addressed items in one line, each missing
    // required item on its own, the recommended ones folded into one line.
    assert.match(h.contents.value, /^## TEL\.18\.1\.6 通信の秘密保持/);
    const status = h.contents.value.slice(h.contents.value.indexOf('この節の対応状況'));
    assert.ok(status.length < h.contents.value.length / 2, 'the status follows the guidance');
    assert.match(status, /- ✓ \*\*a\)\*\*、\*\*b\)\*\*、\*\*c\)\*\*、\*\*d\)\*\*/);
    assert.match(status, /- ✗ \*\*e\)\*\* 通信の日時/);
    assert.match(status, /- ✗ 推奨・参考 \d+ 件：指針 \*\*a\)\*\*/);
  });

  it('completes control ids and resolves their documentation', async () => {
    await session.change(uri(), `${POLICY}TEL.18.1.`, 2);
    const r = await session.request<{ items: { label: string; data: unknown; documentation?: unknown }[] }>('textDocument/completion', {
      textDocument: { uri: uri() },
      position: { line: 9, character: 9 },
    });
    const item = r.items.find((i) => i.label === 'TEL.18.1.6');
    assert.ok(item, r.items.map((i) => i.label).join(' '));
    assert.equal(item.documentation, undefined);
    const resolved = await session.request<{ documentation: { value: string } }>('completionItem/resolve', item);
    assert.match(resolved.documentation.value, /## TEL\.18\.1\.6/);
    // After an id and a space, typed as a trigger character: the control's items only.
    await session.change(uri(), `${POLICY}TEL.18.1.6 `, 3);
    const items = await session.request<{ items: { label: string; detail: string }[] }>('textDocument/completion', {
      textDocument: { uri: uri() },
      position: { line: 9, character: 11 },
      context: { triggerKind: 2, triggerCharacter: ' ' },
    });
    assert.equal(items.items[0].label, 'a)');
    assert.equal(items.items[0].detail, '通信の存在');
    assert.ok(items.items.every((i) => /\)$/.test(i.label)));
    await session.change(uri(), POLICY, 4);
  });

  it('offers a stub quick fix that keeps the diagnostic and adds an unfilled-stub warning until the stub is written', async () => {
    const before = await session.waitForDiagnostics(uri(), (d) => d.some((x) => x.code === 'unknown-control'));
    const e = before.find((x) => x.code === 'missing-item' && /e\) 通信の日時/.test(x.message))!;
    const actions = await session.request<{ title: string; kind: string; edit: { changes: Record<string, { range: WireDiagnostic['range']; newText: string }[]> }; diagnostics: WireDiagnostic[] }[]>(
      'textDocument/codeAction',
      { textDocument: { uri: uri() }, range: e.range, context: { diagnostics: [e], only: ['quickfix'] } },
    );
    const fix = actions.find((a) => a.diagnostics.length === 1 && a.diagnostics[0].message === e.message);
    assert.ok(fix, actions.map((a) => a.title).join('\n'));
    const edited = applyEdits(POLICY, fix.edit.changes[uri()]);
    assert.match(edited, /<!-- x1051-stub TEL\.18\.1\.6\(e\): 記述してください/);
    await session.change(uri(), edited, 5);
    // The stub is a placeholder: the missing item stays, and the stub is its own warning.
    const stubbed = await session.waitForDiagnostics(uri(), (d) => d.some((x) => x.code === 'unfilled-stub'));
    assert.ok(stubbed.some((x) => x.message === e.message), 'the missing item is still reported');
    assert.equal(stubbed.filter((x) => x.code === 'missing-item').length, before.filter((x) => x.code === 'missing-item').length);
    const u = stubbed.filter((x) => x.code === 'unfilled-stub');
    assert.equal(u.length, 1);
    assert.equal(u[0].severity, 2);
    assert.equal(u[0].range.start.line, edited.split('\n').findIndex((l) => l.includes('x1051-stub')));
    assert.match((u[0] as unknown as { codeDescription?: { href: string } }).codeDescription?.href ?? '', /unfilled-stub\.md$/);
    // Writing the text after the label clears both.
    const written = edited.replace(/(\*\*TEL\.18\.1\.6 e\) 通信の日時\*\*：)/, '$1通信の日時も第三者に開示しない。');
    await session.change(uri(), written, 6);
    const after = await session.waitForDiagnostics(uri(), (d) => !d.some((x) => x.message === e.message) && !d.some((x) => x.code === 'unfilled-stub'));
    assert.equal(after.filter((x) => x.code === 'missing-item').length, before.filter((x) => x.code === 'missing-item').length - 1);
    await session.change(uri(), POLICY, 7);
    await session.waitForDiagnostics(uri(), (d) => d.some((x) => x.message === e.message));
  });

  it('re-publishes after a configuration change', async () => {
    session.settings = { severity: { rules: { 'missing-item': 'off' } } };
    await session.notify('workspace/didChangeConfiguration', { settings: null });
    const d = await session.waitForDiagnostics(uri(), (x) => !x.some((f) => f.code === 'missing-item'));
    assert.deepEqual(codes(d), ['unknown-control']);
    session.settings = {};
    await session.notify('workspace/didChangeConfiguration', { settings: null });
    await session.waitForDiagnostics(uri(), (x) => x.some((f) => f.code === 'missing-item'));
  });

  it('does not publish the same diagnostics twice (an identical set would close an open quick-fix menu)', async () => {
    const published = () => session.notifications.filter((n) => n.method === 'textDocument/publishDiagnostics' && (n.params as { uri: string }).uri === uri()).length;
    // A second open document, checked after this one, whose findings a setting changes.
    const second = fileUri(path.join(dir, 'second.md'));
    await session.open(second, '# Draft\n\nOwner: TBD\n');
    await session.waitForDiagnostics(second, (x) => x.some((f) => f.code === 'placeholder'));
    const before = published();
    // Every document is checked again; only the second one comes out different.
    session.settings = { severity: { rules: { placeholder: 'off' } } };
    await session.notify('workspace/didChangeConfiguration', { settings: null });
    await session.waitForDiagnostics(second, (x) => !x.some((f) => f.code === 'placeholder'));
    assert.equal(published(), before, 'the unchanged set of the first document is not published again');
    session.settings = {};
    await session.notify('workspace/didChangeConfiguration', { settings: null });
    await session.waitForDiagnostics(second, (x) => x.some((f) => f.code === 'placeholder'));
    // Not a workspace file: closing it clears its diagnostics.
    await session.notify('textDocument/didClose', { textDocument: { uri: second } });
    await session.waitForDiagnostics(second, (x) => x.length === 0);
  });

  it('answers custom requests: coverage and control documents', async () => {
    const coverage = await session.request<{ controls: { id: string; claims: { uri: string }[] }[]; summary: Record<string, number> }>('x1051/coverage', {});
    const c = coverage.controls.find((x) => x.id === 'TEL.18.1.6');
    assert.ok(c);
    assert.deepEqual(c.claims.map((x) => path.basename(x.uri)).sort(), ['indexed.md', 'policy.md']);
    // Each claim has its own result: indexed.md addresses only the content of communications.
    const indexed = (c as unknown as { claims: { uri: string; missing: string[] }[] }).claims.find((x) => x.uri.endsWith('indexed.md'))!;
    assert.ok(indexed.missing.includes('TEL.18.1.6(a)') && !indexed.missing.includes('TEL.18.1.6(b)'), JSON.stringify(indexed.missing));
    // A control applied as-is, with no checkable items, is cited: claimed, not checked.
    const crypto = coverage.controls.find((x) => x.id === '10.1.1') as unknown as { status: string; claims: unknown[] };
    assert.equal(crypto.status, 'cited');
    assert.equal(crypto.claims.length, 1);
    assert.ok(coverage.summary.cited >= 1);
    const md = await session.request<string | null>('x1051/controlDocument', { id: 'TEL.18.1.6', lang: 'en' });
    assert.match(md ?? '', /^## TEL\.18\.1\.6 Secrecy of communications/);
    assert.equal(await session.request('x1051/controlDocument', { id: 'TEL.99.9.9', lang: 'ja' }), null);
  });

  it('notifies the client when the coverage changes', async () => {
    const next = session.nextNotification('x1051/coverageChanged');
    await session.change(uri(), `${POLICY}\n通信の日時も開示しない。\n`, 8);
    const params = (await next) as { summary: Record<string, number> };
    assert.equal(typeof params.summary.partial, 'number');
  });

  it('computes the coverage once per edit, for the notification, config files and the request', async () => {
    const computed = () => session.logs.filter((l) => l.startsWith('x1051: computed coverage')).length;
    const next = session.nextNotification('x1051/coverageChanged');
    await session.change(uri(), `${POLICY}\n通信の宛先も開示しない。\n`, 9);
    const before = computed();
    const { summary } = (await next) as { summary: Record<string, number> };
    const coverage = await session.request<{ summary: Record<string, number> }>('x1051/coverage', {});
    assert.deepEqual(coverage.summary, summary, 'the request answers what the notification announced');
    await session.request<unknown>('x1051/coverage', {});
    // Logs arrive in order with the answers, so every computation so far has been logged.
    assert.equal(computed() - before, 1, session.logs.join('\n'));
  });

  it('answers a hover right after an edit from the last analysis, at the line\'s new place', async () => {
    const analysed = (version: number) => () => session.notifications.some((n) => n.method === 'textDocument/publishDiagnostics' && (n.params as { uri: string; version?: number }).uri === uri() && (n.params as { version?: number }).version === version);
    await session.change(uri(), POLICY, 20);
    await session.waitFor(analysed(20), 'the analysis of version 20');
    // Two lines inserted above the claim; the hover arrives before the debounced check.
    await session.change(uri(), `前文。\n\n${POLICY}`, 21);
    const h = await session.request<{ contents: { value: string }; range: WireDiagnostic['range'] } | null>('textDocument/hover', { textDocument: { uri: uri() }, position: { line: 4, character: 5 } });
    assert.ok(h, 'a hover on the moved heading');
    assert.match(h.contents.value, /TEL\.18\.1\.6/);
    assert.equal(h.range.start.line, 4);
    await session.change(uri(), POLICY, 22);
    await session.waitFor(analysed(22), 'the analysis of version 22');
  });

  it('debounces a burst of edits into one check of the latest version', async () => {
    const from = session.notifications.length;
    for (let v = 10; v < 15; v++) await session.change(uri(), `${POLICY}\n編集 ${v}\n`, v);
    await session.waitFor(
      () => session.notifications.slice(from).some((n) => n.method === 'textDocument/publishDiagnostics' && (n.params as { uri: string }).uri === uri()),
      'diagnostics after the burst',
    );
    const published = session.notifications
      .slice(from)
      .filter((n) => n.method === 'textDocument/publishDiagnostics' && (n.params as { uri: string }).uri === uri())
      .map((n) => (n.params as { version?: number }).version);
    assert.deepEqual(published, [14]);
  });

  it('answers empty for unknown documents and keeps answering', async () => {
    const unknown = { textDocument: { uri: 'file:///nowhere/none.md' }, position: { line: 0, character: 0 } };
    assert.equal(await session.request('textDocument/hover', unknown), null);
    assert.equal(await session.request('textDocument/completion', unknown), null);
    assert.deepEqual(await session.request('textDocument/definition', unknown), []);
    assert.deepEqual(await session.request('textDocument/codeAction', { ...unknown, range: { start: unknown.position, end: unknown.position }, context: { diagnostics: [] } }), []);
    // A malformed request is answered InvalidParams, and the server keeps answering.
    await assert.rejects(session.request('textDocument/hover', { textDocument: { uri: uri() }, position: null }), (e: { code: number }) => e.code === -32602);
    assert.equal(session.hasExited, false);
    const h = await session.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: uri() }, position: { line: 2, character: 6 } });
    assert.ok(h);
  });

  it('picks up a new file from a watched-file event', async () => {
    const file = path.join(dir, 'added.md');
    fs.writeFileSync(file, '# Added\n\nSee TEL.18.1.99 here.\n');
    await session.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(file), type: 1 }] });
    const d = await session.waitForDiagnostics(fileUri(file));
    assert.deepEqual(codes(d), ['unknown-control']);
  });

  it('gives document symbols and code lenses for claims', async () => {
    const symbols = await session.request<{ name: string }[]>('textDocument/documentSymbol', { textDocument: { uri: uri() } });
    assert.deepEqual(symbols.map((s) => s.name), ['TEL.18.1.6 通信の秘密保持']);
    const lenses = await session.request<{ command: { title: string } }[]>('textDocument/codeLens', { textDocument: { uri: uri() } });
    assert.match(lenses[0].command.title, /^TEL\.18\.1\.6 · 15 項目中 \d+ 項目に対応 · 未記述 必須 1、推奨 \d+$/);
    // x1051.codeLens.enabled: false turns them off.
    session.settings = { codeLens: { enabled: false } };
    await session.notify('workspace/didChangeConfiguration', { settings: null });
    // The diagnostics do not change (so none are published): ask until the setting has been read.
    let after: unknown[] = lenses;
    for (let i = 0; i < 100 && after.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      after = await session.request<unknown[]>('textDocument/codeLens', { textDocument: { uri: uri() } });
    }
    assert.deepEqual(after, []);
    session.settings = {};
  });
});

describe('LSP server: workspace indexing progress (shown in the status bar by VS Code)', function () {
  this.timeout(60000);
  let dir: string;
  afterEach(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('reports reading and checking as files done/total, in order, from begin to end', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-progress-'));
    for (let i = 0; i < 45; i++) fs.writeFileSync(path.join(dir, `p${i}.md`), `# Policy ${i}\n\n## TEL.18.1.6 Secrecy\n\nWe never disclose the content of communications.\n`);
    const { session } = await LspSession.start({ workspaceFolders: [dir] });
    try {
      await session.waitFor(() => session.progress.some((p) => p.kind === 'end'), 'progress end', 40000);
      const mine = session.progress.filter((p) => p.token === session.progress.find((b) => b.kind === 'begin')!.token);
      assert.equal(mine[0].kind, 'begin');
      assert.match(mine[0].title ?? '', /X\.1051: indexing the workspace/);
      assert.equal(mine[mine.length - 1].kind, 'end');
      const reports = mine.filter((p) => p.kind === 'report');
      assert.ok(reports.some((p) => /^reading \d+\/45 files$/.test(p.message ?? '')), JSON.stringify(reports));
      assert.ok(reports.some((p) => p.message === 'checking 20/45 files'), JSON.stringify(reports));
      assert.equal(reports[reports.length - 1].message, 'checking 45/45 files');
      const percentages = reports.map((p) => p.percentage ?? 0);
      assert.deepEqual(percentages, [...percentages].sort((a, b) => a - b), 'percentages only go up');
      assert.equal(percentages[percentages.length - 1], 100);
    } finally {
      await session.stop();
    }
  });
});

describe('LSP server: a document\'s scope follows its config file as it is edited (remembered per uri until a config changes)', function () {
  this.timeout(60000);
  let dir: string;
  afterEach(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('excluding a file clears its diagnostics and drops it from coverage; including it again brings both back', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-scope-'));
    fs.writeFileSync(path.join(dir, 'a.md'), '# Policy\n\n## TEL.18.1.6 Secrecy\n\nSee TEL.18.1.66.\n');
    fs.writeFileSync(path.join(dir, 'b.md'), '# Other\n\n## TEL.18.1.6 Secrecy\n\nWe never disclose the content of communications.\n');
    const configPath = path.join(dir, '.x1051.yaml');
    fs.writeFileSync(configPath, 'language: en\n');
    const a = fileUri(path.join(dir, 'a.md'));
    const configUri = fileUri(configPath);
    const { session } = await LspSession.start({ workspaceFolders: [dir] });
    try {
      await session.waitFor(() => session.progress.some((p) => p.kind === 'end'), 'indexing', 40000);
      await session.waitForDiagnostics(a, (d) => d.some((x) => x.code === 'unknown-control'));
      const docsOf = async () => ((await session.request('x1051/coverage', {})) as { documents?: Array<{ uri: string }>; controls: Array<{ claims: Array<{ uri: string }> }> }).controls.flatMap((c) => c.claims.map((k) => k.uri));
      assert.ok((await docsOf()).includes(a), 'a.md is covered');
      // The config file edited in the editor: a.md leaves the scope.
      await session.open(configUri, 'language: en\n', 1);
      await session.change(configUri, 'language: en\nexclude: ["a.md"]\n', 2);
      await session.waitForDiagnostics(a, (d) => d.length === 0);
      assert.ok(!(await docsOf()).includes(a), 'a.md is no longer covered');
      // And back.
      await session.change(configUri, 'language: en\n', 3);
      await session.waitForDiagnostics(a, (d) => d.some((x) => x.code === 'unknown-control'));
      assert.ok((await docsOf()).includes(a), 'a.md is covered again');
    } finally {
      await session.stop();
    }
  });
});
