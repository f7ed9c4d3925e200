/**
 * The custom messages between this client and the X.1051 server: the server's protocol file,
 * re-exported so both sides share one definition, plus two small derived figures the client
 * shows. The payloads are the server's own types, so a change of the coverage shape breaks the
 * client's type check instead of its behaviour.
 */
export {
  CoverageRequest,
  CoverageDetailsRequest,
  CoverageChangedNotification,
  expandCoverage,
  isCompactCoverage,
  ControlDocumentRequest,
  type ControlDocumentParams,
  type Coverage,
  type ControlCoverage,
  type ItemCoverage,
  type Location,
} from '../../server/src/protocol';
import type { Coverage, ControlCoverage } from '../../server/src/protocol';

/** Items that count for a control: all but those marked not applicable. */
export function itemCounts(control: ControlCoverage): { addressed: number; total: number } {
  const relevant = control.items.filter((i) => i.status !== 'not-applicable');
  return { addressed: relevant.filter((i) => i.status === 'addressed').length, total: relevant.length };
}

/** Whether the configuration records applicability decisions at all. */
export function applicabilityConfigured(coverage: Coverage): boolean {
  return coverage.controls.some((c) => c.applicability !== 'undecided');
}
