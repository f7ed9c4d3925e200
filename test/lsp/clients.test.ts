/**
 * What other editors than VS Code need from the server, over stdio against the bundled server:
 * fresh diagnostics without `workspace/didChangeWatchedFiles`, one identity per document
 * whatever the percent-encoding of its uri, control documents any client can open, and every
 * command of a code lens or code action announced and runnable.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileUri, LspSession, richCapabilities, type WireDiagnostic } from './lspClient';

const BAD = '# Policy\n\nSee TEL.18.1.66 here.\n';
const GOOD = '# Policy\n\nSee TEL.18.1.6 here.\n';
const CLAIM = '# Policy\n\n## TEL.18.1.6 Secrecy of communications\n\nWe never disclose the content of communications. See TEL.18.1.6 e).\n';

const unknownIds = (d: WireDiagnostic[]) => d.filter((x) => x.code === 'unknown-control').length;

/**
 * The diagnostics of the closed document `uri` published after notification number `from`, once
 * they arrive: those of the disk copy, which carry no version (an open document's do).
 */
async function publishedAfter(session: LspSession, uri: string, from: number): Promise<WireDiagnostic[]> {
  const mine = () =>
    session.notifications
      .slice(from)
      .filter((n) => n.method === 'textDocument/publishDiagnostics' && (n.params as { uri: string; version?: number }).uri === uri && (n.params as { version?: number }).version === undefined);
  await session.waitFor(() => mine().length > 0, `diagnostics of ${uri} after notification ${from}`);
  return (mine().at(-1)!.params as { diagnostics: WireDiagnostic[] }).diagnostics;
}

/** The uri with lower-case percent escapes, as some clients write it. */
const lowerEscapes = (uri: string) => uri.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());

describe('any client: fresh diagnostics and one uri per document', function () {
  this.timeout(30000);
  let dir: string;
  let session: LspSession;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-clients-'));
  });
  afterEach(async () => {
    await session?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A client that registers no file watcher and never sends a watched-files notification. */
  async function startWithoutWatchers(): Promise<void> {
    ({ session } = await LspSession.start({ workspaceFolders: [dir], dynamicWatchers: false }));
  }

  it('re-reads a saved document on didClose, without any watched-files notification', async () => {
    const file = path.join(dir, 'a.md');
    fs.writeFileSync(file, BAD);
    await startWithoutWatchers();
    const uri = fileUri(file);
    await session.waitForDiagnostics(uri, (d) => unknownIds(d) === 1);
    await session.open(uri, BAD);
    await session.change(uri, GOOD, 2);
    await session.waitForDiagnostics(uri, (d) => unknownIds(d) === 0);
    // The editor writes the file and says so, then closes it.
    fs.writeFileSync(file, GOOD);
    await session.notify('textDocument/didSave', { textDocument: { uri }, text: GOOD });
    const from = session.notifications.length;
    await session.notify('textDocument/didClose', { textDocument: { uri } });
    assert.equal(unknownIds(await publishedAfter(session, uri, from)), 0, 'the closed document keeps the saved text, not the start-up copy');
    assert.ok(!session.registrations.some((r) => r.method === 'workspace/didChangeWatchedFiles'));
    assert.ok(!session.notifications.some((n) => n.method === 'workspace/didChangeWatchedFiles'));
    // Coverage follows the saved text too.
    const coverage = await session.request<{ controls: { id: string; claims: unknown[]; citations?: unknown[] }[] }>('x1051/coverage', {});
    assert.ok(coverage.controls.length > 0);
  });

  it('re-reads on didClose what another program wrote while the document was open', async () => {
    const file = path.join(dir, 'b.md');
    fs.writeFileSync(file, GOOD);
    await startWithoutWatchers();
    const uri = fileUri(file);
    await session.open(uri, GOOD);
    await session.waitForDiagnostics(uri, (d) => unknownIds(d) === 0);
    fs.writeFileSync(file, BAD);
    const from = session.notifications.length;
    await session.notify('textDocument/didClose', { textDocument: { uri } });
    assert.equal(unknownIds(await publishedAfter(session, uri, from)), 1);
  });

  it('takes a file the editor created and saved into the workspace when it is closed', async () => {
    await startWithoutWatchers();
    const file = path.join(dir, 'new.md');
    const uri = fileUri(file);
    await session.open(uri, BAD);
    await session.waitForDiagnostics(uri, (d) => unknownIds(d) === 1);
    fs.writeFileSync(file, BAD);
    await session.notify('textDocument/didSave', { textDocument: { uri }, text: BAD });
    const from = session.notifications.length;
    await session.notify('textDocument/didClose', { textDocument: { uri } });
    // Before, a file the start-up scan had not seen lost its diagnostics on close.
    assert.equal(unknownIds(await publishedAfter(session, uri, from)), 1);
  });

  it('publishes one document under one uri, whatever the case of its percent escapes', async () => {
    const file = path.join(dir, '日本語 ファイル.md');
    fs.writeFileSync(file, BAD);
    await startWithoutWatchers();
    const upper = fileUri(file);
    const lower = lowerEscapes(upper);
    assert.notEqual(lower, upper);
    // The start-up scan publishes under the canonical spelling...
    await session.waitForDiagnostics(upper, (d) => unknownIds(d) === 1);
    // ...the client opens the file under its own: the scan's copy is cleared, not left stale.
    await session.open(lower, GOOD);
    await session.waitForDiagnostics(lower, (d) => unknownIds(d) === 0);
    await session.waitForDiagnostics(upper, (d) => d.length === 0);
    fs.writeFileSync(file, GOOD);
    await session.notify('textDocument/didSave', { textDocument: { uri: lower }, text: GOOD });
    const from = session.notifications.length;
    await session.notify('textDocument/didClose', { textDocument: { uri: lower } });
    // After close the disk copy is published under the spelling the client knows.
    assert.equal(unknownIds(await publishedAfter(session, lower, from)), 0);
    const spellings = new Set(session.notifications.slice(from).filter((n) => n.method === 'textDocument/publishDiagnostics').map((n) => (n.params as { uri: string }).uri));
    assert.ok(!spellings.has(upper), [...spellings].join(' '));
    for (const [uri, d] of session.diagnostics) if (uri === upper || uri === lower) assert.equal(unknownIds(d), 0, uri);
    // Requests under either spelling reach the same document.
    const symbols = await session.request<{ name: string }[]>('textDocument/documentSymbol', { textDocument: { uri: upper } });
    assert.deepEqual(symbols, []);
  });
});

describe('any client: control documents and commands', function () {
  this.timeout(30000);
  let dir: string;
  let cache: string;
  let session: LspSession | undefined;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-controls-'));
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-cache-'));
    fs.writeFileSync(path.join(dir, 'policy.md'), CLAIM);
  });
  afterEach(async () => {
    await session?.stop();
    session = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(cache, { recursive: true, force: true });
  });

  const policy = () => fileUri(path.join(dir, 'policy.md'));
  const at = (line: number, character: number) => ({ textDocument: { uri: policy() }, position: { line, character } });

  async function start(capabilities: Record<string, unknown>, initializationOptions?: unknown) {
    const started = await LspSession.start({ workspaceFolders: [dir], capabilities, initializationOptions, env: { XDG_CACHE_HOME: cache } });
    session = started.session;
    await session.open(policy(), CLAIM);
    await session.waitForDiagnostics(policy());
    return started.result.capabilities as Record<string, any>;
  }

  it('serves workspace/textDocumentContent to a client that supports it (LSP 3.18)', async () => {
    const caps = richCapabilities();
    (caps.workspace as Record<string, unknown>).textDocumentContent = { dynamicRegistration: false };
    const server = await start(caps);
    assert.deepEqual(server.workspace.textDocumentContent, { schemes: ['x1051-control'] });
    const [loc] = await session!.request<{ uri: string }[]>('textDocument/definition', at(2, 6));
    assert.match(loc.uri, /^x1051-control:\/TEL\.18\.1\.6\.md\?lang=en$/);
    const { text } = await session!.request<{ text: string }>('workspace/textDocumentContent', { uri: loc.uri });
    assert.match(text, /^## TEL\.18\.1\.6 Secrecy of communications/);
    await assert.rejects(session!.request('workspace/textDocumentContent', { uri: 'x1051-control:/TEL.99.9.9.md?lang=en' }), (e: { code: number }) => e.code === -32602);
    assert.equal(fs.readdirSync(cache).length, 0, 'no file is written for such a client');
  });

  it('gives other clients a read-only generated file under the cache folder', async () => {
    await start({ textDocument: {}, workspace: {} });
    const [loc] = await session!.request<{ uri: string; range: WireDiagnostic['range'] }[]>('textDocument/definition', at(2, 6));
    const file = path.join(cache, 'x1051', 'controls', 'en', 'TEL.18.1.6.md');
    assert.equal(loc.uri, fileUri(file));
    const expected = await session!.request<string>('x1051/controlDocument', { id: 'TEL.18.1.6', lang: 'en' });
    assert.equal(fs.readFileSync(file, 'utf8'), expected);
    if (process.platform !== 'win32') assert.equal(fs.statSync(file).mode & 0o222, 0, 'read-only');
    // An item reference points at the item's line of that file.
    const [item] = await session!.request<{ uri: string; range: WireDiagnostic['range'] }[]>('textDocument/definition', at(4, 62));
    assert.equal(item.uri, loc.uri);
    assert.match(expected.split('\n')[item.range.start.line], /`TEL\.18\.1\.6\(e\)`|e\)/);
    assert.ok(item.range.start.line > 0);
    // Workspace symbols of controls point at the same kind of file.
    const symbols = await session!.request<{ name: string; location: { uri: string } }[]>('workspace/symbol', { query: 'TEL.18.1.7' });
    const control = symbols.find((s) => s.name.startsWith('TEL.18.1.7'));
    assert.ok(control, JSON.stringify(symbols));
    assert.equal(control.location.uri, fileUri(path.join(cache, 'x1051', 'controls', 'en', 'TEL.18.1.7.md')));
    assert.ok(fs.existsSync(path.join(cache, 'x1051', 'controls', 'en', 'TEL.18.1.7.md')));
    // Opening the generated file in the editor does not check it as a policy.
    await session!.open(loc.uri, expected);
    assert.deepEqual(await session!.waitForDiagnostics(loc.uri), []);
  });

  it('leaves control documents and showControl to the VS Code extension when it says so', async () => {
    const caps = richCapabilities();
    (caps.workspace as Record<string, unknown>).textDocumentContent = { dynamicRegistration: true };
    const server = await start(caps, { controlDocuments: 'client', clientCommands: ['x1051.showControl'] });
    assert.equal(server.workspace.textDocumentContent, undefined);
    assert.ok(!server.executeCommandProvider.commands.includes('x1051.showControl'));
    const [loc] = await session!.request<{ uri: string }[]>('textDocument/definition', at(2, 6));
    assert.match(loc.uri, /^x1051-control:/);
  });

  it('announces and runs every command of its code lenses and code actions', async () => {
    // A client without code action literals, with applyEdit and showDocument.
    const server = await start({ workspace: { applyEdit: true }, window: { showDocument: { support: true } }, textDocument: {} });
    const announced: string[] = server.executeCommandProvider.commands;
    const lenses = await session!.request<{ command: { command: string; arguments: unknown[] } }[]>('textDocument/codeLens', { textDocument: { uri: policy() } });
    assert.ok(lenses.length > 0);
    const diagnostics = session!.diagnostics.get(policy())!;
    const missing = diagnostics.find((d) => d.code === 'missing-item')!;
    const actions = await session!.request<{ title: string; command: string; arguments: unknown[]; edit?: unknown }[]>('textDocument/codeAction', {
      textDocument: { uri: policy() },
      range: missing.range,
      context: { diagnostics: [missing] },
    });
    assert.ok(actions.length > 0);
    for (const a of actions) assert.equal(typeof a.command, 'string', 'a Command, not a CodeAction literal');
    for (const c of [...lenses.map((l) => l.command.command), ...actions.map((a) => a.command)]) assert.ok(announced.includes(c), `${c} is announced`);

    // The lens shows the control: the client is asked to open the generated file.
    const lens = lenses[0].command;
    const shown = await session!.request<{ uri: string }>('workspace/executeCommand', { command: lens.command, arguments: lens.arguments });
    assert.equal(shown.uri, fileUri(path.join(cache, 'x1051', 'controls', 'en', 'TEL.18.1.6.md')));
    assert.deepEqual(session!.shownDocuments, [{ uri: shown.uri, takeFocus: true }]);

    // A code action command applies its edit through workspace/applyEdit.
    const result = await session!.request<{ applied: boolean }>('workspace/executeCommand', { command: actions[0].command, arguments: actions[0].arguments });
    assert.deepEqual(result, { applied: true });
    const edit = (session!.applied[0] as { edit: { changes: Record<string, { newText: string }[]> } }).edit;
    assert.ok(edit.changes[policy()].some((e) => e.newText.length > 0));

    await assert.rejects(session!.request('workspace/executeCommand', { command: 'x1051.nope', arguments: [] }), (e: { code: number }) => e.code === -32602);
    await assert.rejects(session!.request('workspace/executeCommand', { command: 'x1051.showControl', arguments: ['TEL.99.9.9'] }), (e: { code: number }) => e.code === -32602);
  });
});
