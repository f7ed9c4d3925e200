/**
 * The coverage payload (issue #13, goal 5): over LSP against the bundled server, the compact
 * `x1051/coverage` answer for the bench's generated 1,000-policy workspace is at most 1 MB, expands
 * back to the full answer (less the claims' heading text and all evidence but the first, which
 * `x1051/coverageDetails` gives for the controls asked for), and clients that do not ask for the
 * compact form keep the full one.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expandCoverage, isCompactCoverage, type CompactCoverage } from '../../server/src/coverageWire';
import type { ControlCoverage, Coverage } from '../../server/src/service/coverage';
import { LspSession, SERVER_PATH } from './lspClient';

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** The full coverage as the compact form keeps it: no heading text, first evidence and its count. */
function trimmed(full: Coverage): Coverage {
  return {
    ...full,
    controls: full.controls.map((c) => ({
      ...c,
      claims: c.claims.map(({ heading: _heading, ...k }) => k),
      items: c.items.map((i) => ({ ...i, evidence: i.evidence.slice(0, 1), evidenceCount: i.evidence.length })),
    })),
  };
}

describe('coverage payload: compact answer and details on demand', function () {
  this.timeout(240000);
  let dir: string;
  let session: LspSession;

  before(async () => {
    if (!fs.existsSync(SERVER_PATH)) throw new Error(`${SERVER_PATH} is missing: run \`npm run build\` first`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x1051-payload-'));
    const generator = '../../bench/generate.mjs';
    const generate = (await import(generator)) as { generateCorpus: (dir: string, o: { docs: number; catalog: unknown }) => void; loadGeneratorCatalog: () => unknown };
    generate.generateCorpus(dir, { docs: 1000, catalog: generate.loadGeneratorCatalog() });
    session = (await LspSession.start({ workspaceFolders: [dir] })).session;
    await session.waitFor(() => session.progress.some((p) => p.kind === 'end'), 'indexing done', 200000);
  });

  after(async () => {
    await session?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the compact answer for 1,000 policies is at most 1 MB and expands to the full answer, trimmed', async () => {
    const full = await session.request<Coverage>('x1051/coverage', {});
    const compact = await session.request<CompactCoverage>('x1051/coverage', { format: 'compact' });
    assert.ok(isCompactCoverage(compact));
    assert.equal(isCompactCoverage(full), false, 'no format: the full answer, as before');
    const claims = full.controls.reduce((n, c) => n + c.claims.length, 0);
    assert.ok(claims > 5000, `${claims} claims: the corpus is the bench's`);
    console.log(`      coverage of 1,000 policies: full ${bytes(full)} bytes, compact ${bytes(compact)} bytes (${claims} claims)`);
    assert.ok(bytes(compact) <= 1_000_000, `${bytes(compact)} bytes`);
    assert.deepEqual(expandCoverage(compact), trimmed(full));
  });

  it('x1051/coverageDetails gives the full coverage of the controls asked for, and refuses bad params', async () => {
    const full = await session.request<Coverage>('x1051/coverage', {});
    const busiest = [...full.controls].sort((a, b) => b.claims.length - a.claims.length)[0];
    const withEvidence = full.controls.find((c) => c.items.some((i) => i.evidence.length > 1))!;
    const details = await session.request<ControlCoverage[]>('x1051/coverageDetails', { controls: [busiest.id, withEvidence.id, 'TEL.99.9.9'] });
    assert.deepEqual(details.map((c) => c.id).sort(), [busiest.id, withEvidence.id].sort());
    assert.deepEqual(details.find((c) => c.id === busiest.id), busiest);
    assert.deepEqual(details.find((c) => c.id === withEvidence.id), withEvidence);
    assert.ok(busiest.claims.some((k) => typeof k.heading === 'string'), 'headings are in the details');
    await assert.rejects(session.request('x1051/coverageDetails', { controls: 'TEL.18.1.6' }), (e: { code?: number }) => e.code === -32602);
  });
});
