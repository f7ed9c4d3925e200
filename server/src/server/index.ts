/**
 * The X.1051 language server: one module per concern, wired onto a connection here.
 *
 * | Module | Handles |
 * | --- | --- |
 * | `lifecycle.ts` | `initialize`, `initialized`, `shutdown` |
 * | `documents.ts` | `textDocument/didOpen`, `didChange`, `didSave`, `didClose` |
 * | `workspaceEvents.ts` | `workspace/didChangeWatchedFiles`, `didChangeConfiguration`, `didChangeWorkspaceFolders` |
 * | `features.ts` | hover, completion, code actions, definition, references, symbols, code lenses |
 * | `coverage.ts` | `x1051/coverage`, `x1051/coverageChanged`, findings on config files |
 * | `commands.ts` | `x1051/controlDocument` |
 * | `checking.ts` | when documents are checked and their diagnostics published |
 * | `mainThreadCheck.ts` | short open documents checked on this thread, within a budget, instead of a worker |
 * | `configuration.ts` | each document's configuration (settings under `.x1051.yaml`) |
 *
 * Every handler is wrapped by `ServerContext.safe`, so an exception in a feature is logged and
 * answered with an empty result instead of taking the server down.
 *
 * Checking: an opened or edited document is re-checked after a 200 ms pause in typing (a newer
 * edit cancels the pending check); at start-up every Markdown file of the workspace is read and
 * checked in the background under a work-done progress; file events and configuration changes
 * re-check what they affect. After each re-check the server tells the client that the coverage
 * changed (`x1051/coverageChanged`), and the client asks for it again.
 */
import type { Connection } from 'vscode-languageserver/node';
import { Checker } from './checking';
import { registerCommands } from './commands';
import { Configurations } from './configuration';
import { ServerContext, type ServerDeps } from './context';
import { CoverageNotifier, registerCoverage } from './coverage';
import { registerDocuments } from './documents';
import { registerFeatures } from './features';
import { registerLifecycle } from './lifecycle';
import { registerWorkspaceEvents } from './workspaceEvents';

export type { ServerDeps } from './context';
export { serverCapabilities } from './capabilities';
export { toDiagnostic } from './convert';
export { DEBOUNCE_MS } from './checking';

/** Wires the server onto a connection. */
export function startServer(connection: Connection, deps: ServerDeps): void {
  const ctx = new ServerContext(connection, deps);
  const configs = new Configurations(ctx);
  const coverage = new CoverageNotifier(ctx, configs);
  const checker = new Checker(ctx, configs, coverage);

  const onInitialized = registerWorkspaceEvents(ctx, configs, checker);
  registerLifecycle(ctx, configs, checker, onInitialized);
  registerDocuments(ctx, configs, checker, coverage);
  registerFeatures(ctx, configs, checker);
  registerCoverage(ctx, configs, checker);
  registerCommands(ctx);
}
