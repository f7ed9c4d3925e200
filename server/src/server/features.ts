/**
 * The editor features as thin handlers over the policy service: hover, completion, code
 * actions, definition, references, document and workspace symbols, code lenses.
 *
 * Each handler looks the document up, returns an empty result when it is unknown or out of
 * scope, delegates to the service with the document's configuration and passes the token on.
 */
import {
  MarkupKind,
  SymbolKind,
  type CancellationToken,
  type CodeAction,
  type Command,
  type CompletionItem,
} from 'vscode-languageserver/node';
import type { CompletionData, PolicyDocument, ResolvedConfig } from '../service';
import { isConfigUri, type Configurations } from './configuration';
import type { ServerContext } from './context';
import { APPLY_EDIT } from './commands';
import { sameDiagnostic, toCompletionItem, toDiagnostic } from './convert';
import { documentEdit } from './edits';

const zero = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Registers the feature requests. */
export function registerFeatures(ctx: ServerContext, configs: Configurations): void {
  const { connection } = ctx;

  /** The document and its config, or undefined for unknown or out-of-scope documents. */
  function lookup(uri: string): { doc: PolicyDocument; config: ResolvedConfig } | undefined {
    if (isConfigUri(uri)) return undefined;
    const doc = ctx.workspace.get(uri);
    return doc ? { doc, config: configs.configFor(uri) } : undefined;
  }

  connection.onHover(
    ctx.safe('hover', null, (p, token: CancellationToken) => {
      const d = lookup(p.textDocument.uri);
      const h = d && ctx.service.hover(d.doc, p.position, d.config, token);
      return h ? { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: h.range } : null;
    }),
  );

  connection.onCompletion(
    ctx.safe('completion', null, (p, token: CancellationToken) => {
      const d = lookup(p.textDocument.uri);
      if (!d) return null;
      const snippets = ctx.capabilities.textDocument?.completion?.completionItem?.snippetSupport === true;
      const r = ctx.service.completion(d.doc, p.position, d.config, token);
      // A space or "(" triggers completion only for item references ("TEL.18.1.6 " → "e)"): both
      // are everywhere in prose, and popping up every control id after each would be noise.
      const itemsOnly = p.context?.triggerCharacter === ' ' || p.context?.triggerCharacter === '(';
      const items = r.items.filter((i) => (snippets || !i.snippet) && (!itemsOnly || i.kind === 'item'));
      return { isIncomplete: r.isIncomplete, items: items.map(toCompletionItem) };
    }),
  );

  connection.onCompletionResolve(
    ctx.safe('completionResolve', null as unknown as CompletionItem, (item: CompletionItem) => {
      const data = item.data as CompletionData | undefined;
      if (!data || item.documentation) return item;
      const resolved = ctx.service.resolveCompletion({ label: item.label, kind: data.kind === 'item' ? 'item' : 'control', textEdit: { range: zero, newText: '' }, data });
      return resolved.documentation ? { ...item, documentation: { kind: MarkupKind.Markdown, value: resolved.documentation } } : item;
    }),
  );

  connection.onCodeAction(
    ctx.safe('codeAction', [] as (CodeAction | Command)[], (p, token: CancellationToken) => {
      const d = lookup(p.textDocument.uri);
      if (!d) return [];
      const actions = ctx.service.codeActions(d.doc, p.range, { only: p.context.only }, d.config, token);
      const edit = (a: (typeof actions)[number]) => documentEdit(ctx.capabilities, p.textDocument.uri, a.edits);
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
        diagnostics: a.fixes.map((f) => p.context.diagnostics.find((c) => sameDiagnostic(c, f)) ?? toDiagnostic(f)),
        edit: edit(a),
      }));
    }),
  );

  connection.onDefinition(
    ctx.safe('definition', [], (p, token: CancellationToken) => {
      const d = lookup(p.textDocument.uri);
      if (!d) return [];
      // Control documents become something this client can open (see controlDocuments.ts).
      return ctx.service.definition(d.doc, p.position, d.config, token).map((l) => ({ uri: ctx.controls.resolve(l.uri), range: l.range }));
    }),
  );

  connection.onReferences(
    ctx.safe('references', [], (p, token: CancellationToken) => {
      const d = lookup(p.textDocument.uri);
      return d ? ctx.service.references(d.doc, p.position, d.config, token, configs.configFor) : [];
    }),
  );

  connection.onDocumentSymbol(
    ctx.safe('documentSymbol', [], (p, token: CancellationToken) => {
      const d = lookup(p.textDocument.uri);
      if (!d) return [];
      return ctx.service.documentSymbols(d.doc, d.config, token).map((s) => ({ name: s.name, detail: s.detail, kind: SymbolKind.Namespace, range: s.range, selectionRange: s.selectionRange }));
    }),
  );

  connection.onWorkspaceSymbol(
    ctx.safe('workspaceSymbol', [], (p, token: CancellationToken) =>
      ctx.service.workspaceSymbols(p.query, ctx.uiLang(), configs.workspaceConfig(), token, configs.configFor).map((s) => ({
        name: s.name,
        kind: s.kind === 'claim' ? SymbolKind.Namespace : SymbolKind.Class,
        location: { uri: ctx.controls.resolve(s.location.uri), range: s.location.range },
        containerName: s.containerName,
      })),
    ),
  );

  connection.onCodeLens(
    ctx.safe('codeLens', [], (p, token: CancellationToken) => {
      const d = lookup(p.textDocument.uri);
      if (!d || !ctx.settings.codeLensEnabled) return [];
      return ctx.service.codeLenses(d.doc, d.config, token).map((l) => ({ range: l.range, command: { title: l.title, command: l.command, arguments: l.arguments } }));
    }),
  );
}
