/**
 * Entry point of the X.1051 extension: starts the bundled language server and wires the
 * commands, the coverage sidebar, the status bar item and the read-only control documents to it.
 *
 * `activate()` returns `{ client, ready }` so end-to-end tests can await the server instead of
 * sleeping.
 */
import * as vscode from 'vscode';
import {
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import { SERVER_ENVIRONMENT } from '../../server/src/serverEnvironment';
import { registerCommands } from './commands';
import { CoverageStore } from './coverage';
import { CoverageTreeProvider } from './coverageView';
import { ControlDocumentProvider, CONTROL_SCHEME } from './controlDocuments';
import { CoverageStatusBar } from './statusBar';
import { SECTION, uiLanguage } from './settings';

/** What `activate()` hands to other extensions and to the end-to-end tests. */
export interface X1051Api {
  /** The language client (state, requests, restart). */
  client: LanguageClient;
  /** Resolves once the server has answered `initialize`; rejects when it failed to start. */
  ready: Promise<void>;
}

let client: LanguageClient | undefined;

/** Starts the language server and registers every contribution of the extension. */
export function activate(context: vscode.ExtensionContext): X1051Api {
  const serverModule = context.asAbsolutePath('dist/server.js');
  // The server's environment adds SERVER_ENVIRONMENT to the extension host's (see serverEnvironment.ts).
  const env = { ...SERVER_ENVIRONMENT };
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { env } },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { env, execArgv: ['--nolazy', '--inspect=6011'] },
    },
  };

  // One watcher per kind of file the server cares about: policies (for workspace coverage) and
  // the configuration (applicability decisions and include/exclude patterns).
  const watchers = [
    vscode.workspace.createFileSystemWatcher('**/*.md'),
    vscode.workspace.createFileSystemWatcher('**/.x1051.yaml'),
  ];
  context.subscriptions.push(...watchers);

  const outputChannel = vscode.window.createOutputChannel('X.1051', { log: true });
  context.subscriptions.push(outputChannel);

  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'untitled', language: 'markdown' },
      // The server publishes findings about the configuration on the configuration file itself.
      { scheme: 'file', pattern: '**/.x1051.yaml' },
    ],
    synchronize: {
      // The server also pulls settings through workspace/configuration; this push makes a
      // changed setting reach it at once, so it re-checks without a reload.
      configurationSection: SECTION,
      fileEvents: watchers,
    },
    initializationOptions: {
      // A plain copy: the configuration object itself carries methods that do not serialise.
      settings: JSON.parse(JSON.stringify(vscode.workspace.getConfiguration(SECTION))) as unknown,
      // The fallback language when `x1051.language` is auto and a document's language is unclear.
      locale: uiLanguage(),
      catalogPath: context.asAbsolutePath('dist/catalog.json'),
      // This extension serves `x1051-control:` documents itself (x1051/controlDocument) and
      // registers x1051.showControl with its own UI: the server must not announce either.
      controlDocuments: 'client',
      clientCommands: ['x1051.showControl'],
    },
    outputChannel,
    diagnosticCollectionName: 'x1051',
  };

  client = new LanguageClient('x1051', 'X.1051', serverOptions, clientOptions);
  const lc = client;
  const ready = lc.start();
  // An unhandled rejection would only be logged by the extension host; show it instead.
  ready.catch((error: unknown) => {
    void vscode.window.showErrorMessage(
      vscode.l10n.t('The X.1051 language server could not start: {0}', String(error)),
    );
  });

  const store = new CoverageStore(lc, ready);
  context.subscriptions.push(store);

  const catalogPath = context.asAbsolutePath('dist/catalog.json');
  const tree = new CoverageTreeProvider(store, catalogPath);
  const view = vscode.window.createTreeView('x1051.coverage', {
    treeDataProvider: tree,
    showCollapseAll: true,
  });
  tree.attach(view);
  context.subscriptions.push(tree, view);

  context.subscriptions.push(new CoverageStatusBar(store));

  const documents = new ControlDocumentProvider(lc, ready);
  context.subscriptions.push(
    documents,
    vscode.workspace.registerTextDocumentContentProvider(CONTROL_SCHEME, documents),
  );

  registerCommands(context, { client: lc, store, tree, catalogPath, restart: () => restartServer(lc) });

  // The server reads `.x1051.yaml`; the welcome view needs to know whether one exists.
  void updateHasConfiguration();
  watchers[1].onDidCreate(updateHasConfiguration, undefined, context.subscriptions);
  watchers[1].onDidDelete(updateHasConfiguration, undefined, context.subscriptions);
  vscode.workspace.onDidChangeWorkspaceFolders(updateHasConfiguration, undefined, context.subscriptions);

  return { client: lc, ready };
}

/**
 * Restarts the server unless it is still starting: a restart in the middle of `initialize` would
 * race the pending start and leave two servers, and the user gets a fresh server soon anyway.
 */
async function restartServer(lc: LanguageClient): Promise<void> {
  if (lc.state === State.Starting) {
    lc.info('Restart ignored: the server is still starting.');
    void vscode.window.setStatusBarMessage(vscode.l10n.t('X.1051: the server is still starting.'), 3000);
    return;
  }
  await lc.restart();
}

/** Sets the `x1051.hasConfiguration` context key used by the sidebar's welcome content. */
async function updateHasConfiguration(): Promise<void> {
  const found = await vscode.workspace.findFiles('**/.x1051.yaml', '**/node_modules/**', 1);
  await vscode.commands.executeCommand('setContext', 'x1051.hasConfiguration', found.length > 0);
}

/** Stops the server; VS Code waits for the returned promise. */
export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
