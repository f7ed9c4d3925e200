/**
 * Code lens above each claim: "TEL.18.1.6 · 13/15 items addressed"
 * (ja: "TEL.18.1.6 · 15 項目中 13 項目に対応"). Clicking it shows the control.
 */
import type { CancellationToken, Claim, DocumentAnalysis, ItemLevel, Range, ServiceOptions } from '../types';
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
    if (total === 0 && notApplicable === 0) text = lang === 'ja' ? '引用のみ（検査する項目なし）' : 'cited, not checked (no items to check)';
    else if (lang === 'ja') text = `${total} 項目中 ${addressed} 項目に対応${notApplicable ? `（対象外 ${notApplicable}）` : ''}`;
    else text = `${addressed}/${total} items addressed${notApplicable ? ` (${notApplicable} n/a)` : ''}`;
    // The detail that diagnostics fold: how many items of each level are still missing.
    const missing = missingByLevel(claim);
    if (missing.length > 0) {
      text += lang === 'ja'
        ? ` · 未記述 ${missing.map(([level, n]) => `${LEVEL_JA[level]} ${n}`).join('、')}`
        : ` · missing ${missing.map(([level, n]) => `${n} ${level}`).join(', ')}`;
    }
    return { range: claim.range, title: `${claim.control} · ${text}`, command: SHOW_CONTROL_COMMAND, arguments: [claim.control, lang] };
  });
}

const LEVEL_JA: Record<ItemLevel, string> = { required: '必須', recommended: '推奨', informative: '参考' };

/** The claim's unaddressed items (not marked not applicable) counted per level, levels in order. */
function missingByLevel(claim: Claim): Array<[ItemLevel, number]> {
  const counts: Record<ItemLevel, number> = { required: 0, recommended: 0, informative: 0 };
  for (const s of claim.items) if (!s.addressed && !s.notApplicable) counts[s.item.level]++;
  return (['required', 'recommended', 'informative'] as const).filter((l) => counts[l] > 0).map((l) => [l, counts[l]]);
}
