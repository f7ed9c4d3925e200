/**
 * Resolving one id typed by a user (`x1051 show`, quick picks) in either numbering.
 *
 * Pure: no Node built-ins.
 */
import { findEditionIdCandidates } from './editionIds';
import type { CatalogIndex } from './query';
import type { EditionControl, Objective } from './types';
import type { EditionChoice } from './editions';

/** What an id in another edition's numbering names. */
export type EditionLookup =
  | { kind: 'edition-control'; control: EditionControl }
  /** `A.5.1` without an edition: objective 5.1 of 2013 or control 5.1 of 2022. */
  | { kind: 'ambiguous'; objective: Objective; control: EditionControl }
  /** A well-formed 2022/2024 id that the edition does not have ("A.8.40", "5.40 TEL"). */
  | { kind: 'unknown'; id: string; edition: '27002:2022' | '27011:2024' };

/**
 * Resolves `text` when it is a single 2022/2024 id (`27002:2022 8.15`, `A.8.15`, `8.15 TEL`,
 * `5.42 TEL`; a bare `8.15` only with `edition` 2022). Returns undefined when the text is not one
 * (the caller then uses the X.1051:2016 lookup), or when `edition` is 2013 and the id is one
 * 2013 has (`A.5.1` is then objective 5.1).
 */
export function lookupEditionId(index: CatalogIndex, text: string, edition?: EditionChoice): EditionLookup | undefined {
  const t = text.trim();
  let cands = findEditionIdCandidates(t);
  // A bare number ("8.15") is accepted here as if bracketed when the edition is 2022.
  if (cands.length === 0 && edition === '2022') cands = findEditionIdCandidates(`[${t}]`).map((c) => ({ ...c, contextStart: c.contextStart - 1, end: c.end - 1 }));
  if (cands.length !== 1) return undefined;
  const c = cands[0];
  if (c.contextStart !== 0 || !/^[\s.。)）\]]*$/u.test(t.slice(c.end))) return undefined;
  const ed = index.editions;
  const c2022 = ed.control2022(c.number);
  if (c.form === 'tel') {
    if (c2022) return { kind: 'edition-control', control: c2022 };
    const t24 = ed.controlTel2024(c.number);
    return t24 ? { kind: 'edition-control', control: t24 } : { kind: 'unknown', id: `${c.number} TEL`, edition: '27011:2024' };
  }
  if (c.form === 'year-2022') return c2022 ? { kind: 'edition-control', control: c2022 } : { kind: 'unknown', id: c.number, edition: '27002:2022' };
  const objective = index.objective(c.number);
  if (c.form === 'annex' && objective && c2022 && edition === undefined) return { kind: 'ambiguous', objective, control: c2022 };
  if (edition === '2013') return undefined;
  if (c2022) return { kind: 'edition-control', control: c2022 };
  if (c.form === 'annex' && !objective) return { kind: 'unknown', id: c.number, edition: '27002:2022' };
  return undefined;
}
