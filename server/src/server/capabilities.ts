/**
 * What the server announces in `initialize`, shaped by what the client declared.
 */
import { CodeActionKind, TextDocumentSyncKind, type ClientCapabilities, type ServerCapabilities } from 'vscode-languageserver/node';
import { CONTROL_SCHEME, FIX_ALL_KIND } from '../service';
import type { ControlDocumentMode } from './controlDocuments';

/** What the server decided in `initialize` besides the client's capabilities. */
export interface ServerChoices {
  /** How control documents reach the client. */
  controlDocuments: ControlDocumentMode;
  /** The commands to announce in `executeCommandProvider`. */
  commands: string[];
}

/** The server's capabilities. */
export function serverCapabilities(client: ClientCapabilities, choices: ServerChoices): ServerCapabilities {
  return {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: true } },
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
    executeCommandProvider: { commands: choices.commands },
    workspace: {
      workspaceFolders: { supported: true, changeNotifications: true },
      ...(choices.controlDocuments === 'content' ? { textDocumentContent: { schemes: [CONTROL_SCHEME] } } : {}),
    },
  };
}
