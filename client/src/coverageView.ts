/**
 * The coverage sidebar: clauses and Annex A → controls → the claiming sections (marked when their
 * document leaves items missing) and the items → the places that address them.
 *
 * It renders the coverage store's latest report against the catalogue (for titles, objectives and
 * grouping) and refreshes itself whenever the store changes, which the server triggers with
 * `x1051/coverageChanged`; the refresh button only exists for peace of mind.
 */
import * as vscode from 'vscode';
import { type ClientCatalog, type Lang, loadCatalog, pick } from './catalog';
import type { CoverageStore } from './coverage';
import { claimingDocuments, inScope, isGap } from './metrics';
import { groups2022 } from './grouping2022';
import { applicabilityConfigured, type ControlCoverage, type Coverage, type ItemCoverage, itemCounts, type Location } from './protocol';
import { coverageGroupBy, languageSetting, SECTION, uiLanguage, type GroupBy } from './settings';

/** Which controls the tree shows. */
export type CoverageFilter = 'all' | 'applicable' | 'gaps';

type Node = GroupNode | ControlNode | ClaimNode | ItemNode | PlaceNode;

interface GroupNode {
  kind: 'group';
  id: string;
  title: string;
  controls: { id: string; entry?: ControlCoverage }[];
  /** A group that is an ISO/IEC 27002:2022 control (grouping by 2022): collapsed, and maybe empty. */
  control2022?: { from: string[] };
}
interface ControlNode {
  kind: 'control';
  id: string;
  entry?: ControlCoverage;
}
interface ClaimNode {
  kind: 'claim';
  control: ControlCoverage;
  claim: ControlCoverage['claims'][number];
  index: number;
}
interface ItemNode {
  kind: 'item';
  control: ControlCoverage;
  item: ItemCoverage;
}
interface PlaceNode {
  kind: 'place';
  parent: string;
  location: Location;
  index: number;
}

const ANNEX_A = 'annex-a';

/** Tree data provider of the `x1051.coverage` view. */
export class CoverageTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private filterValue: CoverageFilter = 'applicable';
  private catalog: ClientCatalog | undefined;
  private view: vscode.TreeView<Node> | undefined;

  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly store: CoverageStore,
    private readonly catalogPath: string,
  ) {
    this.disposables.push(
      store.onDidChange(() => this.changed.fire(undefined)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('x1051.language')) this.changed.fire(undefined);
        if (e.affectsConfiguration('x1051.coverage.groupBy')) {
          void vscode.commands.executeCommand('setContext', 'x1051.coverageGroupBy', coverageGroupBy());
          this.changed.fire(undefined);
        }
      }),
    );
    void vscode.commands.executeCommand('setContext', 'x1051.coverageFilter', this.filterValue);
    void vscode.commands.executeCommand('setContext', 'x1051.coverageGroupBy', coverageGroupBy());
  }

  /** Lets the provider update the view's message and badge. */
  attach(view: vscode.TreeView<Node>): void {
    this.view = view;
    this.describeFilter();
  }

  /** Shows the active filter next to the view title, since menu items carry no check mark. */
  private describeFilter(): void {
    if (!this.view) return;
    this.view.description =
      this.filterValue === 'all'
        ? vscode.l10n.t('all controls')
        : this.filterValue === 'applicable'
          ? vscode.l10n.t('applicable')
          : vscode.l10n.t('gaps only');
  }

  /** The active filter. */
  get filter(): CoverageFilter {
    return this.filterValue;
  }

  /** The numbering the tree groups by (`x1051.coverage.groupBy`). */
  get groupBy(): GroupBy {
    return coverageGroupBy();
  }

  /** Switches the grouping (the setting, so it is remembered) and re-renders. */
  async setGroupBy(groupBy: GroupBy): Promise<void> {
    await vscode.workspace.getConfiguration(SECTION).update('coverage.groupBy', groupBy, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('setContext', 'x1051.coverageGroupBy', groupBy);
    this.changed.fire(undefined);
  }

  /** Switches the filter and re-renders. */
  async setFilter(filter: CoverageFilter): Promise<void> {
    this.filterValue = filter;
    await vscode.commands.executeCommand('setContext', 'x1051.coverageFilter', filter);
    this.describeFilter();
    this.changed.fire(undefined);
  }

  private lang(): Lang {
    const setting = languageSetting();
    return setting === 'auto' ? uiLanguage() : setting;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) return this.roots();
    switch (node.kind) {
      case 'group':
        return node.controls.map((c) => ({ kind: 'control', id: c.id, entry: c.entry }));
      case 'control': {
        if (!node.entry) return [];
        // The snapshot is compact: the claims' headings and every piece of evidence come now.
        const entry = (await this.store.details(node.id)) ?? node.entry;
        // The claiming sections first when there are several documents or a claim has gaps, so a
        // policy whose gaps another policy hides is still visible; then the items.
        const claims: Node[] =
          entry.items.length > 0 && (claimingDocuments(entry).documents > 1 || entry.claims.some((c) => (c.missing?.length ?? 0) > 0))
            ? entry.claims.map((claim, index) => ({ kind: 'claim', control: entry, claim, index }))
            : [];
        return [...claims, ...entry.items.map((item): Node => ({ kind: 'item', control: entry, item }))];
      }
      case 'claim':
        return [];
      case 'item':
        return node.item.evidence.map((location, index) => ({ kind: 'place', parent: node.item.id, location, index }));
      case 'place':
        return [];
    }
  }

  private async roots(): Promise<Node[]> {
    const report = this.store.current;
    try {
      this.catalog ??= await loadCatalog(this.catalogPath);
    } catch {
      if (this.view) this.view.message = vscode.l10n.t('The X.1051 catalogue could not be read.');
      return [];
    }
    if (!report) {
      if (this.view) this.view.message = vscode.l10n.t('Waiting for the X.1051 language server…');
      return [];
    }
    // With no claim and no applicability decision there is nothing to show; an empty tree lets
    // the welcome content offer to create a configuration instead.
    const configured = applicabilityConfigured(report);
    const claimed = report.controls.some((c) => c.claims.length > 0);
    if (!claimed && !configured) {
      if (this.view) this.view.message = undefined;
      return [];
    }
    const groups = groupControls(this.catalog, report, this.filterValue, this.lang(), coverageGroupBy());
    if (this.view) {
      this.view.message =
        groups.length === 0 && this.filterValue === 'gaps' ? vscode.l10n.t('No gaps: every control in scope is addressed.') : undefined;
      const gaps = report.controls.filter((c) => inScope(c, configured) && isGap(c)).length;
      this.view.badge = gaps > 0 ? { value: gaps, tooltip: vscode.l10n.t('{0} controls with gaps', gaps) } : undefined;
    }
    return groups;
  }

  getParent(): undefined {
    // Only needed for `reveal`, which the extension does not use.
    return undefined;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const lang = this.lang();
    switch (node.kind) {
      case 'group': {
        const in2022 = node.control2022 !== undefined;
        const item = new vscode.TreeItem(
          node.title,
          in2022 ? (node.controls.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None) : vscode.TreeItemCollapsibleState.Expanded,
        );
        item.id = `group:${node.id}`;
        const entries = node.controls.map((c) => c.entry).filter((e): e is ControlCoverage => !!e);
        const done = entries.filter((e) => e.status === 'addressed').length;
        item.description = in2022 && node.controls.length === 0 ? vscode.l10n.t('new in 2022: no X.1051 items') : `${done}/${node.controls.length}`;
        if (in2022 && node.controls.length > 0) item.tooltip = `${node.title} ← ${node.control2022!.from.join(', ')}`;
        item.contextValue = 'group';
        return item;
      }
      case 'control':
        return this.controlItem(node, lang);
      case 'claim':
        return claimTreeItem(node, lang);
      case 'item':
        return itemTreeItem(node, lang);
      case 'place': {
        const name = vscode.workspace.asRelativePath(vscode.Uri.parse(node.location.uri), false);
        const line = node.location.range.start.line + 1;
        const item = new vscode.TreeItem(`${name}:${line}`, vscode.TreeItemCollapsibleState.None);
        item.id = `place:${node.parent}:${node.index}`;
        item.iconPath = new vscode.ThemeIcon('go-to-file');
        item.tooltip = vscode.l10n.t('Open the evidence in {0}, line {1}', name, line);
        item.command = openCommand(node.location);
        item.contextValue = 'place';
        return item;
      }
    }
  }

  private controlItem(node: ControlNode, lang: Lang): vscode.TreeItem {
    const control = this.catalog?.controls.get(node.id);
    const title = pick(control?.title, lang);
    const entry = node.entry;
    const hasItems = (entry?.items.length ?? 0) > 0;
    // The id is the label and the count leads the description, so both stay readable in a
    // narrow sidebar; the title follows and is cut first.
    const item = new vscode.TreeItem(node.id, hasItems ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `control:${node.id}`;
    const status = entry?.status ?? 'not-claimed';
    item.iconPath = statusIcon(status);
    const counts = entry ? itemCounts(entry) : { addressed: 0, total: 0 };
    // Counts tell the most for claimed controls; the others say why they have none.
    const docs = entry ? claimingDocuments(entry) : { documents: 0, withGaps: 0 };
    const state =
      entry && counts.total > 0 && status !== 'not-claimed' && status !== 'not-applicable'
        ? `${counts.addressed}/${counts.total}` + (status === 'addressed' && docs.withGaps > 0 ? ` · ${vscode.l10n.t('{0} of {1} documents with gaps', docs.withGaps, docs.documents)}` : '')
        : statusLabel(status);
    item.description = title ? `${state} · ${title}` : state;
    item.contextValue = `control.${status}`;

    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${escapeMarkdown(node.id)}** ${escapeMarkdown(title)}\n\n`);
    const objective = control && this.catalog?.objectives.get(control.objective);
    const objectiveText = pick(objective?.objective, lang);
    if (objectiveText) tooltip.appendMarkdown(`${vscode.l10n.t('Objective:')} ${escapeMarkdown(objectiveText)}\n\n`);
    tooltip.appendMarkdown(`${statusLabel(status)}`);
    if (counts.total > 0 && status !== 'not-claimed') tooltip.appendMarkdown(` — ${vscode.l10n.t('{0} of {1} items addressed', counts.addressed, counts.total)}`);
    if (status === 'cited') tooltip.appendMarkdown(`\n\n${vscode.l10n.t('X.1051 applies this ISO/IEC 27002 control as-is: it has no items x1051 can check, so a citation is recorded but not checked.')}`);
    if (docs.withGaps > 0) tooltip.appendMarkdown(`\n\n${vscode.l10n.t('{0} of {1} claiming documents leave items missing.', docs.withGaps, docs.documents)}`);
    if (entry?.applicability === 'excluded' && entry.justification) {
      const why = entry.justificationText ? pick(entry.justificationText, lang) : entry.justification;
      tooltip.appendMarkdown(`\n\n${vscode.l10n.t('Not applicable:')} ${escapeMarkdown(why)}${entry.profile ? ` (${escapeMarkdown(entry.profile)})` : ''}`);
    }
    item.tooltip = tooltip;

    // A click opens the claiming heading; a control nobody claims opens its guidance instead.
    const claim = entry?.claims[0];
    item.command = claim
      ? openCommand(claim)
      : { command: 'x1051.coverage.showControl', title: vscode.l10n.t('Show Control'), arguments: [node] };
    return item;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/**
 * Groups the controls the filter keeps under their clause, Annex A controls under one node; with
 * `groupBy` 2022, under the ISO/IEC 27002:2022 control each maps to (in 2022 order; a 2013 control
 * mapped to two 2022 controls, 18.2.3, appears under both), Annex A controls still under one node.
 */
export function groupControls(catalog: ClientCatalog, report: Coverage, filter: CoverageFilter, lang: Lang, groupBy: GroupBy = '2013'): GroupNode[] {
  if (groupBy === '2022' && catalog.catalog.editions?.['27002:2022']) return groupBy2022(catalog, report, filter, lang);
  const configured = applicabilityConfigured(report);
  const entries = new Map(report.controls.map((c) => [c.id, c]));
  const groups = new Map<string, GroupNode>();
  const keep = (id: string): boolean => {
    const entry = entries.get(id);
    if (filter === 'all') return true;
    if (!entry || !inScope(entry, configured)) return false;
    return filter === 'applicable' || isGap(entry);
  };
  const add = (groupId: string, title: string, id: string): void => {
    let group = groups.get(groupId);
    if (!group) groups.set(groupId, (group = { kind: 'group', id: groupId, title, controls: [] }));
    group.controls.push({ id, entry: entries.get(id) });
  };
  for (const control of catalog.ordered) {
    if (!keep(control.id)) continue;
    if (control.kind === 'tel') {
      add(ANNEX_A, vscode.l10n.t('Annex A: telecom controls'), control.id);
    } else {
      const clause = catalog.clauses.get(control.clause);
      add(control.clause, `${control.clause} ${pick(clause?.title, lang)}`.trim(), control.id);
    }
  }
  // Keep main-body clauses in numeric order and Annex A last.
  return [...groups.values()].sort((a, b) => {
    if (a.id === ANNEX_A || b.id === ANNEX_A) return a.id === ANNEX_A ? 1 : -1;
    return Number(a.id) - Number(b.id) || a.id.localeCompare(b.id);
  });
}

function groupBy2022(catalog: ClientCatalog, report: Coverage, filter: CoverageFilter, lang: Lang): GroupNode[] {
  const configured = applicabilityConfigured(report);
  const entries = new Map(report.controls.map((c) => [c.id, c]));
  const keep = (id: string): boolean => {
    const entry = entries.get(id);
    if (filter === 'all') return true;
    if (!entry || !inScope(entry, configured)) return false;
    return filter === 'applicable' || isGap(entry);
  };
  const out: GroupNode[] = groups2022(catalog, keep, lang, filter === 'all').map((g) => ({
    kind: 'group',
    id: `2022:${g.id}`,
    title: g.title,
    controls: g.controls.map((id) => ({ id, entry: entries.get(id) })),
    control2022: { from: g.from },
  }));
  const tel = catalog.ordered.filter((c) => c.kind === 'tel' && keep(c.id));
  if (tel.length > 0) out.push({ kind: 'group', id: ANNEX_A, title: vscode.l10n.t('Annex A: telecom controls'), controls: tel.map((c) => ({ id: c.id, entry: entries.get(c.id) })) });
  return out;
}

/** A claiming section: where it is, and how many of the control's items its document misses. */
function claimTreeItem(node: ClaimNode, lang: Lang): vscode.TreeItem {
  const { claim } = node;
  const name = vscode.workspace.asRelativePath(vscode.Uri.parse(claim.uri), false);
  const line = claim.range.start.line + 1;
  const item = new vscode.TreeItem(`${name}:${line}`, vscode.TreeItemCollapsibleState.None);
  item.id = `claim:${node.control.id}:${node.index}`;
  const missing = claim.missing?.length ?? 0;
  item.iconPath = missing > 0 ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')) : new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
  item.description = (claim.heading ? `${claim.heading} · ` : '') + (missing > 0 ? vscode.l10n.t('{0} items missing here', missing) : vscode.l10n.t('complete'));
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown(missing > 0 ? vscode.l10n.t('This document leaves {0} items of {1} missing:', missing, node.control.id) : vscode.l10n.t('This document addresses every item of {0} it claims.', node.control.id));
  const labels = new Map(node.control.items.map((i) => [i.id, i.labelText ? pick(i.labelText, lang) : i.label]));
  for (const id of (claim.missing ?? []).slice(0, 20)) tooltip.appendMarkdown(`\n- ${escapeMarkdown(labels.get(id) ?? id)}`);
  if ((claim.missing?.length ?? 0) > 20) tooltip.appendMarkdown(`\n- ${vscode.l10n.t('… and {0} more', claim.missing.length - 20)}`);
  item.tooltip = tooltip;
  item.command = openCommand(claim);
  item.contextValue = missing > 0 ? 'claim.gaps' : 'claim.complete';
  return item;
}

function itemTreeItem(node: ItemNode, lang: Lang): vscode.TreeItem {
  const { item: entry, control } = node;
  const subject = pick(entry.subject, lang);
  const collapsible = entry.evidence.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
  // The server's label repeats the control id ("TEL.18.1.6 guideline g)"); under the control it is noise.
  const full = entry.labelText ? pick(entry.labelText, lang) : entry.label;
  const label = full.startsWith(`${control.id}`) ? full.slice(control.id.length).trim() : full;
  const item = new vscode.TreeItem(`${label} ${subject}`, collapsible);
  item.id = `item:${entry.id}`;
  item.iconPath = statusIcon(entry.status);
  item.description = statusLabel(entry.status);
  item.contextValue = `item.${entry.status}`;
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown(`**${escapeMarkdown(entry.id)}** ${escapeMarkdown(subject)}\n\n${statusLabel(entry.status)}`);
  if (entry.notApplicable) tooltip.appendMarkdown(`: ${escapeMarkdown(entry.notApplicable.text ? pick(entry.notApplicable.text, lang) : entry.notApplicable.reason)}`);
  if (entry.evidence[0]) tooltip.appendMarkdown(`\n\n${vscode.l10n.t('Evidence: "{0}"', entry.evidence[0].term)}`);
  item.tooltip = tooltip;
  // A missing item is fixed in the claiming section, so a click goes to its heading.
  const target = entry.evidence[0] ?? entry.notApplicable ?? control.claims[0];
  if (target) item.command = openCommand(target);
  return item;
}

function statusIcon(status: ControlCoverage['status'] | ItemCoverage['status']): vscode.ThemeIcon {
  switch (status) {
    case 'addressed':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'partial':
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    case 'cited':
      return new vscode.ThemeIcon('bookmark', new vscode.ThemeColor('descriptionForeground'));
    case 'missing':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    case 'not-applicable':
      return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
    case 'not-claimed':
      return new vscode.ThemeIcon('circle-large-outline', new vscode.ThemeColor('descriptionForeground'));
  }
}

/** Localised name of a status. */
export function statusLabel(status: ControlCoverage['status'] | ItemCoverage['status']): string {
  switch (status) {
    case 'addressed':
      return vscode.l10n.t('addressed');
    case 'partial':
      return vscode.l10n.t('partly addressed');
    case 'cited':
      return vscode.l10n.t('cited (not checked)');
    case 'missing':
      return vscode.l10n.t('missing');
    case 'not-applicable':
      return vscode.l10n.t('not applicable');
    case 'not-claimed':
      return vscode.l10n.t('not claimed');
  }
}

function openCommand(location: Location): vscode.Command {
  const { start, end } = location.range;
  return {
    command: 'vscode.open',
    title: vscode.l10n.t('Open'),
    arguments: [
      vscode.Uri.parse(location.uri),
      { selection: new vscode.Range(start.line, start.character, end.line, end.character) } satisfies vscode.TextDocumentShowOptions,
    ],
  };
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
