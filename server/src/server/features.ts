/**
 * The editor features as thin handlers over the policy service: hover, completion, code
 * actions, definition, references, document and workspace symbols, code lenses.
 *
 * Each handler validates its params (-32602 for a malformed request), looks the document up,
 * returns an empty result when it is unknown or out of scope, delegates to the service with the
 * document's configuration and passes the token on. Answers follow the client's capabilities:
 * plain text without `markdown`, `Command`s without code action literals, flat
 * `SymbolInformation[]` without hierarchical document symbols. Workspace-wide requests
 * (references, workspace symbols, coverage) first bring the analyses up to date in steps that
 * yield, so a cancelled one stops (-32800).
 */
import {
  SymbolKind,
  type CancellationToken,
  type CodeAction,
  type Command,
  type CompletionItem,
  type DocumentSymbol,
  type SymbolInformation,
} from 'vscode-languageserver/node';
import type { CompletionData, PolicyDocument, ResolvedConfig } from '../service';
import { APPLY_EDIT } from './commands';
import { isConfigUri, type Configurations } from './configuration';
import type { Checker } from './checking';
import { cancelled, checkpoint, type ServerContext } from './context';
import { completionDocumentation, markup, sameDiagnostic, toCompletionItem, toDiagnostic } from './convert';
import { documentEdit } from './edits';
import * as valid from './validate';

const zero = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Milliseconds of analysis between two yields of `analyseWorkspace`. */
const YIELD_AFTER_MS = 10;

/**
 * Brings the analysis of every document in scope up to date, yielding to the event loop every
 * `YIELD_AFTER_MS` of work, and stops with RequestCancelled when `token` is cancelled.
 */
export async function analyseWorkspace(ctx: ServerContext, configs: Configurations, name: string, token: CancellationToken, checker?: Checker): Promise<void> {
  // Edited documents waiting for their debounce are checked now, within a budget (the main
  // thread would otherwise analyse them below without one).
  await checker?.flushScheduled();
  const docs = [...ctx.workspace.documents(configs.isIncluded)];
  let i = 0;
  try {
    // Yields to other messages (and a cancel) every few milliseconds of work, not every few
    // documents: most analyses are cached, and a turn of the event loop per eight of them cost
    // more than the lookups.
    let since = performance.now();
    for (; i < docs.length; i++) {
      if (performance.now() - since >= YIELD_AFTER_MS) {
        await checkpoint(name, token);
        since = performance.now();
      } else if (token.isCancellationRequested) throw cancelled(name);
      ctx.service.analyze(docs[i], configs.configFor(docs[i].uri));
    }
    await checkpoint(name, token);
  } catch (error) {
    if (token.isCancellationRequested) ctx.log(`x1051: ${name} cancelled after ${i} of ${docs.length} documents`);
    throw error;
  }
}

/** Registers the feature requests. */
export function registerFeatures(ctx: ServerContext, configs: Configurations, checker?: Checker): void {
  const { connection } = ctx;

  /** The document and its config, or undefined for unknown or out-of-scope documents. */
  function lookup(uri: string): { doc: PolicyDocument; config: ResolvedConfig } | undefined {
    if (isConfigUri(uri)) return undefined;
    const doc = ctx.workspace.get(uri);
    return doc ? { doc, config: configs.configFor(uri) } : undefined;
  }

  connection.onHover(
    ctx.safe('hover', null, (p, token: CancellationToken) => {
      const uri = valid.documentUri('textDocument/hover', p);
      const position = valid.position('textDocument/hover', p.position);
      const d = lookup(uri);
      const h = d && ctx.service.hover(d.doc, position, d.config, token);
      return h ? { contents: markup(h.contents, ctx.capabilities.textDocument?.hover?.contentFormat), range: h.range } : null;
    }),
  );

  connection.onCompletion(
    ctx.safe('completion', null, (p, token: CancellationToken) => {
      const uri = valid.documentUri('textDocument/completion', p);
      const position = valid.position('textDocument/completion', p.position);
      const d = lookup(uri);
      if (!d) return null;
      const snippets = ctx.capabilities.textDocument?.completion?.completionItem?.snippetSupport === true;
      const r = ctx.service.completion(d.doc, position, d.config, token);
      // A space or "(" triggers completion only for item references ("TEL.18.1.6 " → "e)"): both
      // are everywhere in prose, and popping up every control id after each would be noise.
      const itemsOnly = p.context?.triggerCharacter === ' ' || p.context?.triggerCharacter === '(';
      const items = r.items.filter((i) => (snippets || !i.snippet) && (!itemsOnly || i.kind === 'item'));
      return { isIncomplete: r.isIncomplete, items: items.map((i) => toCompletionItem(i, ctx.capabilities)) };
    }),
  );

  connection.onCompletionResolve(
    ctx.safe('completionResolve', null as unknown as CompletionItem, (item: CompletionItem) => {
      if (typeof item !== 'object' || item === null || typeof item.label !== 'string') valid.text('completionItem/resolve', undefined, 'label');
      const data = item.data as CompletionData | undefined;
      if (!data || item.documentation) return item;
      const resolved = ctx.service.resolveCompletion({ label: item.label, kind: data.kind === 'item' ? 'item' : 'control', textEdit: { range: zero, newText: '' }, data });
      return resolved.documentation ? { ...item, documentation: completionDocumentation(resolved.documentation, ctx.capabilities) } : item;
    }),
  );

  connection.onCodeAction(
    ctx.safe('codeAction', [] as (CodeAction | Command)[], (p, token: CancellationToken) => {
      const uri = valid.documentUri('textDocument/codeAction', p);
      const range = valid.range('textDocument/codeAction', p.range);
      const clientDiagnostics = Array.isArray(p.context?.diagnostics) ? p.context.diagnostics : [];
      const d = lookup(uri);
      if (!d) return [];
      // The edits are computed from this text: a client told its version refuses them once the
      // author has typed on (a document only on disk has no version the client knows).
      const version = ctx.openDocument(uri) ? d.doc.version : null;
      const actions = ctx.service.codeActions(d.doc, range, { only: p.context?.only }, d.config, token);
      const edit = (a: (typeof actions)[number]) => documentEdit(ctx.capabilities, uri, a.edits, version);
      // Without code action literals a client takes only `Command`s: each applies its edit
      // through `workspace/applyEdit` (and none can be offered to a client that cannot apply).
      if (!ctx.capabilities.textDocument?.codeAction?.codeActionLiteralSupport) {
        if (!ctx.capabilities.workspace?.applyEdit) return [];
        return actions.map((a): Command => ({ title: a.title, command: APPLY_EDIT, arguments: [edit(a)] }));
      }
      return actions.map((a): CodeAction => ({
        title: a.title,
        kind: a.kind,
        isPreferred: a.isPreferred,
        // The client's own diagnostics are echoed back when they match, else ours are sent.
        diagnostics: a.fixes.map((f) => clientDiagnostics.find((c) => sameDiagnostic(c, f)) ?? toDiagnostic(f, ctx.capabilities)),
        edit: edit(a),
      }));
    }),
  );

  connection.onDefinition(
    ctx.safe('definition', [], (p, token: CancellationToken) => {
      const uri = valid.documentUri('textDocument/definition', p);
      const position = valid.position('textDocument/definition', p.position);
      const d = lookup(uri);
      if (!d) return [];
      // Control documents become something this client can open (see controlDocuments.ts).
      return ctx.service.definition(d.doc, position, d.config, token).map((l) => ({ uri: ctx.controls.resolve(l.uri), range: l.range }));
    }),
  );

  connection.onReferences(
    ctx.safe('references', [], async (p, token: CancellationToken) => {
      const uri = valid.documentUri('textDocument/references', p);
      const position = valid.position('textDocument/references', p.position);
      const d = lookup(uri);
      if (!d) return [];
      await analyseWorkspace(ctx, configs, 'references', token, checker);
      return ctx.service.references(d.doc, position, d.config, token, configs.configFor).map((l) => ({ uri: ctx.clientUri(l.uri), range: l.range }));
    }),
  );

  connection.onDocumentSymbol(
    ctx.safe('documentSymbol', [], (p, token: CancellationToken): DocumentSymbol[] | SymbolInformation[] => {
      const uri = valid.documentUri('textDocument/documentSymbol', p);
      const d = lookup(uri);
      if (!d) return [];
      const symbols = ctx.service.documentSymbols(d.doc, d.config, token);
      if (ctx.capabilities.textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport) {
        return symbols.map((s) => ({ name: s.name, detail: s.detail, kind: SymbolKind.Namespace, range: s.range, selectionRange: s.selectionRange }));
      }
      // Flat SymbolInformation for clients without hierarchical symbols.
      return symbols.map((s) => ({ name: s.name, kind: SymbolKind.Namespace, location: { uri, range: s.range } }));
    }),
  );

  connection.onWorkspaceSymbol(
    ctx.safe('workspaceSymbol', [], async (p, token: CancellationToken) => {
      const query = valid.text('workspace/symbol', (p as { query?: unknown } | null)?.query, 'query');
      await analyseWorkspace(ctx, configs, 'workspaceSymbol', token, checker);
      return ctx.service.workspaceSymbols(query, ctx.uiLang(), configs.workspaceConfig(), token, configs.configFor).map((s) => ({
        name: s.name,
        kind: s.kind === 'claim' ? SymbolKind.Namespace : SymbolKind.Class,
        location: { uri: ctx.clientUri(ctx.controls.resolve(s.location.uri)), range: s.location.range },
        containerName: s.containerName,
      }));
    }),
  );

  connection.onCodeLens(
    ctx.safe('codeLens', [], (p, token: CancellationToken) => {
      const uri = valid.documentUri('textDocument/codeLens', p);
      const d = lookup(uri);
      if (!d || !ctx.settings.codeLensEnabled) return [];
      return ctx.service.codeLenses(d.doc, d.config, token).map((l) => ({ range: l.range, command: { title: l.title, command: l.command, arguments: l.arguments } }));
    }),
  );
}
