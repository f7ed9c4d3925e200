/**
 * A small LSP client for protocol-level tests: it spawns the *bundled* server
 * (`node dist/server.js --stdio`), speaks JSON-RPC over the child's stdio, answers the requests a
 * real editor answers (`workspace/configuration`, `client/registerCapability`,
 * `window/workDoneProgress/create`) and records what the server publishes, so tests can await a
 * notification instead of sleeping.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  ProgressType,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';

/** Absolute path of the bundled server the tests run. */
export const SERVER_PATH = path.resolve(__dirname, '../../dist/server.js');

/** The `XDG_CACHE_HOME` of the servers the tests spawn, unless a test gives its own. */
export const TEST_CACHE = path.join(os.tmpdir(), `x1051-test-cache-${process.pid}`);

/** A diagnostic as it travels over the wire (only the fields the tests read are typed). */
export interface WireDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  message: string;
  severity?: number;
  code?: string | number;
  source?: string;
  codeDescription?: { href: string };
  data?: unknown;
}

/** Options of a test session. */
export interface SessionOptions {
  /** Values of the `x1051` settings section returned for `workspace/configuration`. */
  settings?: Record<string, unknown>;
  /** Workspace folders as file-system paths; none by default (single-file mode). */
  workspaceFolders?: string[];
  /** UI locale sent in `initialize`. */
  locale?: string;
  /** Whether the client claims support for dynamic registration of file watchers. */
  dynamicWatchers?: boolean;
  /** Client capabilities sent instead of the default (a VS Code-like rich client). */
  capabilities?: Record<string, unknown>;
  /** `initializationOptions` of `initialize`. */
  initializationOptions?: unknown;
  /** Extra environment variables of the server process. */
  env?: Record<string, string>;
  /** Answers of `workspace/applyEdit` (default: applied). */
  applyEdit?: (params: unknown) => { applied: boolean };
}

/** The capabilities of a rich client (VS Code-like), sent unless a test gives its own. */
export function richCapabilities(dynamicWatchers = true): Record<string, unknown> {
  return {
    workspace: {
      configuration: true,
      didChangeWatchedFiles: { dynamicRegistration: dynamicWatchers },
      didChangeConfiguration: { dynamicRegistration: true },
      workspaceFolders: true,
      symbol: {},
      codeLens: { refreshSupport: true },
    },
    window: { workDoneProgress: true },
    textDocument: {
      synchronization: { dynamicRegistration: false },
      publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
      hover: { contentFormat: ['markdown', 'plaintext'] },
      completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown'] } },
      codeAction: {
        codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll', 'refactor'] } },
        resolveSupport: { properties: ['edit'] },
      },
    },
  };
}

/** One running server and the client state around it. */
export class LspSession {
  readonly connection: MessageConnection;
  /** Latest diagnostics per uri, as last published. */
  readonly diagnostics = new Map<string, WireDiagnostic[]>();
  /** Every notification received, in order (method and params). */
  readonly notifications: { method: string; params: unknown }[] = [];
  /** Registrations the server asked for with `client/registerCapability`. */
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  /** Work-done progress reports (begin / report / end) per token. */
  readonly progress: { token: string | number; kind: string; title?: string; message?: string; percentage?: number }[] = [];
  /** Log lines the server sent with `window/logMessage` (useful when a test fails). */
  readonly logs: string[] = [];
  /** Params of every `workspace/applyEdit` the server sent. */
  readonly applied: unknown[] = [];
  /** Params of every `window/showDocument` the server sent. */
  readonly shownDocuments: unknown[] = [];
  /** Everything the server wrote to stderr. */
  stderr = '';
  settings: Record<string, unknown>;
  private waiters: { check: () => boolean; resolve: () => void }[] = [];
  private exited = false;

  private constructor(
    readonly child: ChildProcessWithoutNullStreams,
    options: SessionOptions,
  ) {
    this.settings = options.settings ?? {};
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    child.on('exit', () => (this.exited = true));
    this.connection = createMessageConnection(
      new StreamMessageReader(child.stdout),
      new StreamMessageWriter(child.stdin),
    );
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map((item) => (item.section === 'x1051' || item.section === undefined ? this.settings : null)),
    );
    this.connection.onRequest('client/registerCapability', (params: { registrations: { method: string; registerOptions?: unknown }[] }) => {
      this.registrations.push(...params.registrations);
      this.poke();
      return null;
    });
    this.connection.onRequest('client/unregisterCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', (params: { token: string | number }) => {
      // jsonrpc routes $/progress to per-token handlers only, so each created token gets one.
      this.connection.onProgress(new ProgressType<{ kind: string; title?: string; message?: string; percentage?: number }>(), params.token, (value) => {
        this.progress.push({ token: params.token, ...value });
        this.poke();
      });
      return null;
    });
    this.connection.onRequest('workspace/codeLens/refresh', () => null);
    this.connection.onRequest('workspace/applyEdit', (params: unknown) => {
      this.applied.push(params);
      this.poke();
      return options.applyEdit?.(params) ?? { applied: true };
    });
    this.connection.onRequest('window/showDocument', (params: unknown) => {
      this.shownDocuments.push(params);
      this.poke();
      return { success: true };
    });
    this.connection.onRequest('workspace/diagnostic/refresh', () => null);
    this.connection.onNotification((method: string, params: unknown) => {
      if (method === 'textDocument/publishDiagnostics') {
        const p = params as { uri: string; diagnostics: WireDiagnostic[] };
        this.diagnostics.set(p.uri, p.diagnostics);
      }
      if (method === 'window/logMessage') this.logs.push((params as { message: string }).message);
      this.notifications.push({ method, params });
      this.poke();
    });
    this.connection.listen();
  }

  /**
   * Spawns the bundled server and runs the `initialize` / `initialized` handshake.
   * Returns the session and the server's `InitializeResult`.
   */
  static async start(options: SessionOptions = {}): Promise<{ session: LspSession; result: InitializeResultShape }> {
    const session = LspSession.spawn(options);
    const folders = (options.workspaceFolders ?? []).map((f) => ({ uri: fileUri(f), name: path.basename(f) }));
    const result = await session.connection.sendRequest<InitializeResultShape>('initialize', {
      processId: process.pid,
      locale: options.locale ?? 'en',
      rootUri: folders[0]?.uri ?? null,
      workspaceFolders: folders.length ? folders : null,
      capabilities: options.capabilities ?? richCapabilities(options.dynamicWatchers ?? true),
      ...(options.initializationOptions !== undefined ? { initializationOptions: options.initializationOptions } : {}),
    });
    await session.connection.sendNotification('initialized', {});
    return { session, result };
  }

  /** Spawns the bundled server without initializing it (for lifecycle tests). */
  static spawn(options: SessionOptions = {}, command: string[] = [process.execPath, SERVER_PATH, '--stdio']): LspSession {
    // Generated control documents go to a cache folder of the test run, never the user's.
    const env = { ...process.env, XDG_CACHE_HOME: TEST_CACHE, ...options.env };
    const child = spawn(command[0], command.slice(1), { stdio: 'pipe', env });
    return new LspSession(child, options);
  }

  /** Resolves to the server's exit code once it has exited. */
  exitCode(): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve(this.child.exitCode);
    return new Promise((r) => this.child.once('exit', (code) => r(code)));
  }

  /** Sends a request and returns its result. */
  request<R = unknown>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest<R>(method, params);
  }

  /** Sends a notification. */
  notify(method: string, params: unknown): Promise<void> {
    return this.connection.sendNotification(method, params);
  }

  /** Opens a Markdown document in the server. */
  open(uri: string, text: string, version = 1): Promise<void> {
    return this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version, text } });
  }

  /** Replaces a document's whole text (a full-content change event, valid under incremental sync). */
  change(uri: string, text: string, version: number): Promise<void> {
    return this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /**
   * Waits until `check` holds, re-evaluating it whenever a notification or registration arrives.
   * Rejects after `timeoutMs` with `what` and the server's stderr, so a failure says what was missing.
   */
  waitFor(check: () => boolean, what: string, timeoutMs = 10000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = { check, resolve: () => (clearTimeout(timer), resolve()) };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out waiting for ${what}\nserver stderr:\n${this.stderr}\nlogs:\n${this.logs.join('\n')}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Waits for diagnostics of `uri` that satisfy `predicate` (any published set by default). */
  async waitForDiagnostics(uri: string, predicate: (d: WireDiagnostic[]) => boolean = () => true, timeoutMs?: number): Promise<WireDiagnostic[]> {
    await this.waitFor(() => {
      const d = this.diagnostics.get(uri);
      return d !== undefined && predicate(d);
    }, `diagnostics of ${uri}`, timeoutMs);
    return this.diagnostics.get(uri)!;
  }

  /** Waits for the next notification of `method` that arrives after this call. */
  async nextNotification(method: string, timeoutMs?: number): Promise<unknown> {
    const from = this.notifications.length;
    await this.waitFor(() => this.notifications.slice(from).some((n) => n.method === method), method, timeoutMs);
    return this.notifications.slice(from).find((n) => n.method === method)!.params;
  }

  /** True when the server process has exited. */
  get hasExited(): boolean {
    return this.exited;
  }

  /** Shuts the server down cleanly, killing it if it does not exit within a second. */
  async stop(): Promise<void> {
    if (!this.exited) {
      try {
        await Promise.race([this.request('shutdown', null), delay(2000)]);
        await this.notify('exit', null);
      } catch {
        // The server may already be gone; killing it below is enough.
      }
      await Promise.race([new Promise((r) => this.child.once('exit', r)), delay(1000)]);
      if (!this.exited) this.child.kill();
    }
    this.connection.dispose();
  }

  private poke(): void {
    for (const w of [...this.waiters]) {
      if (w.check()) {
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve();
      }
    }
  }
}

/** The parts of `InitializeResult` the tests look at. */
export interface InitializeResultShape {
  capabilities: Record<string, unknown> & {
    textDocumentSync?: number | { openClose?: boolean; change?: number };
  };
  serverInfo?: { name: string; version?: string };
}

/** `file:` uri of a path, spelled the way VS Code spells it. */
export function fileUri(p: string): string {
  return pathToFileURL(p).href;
}

/** Resolves after `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
