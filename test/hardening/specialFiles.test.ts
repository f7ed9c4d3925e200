/**
 * Issue #11, holes 1, 4 and 11 in the server: special files announced by the file watcher, a
 * document nested deeper than the parser can follow, files that are not UTF-8. The server is the
 * bundled one over stdio; after each case it must still answer a hover.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileUri, LspSession, SERVER_PATH } from '../lsp/lspClient';

const SECRECY_JA = '## 通信の秘密 (TEL.18.1.6)\n\n通信の存在、通信の内容、発信者、受信者、日時を保護する。\n';

describe('hardening: special files, deep nesting and encodings in the server (#11)', function () {
  this.timeout(60000);
  let dir: string;
  let session: LspSession;

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
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-special-'));
    fs.writeFileSync(path.join(dir, 'ok.md'), '# TEL.18.1.6\n');
    session = (await LspSession.start({ workspaceFolders: [dir] })).session;
    await session.waitForDiagnostics(fileUri(path.join(dir, 'ok.md')), () => true, 20000);
  });

  after(async () => {
    await session?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a FIFO named notes.md and a link zero.md → /dev/zero announced by the watcher are refused, never read', async () => {
    execFileSync('mkfifo', [path.join(dir, 'notes.md')]);
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.md'));
    await session.notify('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: fileUri(path.join(dir, 'notes.md')), type: 1 },
        { uri: fileUri(path.join(dir, 'zero.md')), type: 1 },
        { uri: fileUri(path.join(dir, 'notes.md')), type: 2 },
      ],
    });
    // A blocking read of the FIFO would hang the process: the hover would never be answered.
    await assertAnswers();
    await session.waitFor(() => session.logs.some((l) => /notes\.md: not a regular file \(a FIFO\)/.test(l)) && session.logs.some((l) => /zero\.md: not a regular file/.test(l)), 'the refusals logged');
    assert.equal(session.diagnostics.has(fileUri(path.join(dir, 'notes.md'))), false);
    assert.equal(session.diagnostics.has(fileUri(path.join(dir, 'zero.md'))), false);
    const coverage = await session.request<{ controls: unknown[] } | null>('x1051/coverage', {});
    assert.ok(coverage && Array.isArray(coverage.controls), 'coverage still answers');
  });

  it('a document of 10,000 nested block quotes gets one document-too-complex finding, is parsed once, and coverage answers', async () => {
    const deep = path.join(dir, 'deep.md');
    fs.writeFileSync(deep, '>'.repeat(10000) + ' TEL.18.1.6\n');
    await session.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(deep), type: 1 }] });
    for (const f of [deep]) {
      const d = await session.waitForDiagnostics(fileUri(f), (ds) => ds.length > 0, 30000);
      assert.deepEqual(d.map((x) => x.code), ['document-too-complex']);
      assert.match(d[0].message, /nest more than 256 levels deep/);
    }
    // Open it and ask for everything a few times: the failure is remembered, not re-parsed.
    await session.open(fileUri(deep), fs.readFileSync(deep, 'utf8'), 1);
    for (let i = 0; i < 5; i++) {
      await session.request('textDocument/hover', { textDocument: { uri: fileUri(deep) }, position: { line: 0, character: 10001 } });
      await session.request('textDocument/documentSymbol', { textDocument: { uri: fileUri(deep) } });
      await session.request('textDocument/codeLens', { textDocument: { uri: fileUri(deep) } });
      const coverage = await session.request<{ controls: unknown[] } | null>('x1051/coverage', {});
      assert.ok(coverage && Array.isArray(coverage.controls), 'coverage answers (it was null)');
    }
    const parses = session.logs.filter((l) => l.includes(fileUri(deep)) && /too complex/.test(l));
    // The worker's parse is not logged here; the main thread parses it at most once per version
    // (hover and completion read the text and the worker's analysis, not a model).
    assert.ok(parses.length <= 2, `parsed at most once per version (disk, then the open text): ${parses.length}`);
    await session.notify('textDocument/didClose', { textDocument: { uri: fileUri(deep) } });
    await assertAnswers();
  });

  it('Shift_JIS, EUC-JP and UTF-16 files on disk are decoded and get one file-encoding finding; a BOM is not counted in columns', async () => {
    const enc = (text: string, to: string) => execFileSync('iconv', ['-f', 'UTF-8', '-t', to], { input: text });
    const files: Record<string, Buffer> = {
      'sjis.md': enc(SECRECY_JA, 'SHIFT_JIS'),
      'eucjp.md': enc(SECRECY_JA, 'EUC-JP'),
      'utf16.md': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SECRECY_JA, 'utf16le')]),
      'utf8.md': Buffer.from(SECRECY_JA),
      'bom.md': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('See TEL.18.1.66 here.\n')]),
    };
    for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), bytes);
    await session.notify('workspace/didChangeWatchedFiles', { changes: Object.keys(files).map((n) => ({ uri: fileUri(path.join(dir, n)), type: 1 })) });
    const utf8 = await session.waitForDiagnostics(fileUri(path.join(dir, 'utf8.md')), () => true, 20000);
    assert.ok(utf8.some((x) => x.code === 'missing-item') || utf8.length === 0, 'the UTF-8 copy is checked');
    const shape = (ds: typeof utf8) => ds.map((x) => [x.code, x.range.start.line, x.range.start.character, x.message]);
    for (const [name, label] of [['sjis.md', 'Shift_JIS'], ['eucjp.md', 'EUC-JP'], ['utf16.md', 'UTF-16 LE']]) {
      const d = await session.waitForDiagnostics(fileUri(path.join(dir, name)), (ds) => ds.some((x) => x.code === 'file-encoding'), 20000);
      const enc = d.filter((x) => x.code === 'file-encoding');
      assert.equal(enc.length, 1, name);
      assert.equal(enc[0].severity, 3, 'information');
      assert.ok(enc[0].message.includes(label), enc[0].message);
      // Read correctly: the same findings, at the same places, as the UTF-8 copy (no mojibake).
      assert.deepEqual(shape(d.filter((x) => x.code !== 'file-encoding')), shape(utf8), name);
    }
    const bom = await session.waitForDiagnostics(fileUri(path.join(dir, 'bom.md')), (ds) => ds.some((x) => x.code === 'unknown-control'), 20000);
    assert.equal(bom.find((x) => x.code === 'unknown-control')!.range.start.character, 'See '.length, 'the BOM is not a column');
    await assertAnswers();
  });
});
