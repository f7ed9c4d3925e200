/**
 * Workspace-wide requests stop their work when cancelled: the analyses are brought up to date,
 * yielding to the event loop every few milliseconds, and the token is read before each document. In process, so the
 * moment of the cancellation is exact.
 */
import * as assert from 'node:assert/strict';
import { CancellationTokenSource, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { Configurations } from '../../server/src/server/configuration';
import type { ServerContext } from '../../server/src/server/context';
import { analyseWorkspace } from '../../server/src/server/features';

describe('cancellation of workspace-wide work', () => {
  function fixture(documents: number, cancelAfter: number) {
    const source = new CancellationTokenSource();
    const analysed: string[] = [];
    const logs: string[] = [];
    const docs = Array.from({ length: documents }, (_, i) => ({ uri: `file:///w/p${i}.md`, version: 1, getText: () => '' }));
    const ctx = {
      workspace: { documents: (included: (uri: string) => boolean) => docs.filter((d) => included(d.uri)), isIncluded: () => true },
      service: {
        analyze: (doc: { uri: string }) => {
          analysed.push(doc.uri);
          // The client's cancellation arrives while the request is part-way through.
          if (analysed.length === cancelAfter) source.cancel();
        },
      },
      log: (m: string) => logs.push(m),
    } as unknown as ServerContext;
    const configs = { configFor: () => ({}), isIncluded: () => true } as unknown as Configurations;
    return { run: () => analyseWorkspace(ctx, configs, 'coverage', source.token), analysed, logs };
  }

  it('stops at the next step after a cancellation and answers RequestCancelled', async () => {
    const f = fixture(200, 20);
    await assert.rejects(f.run(), (e: unknown) => e instanceof ResponseError && e.code === LSPErrorCodes.RequestCancelled);
    // The token is read before each document: nothing more than what was done when the client cancelled.
    assert.equal(f.analysed.length, 20);
    assert.deepEqual(f.logs, [`x1051: coverage cancelled after ${f.analysed.length} of 200 documents`]);
  });

  it('does all the work when nothing cancels it', async () => {
    const f = fixture(50, -1);
    await f.run();
    assert.equal(f.analysed.length, 50);
    assert.deepEqual(f.logs, []);
  });
});
