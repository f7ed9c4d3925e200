/**
 * The state every part of the language server shares: the connection, the open documents, the
 * workspace index, what the client declared, the settings, the catalogue and the policy service.
 *
 * The modules next to this one each register the handlers of one concern on the connection
 * (`lifecycle`, `documents`, `workspaceEvents`, `features`, `coverage`, `commands`) and share
 * one `ServerContext`; `index.ts` creates it and wires them in order.
 */
import { createHash } from 'node:crypto';
import { LSPErrorCodes, ResponseError, TextDocuments, type CancellationToken, type ClientCapabilities, type Connection, type Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CatalogIndex } from '../../../catalog/src/query';
import type { Analyser, Lang, PolicyDocument, PolicyService } from '../service';
import type { AnalysisPool } from '../analysisPool';
import { readSettings, type X1051Settings } from '../settings';
import { canonicalUri, WorkspaceIndex, type FileSystem } from '../workspace';
import { ControlDocuments } from './controlDocuments';
import { textDocumentsConfiguration } from './textSync';

/** What the entry point provides. */
export interface ServerDeps {
  fs: FileSystem;
  /** Where the compiled catalogue is when the client does not say (`dist/catalog.json`). */
  defaultCatalogPath?: string;
  /** Where generated control documents go (default: `<user cache>/x1051/controls`). */
  controlFolder?: string;
  /** Morphology for evidence matching (loads its dictionaries lazily; see morphologyHost.ts). */
  analyser?: Analyser;
  /** The build-time snapshot of the default evidence matcher (see `PolicyHost.matcherSnapshot`). */
  matcherSnapshot?: () => unknown;
}

/** The mutable state of one server, shared by its modules. */
export class ServerContext {
  /** The open documents; a batch of changes is applied in one pass (see textSync.ts). */
  readonly documents = new TextDocuments<TextDocument>(textDocumentsConfiguration);
  readonly workspace: WorkspaceIndex;
  /** Where control documents are for this client (`x1051-control:` or generated files). */
  readonly controls: ControlDocuments;
  /** What the client declared in `initialize`. */
  capabilities: ClientCapabilities = {};
  /** The language of a document whose own language cannot be told (the UI locale). */
  fallbackLanguage: Lang = 'en';
  settings: X1051Settings = readSettings(undefined);
  /** Set by `initialize`; replaced by `createService()` after an interrupted analysis (see mainThreadCheck.ts). */
  service!: PolicyService;
  /** Makes a new service on the same catalogue and hooks (set by `initialize`). */
  createService!: () => PolicyService;
  /** Set by `initialize`. */
  catalog!: CatalogIndex;
  /** Worker threads analysing documents with a time budget; undefined: analysis on this thread. */
  pool?: AnalysisPool;
  /** Documents whose analysis is running in the pool (uri → jobs in flight). */
  readonly pending = new Map<string, number>();

  constructor(
    readonly connection: Connection,
    readonly deps: ServerDeps,
  ) {
    this.workspace = new WorkspaceIndex(deps.fs, (uri) => this.openDocument(uri), () => this.documents.all());
    this.controls = new ControlDocuments(this, deps.controlFolder);
  }

  /** The spelling the client used for a document (canonical uri → the client's uri). */
  private readonly clientSpelling = new Map<string, string>();
  /** The spelling each document's diagnostics were last published under (canonical → uri). */
  private readonly publishedAs = new Map<string, string>();
  /** A digest of what was last published under each spelling (uri → sha-1 of version and set). */
  private readonly publishedDigest = new Map<string, string>();

  /** Remembers how the client spells a document's uri (`didOpen`), for everything published later. */
  rememberSpelling(uri: string): void {
    this.clientSpelling.set(canonicalUri(uri), uri);
  }

  /** The uri of a document as the client knows it: its own spelling, else the canonical one. */
  clientUri(uri: string): string {
    const key = canonicalUri(uri);
    return this.clientSpelling.get(key) ?? key;
  }

  /**
   * Publishes a document's diagnostics under the one spelling the client knows it by. When they
   * were published under another spelling before (a disk scan before the client opened it), that
   * set is cleared, so a client comparing uri strings never keeps a stale copy.
   */
  publish(uri: string, diagnostics: Diagnostic[], version?: number): void {
    const key = canonicalUri(uri);
    const spelling = this.clientSpelling.get(key) ?? key;
    const before = this.publishedAs.get(key);
    if (before !== undefined && before !== spelling) this.send(before, [], undefined);
    this.publishedAs.set(key, spelling);
    this.send(spelling, diagnostics, version);
  }

  /**
   * Sends one `publishDiagnostics`, unless the client already has exactly this set for this
   * version: a repeated identical set makes editors recompute their code actions and close an open
   * quick-fix menu, for nothing.
   */
  private send(uri: string, diagnostics: Diagnostic[], version: number | undefined): void {
    const digest = createHash('sha1').update(JSON.stringify([version ?? null, diagnostics])).digest('base64');
    if (this.publishedDigest.get(uri) === digest) return;
    this.publishedDigest.set(uri, digest);
    void this.connection.sendDiagnostics({ uri, version, diagnostics });
  }

  /** The editor's open document of `uri` (whatever its spelling), if any. */
  openDocument(uri: string): PolicyDocument | undefined {
    return this.documents.get(uri) ?? this.documents.all().find((d) => canonicalUri(d.uri) === canonicalUri(uri));
  }

  log(message: string): void {
    this.connection.console.log(message);
  }

  /**
   * Runs a handler; an exception is logged and answered with `fallback`. A `ResponseError`
   * (invalid params, cancelled) is the answer itself and goes to the client as an error.
   */
  safe<P extends unknown[], R>(name: string, fallback: R, fn: (...args: P) => R | Promise<R>): (...args: P) => Promise<R> {
    return async (...args: P) => {
      // A request's token: cancelled before it starts, or while it awaits, it answers
      // RequestCancelled (-32800) instead of a result computed for nobody.
      const token = args.find(isToken);
      try {
        if (token?.isCancellationRequested) throw cancelled(name);
        const result = await fn(...args);
        if (token?.isCancellationRequested) throw cancelled(name);
        return result;
      } catch (error) {
        if (error instanceof ResponseError) throw error;
        if (token?.isCancellationRequested) throw cancelled(name);
        this.connection.console.error(`x1051: ${name} failed: ${(error as Error)?.stack ?? String(error)}`);
        return fallback;
      }
    };
  }

  /** Runs `fn` now; an exception is logged. */
  safeRun<T>(what: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (error) {
      this.connection.console.error(`x1051: ${what} failed: ${(error as Error)?.stack ?? String(error)}`);
      return undefined;
    }
  }

  /** The language of workspace-wide answers: the setting, else the UI language. */
  uiLang(): Lang {
    return this.settings.language === 'auto' ? this.fallbackLanguage : this.settings.language;
  }
}

/** True for a cancellation token among a handler's arguments. */
function isToken(v: unknown): v is CancellationToken {
  return typeof v === 'object' && v !== null && typeof (v as CancellationToken).isCancellationRequested === 'boolean' && typeof (v as CancellationToken).onCancellationRequested === 'function';
}

/** The answer of a cancelled request. */
export function cancelled(name: string): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, `${name} cancelled`);
}

/**
 * Yields to the event loop, then throws `RequestCancelled` if `token` was cancelled meanwhile:
 * long work calls it between steps, so a cancelled request stops instead of finishing.
 */
export async function checkpoint(name: string, token: CancellationToken): Promise<void> {
  await new Promise((r) => setImmediate(r));
  if (token.isCancellationRequested) throw cancelled(name);
}
