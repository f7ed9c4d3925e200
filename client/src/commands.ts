/**
 * The commands of the extension, all in the "X.1051" category of the Command Palette, and the
 * commands behind the coverage view's title bar and context menu.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { Control } from '../../catalog/src/types';
import { type ClientCatalog, type Lang, loadCatalog, pick } from './catalog';
import { configurationTemplate } from './configTemplate';
import { showControlDocument } from './controlDocuments';
import type { CoverageStore } from './coverage';
import type { CoverageFilter, CoverageTreeProvider } from './coverageView';
import { statusLabel } from './coverageView';
import { claimingDocuments } from './metrics';
import { itemCounts } from './protocol';
import { languageFor, languageSetting, uiLanguage } from './settings';
import { controlText, sectionSkeleton } from './snippets';
import { renderSoa, type SoaFormat, type SoaRow } from './soa';

/** What the commands need from `activate()`. */
export interface CommandContext {
  client: LanguageClient;
  store: CoverageStore;
  tree: CoverageTreeProvider;
  catalogPath: string;
  restart: () => Promise<void>;
}

interface ControlPick extends vscode.QuickPickItem {
  control: Control;
}

/** Registers every command; the disposables go to the extension context. */
export function registerCommands(context: vscode.ExtensionContext, deps: CommandContext): void {
  const catalog = (): Promise<ClientCatalog> => loadCatalog(deps.catalogPath);
  const register = (id: string, run: (...args: any[]) => unknown): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, run));
  };

  register('x1051.insertControl', async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a policy document to insert a control into.'));
      return;
    }
    const lang = languageFor(editor.document);
    const control = await pickControl(await catalog(), lang, vscode.l10n.t('Insert Control: type an id, a title or words of the control'));
    if (!control) return;
    const form = await vscode.window.showQuickPick(
      [
        { label: vscode.l10n.t('Section skeleton'), detail: vscode.l10n.t('A heading claiming {0}, with the items to address listed in a comment', control.id), form: 'skeleton' as const },
        { label: vscode.l10n.t('Control text'), detail: vscode.l10n.t('The control statement and its items as a quotation'), form: 'text' as const },
      ],
      { title: `${control.id} ${pick(control.title, lang)}`, placeHolder: vscode.l10n.t('What to insert') },
    );
    if (!form) return;
    const text = form.form === 'skeleton' ? sectionSkeleton(control, lang, headingLevelAt(editor)) : controlText(control, lang);
    await insertAtCursor(editor, text);
  });

  register('x1051.showControl', async (id?: unknown) => {
    const lang = languageFor(vscode.window.activeTextEditor?.document);
    const controlId =
      typeof id === 'string' ? id : (await pickControl(await catalog(), lang, vscode.l10n.t('Show Control: type an id, a title or words of the control')))?.id;
    if (controlId) await showControlDocument(controlId, lang);
  });

  register('x1051.showCoverage', async () => {
    await vscode.commands.executeCommand('x1051.coverage.focus');
  });

  register('x1051.exportSoA', () => exportSoa(deps, catalog));
  register('x1051.createConfiguration', () => createConfiguration(catalog));
  register('x1051.restartServer', () => deps.restart());

  register('x1051.coverage.refresh', () => deps.store.refresh());
  const filters: [string, CoverageFilter][] = [
    ['x1051.coverage.filterAll', 'all'],
    ['x1051.coverage.filterApplicable', 'applicable'],
    ['x1051.coverage.filterGaps', 'gaps'],
  ];
  for (const [command, filter] of filters) {
    register(command, () => deps.tree.setFilter(filter));
    // The checked twin shown for the active filter does nothing but keep the menu honest.
    register(`${command}Checked`, () => deps.tree.setFilter(filter));
  }

  register('x1051.coverage.groupBy2022', () => deps.tree.setGroupBy('2022'));
  register('x1051.coverage.groupBy2013', () => deps.tree.setGroupBy('2013'));

  register('x1051.coverage.insertControlText', async (node?: { id?: string }) => {
    const editor = vscode.window.activeTextEditor;
    const control = node?.id ? (await catalog()).controls.get(node.id) : undefined;
    if (!control) return;
    if (!editor) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a policy document to insert a control into.'));
      return;
    }
    await insertAtCursor(editor, controlText(control, languageFor(editor.document)));
  });

  register('x1051.coverage.showControl', async (node?: { id?: string }) => {
    if (!node?.id) return;
    const setting = languageSetting();
    await showControlDocument(node.id, setting === 'auto' ? uiLanguage() : setting);
  });
}

/**
 * A quick pick over the whole catalogue. The id is the label; the title in the document's language
 * is the description; the detail holds the other language's title and the control statement in
 * both languages, so typing any of them finds the control.
 */
async function pickControl(catalog: ClientCatalog, lang: Lang, placeHolder: string): Promise<Control | undefined> {
  const other: Lang = lang === 'ja' ? 'en' : 'ja';
  const items: ControlPick[] = catalog.ordered.map((control) => ({
    label: control.id,
    description: pick(control.title, lang),
    detail: [control.title[other], control.control?.[lang], control.control?.[other]].filter(Boolean).join(' · '),
    control,
  }));
  const chosen = await vscode.window.showQuickPick(items, {
    placeHolder,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return chosen?.control;
}

/**
 * The level of the heading the cursor is under, so the skeleton becomes a sibling section (the
 * next article of a regulation); under the document's title (level 1) it becomes level 2.
 */
function headingLevelAt(editor: vscode.TextEditor): number {
  for (let line = editor.selection.active.line; line >= 0; line--) {
    const match = /^(#{1,6})\s/.exec(editor.document.lineAt(line).text);
    if (match) return Math.max(match[1].length, 2);
  }
  return 2;
}

/** Inserts a block at the cursor, separated by a blank line from the text before it. */
async function insertAtCursor(editor: vscode.TextEditor, text: string): Promise<void> {
  const position = editor.selection.active;
  const line = editor.document.lineAt(position.line);
  const previous = position.line > 0 ? editor.document.lineAt(position.line - 1).text : '';
  const before = line.text.slice(0, position.character).trim() ? '\n\n' : previous.trim() ? '\n' : '';
  await editor.edit((edit) => edit.insert(position, before + text));
}

async function createConfiguration(catalog: () => Promise<ClientCatalog>): Promise<void> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const folder =
    folders.length <= 1
      ? folders[0]
      : await vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Folder to create .x1051.yaml in') });
  if (!folder) {
    if (folders.length === 0) void vscode.window.showInformationMessage(vscode.l10n.t('Open a folder first: the configuration is created at its root.'));
    return;
  }
  const uri = vscode.Uri.joinPath(folder.uri, '.x1051.yaml');
  if (await exists(uri)) {
    // Never overwrite: the file holds the organisation's applicability decisions.
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} already exists; it was left unchanged.', '.x1051.yaml'));
    await vscode.window.showTextDocument(uri);
    return;
  }
  const text = configurationTemplate((await catalog()).catalog, uiLanguage());
  // A workspace edit that ignores an existing file cannot clobber one created since the check.
  const edit = new vscode.WorkspaceEdit();
  edit.createFile(uri, { overwrite: false, ignoreIfExists: true, contents: new TextEncoder().encode(text) });
  await vscode.workspace.applyEdit(edit);
  await vscode.window.showTextDocument(uri);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function exportSoa(deps: CommandContext, catalog: () => Promise<ClientCatalog>): Promise<void> {
  const report = await deps.store.get();
  if (!report) {
    void vscode.window.showWarningMessage(vscode.l10n.t('The coverage is not available yet: the X.1051 language server is not ready.'));
    return;
  }
  const format = await vscode.window.showQuickPick(
    [
      { label: 'Markdown', description: '.md', format: 'markdown' as const, ext: 'md' },
      { label: 'CSV', description: '.csv', format: 'csv' as const, ext: 'csv' },
      { label: 'JSON', description: '.json', format: 'json' as const, ext: 'json' },
    ],
    { placeHolder: vscode.l10n.t('Format of the Statement of Applicability') },
  );
  if (!format) return;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, `statement-of-applicability.${format.ext}`) : undefined,
    filters: { [format.label]: [format.ext] },
    saveLabel: vscode.l10n.t('Export'),
  });
  if (!target) return;

  const { ordered } = await catalog();
  const setting = languageSetting();
  const lang = setting === 'auto' ? uiLanguage() : setting;
  const entries = new Map(report.controls.map((c) => [c.id, c]));
  const rows: SoaRow[] = ordered.map((control) => {
    const entry = entries.get(control.id);
    const counts = entry ? itemCounts(entry) : { addressed: 0, total: 0 };
    const docs = entry ? claimingDocuments(entry) : { documents: 0, withGaps: 0 };
    const status = statusLabel(entry?.status ?? 'not-claimed');
    return {
      id: control.id,
      title: pick(control.title, lang),
      applicable: entry?.applicability === 'applicable' ? 'yes' : entry?.applicability === 'excluded' ? 'no' : '',
      justification: (entry?.justificationText ? pick(entry.justificationText, lang) : entry?.justification ?? '') + (entry?.profile ? ` (${entry.profile})` : ''),
      // The policy set's status, and the claiming documents that still have gaps of their own.
      status:
        entry?.status === 'addressed' && docs.withGaps > 0
          ? docs.withGaps === 1
            ? vscode.l10n.t('{0} ({1} of {2} claiming documents has gaps)', status, docs.withGaps, docs.documents)
            : vscode.l10n.t('{0} ({1} of {2} claiming documents have gaps)', status, docs.withGaps, docs.documents)
          : status,
      documentsWithGaps: docs.withGaps,
      claimingDocuments: docs.documents,
      addressed: entry?.status === 'not-claimed' ? 0 : counts.addressed,
      total: entry?.status === 'not-claimed' ? 0 : counts.total,
      where: (entry?.claims ?? []).map((c) => `${vscode.workspace.asRelativePath(vscode.Uri.parse(c.uri), false)}:${c.range.start.line + 1}`),
    };
  });
  const text = renderSoa(
    rows,
    format.format as SoaFormat,
    {
      id: vscode.l10n.t('Control'),
      title: vscode.l10n.t('Title'),
      applicable: vscode.l10n.t('Applicable'),
      justification: vscode.l10n.t('Justification'),
      status: vscode.l10n.t('Status'),
      items: vscode.l10n.t('Items addressed'),
      where: vscode.l10n.t('Policy sections'),
    },
    vscode.l10n.t('Statement of Applicability (ITU-T X.1051)'),
    {
      list: (report.documents ?? []).map(({ uri, ...meta }) => ({ path: vscode.workspace.asRelativePath(vscode.Uri.parse(uri), false), ...meta })),
      headers: {
        title: vscode.l10n.t('Documents'),
        path: vscode.l10n.t('Document'),
        owner: vscode.l10n.t('Owner'),
        version: vscode.l10n.t('Version'),
        approvedBy: vscode.l10n.t('Approved by'),
        approved: vscode.l10n.t('Approved'),
        nextReview: vscode.l10n.t('Next review'),
        overdue: vscode.l10n.t('(overdue)'),
      },
    },
  );
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  const open = vscode.l10n.t('Open');
  const answer = await vscode.window.showInformationMessage(
    vscode.l10n.t('Statement of Applicability written to {0}.', vscode.workspace.asRelativePath(target, false)),
    open,
  );
  if (answer === open) await vscode.window.showTextDocument(target);
}
