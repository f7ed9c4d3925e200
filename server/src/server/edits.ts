/**
 * The one place that decides the shape of a workspace edit from the client's capabilities:
 * `documentChanges` (with the document's version, so a client refuses an edit computed for an
 * older text) when the client declares `workspace.workspaceEdit.documentChanges`, else `changes`.
 * Every edit the server sends (code actions, commands) is built here.
 */
import type { ClientCapabilities, TextEdit, WorkspaceEdit } from 'vscode-languageserver/node';

/**
 * A workspace edit of one document. `version` is the version the edits were computed for
 * (`null` when the document is not open in the client, or when no check is wanted).
 */
export function documentEdit(client: ClientCapabilities, uri: string, edits: TextEdit[], version: number | null = null): WorkspaceEdit {
  if (client.workspace?.workspaceEdit?.documentChanges) return { documentChanges: [{ textDocument: { uri, version }, edits }] };
  return { changes: { [uri]: edits } };
}
