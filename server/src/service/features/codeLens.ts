/**
 * Code lens above each claim: "TEL.18.1.6 · 13/15 items addressed"
 * (ja: "TEL.18.1.6 · 15 項目中 13 項目に対応"). Clicking it shows the control.
 */
import type { CancellationToken, DocumentAnalysis, Range, ServiceOptions } from '../types';
import { languageOf } from './hover';
import { claimCounts } from './symbols';

/** The command a lens runs: show the control's guidance (arguments: the control id, the document's language). */
export const SHOW_CONTROL_COMMAND = 'x1051.showControl';

/** One lens: where, what it says, and the command it runs. */
export interface CodeLensEntry {
  range: Range;
  title: string;
  command: string;
  arguments: unknown[];
}

/** The lenses of a document, one per claim. */
export function codeLenses(analysis: DocumentAnalysis, options: ServiceOptions, token?: CancellationToken): CodeLensEntry[] {
  if (token?.isCancellationRequested) return [];
  const lang = languageOf(analysis, options);
  return analysis.claims.map((claim) => {
    const { addressed, total, notApplicable } = claimCounts(claim);
    let text: string;
    if (total === 0 && notApplicable === 0) text = lang === 'ja' ? '確認する項目なし' : 'no items to check';
    else if (lang === 'ja') text = `${total} 項目中 ${addressed} 項目に対応${notApplicable ? `（対象外 ${notApplicable}）` : ''}`;
    else text = `${addressed}/${total} items addressed${notApplicable ? ` (${notApplicable} n/a)` : ''}`;
    return { range: claim.range, title: `${claim.control} · ${text}`, command: SHOW_CONTROL_COMMAND, arguments: [claim.control, lang] };
  });
}
