/**
 * Pure numbers derived from a coverage report, shared by the status bar, the sidebar and the
 * export command. No `vscode` import here, so the arithmetic is testable in plain mocha.
 */
import { applicabilityConfigured, type ControlCoverage, type Coverage, itemCounts } from './protocol';

/** What the status bar percentage is computed over. */
export type CoverageBasis = 'applicable' | 'claimed';

/** A control in scope with its item counts. */
export interface CountedControl {
  control: ControlCoverage;
  addressed: number;
  total: number;
}

/** The headline figure of a workspace. */
export interface CoverageSummary {
  basis: CoverageBasis;
  /** Controls counted (applicable ones, or claimed ones when no applicability is configured). */
  controls: CountedControl[];
  addressed: number;
  total: number;
  /** Rounded down, so 100% means nothing at all is missing. Undefined when total is 0. */
  percent: number | undefined;
  /** Counted controls that still miss something or are not claimed, least covered first. */
  gaps: CountedControl[];
  /**
   * Counted controls that are claimed but have no checkable items (status `cited`): x1051 does not
   * check them, so they add nothing to the percentage, which counts only what was checked.
   */
  cited: CountedControl[];
}

/**
 * Whether a control counts: declared applicable when the configuration records applicability
 * decisions, else claimed by some heading (and not wholly marked not applicable).
 */
export function inScope(control: ControlCoverage, configured: boolean): boolean {
  if (configured) return control.applicability === 'applicable';
  return control.claims.length > 0 && control.status !== 'not-applicable';
}

/** A control whose items are not all addressed, or that nobody claims. */
export function isGap(control: ControlCoverage): boolean {
  return control.status === 'partial' || control.status === 'missing' || control.status === 'not-claimed';
}

/**
 * Summarises a report over the items of the controls in scope. An applicable control nobody
 * claims counts with all its items missing, since the policy set does not address it.
 */
export function summarize(coverage: Coverage): CoverageSummary {
  const configured = applicabilityConfigured(coverage);
  const controls = coverage.controls
    .filter((c) => inScope(c, configured))
    .map((control) => ({ control, ...itemCounts(control) }));
  let addressed = 0;
  let total = 0;
  for (const c of controls) {
    addressed += c.addressed;
    total += c.total;
  }
  const gaps = controls
    .filter((c) => isGap(c.control))
    .sort((a, b) => a.addressed / (a.total || 1) - b.addressed / (b.total || 1) || a.control.id.localeCompare(b.control.id));
  return {
    basis: configured ? 'applicable' : 'claimed',
    controls,
    addressed,
    total,
    percent: total === 0 ? undefined : Math.floor((addressed * 100) / total),
    gaps,
    cited: controls.filter((c) => c.control.status === 'cited'),
  };
}

/**
 * How many documents claim a control and how many of them leave some of its items missing (from
 * each claim's `missing`). A control addressed by the policy set as a whole may still have a
 * claiming document with gaps.
 */
export function claimingDocuments(control: Pick<ControlCoverage, 'claims'>): { documents: number; withGaps: number } {
  const docs = new Map<string, boolean>();
  for (const c of control.claims) docs.set(c.uri, (docs.get(c.uri) ?? false) || (c.missing?.length ?? 0) > 0);
  return { documents: docs.size, withGaps: [...docs.values()].filter(Boolean).length };
}
