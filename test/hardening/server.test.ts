/**
 * The bundled server (`dist/server.js --stdio`) under abuse: malformed parameters, unknown
 * documents, cancellation, a burst of edits, huge and binary documents, alias bombs, a config
 * file that is a folder. After each, the process must still run and answer a hover.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { fileUri, LspSession, SERVER_PATH } from '../lsp/lspClient';

const BOMB = [
  'a: &a [x,x,x,x,x,x,x,x,x,x]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]',
].join('\n');

describe('hardening: the language server under abuse', function () {
  this.timeout(60000);
  let dir: string;
  let session: LspSession;
  const uri = () => fileUri(path.join(dir, 'policy.md'));

  /** The server is alive and answers: a hover over a citation returns the control. */
  async function assertAnswers(): Promise<void> {
    assert.equal(session.hasExited, false, `the server exited\n${session.stderr}`);
    const probe = fileUri(path.join(dir, 'probe.md'));
    await session.open(probe, '# TEL.18.1.6 通信の秘密\n', 1);
    const h = await session.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: probe }, position: { line: 0, character: 5 } });
    assert.ok(h && /TEL\.18\.1\.6/.test(h.contents.value), 'a hover still answers');
    await session.notify('textDocument/didClose', { textDocument: { uri: probe } });
  }

  before(async () => {
    if (!fs.existsSync(SERVER_PATH)) throw new Error(`${SERVER_PATH} is missing: run \`npm run build\` first`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-hard-'));
    fs.writeFileSync(path.join(dir, 'binary.md'), Buffer.from([0x23, 0x20, 0x00, 0xff, 0xfe, 0x00, 0x54, 0x45, 0x4c, 0x2e, 0x31, 0x38, 0x2e, 0x31, 0x2e, 0x36, 0x0a, 0xc3, 0x28]));
    fs.mkdirSync(path.join(dir, 'sub', '.x1051.yaml'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'sub', 'a.md'), '# TEL.18.1.6\n');
    fs.mkdirSync(path.join(dir, 'bomb'));
    fs.writeFileSync(path.join(dir, 'bomb', '.x1051.yaml'), BOMB + '\ninclude: *f\n');
    fs.writeFileSync(path.join(dir, 'bomb', 'b.md'), '# TEL.18.1.6\n');
    session = (await LspSession.start({ workspaceFolders: [dir], settings: { maxDocumentSize: 2 * 1024 * 1024 } })).session;
  });

  after(async () => {
    await session?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers malformed requests with an error or an empty result, and keeps running', async () => {
    await session.open(uri(), '# TEL.18.1.6\n\n通信の内容\n');
    const bad: Array<[string, unknown]> = [
      ['textDocument/hover', {}],
      ['textDocument/hover', { textDocument: {} }],
      ['textDocument/hover', { textDocument: { uri: 42 }, position: 'here' }],
      ['textDocument/hover', { textDocument: { uri: uri() }, position: { line: -1, character: -1 } }],
      ['textDocument/hover', { textDocument: { uri: uri() }, position: { line: 1e9, character: 1e9 } }],
      ['textDocument/hover', { textDocument: { uri: uri() } }],
      ['textDocument/completion', { textDocument: { uri: uri() }, position: { line: 'x', character: null } }],
      ['textDocument/completion', null],
      ['textDocument/codeAction', { textDocument: { uri: uri() }, range: { start: { line: 5, character: 0 }, end: { line: -2, character: 0 } }, context: { diagnostics: [] } }],
      ['textDocument/codeAction', { textDocument: { uri: uri() }, range: null, context: null }],
      ['textDocument/definition', { textDocument: { uri: 'file:///does/not/exist.md' }, position: { line: 0, character: 0 } }],
      ['textDocument/references', { textDocument: { uri: 'untitled:nothing' }, position: { line: 0, character: 0 }, context: { includeDeclaration: true } }],
      ['textDocument/documentSymbol', { textDocument: { uri: 'not a uri at all' } }],
      ['textDocument/codeLens', { textDocument: { uri: 'file:///%E0%A4%A' } }],
      ['workspace/symbol', { query: { not: 'a string' } }],
      ['x1051/controlDocument', { id: ['TEL.18.1.6'], lang: 7 }],
      ['x1051/controlDocument', null],
      ['x1051/coverage', 'nonsense'],
      ['completionItem/resolve', { label: 'x', data: { kind: 'control', id: { nested: true } } }],
    ];
    for (const [method, params] of bad) {
      await session.request(method, params).then(
        () => undefined,
        (e: { code?: number }) => assert.equal(typeof e.code, 'number', `${method}: a JSON-RPC error, not a crash`),
      );
    }
    // Notifications with bad parameters must not kill the process either.
    await session.notify('textDocument/didChange', { textDocument: { uri: 'file:///unknown.md', version: 2 }, contentChanges: [{ text: 'x' }] });
    await session.notify('textDocument/didClose', { textDocument: { uri: 'file:///never-opened.md' } });
    await session.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: 'file:///nowhere/.x1051.yaml', type: 3 }, { uri: 'garbage', type: 99 }] });
    assert.ok(!/Uncaught exception|Unhandled rejection/.test(session.logs.join('\n') + session.stderr), 'every failure was handled by its handler');
    await assertAnswers();
  });

  it('cancelling a request mid-way leaves the server answering', async () => {
    // The client library sends $/cancelRequest with the request's own id when the token fires.
    const source = new CancellationTokenSource();
    const pending = Promise.all([
      session.connection.sendRequest('x1051/coverage', {}, source.token),
      session.connection.sendRequest('textDocument/hover', { textDocument: { uri: uri() }, position: { line: 0, character: 3 } }, source.token),
    ]);
    source.cancel();
    await pending.catch(() => undefined);
    // A cancel for an id that does not exist is ignored too.
    await session.notify('$/cancelRequest', { id: 987654 });
    await assertAnswers();
  });

  it('1,000 didChange in a burst: the final diagnostics match the final text', async () => {
    const burst = fileUri(path.join(dir, 'burst.md'));
    await session.open(burst, '# start\n', 1);
    for (let v = 2; v <= 1001; v++) {
      const text = v % 2 ? `# TEL.18.1.${v % 9 ? 99 : 6}\n` : `# TEL.18.1.66 v${v}\n`;
      void session.change(burst, text, v);
    }
    const final = '# Policy\n\nSee TEL.18.1.77 for details.\n';
    await session.change(burst, final, 1002);
    const d = await session.waitForDiagnostics(burst, (ds) => ds.length === 1 && /TEL\.18\.1\.77/.test(ds[0].message), 20000);
    assert.equal(d[0].range.start.line, 2);
    await assertAnswers();
  });

  it('one didChange of 5,000 edits to a 1 MB document (a replace-all) is applied in one pass, and the text is right', async () => {
    const big = fileUri(path.join(dir, 'replace-all.md'));
    const line = '- Changes to the exchange are approved by the board before they are made.\n';
    const count = Math.ceil(1_000_000 / line.length);
    await session.open(big, '# Policy\n\n' + line.repeat(count), 1);
    // "board" → "council" on 5,000 lines, bottom up as VS Code sends it, then an id on the last line.
    const changes: unknown[] = [];
    const at = line.indexOf('board');
    for (let i = 4999; i >= 0; i--) {
      const l = 2 + Math.floor((i * count) / 5000);
      changes.push({ range: { start: { line: l, character: at }, end: { line: l, character: at + 5 } }, text: 'council' });
    }
    const last = 2 + count - 1;
    changes.push({ range: { start: { line: last, character: 0 }, end: { line: last, character: 0 } }, text: 'See TEL.18.1.77. ' });
    await session.notify('textDocument/didChange', { textDocument: { uri: big, version: 2 }, contentChanges: changes });
    const d = await session.waitForDiagnostics(big, (ds) => ds.some((x) => /TEL\.18\.1\.77/.test(x.message)), 40000);
    const unknown = d.find((x) => /TEL\.18\.1\.77/.test(x.message))!;
    assert.deepEqual(unknown.range.start, { line: last, character: 4 });
    await assertAnswers();
    await session.notify('textDocument/didClose', { textDocument: { uri: big } });
  });

  it('a change whose range is past the last line leaves the document sound for the next change', async () => {
    const doc = fileUri(path.join(dir, 'past-end.md'));
    await session.open(doc, '# Policy\n', 1);
    await session.notify('textDocument/didChange', { textDocument: { uri: doc, version: 2 }, contentChanges: [{ range: { start: { line: 6, character: 0 }, end: { line: 4, character: 0 } }, text: '\r\n\r\n' }] });
    await session.notify('textDocument/didChange', { textDocument: { uri: doc, version: 3 }, contentChanges: [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: 'See TEL.18.1.88.' }] });
    // "# Policy\n", "\r\n", "See TEL.18.1.88.\r\n", "": the id once, on line 2.
    const d = await session.waitForDiagnostics(doc, (ds) => ds.some((x) => /TEL\.18\.1\.88/.test(x.message)), 20000);
    assert.deepEqual(d.filter((x) => /TEL\.18\.1\.88/.test(x.message)).map((x) => x.range.start), [{ line: 2, character: 4 }]);
    assert.equal(d.filter((x) => x.code === 'unknown-control').length, 1);
    await assertAnswers();
  });

  it('a document above x1051.maxDocumentSize gets one information finding and is not checked', async () => {
    const big = fileUri(path.join(dir, 'big.md'));
    // 3 MB of policy text, above the 2 MB limit set for this session.
    const text = '# TEL.18.1.6 通信の秘密\n' + 'TEL.18.1.66 通信の内容を保護する。\n'.repeat(60000);
    await session.open(big, text, 1);
    const d = await session.waitForDiagnostics(big, (ds) => ds.length > 0, 30000);
    assert.deepEqual(d.map((x) => [x.code, x.severity]), [['document-too-large', 3]]);
    assert.match(d[0].message, /Document too large \([0-9.]+ MB > limit 2\.0 MB/);
    await session.notify('textDocument/didClose', { textDocument: { uri: big } });
    await assertAnswers();
  });

  it('a 50 MB document is refused by size, never hung on', async function () {
    this.timeout(120000);
    const huge = fileUri(path.join(dir, 'huge.md'));
    await session.open(huge, '[['.repeat(25 * 1024 * 1024), 1);
    const d = await session.waitForDiagnostics(huge, (ds) => ds.length > 0, 90000);
    assert.equal(d[0].code, 'document-too-large');
    await session.notify('textDocument/didClose', { textDocument: { uri: huge } });
    await assertAnswers();
  });

  it('a front-matter alias bomb is refused with a finding', async () => {
    const fm = fileUri(path.join(dir, 'fm.md'));
    const text = '---\n' + BOMB + '\ncontrols: *f\n---\n# TEL.18.1.6\n';
    await session.open(fm, text, 1);
    const d = await session.waitForDiagnostics(fm, (ds) => ds.some((x) => x.code === 'invalid-front-matter'));
    assert.ok(d.some((x) => x.code === 'invalid-front-matter' && /refused/.test(x.message)), JSON.stringify(d));
    await assertAnswers();
  });

  it('a config alias bomb is refused with a clear finding on the config file', async () => {
    const cfg = fileUri(path.join(dir, 'bomb', '.x1051.yaml'));
    await session.open(cfg, fs.readFileSync(path.join(dir, 'bomb', '.x1051.yaml'), 'utf8'), 1);
    const d = await session.waitForDiagnostics(cfg, (ds) => ds.some((x) => x.code === 'invalid-config'), 20000);
    assert.ok(d.some((x) => /refused/.test(x.message) && /alias/i.test(x.message)), JSON.stringify(d));
    await assertAnswers();
  });

  it('a config file that is a folder, and a binary .md, are survived', async () => {
    // Both were seen by the start-up scan; the binary file is refused as the CLI refuses it (#11).
    await session.waitFor(() => session.logs.some((l) => /binary\.md: binary file \(it contains NUL bytes\), not checked/.test(l)), 'the binary file refused', 20000);
    assert.equal(session.diagnostics.has(fileUri(path.join(dir, 'binary.md'))), false);
    const sub = fileUri(path.join(dir, 'sub', 'a.md'));
    await session.open(sub, '# TEL.18.1.6\n', 1);
    const d = await session.waitForDiagnostics(sub, (ds) => ds.some((x) => x.code === 'missing-item'));
    assert.ok(d.length > 0, 'checked with the defaults: the folder named .x1051.yaml is not a config');
    await assertAnswers();
  });
});
