/**
 * Editions over the protocol: the bundled server (stdio) checks a policy written in ISO/IEC
 * 27001:2022 numbering, hovers name both numbers, completion offers 2022 ids, and the "rewrite in
 * the other numbering" code action keeps the claims.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileUri, LspSession, SERVER_PATH, type WireDiagnostic } from './lspClient';

const POLICY = [
  '# Operations policy',
  '',
  '## A.8.15 Logging',
  '',
  'Event logs are kept.',
  '',
  '## A.5.1 Policies',
  '',
  'text',
  '',
].join('\n');

describe('language server over stdio: editions', function () {
  this.timeout(30000);
  let dir: string;
  let session: LspSession;
  const uri = () => fileUri(path.join(dir, 'ops.md'));

  before(async function () {
    if (!fs.existsSync(SERVER_PATH)) throw new Error(`${SERVER_PATH} is missing: run \`npm run build\` first`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-lsp-ed-'));
    fs.writeFileSync(path.join(dir, 'ops.md'), POLICY);
    session = (await LspSession.start({ workspaceFolders: [dir], locale: 'en' })).session;
    await session.open(uri(), POLICY);
  });
  after(async () => {
    await session?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes the items of the 2013 controls a 2022 heading claims, naming both numbers; A.5.1 is read as 2022', async () => {
    const d = await session.waitForDiagnostics(uri(), (x: WireDiagnostic[]) => x.some((y) => y.code === 'missing-item'));
    const missing = d.filter((x) => x.code === 'missing-item');
    assert.ok(missing.every((x) => x.message.includes('8.15 Logging ← 12.4.1–12.4.3')), missing.map((x) => x.message).join('\n'));
    assert.ok(!d.some((x) => x.code === 'ambiguous-edition' || x.code === 'unknown-control'));
  });

  it('hover on A.8.15 shows the 2022 control and what it maps from', async () => {
    const h = await session.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: uri() }, position: { line: 2, character: 6 } });
    assert.ok(h);
    assert.match(h.contents.value, /8\.15 Logging ← 12\.4\.1–12\.4\.3/);
  });

  it('completion after "A.8.3" offers 8.3 and 8.30–8.34 with their 2013 numbers', async () => {
    const text = POLICY + '\n## A.8.3';
    await session.change(uri(), text, 2);
    const r = await session.request<{ items: Array<{ label: string; detail?: string }> } | Array<{ label: string }>>('textDocument/completion', { textDocument: { uri: uri() }, position: { line: 10, character: 8 } });
    const items = Array.isArray(r) ? r : r.items;
    const labels = items.map((i) => i.label);
    for (const l of ['8.3', '8.30', '8.34']) assert.ok(labels.includes(l), labels.join(', '));
    assert.equal((items as Array<{ label: string; detail?: string }>).find((i) => i.label === '8.32')?.detail, 'Change management ← 12.1.2, 14.2.2–14.2.4');
    await session.change(uri(), POLICY, 3);
  });

  it('offers "Rewrite in X.1051:2016 numbering" on A.8.15, whose edit cites all three 2013 controls', async () => {
    const actions = await session.request<Array<{ title: string; edit?: { changes?: Record<string, Array<{ newText: string }>>; documentChanges?: Array<{ edits: Array<{ newText: string }> }> } }>>('textDocument/codeAction', {
      textDocument: { uri: uri() },
      range: { start: { line: 2, character: 4 }, end: { line: 2, character: 4 } },
      context: { diagnostics: [], only: ['refactor'] },
    });
    const rewrite = actions.find((a) => a.title === 'Rewrite in X.1051:2016 numbering: A.12.4.1, A.12.4.2, A.12.4.3');
    assert.ok(rewrite, actions.map((a) => a.title).join('\n'));
    const edits = rewrite.edit?.documentChanges?.flatMap((c) => c.edits) ?? Object.values(rewrite.edit?.changes ?? {}).flat();
    assert.deepEqual(edits.map((e) => e.newText), ['A.12.4.1, A.12.4.2, A.12.4.3']);
  });
});
