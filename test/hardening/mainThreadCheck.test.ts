/**
 * Issue #13 (memory): the bundled server over stdio checks a short open policy on its main thread,
 * within a budget, instead of starting a worker for it (a worker is a V8 isolate of 35–60 MiB).
 * A long policy still goes to a worker. A short one that runs past the main thread's budget is
 * interrupted and checked in a worker, with the same diagnostics, and the service that replaces
 * the interrupted one keeps every other document's analysis. Workers started are counted from
 * the server's log; no time is asserted.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileUri, LspSession, SERVER_PATH, type WireDiagnostic } from '../lsp/lspClient';
import { MAIN_THREAD_MAX_CHARS, budgetFromEnv, MAIN_THREAD_BUDGET_MS } from '../../server/src/server/mainThreadCheck';

const SHORT = '# 通信の秘密に関する方針\n\n## TEL.18.1.6 通信の秘密\n\n通信の内容を第三者に開示しない。\n\nSee TEL.99.9.9 and 12.4.1.\n';
const LONG_PARAGRAPH = '通信の内容及び通信の存在は、法令に基づく場合を除き第三者に開示しない。\n\n';
const LONG = SHORT + LONG_PARAGRAPH.repeat(Math.ceil(MAIN_THREAD_MAX_CHARS / LONG_PARAGRAPH.length) + 1);
/** Short enough for the main thread, long enough that its analysis takes far more than 1 ms. */
const MEDIUM = SHORT + '\n' + Array.from({ length: 120 }, (_, i) => `${i + 1}. 通信の記録は保存期間の経過後に消去し、その手順を記録する。Records are deleted after the retention period.`).join('\n') + '\n';
const DISK = '# ログ\n\n## 12.4.1 イベントログ取得\n\n利用者の活動、例外及び情報セキュリティ事象を記録したイベントログを取得し、保持し、定期的にレビューする。\n';

const started = (s: LspSession) => s.logs.filter((l) => /analysis worker started/.test(l)).length;
const shape = (ds: WireDiagnostic[]) => ds.map((d) => ({ code: d.code, message: d.message, range: d.range, severity: d.severity })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('hardening: short open documents are checked on the main thread (#13)', function () {
  this.timeout(90000);
  const dirs: string[] = [];
  const sessions: LspSession[] = [];
  const workspace = (files: Record<string, string> = {}) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-main-'));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    dirs.push(dir);
    return dir;
  };
  const start = async (dir: string, env?: Record<string, string>) => {
    const { session } = await LspSession.start({ workspaceFolders: [dir], env });
    sessions.push(session);
    return session;
  };

  before(() => {
    if (!fs.existsSync(SERVER_PATH)) throw new Error(`${SERVER_PATH} is missing: run \`npm run build\` first`);
  });
  after(async () => {
    await Promise.all(sessions.map((s) => s.stop()));
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('publishes a short open policy\'s diagnostics without starting a worker; a long policy starts one', async () => {
    const dir = workspace();
    const session = await start(dir);
    const short = fileUri(path.join(dir, 'short.md'));
    await session.open(short, SHORT, 1);
    const d = await session.waitForDiagnostics(short, (ds) => ds.length > 0, 30000);
    assert.ok(d.some((x) => x.code === 'unknown-control'), JSON.stringify(d));
    // The open warmed the main thread once (matcher read, a built-in policy analysed).
    await session.waitFor(() => session.logs.some((l) => /main thread ready to check short documents/.test(l)), 'the warm-up');
    const other = fileUri(path.join(dir, 'other.md'));
    await session.open(other, SHORT, 1);
    await session.waitForDiagnostics(other, (ds) => ds.length > 0, 30000);
    assert.equal(session.logs.filter((l) => /main thread ready/.test(l)).length, 1, 'warmed once');
    // An edit too.
    await session.change(short, SHORT + '\nSee TEL.97.1.1.\n', 2);
    await session.waitForDiagnostics(short, (ds) => ds.some((x) => /TEL\.97\.1\.1/.test(x.message)), 30000);
    assert.equal(started(session), 0, session.logs.join('\n'));

    const long = fileUri(path.join(dir, 'long.md'));
    assert.ok(LONG.length > MAIN_THREAD_MAX_CHARS);
    await session.open(long, LONG, 1);
    const dl = await session.waitForDiagnostics(long, (ds) => ds.length > 0, 30000);
    assert.ok(dl.some((x) => x.code === 'unknown-control'), JSON.stringify(dl));
    assert.equal(started(session), 1, 'the long policy is analysed in a worker');
  });

  it('checks a short policy past the main thread\'s budget in a worker, with the same diagnostics, and answers for the other documents as before', async () => {
    // The reference: the main thread alone, without a budget.
    const refDir = workspace({ 'log.md': DISK });
    const ref = await start(refDir, { X1051_WORKERS: '0' });
    const refUri = fileUri(path.join(refDir, 'policy.md'));
    await ref.waitForDiagnostics(fileUri(path.join(refDir, 'log.md')), () => true, 30000);
    assert.ok(MEDIUM.length < MAIN_THREAD_MAX_CHARS);
    await ref.open(refUri, MEDIUM, 1);
    const expected = await ref.waitForDiagnostics(refUri, (ds) => ds.length > 0, 30000);
    const refCoverage = await ref.request<{ summary: unknown }>('x1051/coverage', {});

    // A budget of 1 ms: the warm-up runs past it (and the service is renewed), then the policy.
    const dir = workspace({ 'log.md': DISK });
    const session = await start(dir, { X1051_MAIN_THREAD_BUDGET_MS: '1' });
    const disk = fileUri(path.join(dir, 'log.md'));
    await session.waitForDiagnostics(disk, () => true, 30000);
    const before = await session.request<{ summary: unknown }>('x1051/coverage', {});
    const uri = fileUri(path.join(dir, 'policy.md'));
    await session.open(uri, MEDIUM, 1);
    const got = await session.waitForDiagnostics(uri, (ds) => ds.length > 0, 30000);
    assert.deepEqual(shape(got), shape(expected));
    const interrupted = session.logs.filter((l) => /ran past the main thread's budget of 1 ms/.test(l));
    assert.equal(interrupted.length, 1, session.logs.join('\n'));
    assert.match(interrupted[0], /policy\.md/);
    assert.ok(session.logs.some((l) => /warm-up ran past its budget of 1 ms/.test(l)), session.logs.join('\n'));
    // The renewed service kept the disk document's analysis: the coverage is the reference's.
    const after = await session.request<{ summary: unknown }>('x1051/coverage', {});
    assert.deepEqual(after.summary, refCoverage.summary);
    assert.notDeepEqual(after.summary, before.summary, 'the open policy counts');
    const hover = await session.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: disk }, position: { line: 2, character: 4 } });
    assert.ok(hover && /12\.4\.1/.test(hover.contents.value), 'hover on the other document still answers');

    // Its next edit goes to a worker directly: it is not tried on the main thread again.
    const edited = MEDIUM + '\nSee TEL.98.1.1.\n';
    await session.change(uri, edited, 2);
    const got2 = await session.waitForDiagnostics(uri, (ds) => ds.some((x) => /TEL\.98\.1\.1/.test(x.message)), 30000);
    assert.ok(got2.length > got.length);
    assert.equal(session.logs.filter((l) => /ran past the main thread's budget/.test(l)).length, 1, session.logs.join('\n'));
  });

  it('checks an opened policy in the queue while a worker still analyses its disk text (the last finished analysis is no check)', async () => {
    // On disk: a list nested 2,000 deep by indentation, which the worker works on for the whole
    // budget while the workspace is indexed. The editor opens the file with a short text meanwhile.
    const stuck = Array.from({ length: 2000 }, (_, i) => `${'  '.repeat(i)}- x`).join('\n') + '\n';
    const dir = workspace({ 'policy.md': stuck });
    const { session } = await LspSession.start({ workspaceFolders: [dir], settings: { analysisTimeout: 2000 } });
    sessions.push(session);
    await session.waitFor(() => started(session) > 0, 'the indexing worker', 30000);
    await new Promise((r) => setTimeout(r, 200));
    const uri = fileUri(path.join(dir, 'policy.md'));
    await session.open(uri, SHORT, 1);
    const d = await session.waitForDiagnostics(uri, (ds) => ds.length > 0, 30000);
    assert.ok(d.some((x) => x.code === 'unknown-control'), JSON.stringify(d));
    assert.ok(!d.some((x) => x.code === 'document-too-complex'), JSON.stringify(d));
  });

  it('sends short documents to the workers once the main thread has spent its share, with the same diagnostics', async () => {
    // Sixty policies opened at once (a restored session): checked one after another on the main
    // thread, they would hold up every request until the last one.
    const dir = workspace();
    const session = await start(dir);
    const uris = Array.from({ length: 60 }, (_, i) => fileUri(path.join(dir, `p${i}.md`)));
    await Promise.all(uris.map((u) => session.open(u, MEDIUM, 1)));
    const all = await Promise.all(uris.map((u) => session.waitForDiagnostics(u, (ds) => ds.length > 0, 60000)));
    assert.ok(session.logs.some((l) => /short documents go to the workers/.test(l)), session.logs.join('\n'));
    assert.ok(started(session) >= 1, 'a worker took some of them');
    for (const d of all) assert.deepEqual(shape(d), shape(all[0]));
  });

  it('reads X1051_MAIN_THREAD_BUDGET_MS as a lower budget only', () => {
    assert.equal(budgetFromEnv({}), undefined);
    assert.equal(budgetFromEnv({ X1051_MAIN_THREAD_BUDGET_MS: '0' }), 0);
    assert.equal(budgetFromEnv({ X1051_MAIN_THREAD_BUDGET_MS: '20' }), 20);
    assert.equal(budgetFromEnv({ X1051_MAIN_THREAD_BUDGET_MS: '100000' }), MAIN_THREAD_BUDGET_MS);
    assert.equal(budgetFromEnv({ X1051_MAIN_THREAD_BUDGET_MS: 'fast' }), undefined);
  });
});
