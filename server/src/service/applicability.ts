/**
 * Applicability decided in `.x1051.yaml` applied to a document's claims: items the config marks
 * not applicable (`notApplicable`, the selected profile) and every item of a control it excludes
 * are not applicable in every claim, so they are never reported missing. An
 * `x1051-not-applicable` directive in the document keeps precedence (its reason is the author's).
 */
import { configNotApplicable, type ResolvedConfig } from './config';
import type { Claim, Lang } from './types';

/** Marks the claims' items that the config says do not apply. */
export function applyConfigApplicability(claims: Claim[], config: ResolvedConfig, lang: Lang): void {
  const hasItems = Object.keys(config.notApplicable).length > 0;
  for (const claim of claims) {
    const decision = config.applicability[claim.control];
    const excluded = decision?.status === 'excluded' ? decision : undefined;
    if (!hasItems && !excluded) continue;
    for (const st of claim.items) {
      if (st.notApplicable) continue;
      const hit = hasItems ? configNotApplicable(config, st.item) : undefined;
      if (hit) st.notApplicable = { reason: hit.entry.reason[lang], range: claim.range, source: 'config', configId: hit.id };
      else if (excluded) st.notApplicable = { reason: excluded.text?.[lang] ?? excluded.justification, range: claim.range, source: 'config', configId: claim.control };
    }
  }
}
