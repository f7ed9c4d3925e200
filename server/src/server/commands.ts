/**
 * Commands (`workspace/executeCommand`) and the control documents the client asks for.
 *
 * Every command the server puts in a code lens or a code action is announced in
 * `executeCommandProvider` and implemented here, except those the client says it runs itself
 * (`initializationOptions.clientCommands`: the VS Code extension registers `x1051.showControl`
 * with its own UI, and two registrations of one command would clash there).
 *
 * - `x1051.showControl` `[id, lang?]`: shows the control's document (`window/showDocument` when
 *   the client supports it, else a message naming the file); answers `{ uri }`, the document.
 * - `x1051.applyEdit` `[WorkspaceEdit]`: applies a quick fix's edit through `workspace/applyEdit`;
 *   the code actions of clients without `codeActionLiteralSupport` are such `Command`s.
 */
import { ErrorCodes, ResponseError, type WorkspaceEdit } from 'vscode-languageserver/node';
import { ControlDocumentRequest } from '../protocol';
import { controlDocumentUri, type Lang } from '../service';
import { uriToPath } from '../workspace';
import type { ServerContext } from './context';
import { registerControlDocuments } from './controlDocuments';

/** Shows a control's document. */
export const SHOW_CONTROL = 'x1051.showControl';
/** Applies a workspace edit (the `Command` form of a code action). */
export const APPLY_EDIT = 'x1051.applyEdit';
/** Every command the server implements. */
export const SERVER_COMMANDS = [SHOW_CONTROL, APPLY_EDIT];

/** The commands to announce: the server's, minus those the client runs itself. */
export function announcedCommands(initializationOptions: unknown): string[] {
  const own = (initializationOptions as { clientCommands?: unknown } | undefined)?.clientCommands;
  const skip = new Set(Array.isArray(own) ? own.filter((c): c is string => typeof c === 'string') : []);
  return SERVER_COMMANDS.filter((c) => !skip.has(c));
}

/** Registers `workspace/executeCommand`, `x1051/controlDocument` and `workspace/textDocumentContent`. */
export function registerCommands(ctx: ServerContext): void {
  const { connection } = ctx;

  connection.onRequest(
    ControlDocumentRequest,
    ctx.safe('controlDocument', null, (p) => (p && typeof p.id === 'string' ? ctx.service.controlDocument(p.id, p.lang === 'en' ? 'en' : 'ja') ?? null : null)),
  );
  registerControlDocuments(ctx, ctx.controls);

  connection.onExecuteCommand(
    ctx.safe('executeCommand', null, async (p) => {
      const args = Array.isArray(p.arguments) ? p.arguments : [];
      switch (p.command) {
        case SHOW_CONTROL:
          return showControl(ctx, args[0], args[1]);
        case APPLY_EDIT:
          return applyEdit(ctx, args[0]);
        default:
          throw new ResponseError(ErrorCodes.InvalidParams, `unknown command '${String(p.command)}'`);
      }
    }),
  );
}

async function showControl(ctx: ServerContext, id: unknown, langArg: unknown): Promise<{ uri: string }> {
  if (typeof id !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, `${SHOW_CONTROL} expects a control id as its first argument`);
  const lang: Lang = langArg === 'ja' || langArg === 'en' ? langArg : ctx.uiLang();
  if (ctx.service.controlDocument(id, lang) === undefined) throw new ResponseError(ErrorCodes.InvalidParams, `unknown control '${id}'`);
  const uri = ctx.controls.resolve(controlDocumentUri(id, lang));
  if (ctx.capabilities.window?.showDocument?.support) {
    await ctx.connection.window.showDocument({ uri, takeFocus: true });
  } else {
    void ctx.connection.window.showInformationMessage(`X.1051 ${id}: ${uriToPath(uri) ?? uri}`);
  }
  return { uri };
}

async function applyEdit(ctx: ServerContext, edit: unknown): Promise<{ applied: boolean }> {
  if (typeof edit !== 'object' || edit === null) throw new ResponseError(ErrorCodes.InvalidParams, `${APPLY_EDIT} expects a WorkspaceEdit as its first argument`);
  if (!ctx.capabilities.workspace?.applyEdit) throw new ResponseError(ErrorCodes.InvalidRequest, 'the client does not support workspace/applyEdit');
  const result = await ctx.connection.workspace.applyEdit({ label: 'X.1051', edit: edit as WorkspaceEdit });
  return { applied: result.applied };
}
