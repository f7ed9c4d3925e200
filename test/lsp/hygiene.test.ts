/**
 * The policy-hygiene rules in the editor (#14): the bundled server over stdio publishes
 * weak-wording and placeholder findings with their documentation links, and the weak-wording quick
 * fix replaces just the hedged phrase, clearing that finding.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileUri, LspSession, SERVER_PATH, type WireDiagnostic } from './lspClient';

type Edit = { range: WireDiagnostic['range']; newText: string };
type Action = { title: string; diagnostics?: WireDiagnostic[]; edit?: { changes?: Record<string, Edit[]>; documentChanges?: Array<{ textDocument: { uri: string }; edits: Edit[] }> } };

const TEXT = ['# [Company Name] Access Policy', '', 'Administrators should review access rights every quarter.', ''].join('\n');

describe('language server: policy hygiene rules', function () {
  this.timeout(30000);
  let dir: string;
  let session: LspSession;

  before(async () => {
    if (!fs.existsSync(SERVER_PATH)) throw new Error(`${SERVER_PATH} is missing: run \`npm run build\` first`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-hygiene-lsp-'));
    session = (await LspSession.start({ workspaceFolders: [dir], locale: 'en' })).session;
  });

  after(async () => {
    await session?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes weak-wording and placeholder with their pages, and the quick fix says "must"', async () => {
    const uri = fileUri(path.join(dir, 'access.md'));
    await session.open(uri, TEXT);
    const diags = await session.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'weak-wording') && d.some((x) => x.code === 'placeholder'));
    const weak = diags.find((x) => x.code === 'weak-wording')!;
    assert.deepEqual(weak.range, { start: { line: 2, character: 15 }, end: { line: 2, character: 21 } });
    assert.match(String((weak as { codeDescription?: { href: string } }).codeDescription?.href), /docs\/rules\/weak-wording\.md$/);
    const placeholder = diags.find((x) => x.code === 'placeholder')!;
    assert.equal(placeholder.severity, 2, 'placeholder is a warning');

    const actions = await session.request<Action[]>('textDocument/codeAction', { textDocument: { uri }, range: weak.range, context: { diagnostics: [weak], only: ['quickfix'] } });
    const fix = actions.find((a) => a.title === 'Replace "should" with "must"');
    assert.ok(fix, actions.map((a) => a.title).join('\n'));
    const edits = fix.edit?.changes?.[uri] ?? fix.edit?.documentChanges?.find((c) => c.textDocument.uri === uri)?.edits ?? [];
    assert.deepEqual(edits, [{ range: weak.range, newText: 'must' }]);
    await session.change(uri, TEXT.replace('should', 'must'), 2);
    const after = await session.waitForDiagnostics(uri, (d) => !d.some((x) => x.code === 'weak-wording'));
    assert.ok(after.some((x) => x.code === 'placeholder'), 'the placeholder stays until it is filled in');
  });
});
