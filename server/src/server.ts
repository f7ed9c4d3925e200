/**
 * The X.1051 language server: capabilities, and thin handlers over the pure policy service.
 *
 * Each request handler looks the document up, returns an empty result when it is unknown,
 * delegates to the service with the document's configuration and passes the token on. Every
 * handler is wrapped by `safe`, so an exception in a feature is logged and answered with an empty
 * result instead of taking the server down.
 *
 * Checking: an opened or edited document is re-checked after a 200 ms pause in typing (a newer
 * edit cancels the pending check); at start-up every Markdown file of the workspace is read and
 * checked in the background under a work-done progress; file events and configuration changes
 * re-check what they affect. After each re-check the server tells the client that the coverage
 * changed (`x1051/coverageChanged`), and the client asks for it again.
 */
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  CompletionItemKind,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  InsertTextFormat,
  MarkupKind,
  SymbolKind,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type ClientCapabilities,
  type CodeAction,
  type CompletionItem,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
  type ServerCapabilities,
} from 'vscode-languageserver/node';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { loadCatalog } from '../../catalog/src/load';
import { CatalogIndex } from '../../catalog/src/query';
import {
  ControlDocumentRequest,
  CoverageChangedNotification,
  CoverageRequest,
} from './protocol';
import {
  createPolicyService,
  docsUrl,
  FIX_ALL_KIND,
  type CompletionData,
  type CompletionEntry,
  type Finding,
  type Lang,
  type PolicyDocument,
  type PolicyService,
  type ResolvedConfig,
} from './service';
import { parseConfig } from './service/config';
import { localeToLang, mergeConfig, readSettings, SECTION, toServiceOptions, type X1051Settings } from './settings';
import { canonicalUri, CONFIG_FILE, pathToUri, uriToPath, WorkspaceIndex, type FileSystem } from './workspace';

/** What the entry point provides. */
export interface ServerDeps {
  fs: FileSystem;
  /** Where the compiled catalogue is when the client does not say (`dist/catalog.json`). */
  defaultCatalogPath?: string;
}

/** Delay between the last edit and the re-check of a document. */
const DEBOUNCE_MS = 200;
/** Coalescing delay of `x1051/coverageChanged`. */
const COVERAGE_NOTIFY_MS = 300;

const SEVERITY: Record<Finding['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Converts a finding to an LSP diagnostic: code, source, documentation link, data for fixes. */
export function toDiagnostic(f: Finding): Diagnostic {
  return {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.code,
    source: 'x1051',
    codeDescription: { href: docsUrl(f.code) },
    message: f.message,
    data: { control: f.control, item: f.item },
  };
}

/** Wires the server onto a connection. */
export function startServer(connection: Connection, deps: ServerDeps): void {
  const documents = new TextDocuments(TextDocument);
  let capabilities: ClientCapabilities = {};
  let fallbackLanguage: Lang = 'en';
  let settings: X1051Settings = readSettings(undefined);
  let service: PolicyService;
  let catalog: CatalogIndex;

  const openDocument = (uri: string): PolicyDocument | undefined => documents.get(uri) ?? documents.all().find((d) => canonicalUri(d.uri) === canonicalUri(uri));
  const workspace = new WorkspaceIndex(deps.fs, openDocument, () => documents.all());

  const log = (message: string) => connection.console.log(message);

  /** Runs a handler; an exception is logged and answered with `fallback`. */
  function safe<P extends unknown[], R>(name: string, fallback: R, fn: (...args: P) => R | Promise<R>): (...args: P) => Promise<R> {
    return async (...args: P) => {
      try {
        return await fn(...args);
      } catch (error) {
        connection.console.error(`x1051: ${name} failed: ${(error as Error)?.stack ?? String(error)}`);
        return fallback;
      }
    };
  }

  // ----- Configuration ------------------------------------------------------------------------

  /** Merged configs per config file path ('' for none); cleared when settings or a file change. */
  const configs = new Map<string, { config: ResolvedConfig; findings: Finding[] }>();

  /** The config files governing some document (`configUris`), until something invalidates it. */
  let knownConfigUris: string[] | undefined;

  /** Forgets the merged configs and where config files are (settings or a config changed). */
  function clearConfigs(): void {
    configs.clear();
    knownConfigUris = undefined;
  }

  function configEntry(configPath: string | undefined): { config: ResolvedConfig; findings: Finding[] } {
    const key = configPath ?? '';
    let entry = configs.get(key);
    if (entry) return entry;
    if (!configPath) {
      entry = { config: mergeConfig(settings, fallbackLanguage), findings: [] };
    } else {
      const text = workspace.readConfig(configPath);
      const uri = pathToUri(configPath);
      // The open editor's text of the config file wins over the disk.
      const open = openDocument(uri);
      const parsed = parseConfig(open?.getText() ?? text ?? '', uri, catalog, toServiceOptions(settings, fallbackLanguage));
      entry = { config: mergeConfig(settings, fallbackLanguage, parsed.config), findings: parsed.findings };
    }
    configs.set(key, entry);
    return entry;
  }

  /** The configuration of a document (the same object while nothing changes, for the caches). */
  function configFor(uri: string): ResolvedConfig {
    const file = uriToPath(uri);
    return configEntry(file ? workspace.configFileFor(file) : undefined).config;
  }

  /** The workspace-level config: the one at the first folder's root, for applicability. */
  function workspaceConfig(): ResolvedConfig {
    const root = workspace.folderPaths[0];
    return configEntry(root ? workspace.configFileFor(path.join(root, 'x.md')) : undefined).config;
  }

  async function fetchSettings(): Promise<void> {
    if (capabilities.workspace?.configuration) {
      try {
        const [raw] = await connection.workspace.getConfiguration([{ section: SECTION }]);
        settings = readSettings(raw);
      } catch (error) {
        // Checking goes on with the settings known so far.
        connection.console.error(`x1051: reading the settings failed: ${String(error)}`);
      }
    }
    clearConfigs();
  }

  // ----- Checking ------------------------------------------------------------------------------

  const timers = new Map<string, NodeJS.Timeout>();
  let coverageTimer: NodeJS.Timeout | undefined;
  /** Bumped by every full re-check, so an older background pass stops. */
  let generation = 0;
  /** The running workspace scan; only a newer scan cancels it (a re-check waits for it). */
  let scanning: Promise<unknown> | undefined;
  let scanGeneration = 0;

  function isConfigUri(uri: string): boolean {
    return uri.endsWith(`/${CONFIG_FILE}`);
  }

  /** Checks one document now and publishes its diagnostics (or clears them when out of scope). */
  function check(uri: string): void {
    if (isConfigUri(uri)) return publishConfig(uri);
    const doc = workspace.get(uri);
    if (!doc) {
      void connection.sendDiagnostics({ uri, diagnostics: [] });
      return;
    }
    const config = configFor(uri);
    if (!workspace.isIncluded(uri, config)) {
      void connection.sendDiagnostics({ uri, diagnostics: [] });
      return;
    }
    const version = doc.version;
    const findings = service.diagnostics(doc, config);
    // A newer edit arrived while checking: its own check will publish.
    if (workspace.get(uri)?.version !== version) return;
    void connection.sendDiagnostics({ uri, version: documents.get(uri) ? version : undefined, diagnostics: findings.map(toDiagnostic) });
  }

  /** Publishes a config file's own findings plus the workspace findings placed on it. */
  function publishConfig(uri: string, coverage = service.coverage(workspaceConfig(), undefined, configFor)): void {
    const file = uriToPath(uri);
    if (!file) return;
    const entry = configEntry(file);
    const onFile = coverage.findings.filter((f) => canonicalUri(f.uri) === canonicalUri(uri));
    void connection.sendDiagnostics({ uri, diagnostics: [...entry.findings, ...onFile].map(toDiagnostic) });
  }

  /** Re-checks a document after a pause; a newer call replaces a pending one. */
  function schedule(uri: string, delay = DEBOUNCE_MS): void {
    clearTimeout(timers.get(uri));
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        safeRun(`check ${uri}`, () => check(uri));
        notifyCoverage();
      }, delay),
    );
  }

  function safeRun(what: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      connection.console.error(`x1051: ${what} failed: ${(error as Error)?.stack ?? String(error)}`);
    }
  }

  /** Tells the client, at most once per `COVERAGE_NOTIFY_MS`, that the coverage changed. */
  function notifyCoverage(): void {
    if (coverageTimer) return;
    coverageTimer = setTimeout(() => {
      coverageTimer = undefined;
      safeRun('coverage notification', () => {
        const coverage = service.coverage(workspaceConfig(), undefined, configFor);
        void connection.sendNotification(CoverageChangedNotification, { summary: coverage.summary });
        // Findings on config files (uncovered-control) depend on every document.
        for (const uri of configUris()) publishConfig(uri, coverage);
      });
    }, COVERAGE_NOTIFY_MS);
  }

  /**
   * Uris of the config files that govern some document of the workspace. Finding them walks every
   * disk document, so the answer is kept until a config, a folder or a file on disk changes.
   */
  function configUris(): string[] {
    knownConfigUris ??= findConfigUris();
    return knownConfigUris;
  }
  function findConfigUris(): string[] {
    const uris = new Set<string>();
    for (const root of workspace.folderPaths) {
      const found = workspace.configFileFor(path.join(root, 'x.md'));
      if (found) uris.add(pathToUri(found));
    }
    for (const uri of workspace.diskUris()) {
      const file = uriToPath(uri);
      const found = file ? workspace.configFileFor(file) : undefined;
      if (found) uris.add(pathToUri(found));
    }
    return [...uris];
  }

  /**
   * Re-checks every document (open and on disk) in the background, yielding between documents;
   * a newer full re-check stops this one.
   */
  async function checkAll(title?: string): Promise<void> {
    const mine = ++generation;
    // A client that refuses the progress token still gets its workspace checked.
    const progress = title && capabilities.window?.workDoneProgress ? await connection.window.createWorkDoneProgress().catch(() => undefined) : undefined;
    progress?.begin(title!, 0, undefined, false);
    try {
      if (title) {
        const scan = ++scanGeneration;
        scanning = workspace.scan(
          (done, found) => progress?.report(found ? Math.round((done / found) * 50) : 50, `${done}/${found}`),
          () => scan !== scanGeneration,
        ).catch((error) => connection.console.error(`x1051: indexing the workspace failed: ${String(error)}`));
      }
      // A re-check during the initial indexing must not check a half-read workspace.
      await scanning;
      if (mine !== generation) return;
      // The scan may have found files (and so config files) since the uris were last listed.
      knownConfigUris = undefined;
      const uris = new Set([...documents.all().map((d) => d.uri), ...workspace.diskUris()]);
      let done = 0;
      for (const uri of uris) {
        if (mine !== generation) return;
        safeRun(`check ${uri}`, () => check(uri));
        if (++done % 20 === 0) {
          progress?.report(50 + Math.round((done / uris.size) * 50), `${done}/${uris.size}`);
          await new Promise((r) => setImmediate(r));
        }
      }
      notifyCoverage();
    } finally {
      progress?.done();
    }
  }

  // ----- Lifecycle ------------------------------------------------------------------------------

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    capabilities = params.capabilities;
    const init = (params.initializationOptions ?? {}) as { settings?: unknown; locale?: string; catalogPath?: string };
    fallbackLanguage = localeToLang(init.locale ?? params.locale);
    settings = readSettings(init.settings);
    try {
      catalog = loadCatalog(init.catalogPath ?? deps.defaultCatalogPath);
    } catch (error) {
      // Without a catalogue the server still answers (empty results) and says why.
      connection.console.error(`x1051: ${(error as Error).message}`);
      void connection.window.showErrorMessage(`X.1051: ${(error as Error).message}`);
      catalog = new CatalogIndex({ meta: { standard: '', edition: '', translation: '', errata: [] }, clauses: [], objectives: [], controls: [], annexB: [], definitions: [], abbreviations: [] });
    }
    service = createPolicyService({
      catalog,
      workspace: { documents: () => workspace.documents((uri) => workspace.isIncluded(uri, configFor(uri))) },
      logger: { log },
      // Open documents keep their parsed trees for the editor features; closed workspace files
      // keep only their analysis (coverage, references, symbols) beyond a few recent ones.
      retain: (uri) => openDocument(uri) !== undefined,
      // One line per computation (not per request), so the output shows how often it happens.
      observer: { covered: (n) => log(`x1051: computed coverage of ${n} documents`) },
    });
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    workspace.setFolders(folders);
    return { capabilities: serverCapabilities(capabilities), serverInfo: { name: 'x1051', version: '0.1.0' } };
  });

  connection.onInitialized(
    safe('initialized', undefined, async () => {
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
          clearConfigs();
          void checkAll('X.1051: indexing the workspace');
        });
      }
      await fetchSettings();
      await checkAll('X.1051: indexing the workspace');
    }),
  );

  connection.onDidChangeConfiguration(
    safe('didChangeConfiguration', undefined, async (change) => {
      // Clients that cannot answer workspace/configuration push the settings instead.
      if (!capabilities.workspace?.configuration) {
        const pushed = (change.settings as Record<string, unknown> | undefined)?.[SECTION];
        if (pushed !== undefined) settings = readSettings(pushed);
      }
      await fetchSettings();
      if (capabilities.workspace?.codeLens?.refreshSupport) void connection.sendRequest(CodeLensRefreshRequest.type);
      await checkAll();
    }),
  );

  connection.onDidChangeWatchedFiles(
    safe('didChangeWatchedFiles', undefined, (params) => {
      let configChanged = false;
      for (const change of params.changes) {
        if (isConfigUri(change.uri)) {
          configChanged = true;
          if (change.type === FileChangeType.Deleted) void connection.sendDiagnostics({ uri: change.uri, diagnostics: [] });
          continue;
        }
        // An open document is the editor's business; the disk copy is refreshed for later.
        const changed = change.type === FileChangeType.Deleted ? workspace.deleteDisk(change.uri) : workspace.readDisk(change.uri);
        // A new or deleted file may be the first or last one a config file governs.
        if (changed) knownConfigUris = undefined;
        if (changed && !openDocument(change.uri)) schedule(change.uri, 0);
      }
      if (configChanged) {
        workspace.invalidateConfigLocations();
        clearConfigs();
        void checkAll();
      }
    }),
  );

  documents.onDidOpen((e) => {
    if (isConfigUri(e.document.uri)) clearConfigs();
    schedule(e.document.uri, 0);
  });
  documents.onDidChangeContent((e) => {
    if (isConfigUri(e.document.uri)) {
      // A config edit changes how every document is checked.
      clearConfigs();
      clearTimeout(timers.get('*'));
      timers.set('*', setTimeout(() => void checkAll(), DEBOUNCE_MS));
      return;
    }
    schedule(e.document.uri);
  });
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    timers.delete(e.document.uri);
    if (isConfigUri(e.document.uri)) {
      clearConfigs();
      void checkAll();
      return;
    }
    // A file of the workspace keeps its (disk) diagnostics; anything else is forgotten.
    if (workspace.hasDisk(e.document.uri)) schedule(e.document.uri, 0);
    else {
      service.forget(e.document.uri);
      void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
      notifyCoverage();
    }
  });

  // ----- Features: thin handlers ---------------------------------------------------------------

  /** The document and its config, or undefined for unknown or out-of-scope documents. */
  function lookup(uri: string): { doc: PolicyDocument; config: ResolvedConfig } | undefined {
    if (isConfigUri(uri)) return undefined;
    const doc = workspace.get(uri);
    return doc ? { doc, config: configFor(uri) } : undefined;
  }

  /** The language of workspace-wide answers: the setting, else the UI language. */
  const uiLang = (): Lang => (settings.language === 'auto' ? fallbackLanguage : settings.language);

  connection.onHover(
    safe('hover', null, (p, token: CancellationToken) => {
      const d = lookup(p.textDocument.uri);
      const h = d && service.hover(d.doc, p.position, d.config, token);
      return h ? { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: h.range } : null;
    }),
  );

  connection.onCompletion(
    safe('completion', null, (p, token: CancellationToken) => {
      const d = lookup(p.textDocument.uri);
      if (!d) return null;
      const snippets = capabilities.textDocument?.completion?.completionItem?.snippetSupport === true;
      const r = service.completion(d.doc, p.position, d.config, token);
      // A space or "(" triggers completion only for item references ("TEL.18.1.6 " → "e)"): both
      // are everywhere in prose, and popping up every control id after each would be noise.
      const itemsOnly = p.context?.triggerCharacter === ' ' || p.context?.triggerCharacter === '(';
      const items = r.items.filter((i) => (snippets || !i.snippet) && (!itemsOnly || i.kind === 'item'));
      return { isIncomplete: r.isIncomplete, items: items.map(toCompletionItem) };
    }),
  );

  connection.onCompletionResolve(
    safe('completionResolve', null as unknown as CompletionItem, (item: CompletionItem) => {
      const data = item.data as CompletionData | undefined;
      if (!data || item.documentation) return item;
      const resolved = service.resolveCompletion({ label: item.label, kind: data.kind, textEdit: { range: zero, newText: '' }, data });
      return resolved.documentation ? { ...item, documentation: { kind: MarkupKind.Markdown, value: resolved.documentation } } : item;
    }),
  );

  connection.onCodeAction(
    safe('codeAction', [] as CodeAction[], (p, token: CancellationToken) => {
      const d = lookup(p.textDocument.uri);
      if (!d) return [];
      const actions = service.codeActions(d.doc, p.range, { only: p.context.only }, d.config, token);
      return actions.map((a): CodeAction => ({
        title: a.title,
        kind: a.kind,
        isPreferred: a.isPreferred,
        // The client's own diagnostics are echoed back when they match, else ours are sent.
        diagnostics: a.fixes.map((f) => p.context.diagnostics.find((c) => sameDiagnostic(c, f)) ?? toDiagnostic(f)),
        edit: { changes: { [p.textDocument.uri]: a.edits } },
      }));
    }),
  );

  connection.onDefinition(
    safe('definition', [], (p, token: CancellationToken) => {
      const d = lookup(p.textDocument.uri);
      return d ? service.definition(d.doc, p.position, d.config, token) : [];
    }),
  );

  connection.onReferences(
    safe('references', [], (p, token: CancellationToken) => {
      const d = lookup(p.textDocument.uri);
      return d ? service.references(d.doc, p.position, d.config, token, configFor) : [];
    }),
  );

  connection.onDocumentSymbol(
    safe('documentSymbol', [], (p, token: CancellationToken) => {
      const d = lookup(p.textDocument.uri);
      if (!d) return [];
      return service.documentSymbols(d.doc, d.config, token).map((s) => ({ name: s.name, detail: s.detail, kind: SymbolKind.Namespace, range: s.range, selectionRange: s.selectionRange }));
    }),
  );

  connection.onWorkspaceSymbol(
    safe('workspaceSymbol', [], (p, token: CancellationToken) =>
      service.workspaceSymbols(p.query, uiLang(), workspaceConfig(), token, configFor).map((s) => ({
        name: s.name,
        kind: s.kind === 'claim' ? SymbolKind.Namespace : SymbolKind.Class,
        location: s.location,
        containerName: s.containerName,
      })),
    ),
  );

  connection.onCodeLens(
    safe('codeLens', [], (p, token: CancellationToken) => {
      const d = lookup(p.textDocument.uri);
      if (!d || !settings.codeLensEnabled) return [];
      return service.codeLenses(d.doc, d.config, token).map((l) => ({ range: l.range, command: { title: l.title, command: l.command, arguments: l.arguments } }));
    }),
  );

  connection.onRequest(
    CoverageRequest,
    safe('coverage', null, (_params, token: CancellationToken) => service.coverage(workspaceConfig(), token, configFor)),
  );

  connection.onRequest(
    ControlDocumentRequest,
    safe('controlDocument', null, (p) => (p && typeof p.id === 'string' ? service.controlDocument(p.id, p.lang === 'en' ? 'en' : 'ja') ?? null : null)),
  );

  connection.onShutdown(() => {
    generation++;
    for (const t of timers.values()) clearTimeout(t);
    clearTimeout(coverageTimer);
  });

  documents.listen(connection);
}

const zero = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

const COMPLETION_KIND: Record<CompletionEntry['kind'], CompletionItemKind> = {
  control: CompletionItemKind.Reference,
  item: CompletionItemKind.EnumMember,
  snippet: CompletionItemKind.Snippet,
};

function toCompletionItem(e: CompletionEntry): CompletionItem {
  return {
    label: e.label,
    kind: COMPLETION_KIND[e.kind],
    detail: e.detail,
    documentation: e.documentation ? { kind: MarkupKind.Markdown, value: e.documentation } : undefined,
    filterText: e.filterText,
    sortText: e.sortText,
    textEdit: e.textEdit,
    insertTextFormat: e.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    data: e.data,
  };
}

function sameDiagnostic(d: Diagnostic, f: Finding): boolean {
  return (
    d.code === f.code &&
    d.range.start.line === f.range.start.line &&
    d.range.start.character === f.range.start.character &&
    d.range.end.line === f.range.end.line &&
    d.range.end.character === f.range.end.character &&
    d.message === f.message
  );
}

/** The server's capabilities. */
export function serverCapabilities(client: ClientCapabilities): ServerCapabilities {
  return {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
    hoverProvider: true,
    completionProvider: { triggerCharacters: ['.', '(', '（', '[', ' '], resolveProvider: true },
    codeActionProvider: client.textDocument?.codeAction?.codeActionLiteralSupport
      ? { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.Refactor, CodeActionKind.SourceFixAll, FIX_ALL_KIND] }
      : true,
    definitionProvider: true,
    referencesProvider: true,
    documentSymbolProvider: true,
    workspaceSymbolProvider: true,
    codeLensProvider: { resolveProvider: false },
    workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
  };
}
