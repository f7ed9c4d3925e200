/**
 * The workspace around the open documents: file watchers (`workspace/didChangeWatchedFiles`),
 * settings changes (`workspace/didChangeConfiguration`) and workspace folder changes.
 */
import {
  CodeLensRefreshRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
} from 'vscode-languageserver/node';
import { readSettings, SECTION } from '../settings';
import { canonicalUri, CONFIG_FILE, pathToUri } from '../workspace';
import type { Checker } from './checking';
import { isConfigUri, type Configurations } from './configuration';
import type { ServerContext } from './context';

/**
 * Registers the workspace notifications; returns what to run on `initialized` (the dynamic
 * registrations the client supports).
 */
export function registerWorkspaceEvents(ctx: ServerContext, configs: Configurations, checker: Checker): () => Promise<void> {
  const { connection, workspace } = ctx;

  connection.onDidChangeConfiguration(
    ctx.safe('didChangeConfiguration', undefined, async (change) => {
      // Clients that cannot answer workspace/configuration push the settings instead.
      if (!ctx.capabilities.workspace?.configuration) {
        const pushed = (change.settings as Record<string, unknown> | undefined)?.[SECTION];
        if (pushed !== undefined) ctx.settings = readSettings(pushed);
      }
      await configs.fetchSettings();
      if (ctx.capabilities.workspace?.codeLens?.refreshSupport) void connection.sendRequest(CodeLensRefreshRequest.type);
      await checker.checkAll();
    }),
  );

  connection.onDidChangeWatchedFiles(
    ctx.safe('didChangeWatchedFiles', undefined, (params) => {
      let configChanged = false;
      for (const change of params.changes) {
        if (isConfigUri(change.uri)) {
          configChanged = true;
          if (change.type === FileChangeType.Deleted) ctx.publish(change.uri, []);
          continue;
        }
        // An open document is the editor's business; the disk copy is refreshed for later.
        const changed = change.type === FileChangeType.Deleted ? workspace.deleteDisk(change.uri) : workspace.readDisk(change.uri);
        // A new or deleted file may be the first or last one a config file governs.
        if (changed) configs.forgetConfigUris();
        if (changed && !ctx.openDocument(change.uri)) checker.schedule(change.uri, 0);
      }
      if (configChanged) {
        workspace.invalidateConfigLocations();
        configs.clear();
        void checker.checkAll();
      }
    }),
  );

  return async () => {
    const capabilities = ctx.capabilities;
    if (capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      await connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.md' }, { globPattern: '**/*.markdown' }, { globPattern: `**/${CONFIG_FILE}` }],
      });
    }
    if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
      await connection.client.register(DidChangeConfigurationNotification.type, { section: SECTION });
    }
    if (capabilities.workspace?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        const current = new Set(workspace.folderPaths.map(pathToUri));
        for (const r of e.removed) current.delete(canonicalUri(r.uri));
        for (const a of e.added) current.add(canonicalUri(a.uri));
        workspace.setFolders([...current]);
        configs.clear();
        void checker.checkAll('X.1051: indexing the workspace');
      });
    }
  };
}
