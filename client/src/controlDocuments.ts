/**
 * Read-only virtual documents `x1051-control:/TEL.18.1.6.md?lang=ja` showing one control's full
 * guidance as Markdown. The server renders them (`x1051/controlDocument`) so hovers and these
 * documents share one renderer; VS Code treats content-provider documents as read-only, and the
 * `.md` suffix gives them the Markdown language, hence the usual preview button.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { Lang } from './catalog';
import { type ControlDocumentParams, ControlDocumentRequest } from './protocol';

/** URI scheme of control documents. */
export const CONTROL_SCHEME = 'x1051-control';

/** Builds the URI of a control document. */
export function controlUri(id: string, lang: Lang): vscode.Uri {
  return vscode.Uri.from({ scheme: CONTROL_SCHEME, path: `/${id}.md`, query: `lang=${lang}` });
}

/** Parses a control document URI back into its control id and language. */
export function parseControlUri(uri: vscode.Uri): ControlDocumentParams | undefined {
  const match = /^\/(.+)\.md$/.exec(uri.path);
  if (!match) return undefined;
  const lang = new URLSearchParams(uri.query).get('lang') === 'en' ? 'en' : 'ja';
  return { id: match[1], lang };
}

/** Supplies the text of control documents from the server. */
export class ControlDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  constructor(
    private readonly client: LanguageClient,
    private readonly ready: Promise<void>,
  ) {}

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const params = parseControlUri(uri);
    if (!params) return vscode.l10n.t('Not a control document: {0}', uri.toString());
    await this.ready;
    const markdown = await this.client.sendRequest(ControlDocumentRequest, params, token);
    return markdown ?? vscode.l10n.t('Control {0} is not in the X.1051 catalogue.', params.id);
  }

  dispose(): void {
    // Nothing to release: documents are cached by VS Code and fetched again when reopened.
  }
}

/**
 * Opens a control document in an editor beside the current one, or its rendered preview when
 * `preview` is true (the Markdown preview works on any text document, virtual ones included).
 */
export async function showControlDocument(id: string, lang: Lang, preview = false): Promise<void> {
  const uri = controlUri(id, lang);
  if (preview) {
    await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
    return;
  }
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.languages.setTextDocumentLanguage(document, 'markdown');
  await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Beside });
}
