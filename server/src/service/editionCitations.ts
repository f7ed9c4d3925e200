/**
 * Citations written in the numbering of ISO/IEC 27002:2022 (`A.8.15`, `27002:2022 8.15`,
 * `[8.15]`) or ISO/IEC 27011:2024 (`8.15 TEL`, `5.42 TEL`), and the edition a document is read in.
 *
 * Decisions (documented in README "Editions" and docs/rules/ambiguous-edition.md):
 * - A 2022 id becomes one citation per X.1051:2016 control it maps from (`via` names the 2022
 *   id), so a heading citing `A.8.32` claims 12.1.2, 14.2.2, 14.2.3 and 14.2.4 and their items are
 *   checked. A 2022 control new in 2022 (5.7) maps from nothing: a citation with no control, known.
 * - `A.N.M` is ambiguous when N.M is both a 2013 objective and a 2022 control (A.5.1, A.8.2):
 *   the edition decides — front matter `edition:`, else `.x1051.yaml` `edition:`, else inferred
 *   from the document's unambiguous citations (three-component 2013 ids against 2022-only forms;
 *   TEL ids count for neither). When it cannot be inferred, the id claims nothing and an
 *   `ambiguous-edition` hint says how to decide.
 * - A bare bracketed `[8.15]` is a 2022 citation only when the document's edition is 2022
 *   (otherwise it is likely another document's numbering, like bare three-component numbers).
 * - An id in neither edition (`A.8.40`, `27002:2022 5.38`, `5.40 TEL` whose 2024 number is not
 *   known) is a citation with no control: `unknown-control`.
 */
import type { CatalogIndex } from '../../../catalog/src/query';
import { findEditionIdCandidates, type EditionIdCandidate } from '../../../catalog/src/editionIds';
import type { EditionSetting } from './config';
import type { ParsedMarkdown } from './markdown';
import type { Citation, Range, Via } from './types';

/** Blocks `editionCitations` searched for ids itself, its caller not having their candidates (for tests: the work an edit saves). */
export const editionSearches = { blocks: 0 };

/** The edition a document is read in, and how that was decided. */
export interface DocumentEdition {
  /** Undefined when `auto` could not tell (the document's citations are mixed or absent). */
  edition?: '2013' | '2022';
  how: 'front-matter' | 'config' | 'inferred' | 'undecided';
}

/** An ambiguous id the edition could not decide (for the `ambiguous-edition` rule). */
export interface AmbiguousId {
  raw: string;
  range: Range;
  /** "5.1". */
  number: string;
}

/** One citation with the heading it stands in, when it stands in one. */
export interface PlacedCitation {
  citation: Citation;
  heading?: number;
}

/**
 * Finds the other-edition citations of a parsed document and decides its edition.
 *
 * @param citations2013 the document's three-component citations (to infer the edition)
 * @param frontMatterEdition `edition:` from the front matter, when given
 * @param blockCandidates each block's candidates (`findEditionIdCandidates` of its rendered
 *   text), when the caller has them already
 */
export function editionCitations(
  parsed: ParsedMarkdown,
  catalog: CatalogIndex,
  citations2013: Citation[],
  configEdition: EditionSetting,
  frontMatterEdition: EditionSetting | undefined,
  blockCandidates?: ReadonlyArray<readonly EditionIdCandidate[]>,
): { citations: PlacedCitation[]; edition: DocumentEdition; ambiguous: AmbiguousId[] } {
  const ed = catalog.editions;
  const found: Array<{ cand: EditionIdCandidate; range: Range; where: Citation['where']; heading?: number }> = [];
  parsed.blocks.forEach((block, bi) => {
    const r = block.rendered;
    let cands = blockCandidates?.[bi];
    if (!cands) {
      editionSearches.blocks++;
      cands = findEditionIdCandidates(r.text);
    }
    for (const cand of cands) {
      const start = r.map[cand.contextStart];
      const end = r.map[cand.end - 1] + 1;
      if (start === undefined || Number.isNaN(end)) continue;
      found.push({ cand, range: parsed.lines.range(start, end), where: block.heading !== undefined ? 'heading' : 'prose', heading: block.heading });
    }
  });

  const isObjective2013 = (n: string) => catalog.objective(n) !== undefined;
  // Signals for `auto`: unambiguous ids of each numbering.
  let s2013 = citations2013.filter((c) => c.control && !c.control.startsWith('TEL.') && !c.via).length;
  let s2022 = 0;
  for (const { cand } of found) {
    const in2022 = ed.control2022(cand.number) !== undefined;
    if (cand.form === 'tel' || cand.form === 'year-2022') s2022++;
    else if (cand.form === 'annex') {
      if (in2022 && !isObjective2013(cand.number)) s2022++;
      else if (!in2022 && isObjective2013(cand.number)) s2013++;
    }
  }
  let edition: DocumentEdition;
  if (frontMatterEdition && frontMatterEdition !== 'auto') edition = { edition: frontMatterEdition, how: 'front-matter' };
  else if (configEdition !== 'auto') edition = { edition: configEdition, how: 'config' };
  else if (s2022 > s2013) edition = { edition: '2022', how: 'inferred' };
  else if (s2013 > s2022) edition = { edition: '2013', how: 'inferred' };
  else edition = { how: 'undecided' };

  const out: PlacedCitation[] = [];
  const ambiguous: AmbiguousId[] = [];
  const emit = (f: (typeof found)[number], via: Via, from: string[]) => {
    const base = { raw: f.cand.raw, range: f.range, where: f.where, via };
    if (from.length === 0) out.push({ citation: { ...base, normalized: via.id }, heading: f.heading });
    for (const control of from) out.push({ citation: { ...base, control, normalized: control }, heading: f.heading });
  };
  for (const f of found) {
    const { cand } = f;
    const c2022 = ed.control2022(cand.number);
    if (cand.form === 'tel') {
      if (c2022) emit(f, { id: c2022.id, edition: '27002:2022', known: true }, c2022.from);
      else {
        const t = ed.controlTel2024(cand.number);
        emit(f, { id: t?.id ?? `${cand.number} TEL`, edition: '27011:2024', known: t !== undefined }, t?.from ?? []);
      }
      continue;
    }
    if (cand.form === 'year-2022') {
      emit(f, { id: c2022?.id ?? cand.number, edition: '27002:2022', known: c2022 !== undefined }, c2022?.from ?? []);
      continue;
    }
    if (cand.form === 'annex') {
      const objective = isObjective2013(cand.number);
      if (c2022 && objective) {
        if (edition.edition === '2022') emit(f, { id: c2022.id, edition: '27002:2022', known: true }, c2022.from);
        else if (edition.edition === undefined) ambiguous.push({ raw: cand.raw, range: f.range, number: cand.number });
        // Read as 2013: an objective, which claims nothing (as before editions were known).
      } else if (c2022) emit(f, { id: c2022.id, edition: '27002:2022', known: true }, c2022.from);
      else if (!objective) emit(f, { id: cand.number, edition: '27002:2022', known: false }, []);
      continue;
    }
    // Bare and bracketed: only in a 2022 document, and only a 2022 id.
    if (edition.edition === '2022' && c2022) emit(f, { id: c2022.id, edition: '27002:2022', known: true }, c2022.from);
  }
  return { citations: out, edition, ambiguous };
}

/** Reads an `edition:` value (front matter or config): undefined when it is not one. */
export function parseEditionSetting(v: unknown): EditionSetting | undefined {
  const s = typeof v === 'number' ? String(v) : v;
  return s === '2013' || s === '2022' || s === 'auto' ? s : undefined;
}
