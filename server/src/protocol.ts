/**
 * The custom messages between the X.1051 client and server, shared by both sides (the client
 * imports this file, so it must stay free of server-only code). Every message lives under the
 * `x1051/` namespace and says which way it travels.
 *
 * Adding a message: declare its type here with a doc comment naming the direction, handle it
 * in `server/` (a thin handler in the module of its concern, delegating to the service), and call it from the client.
 */
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { ControlCoverage, Coverage } from './service/coverage';
import type { CompactCoverage } from './coverageWire';
import type { Lang } from './service/types';

export { CONTROL_SCHEME, controlDocumentUri, parseControlDocumentUri } from './service/features/definition';
export type { Coverage, ControlCoverage, ItemCoverage, Location } from './service/coverage';
export { compactCoverage, expandCoverage, isCompactCoverage, type CompactCoverage } from './coverageWire';

/** The answer of `x1051/coverage`: the service's workspace coverage, unchanged. */
export type CoverageReport = Coverage;

/** Params of `x1051/coverage`. */
export interface CoverageParams {
  /** Reserved: restrict the report to one workspace folder (uri). Ignored for now. */
  folder?: string;
  /**
   * `"compact"`: the compact form (`coverageWire.ts`: a URI table, claims as tuples without their
   * heading text, each item's first evidence and its count), ≤ 1 MB for 1,000 policies; the rest
   * comes with `x1051/coverageDetails`. Absent or `"full"`: the whole coverage, as before.
   */
  format?: 'full' | 'compact';
}

/**
 * **client → server** request: the workspace coverage (per control: applicability, claims,
 * items addressed / missing / not applicable; config findings; a summary), for the coverage
 * view, the status bar and the SoA export. Answered from cached analyses, so it is cheap.
 * `null` only when computing it failed (the failure is in the server's log).
 */
export const CoverageRequest = new RequestType<CoverageParams, CoverageReport | CompactCoverage | null, void>('x1051/coverage');

/** Params of `x1051/coverageDetails`. */
export interface CoverageDetailsParams {
  /** Control ids ("TEL.18.1.6"); unknown ids are left out of the answer. */
  controls: string[];
}

/**
 * **client → server** request: the full coverage of some controls (every claim with its heading,
 * every place each item is addressed), for the nodes the user expands in the sidebar when the
 * client holds the compact coverage. From the same cached coverage as `x1051/coverage`.
 */
export const CoverageDetailsRequest = new RequestType<CoverageDetailsParams, ControlCoverage[] | null, void>('x1051/coverageDetails');

/** Params of `x1051/coverageChanged`. */
export interface CoverageChangedParams {
  /** The summary of the new coverage (counts per status), enough for a status bar. */
  summary: Coverage['summary'];
}

/**
 * **server → client** notification: the coverage changed after a re-analysis (an edit, a file
 * event, a settings or config change, or the end of the initial indexing). The client refreshes
 * with `x1051/coverage` instead of polling. Sent at most about once per second.
 */
export const CoverageChangedNotification = new NotificationType<CoverageChangedParams>('x1051/coverageChanged');

/** Params of `x1051/controlDocument`. */
export interface ControlDocumentParams {
  /** Control id as in the catalogue ("TEL.18.1.6", "12.4.1"). */
  id: string;
  lang: Lang;
}

/**
 * **client → server** request: the Markdown of one control's read-only document
 * (`x1051-control:/TEL.18.1.6.md?lang=ja`, the target of go-to-definition), rendered with the
 * same renderer as the hovers. `null` when the id is not in the catalogue.
 */
export const ControlDocumentRequest = new RequestType<ControlDocumentParams, string | null, void>('x1051/controlDocument');
