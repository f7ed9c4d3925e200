/**
 * Text document synchronisation: open, change, save and close re-check what they affect.
 *
 * The disk copy of a workspace file (what coverage and the closed document's diagnostics are
 * computed from) is refreshed on `didSave` (with the saved text when the client sends it) and
 * re-read on `didClose`, so diagnostics stay fresh with clients that never send
 * `workspace/didChangeWatchedFiles` (Neovim 0.7, many others).
 */
import type { Checker } from './checking';
import { isConfigUri, type Configurations } from './configuration';
import type { ServerContext } from './context';
import type { CoverageNotifier } from './coverage';

/** Registers the document events and starts the `TextDocuments` manager. */
export function registerDocuments(ctx: ServerContext, configs: Configurations, checker: Checker, coverage: CoverageNotifier): void {
  const { documents, workspace, connection } = ctx;

  documents.onDidOpen((e) => {
    ctx.rememberSpelling(e.document.uri);
    if (isConfigUri(e.document.uri)) configs.clear();
    // Edits follow an open: a thread ready for them, this one for a short document, else a
    // worker (one that only indexed has been stopped).
    else if (checker.main.eligible(e.document.uri, e.document)) checker.main.warm(configs.configFor(e.document.uri));
    else ctx.pool?.warm(configs.configFor(e.document.uri));
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
    const uri = e.document.uri;
    checker.cancel(uri);
    checker.main.forget(uri);
    if (isConfigUri(uri)) {
      configs.clear();
      void checker.checkAll();
      return;
    }
    // The file may have been saved (or changed by another program) since it was last read.
    if (workspace.refreshDisk(uri)) configs.forgetConfigUris();
    // A file of the workspace keeps its (disk) diagnostics; anything else is forgotten.
    if (workspace.hasDisk(uri)) checker.schedule(uri, 0);
    else {
      ctx.service.forget(uri);
      ctx.publish(uri, []);
      coverage.notify();
    }
  });

  documents.listen(connection);

  // Registered after `listen`, which installs its own didSave handler: this one replaces it
  // (nothing here uses `documents.onDidSave`) and reads the saved text the client sends.
  connection.onDidSaveTextDocument(
    ctx.safe('didSave', undefined, (params) => {
      const uri = params.textDocument.uri;
      if (isConfigUri(uri)) return;
      const text = typeof params.text === 'string' ? params.text : ctx.openDocument(uri)?.getText();
      if (workspace.refreshDisk(uri, text)) {
        configs.forgetConfigUris();
        // The open text decides the diagnostics; coverage of a saved file is unchanged.
      }
    }),
  );
}
