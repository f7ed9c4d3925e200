/**
 * The status bar item "X.1051 82%": the share of items addressed over the applicable controls
 * (or the claimed ones when no applicability is configured), with the gaps in its tooltip. Only
 * what x1051 checked counts: controls without checkable items that are claimed are `cited` and
 * are named in the tooltip, never counted as addressed.
 * Clicking it opens the coverage sidebar.
 */
import * as vscode from 'vscode';
import type { CoverageStore } from './coverage';
import { summarize } from './metrics';

/** Keeps the status bar item in step with the coverage store. */
export class CoverageStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscription: vscode.Disposable;

  constructor(store: CoverageStore) {
    this.item = vscode.window.createStatusBarItem('x1051.coverage', vscode.StatusBarAlignment.Left, 10);
    this.item.name = vscode.l10n.t('X.1051 Coverage');
    this.item.command = 'x1051.showCoverage';
    this.item.text = '$(loading~spin) X.1051';
    this.item.tooltip = vscode.l10n.t('X.1051: computing coverage…');
    this.item.show();
    this.subscription = store.onDidChange(() => this.update(store));
  }

  private update(store: CoverageStore): void {
    const report = store.current;
    if (!report) return;
    const summary = summarize(report);
    const percent = summary.percent === undefined ? '—' : `${summary.percent}%`;
    this.item.text = `$(checklist) X.1051 ${percent}`;

    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = false;
    tooltip.appendMarkdown(
      summary.basis === 'applicable'
        ? vscode.l10n.t('**X.1051 coverage**: {0} of {1} items of {2} applicable controls addressed.', summary.addressed, summary.total, summary.controls.length)
        : vscode.l10n.t('**X.1051 coverage**: {0} of {1} items of {2} claimed controls addressed (no applicability configured).', summary.addressed, summary.total, summary.controls.length),
    );
    if (summary.cited.length > 0) {
      tooltip.appendMarkdown(
        '\n\n' +
          vscode.l10n.t('{0} cited controls (claimed; no checkable items, so not checked and not counted).', summary.cited.length),
      );
    }
    if (summary.gaps.length > 0) {
      tooltip.appendMarkdown('\n\n' + vscode.l10n.t('Gaps:') + '\n');
      const shown = summary.gaps.slice(0, 15);
      for (const gap of shown) {
        const what =
          gap.control.status === 'not-claimed'
            ? vscode.l10n.t('not claimed by any heading')
            : vscode.l10n.t('{0}/{1} items', gap.addressed, gap.total);
        tooltip.appendMarkdown(`\n- \`${gap.control.id}\` ${escapeMarkdown(what)}`);
      }
      if (summary.gaps.length > shown.length) {
        tooltip.appendMarkdown('\n- ' + vscode.l10n.t('… and {0} more', summary.gaps.length - shown.length));
      }
    } else if (summary.total > 0) {
      tooltip.appendMarkdown('\n\n' + vscode.l10n.t('No gaps.'));
    }
    tooltip.appendMarkdown('\n\n' + vscode.l10n.t('Click to open the coverage view.'));
    this.item.tooltip = tooltip;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
