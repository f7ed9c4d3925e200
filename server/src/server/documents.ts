/**
 * Text document synchronisation: open, change and close re-check what they affect.
 */
import type { Checker } from './checking';
import { isConfigUri, type Configurations } from './configuration';
import type { ServerContext } from './context';
import type { CoverageNotifier } from './coverage';

/** Registers the document events (the `TextDocuments` manager listens in `index.ts`). */
export function registerDocuments(ctx: ServerContext, configs: Configurations, checker: Checker, coverage: CoverageNotifier): void {
  const { documents, workspace, connection } = ctx;

  documents.onDidOpen((e) => {
    if (isConfigUri(e.document.uri)) configs.clear();
    checker.schedule(e.document.uri, 0);
  });

  documents.onDidChangeContent((e) => {
    if (isConfigUri(e.document.uri)) {
      // A config edit changes how every document is checked.
      configs.clear();
      checker.scheduleAll();
      return;
    }
    checker.schedule(e.document.uri);
  });

  documents.onDidClose((e) => {
    checker.cancel(e.document.uri);
    if (isConfigUri(e.document.uri)) {
      configs.clear();
      void checker.checkAll();
      return;
    }
    // A file of the workspace keeps its (disk) diagnostics; anything else is forgotten.
    if (workspace.hasDisk(e.document.uri)) checker.schedule(e.document.uri, 0);
    else {
      ctx.service.forget(e.document.uri);
      void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
      coverage.notify();
    }
  });
}
