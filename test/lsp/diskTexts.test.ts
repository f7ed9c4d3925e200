/**
 * The bundled server keeps the texts of only the last few closed files (issue #13, memory): the
 * others are read again from disk when a re-check needs them. Over the protocol, a workspace with
 * more files than are kept checks them as before, after a file or a config file changes, and a
 * file changed on disk without any watcher event is checked as it now is.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileUri, LspSession } from './lspClient';
import { KEPT_DISK_TEXTS } from '../../server/src/workspace';

const FILES = KEPT_DISK_TEXTS + 13;
const POLICY = (i: number) => `# Policy ${i}\n\n## TEL.18.1.6 Secrecy of communications\n\nWe never disclose the content of communications.\n`;

describe('LSP server: closed files whose texts are not kept (issue #13, memory)', function () {
  this.timeout(60000);
  let dir: string;
  let session: LspSession;
  const file = (i: number) => path.join(dir, `p${String(i).padStart(2, '0')}.md`);
  const severities = (i: number) => (session.diagnostics.get(fileUri(file(i))) ?? []).filter((d) => d.code === 'unknown-control').map((d) => d.severity);

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-disk-texts-'));
    for (let i = 0; i < FILES; i++) fs.writeFileSync(file(i), POLICY(i));
    session = (await LspSession.start({ workspaceFolders: [dir] })).session;
    await session.waitFor(() => session.progress.some((p) => p.kind === 'end'), 'indexing', 40000);
    for (let i = 0; i < FILES; i++) await session.waitForDiagnostics(fileUri(file(i)));
  });
  after(async () => {
    await session?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('re-checks a file changed on disk (the watcher event) among files whose texts were dropped', async () => {
    fs.writeFileSync(file(0), POLICY(0) + '\nSee TEL.18.1.99 as well.\n');
    await session.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(file(0)), type: 2 }] });
    const d = await session.waitForDiagnostics(fileUri(file(0)), (x) => x.some((f) => f.code === 'unknown-control'));
    assert.equal(d.filter((f) => f.code === 'unknown-control').length, 1);
  });

  it('a config change re-checks every file, reading the dropped texts again, the one changed without an event as it now is', async () => {
    // Changed on disk, and no watcher event (a client that does not watch files).
    fs.writeFileSync(file(1), POLICY(1) + '\nSee TEL.18.1.98 too.\n');
    fs.writeFileSync(path.join(dir, '.x1051.yaml'), 'severity:\n  rules:\n    unknown-control: error\n');
    await session.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(path.join(dir, '.x1051.yaml')), type: 1 }] });
    await session.waitForDiagnostics(fileUri(file(0)), (x) => x.some((f) => f.code === 'unknown-control' && f.severity === 1));
    const d1 = await session.waitForDiagnostics(fileUri(file(1)), (x) => x.some((f) => f.code === 'unknown-control'));
    assert.deepEqual(d1.filter((f) => f.code === 'unknown-control').map((f) => f.severity), [1]);
    assert.deepEqual(severities(0), [1]);
    // Every other file was checked again and still has no finding of that kind.
    for (let i = 2; i < FILES; i++) assert.deepEqual(severities(i), [], `p${i}`);
    // The watcher's late event about file 1 changes nothing it shows.
    await session.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(file(1)), type: 2 }] });
    const again = await session.request<{ summary: unknown }>('x1051/coverage', {});
    assert.ok(again.summary);
    assert.deepEqual(severities(1), [1]);
  });
});
