/**
 * LSP conformance with raw clients over stdio against the bundled server: the lifecycle,
 * cancellation, invalid params, answers shaped by the client's capabilities, and settings pulled
 * or pushed.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { fileUri, LspSession, richCapabilities, SERVER_PATH, TEST_CACHE, type WireDiagnostic } from './lspClient';

const POLICY = [
  '# Policy',
  '',
  '## TEL.18.1.6 Secrecy of communications',
  '',
  'We never disclose the content of communications.',
  '',
  'See TEL.18.1.66 too.',
  '',
].join('\n');

const errorCode = (code: number) => (e: { code?: number }) => {
  assert.equal(e.code, code, JSON.stringify(e));
  return true;
};

const initializeParams = (capabilities: Record<string, unknown> = {}) => ({ processId: null, rootUri: null, capabilities });

describe('LSP lifecycle over stdio', function () {
  this.timeout(20000);
  let session: LspSession | undefined;
  afterEach(async () => {
    if (session && !session.hasExited) session.child.kill();
    session?.connection.dispose();
    session = undefined;
  });

  it('answers -32002 before initialize, drops notifications, refuses a second initialize, -32600 after shutdown, exits 0', async () => {
    session = LspSession.spawn();
    const uri = 'file:///early/policy.md';
    await assert.rejects(session.request('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 4 } }), errorCode(-32002));
    await assert.rejects(session.request('x1051/coverage', {}), errorCode(-32002));
    // A notification before initialize is dropped: the document was never opened.
    await session.open(uri, POLICY);
    const result = await session.request<{ capabilities: unknown }>('initialize', initializeParams());
    assert.ok(result.capabilities);
    await session.notify('initialized', {});
    assert.equal(await session.request('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 4 } }), null);
    await assert.rejects(session.request('initialize', initializeParams()), errorCode(-32600));
    // Still serving after the refused initialize.
    await session.open(uri, POLICY);
    assert.ok(await session.request('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 4 } }));
    assert.equal(await session.request('shutdown', null), null);
    await assert.rejects(session.request('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 4 } }), errorCode(-32600));
    await assert.rejects(session.request('shutdown', null), errorCode(-32600));
    const exited = session.exitCode();
    await session.notify('exit', null);
    assert.equal(await exited, 0);
  });

  it('exits 1 on exit without shutdown', async () => {
    session = LspSession.spawn();
    await session.request('initialize', initializeParams());
    await session.notify('initialized', {});
    const exited = session.exitCode();
    await session.notify('exit', null);
    assert.equal(await exited, 1);
  });

  it('exits 1 on exit before initialize', async () => {
    session = LspSession.spawn();
    const exited = session.exitCode();
    await session.notify('exit', null);
    assert.equal(await exited, 1);
  });
});

describe('LSP requests over stdio: invalid params and cancellation', function () {
  this.timeout(60000);
  let dir: string;
  let session: LspSession;
  const uri = () => fileUri(path.join(dir, 'policy.md'));

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-conf-'));
    fs.writeFileSync(path.join(dir, 'policy.md'), POLICY);
    ({ session } = await LspSession.start({ workspaceFolders: [dir] }));
    await session.open(uri(), POLICY);
    await session.waitForDiagnostics(uri());
    await session.waitFor(() => session.progress.some((p) => p.kind === 'end'), 'the end of the indexing', 60000);
  });
  after(async () => {
    await session?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers -32602 to malformed params instead of null', async () => {
    await assert.rejects(session.request('textDocument/hover', { textDocument: {}, position: { line: 0, character: 0 } }), errorCode(-32602));
    await assert.rejects(session.request('textDocument/hover', { textDocument: { uri: uri() } }), errorCode(-32602));
    await assert.rejects(session.request('textDocument/definition', { textDocument: { uri: uri() }, position: { line: -1, character: 0 } }), errorCode(-32602));
    await assert.rejects(session.request('textDocument/completion', { textDocument: { uri: 42 }, position: { line: 0, character: 0 } }), errorCode(-32602));
    await assert.rejects(session.request('textDocument/codeAction', { textDocument: { uri: uri() }, context: { diagnostics: [] } }), errorCode(-32602));
    await assert.rejects(session.request('textDocument/documentSymbol', {}), errorCode(-32602));
    await assert.rejects(session.request('textDocument/codeLens', { textDocument: null }), errorCode(-32602));
    await assert.rejects(session.request('workspace/symbol', {}), errorCode(-32602));
    const e = await session.request('textDocument/hover', { textDocument: {}, position: { line: 0, character: 0 } }).catch((x: Error) => x);
    assert.match((e as Error).message, /textDocument\.uri/);
    // The server keeps answering, and logged no TypeError.
    assert.ok(await session.request('textDocument/hover', { textDocument: { uri: uri() }, position: { line: 2, character: 4 } }));
    assert.ok(!session.logs.some((l) => /TypeError/.test(l)), session.logs.join('\n'));
  });

  it('answers -32800 to a request cancelled before it runs', async () => {
    // The request and its cancellation in one write: the server reads both before it dispatches.
    const raw = rawServer();
    try {
      await raw.request(1, 'initialize', initializeParams());
      raw.notify('initialized', {});
      raw.notify('textDocument/didOpen', { textDocument: { uri: uri(), languageId: 'markdown', version: 1, text: POLICY } });
      const answer = raw.waitFor(2);
      raw.write([
        { id: 2, method: 'textDocument/hover', params: { textDocument: { uri: uri() }, position: { line: 2, character: 4 } } },
        { method: '$/cancelRequest', params: { id: 2 } },
      ]);
      assert.equal(((await answer) as { error?: { code: number } }).error?.code, -32800);
    } finally {
      raw.kill();
    }
  });

  it('answers -32800 to a request cancelled while it waits on the client', async () => {
    // x1051.showControl waits for window/showDocument; the client cancels before answering it.
    const raw = rawServer();
    try {
      await raw.request(1, 'initialize', initializeParams({ window: { showDocument: { support: true } } }));
      raw.notify('initialized', {});
      const answer = raw.waitFor(2);
      raw.write([{ id: 2, method: 'workspace/executeCommand', params: { command: 'x1051.showControl', arguments: ['TEL.18.1.6', 'en'] } }]);
      const show = (await raw.waitForMethod('window/showDocument')) as { id: number };
      raw.write([{ method: '$/cancelRequest', params: { id: 2 } }]);
      await new Promise((r) => setTimeout(r, 50));
      raw.write([{ id: show.id, result: { success: true } }]);
      assert.equal(((await answer) as { error?: { code: number } }).error?.code, -32800);
    } finally {
      raw.kill();
    }
  });
});

/** A raw JSON-RPC client over the bundled server's stdio, for byte-level control of what is sent together. */
function rawServer() {
  const child = spawn(process.execPath, [SERVER_PATH, '--stdio'], { stdio: 'pipe', env: { ...process.env, XDG_CACHE_HOME: TEST_CACHE } });
  let buffer = Buffer.alloc(0);
  const messages: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const header = buffer.indexOf('\r\n\r\n');
      if (header < 0) break;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, header).toString())?.[1]);
      if (buffer.length < header + 4 + length) break;
      messages.push(JSON.parse(buffer.subarray(header + 4, header + 4 + length).toString()));
      buffer = buffer.subarray(header + 4 + length);
      for (const w of [...waiters]) w();
    }
  });
  const frame = (m: object) => {
    const body = JSON.stringify({ jsonrpc: '2.0', ...m });
    return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  };
  const until = (find: () => Record<string, unknown> | undefined, what: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 15000);
      const check = () => {
        const m = find();
        if (m) {
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(check), 1);
          resolve(m);
        }
      };
      waiters.push(check);
      check();
    });
  const api = {
    write: (ms: object[]) => child.stdin.write(ms.map(frame).join('')),
    notify: (method: string, params: unknown) => api.write([{ method, params }]),
    waitFor: (id: number) => until(() => messages.find((m) => m.id === id && !('method' in m)), `the answer to ${id}`),
    waitForMethod: (method: string) => until(() => messages.find((m) => m.method === method), method),
    request: (id: number, method: string, params: unknown) => {
      api.write([{ id, method, params }]);
      return api.waitFor(id);
    },
    kill: () => child.kill(),
  };
  return api;
}

describe('answers shaped by the client capabilities', function () {
  this.timeout(30000);
  let dir: string;
  const uri = () => fileUri(path.join(dir, 'policy.md'));

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-caps-'));
    fs.writeFileSync(path.join(dir, 'policy.md'), POLICY);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function withClient(capabilities: Record<string, unknown>, run: (s: LspSession, d: WireDiagnostic[]) => Promise<void>, initializationOptions?: unknown): Promise<void> {
    const { session } = await LspSession.start({ workspaceFolders: [dir], capabilities, initializationOptions });
    try {
      await session.open(uri(), POLICY);
      const d = await session.waitForDiagnostics(uri(), (x) => x.length > 0);
      await run(session, d);
    } finally {
      await session.stop();
    }
  }

  it('gives a minimal client plain text, flat symbols, no codeDescription or data, no code action literals', async () => {
    await withClient({}, async (s, diagnostics) => {
      for (const d of diagnostics) {
        assert.equal(d.codeDescription, undefined);
        assert.equal(d.data, undefined);
      }
      const h = await s.request<{ contents: { kind: string; value: string } }>('textDocument/hover', { textDocument: { uri: uri() }, position: { line: 2, character: 6 } });
      assert.equal(h.contents.kind, 'plaintext');
      assert.match(h.contents.value, /TEL\.18\.1\.6 Secrecy of communications/);
      assert.doesNotMatch(h.contents.value, /\*\*|^#|`/m);
      const c = await s.request<{ items: { label: string; documentation?: unknown; data?: unknown }[] }>('textDocument/completion', { textDocument: { uri: uri() }, position: { line: 6, character: 11 } });
      const item = c.items.find((i) => i.label.startsWith('TEL.18.1'))!;
      assert.ok(item, JSON.stringify(c.items.slice(0, 3)));
      const resolved = await s.request<{ documentation: { kind: string; value: string } }>('completionItem/resolve', item);
      assert.equal(resolved.documentation.kind, 'plaintext');
      assert.doesNotMatch(resolved.documentation.value, /\*\*|^#/m);
      const symbols = await s.request<{ name: string; location?: { uri: string }; selectionRange?: unknown }[]>('textDocument/documentSymbol', { textDocument: { uri: uri() } });
      assert.equal(symbols.length, 1);
      assert.equal(symbols[0].location?.uri, uri());
      assert.equal(symbols[0].selectionRange, undefined);
      const actions = await s.request<unknown[]>('textDocument/codeAction', { textDocument: { uri: uri() }, range: diagnostics[0].range, context: { diagnostics } });
      assert.deepEqual(actions, [], 'no literals, and no applyEdit to run a Command with');
    });
  });

  it('gives a rich client Markdown, hierarchical symbols, codeDescription and data, and documentChanges when declared', async () => {
    const caps = richCapabilities();
    (caps.textDocument as Record<string, unknown>).documentSymbol = { hierarchicalDocumentSymbolSupport: true };
    (caps.workspace as Record<string, unknown>).workspaceEdit = { documentChanges: true };
    await withClient(caps, async (s, diagnostics) => {
      assert.ok(diagnostics.every((d) => d.codeDescription?.href && d.data));
      const h = await s.request<{ contents: { kind: string; value: string } }>('textDocument/hover', { textDocument: { uri: uri() }, position: { line: 2, character: 6 } });
      assert.equal(h.contents.kind, 'markdown');
      const symbols = await s.request<{ selectionRange?: unknown; location?: unknown }[]>('textDocument/documentSymbol', { textDocument: { uri: uri() } });
      assert.ok(symbols[0].selectionRange && !symbols[0].location);
      const missing = diagnostics.find((d) => d.code === 'missing-item')!;
      const actions = await s.request<{ kind: string; edit: { documentChanges?: { textDocument: { uri: string } }[]; changes?: unknown } }[]>('textDocument/codeAction', {
        textDocument: { uri: uri() },
        range: missing.range,
        context: { diagnostics: [missing] },
      });
      assert.ok(actions.length > 0);
      for (const a of actions) {
        assert.equal(a.edit.changes, undefined);
        assert.equal(a.edit.documentChanges?.[0].textDocument.uri, uri());
      }
    });
  });
});

describe('quick fixes against stale text: versioned edits (issue #11, hole 7)', function () {
  this.timeout(30000);
  let dir: string;
  const uri = () => fileUri(path.join(dir, 'policy.md'));
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-version-'));
    fs.writeFileSync(path.join(dir, 'policy.md'), POLICY);
    fs.writeFileSync(path.join(dir, 'closed.md'), POLICY);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  type Edit = { range: { start: { line: number } }; newText: string };
  type Versioned = { documentChanges?: { textDocument: { uri: string; version: number | null }; edits: Edit[] }[]; changes?: Record<string, Edit[]> };

  async function actionsAt(s: LspSession, target: string, diagnostics: WireDiagnostic[]): Promise<{ title: string; edit?: Versioned; arguments?: Versioned[] }[]> {
    const missing = diagnostics.find((d) => d.code === 'missing-item')!;
    assert.ok(missing, JSON.stringify(diagnostics));
    return s.request('textDocument/codeAction', { textDocument: { uri: target }, range: missing.range, context: { diagnostics: [missing] } });
  }

  it('every edit names the version it was computed for; after the author types on, the old one no longer matches', async () => {
    const caps = richCapabilities();
    (caps.workspace as Record<string, unknown>).workspaceEdit = { documentChanges: true };
    const { session: s } = await LspSession.start({ workspaceFolders: [dir], capabilities: caps });
    try {
      await s.open(uri(), POLICY, 7);
      const before = await actionsAt(s, uri(), await s.waitForDiagnostics(uri(), (x) => x.some((d) => d.code === 'missing-item')));
      assert.ok(before.length > 0);
      for (const a of before) {
        assert.equal(a.edit?.changes, undefined, a.title);
        assert.deepEqual(a.edit?.documentChanges?.map((c) => c.textDocument), [{ uri: uri(), version: 7 }], a.title);
      }
      // The author types a line above: the fixes computed for version 7 would land one line too
      // high, and a client refuses them because the document is now at version 8.
      await s.notify('textDocument/didChange', { textDocument: { uri: uri(), version: 8 }, contentChanges: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'Approved by the board on 1 April.\n' }] });
      const diagnostics = await s.waitForDiagnostics(uri(), (x) => x.some((d) => d.code === 'missing-item' && d.range.start.line > 2));
      const after = await actionsAt(s, uri(), diagnostics);
      for (const a of after) assert.deepEqual(a.edit?.documentChanges?.map((c) => c.textDocument.version), [8], a.title);
      const line = (a: (typeof before)[number]) => a.edit!.documentChanges![0].edits[0].range.start.line;
      const same = after.find((a) => a.title === before[0].title)!;
      assert.equal(line(same), line(before[0]) + 1, 'the fresh edit follows the text');
      // A workspace file the client has not opened: no version the client could check.
      const closed = fileUri(path.join(dir, 'closed.md'));
      const onDisk = await actionsAt(s, closed, await s.waitForDiagnostics(closed, (x) => x.some((d) => d.code === 'missing-item')));
      assert.ok(onDisk.length > 0);
      for (const a of onDisk) assert.deepEqual(a.edit?.documentChanges?.map((c) => c.textDocument), [{ uri: closed, version: null }], a.title);
    } finally {
      await s.stop();
    }
  });

  it('a client applying fixes through commands gets the versioned edit as the argument; one without documentChanges gets changes', async () => {
    const commandsOnly = { workspace: { applyEdit: true, workspaceEdit: { documentChanges: true } } };
    const { session: s } = await LspSession.start({ workspaceFolders: [dir], capabilities: commandsOnly });
    try {
      await s.open(uri(), POLICY, 3);
      const actions = await actionsAt(s, uri(), await s.waitForDiagnostics(uri(), (x) => x.some((d) => d.code === 'missing-item')));
      assert.ok(actions.length > 0);
      for (const a of actions) assert.deepEqual(a.arguments?.[0].documentChanges?.map((c) => c.textDocument), [{ uri: uri(), version: 3 }], a.title);
    } finally {
      await s.stop();
    }
    const plain = richCapabilities();
    const { session: p } = await LspSession.start({ workspaceFolders: [dir], capabilities: plain });
    try {
      await p.open(uri(), POLICY, 3);
      const actions = await actionsAt(p, uri(), await p.waitForDiagnostics(uri(), (x) => x.some((d) => d.code === 'missing-item')));
      assert.ok(actions.length > 0);
      for (const a of actions) {
        assert.equal(a.edit?.documentChanges, undefined, a.title);
        assert.ok(a.edit?.changes?.[uri()]?.length, a.title);
      }
    } finally {
      await p.stop();
    }
  });
});

describe('settings pulled or pushed', function () {
  this.timeout(30000);
  let dir: string;
  const uri = () => fileUri(path.join(dir, 'policy.md'));
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-push-'));
    fs.writeFileSync(path.join(dir, 'policy.md'), POLICY);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const unknownIds = (d: WireDiagnostic[]) => d.filter((x) => x.code === 'unknown-control').length;

  it('takes initializationOptions and pushed didChangeConfiguration from a client without workspace/configuration', async () => {
    const { session } = await LspSession.start({
      workspaceFolders: [dir],
      capabilities: { workspace: { didChangeConfiguration: { dynamicRegistration: false } } },
      initializationOptions: { settings: { severity: { rules: { 'unknown-control': 'off' } } } },
    });
    try {
      let asked = false;
      session.connection.onRequest('workspace/configuration', () => {
        asked = true;
        return [{}];
      });
      await session.open(uri(), POLICY);
      await session.waitForDiagnostics(uri(), (d) => d.length > 0 && unknownIds(d) === 0);
      await session.notify('workspace/didChangeConfiguration', { settings: { x1051: { severity: { rules: { 'unknown-control': 'error' } } } } });
      const d = await session.waitForDiagnostics(uri(), (x) => unknownIds(x) === 1);
      assert.equal(d.find((x) => x.code === 'unknown-control')!.severity, 1);
      assert.equal(asked, false, 'the server never pulls from a client that did not declare workspace/configuration');
    } finally {
      await session.stop();
    }
  });

  it('pulls through workspace/configuration when the client supports it, over what it pushes', async () => {
    const { session } = await LspSession.start({ workspaceFolders: [dir], settings: { severity: { rules: { 'unknown-control': 'off' } } } });
    try {
      await session.open(uri(), POLICY);
      const first = await session.waitForDiagnostics(uri(), (d) => d.length > 0 && unknownIds(d) === 0);
      assert.ok(first.some((x) => x.code === 'missing-item'));
      // A push says "error"; the pulled settings (still "off") win.
      // The pulled settings also turn missing-item off, so the re-check publishes a new set (an
      // unchanged set is not published again): it must still have no unknown-control.
      session.settings = { severity: { rules: { 'unknown-control': 'off', 'missing-item': 'off' } } };
      await session.notify('workspace/didChangeConfiguration', { settings: { x1051: { severity: { rules: { 'unknown-control': 'error' } } } } });
      const after = await session.waitForDiagnostics(uri(), (d) => !d.some((x) => x.code === 'missing-item'), 10000);
      assert.equal(unknownIds(after), 0);
    } finally {
      await session.stop();
    }
  });
});
