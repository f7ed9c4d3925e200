/**
 * The Statement of Applicability in ISO/IEC 27002:2022 numbering (`x1051 coverage --edition
 * 2022`): one row per 2022 control (93) and per X.1051:2016 TEL control (by its ISO/IEC 27011:2024
 * number where known), each with the X.1051:2016 controls it maps from — and their items —
 * underneath. Built from the ordinary coverage; nothing is re-analysed.
 */
import type { CatalogIndex } from '../../../catalog/src/query';
import type { EditionControl, Text, Theme } from '../../../catalog/src/types';
import type { ControlCoverage, ControlCoverageStatus, Coverage, Location } from './coverage';
import type { DocumentAnalysis } from './types';

/** One row of the 2022 SoA. */
export interface Control2022Coverage {
  /** "8.15"; "5.42 TEL" for a 27011:2024 TEL control with a known number; "TEL.9.5.1" otherwise. */
  id: string;
  edition: '27002:2022' | '27011:2024';
  title: Text;
  theme?: Theme;
  /** False for a TEL control whose ISO/IEC 27011:2024 number no public source states. */
  numberKnown: boolean;
  /** The X.1051:2016 controls it maps from (empty for controls new in 2022). */
  from: string[];
  /** Applicability from the config: excluded only when every mapped control is excluded. */
  applicability: ControlCoverage['applicability'];
  status: ControlCoverageStatus;
  /** Where documents cite the 2022 id itself (for controls new in 2022, the only trace). */
  citedAt: Location[];
  /** The X.1051:2016 controls underneath, with their items. */
  x1051: ControlCoverage[];
}

export interface Coverage2022 {
  edition: '27002:2022';
  controls: Control2022Coverage[];
  summary: Record<ControlCoverageStatus, number>;
}

/** The status of a 2022 control from the statuses of the controls it maps from. */
export function combineStatus(statuses: ControlCoverageStatus[], cited: boolean): ControlCoverageStatus {
  if (statuses.length === 0) return cited ? 'cited' : 'not-claimed';
  const relevant = statuses.filter((s) => s !== 'not-applicable');
  if (relevant.length === 0) return 'not-applicable';
  if (relevant.every((s) => s === 'not-claimed')) return 'not-claimed';
  if (relevant.every((s) => s === 'addressed' || s === 'cited')) return relevant.includes('addressed') ? 'addressed' : 'cited';
  return relevant.some((s) => s === 'addressed' || s === 'cited' || s === 'partial') ? 'partial' : 'missing';
}

function combineApplicability(rows: ControlCoverage[]): ControlCoverage['applicability'] {
  if (rows.length === 0) return 'undecided';
  if (rows.every((r) => r.applicability === 'excluded')) return 'excluded';
  if (rows.some((r) => r.applicability === 'applicable')) return 'applicable';
  return 'undecided';
}

/** Computes the 2022 SoA from the X.1051:2016 coverage and the analyses (for direct citations). */
export function coverage2022(catalog: CatalogIndex, cov: Coverage, analyses: Iterable<DocumentAnalysis>): Coverage2022 {
  const byId = new Map(cov.controls.map((c) => [c.id, c]));
  const citedAt = new Map<string, Location[]>();
  for (const a of analyses) {
    for (const c of a.citations) {
      if (!c.via?.known) continue;
      const list = citedAt.get(c.via.id) ?? [];
      if (!list.some((l) => l.uri === a.uri && l.range.start.line === c.range.start.line && l.range.start.character === c.range.start.character)) list.push({ uri: a.uri, range: c.range });
      citedAt.set(c.via.id, list);
    }
  }
  const controls: Control2022Coverage[] = [];
  const row = (c: EditionControl, edition: Control2022Coverage['edition']): Control2022Coverage => {
    const x1051 = c.from.map((f) => byId.get(f)).filter((x): x is ControlCoverage => x !== undefined);
    const cited = citedAt.get(c.id) ?? [];
    return {
      id: c.id,
      edition,
      title: c.title,
      theme: c.theme,
      numberKnown: true,
      from: [...c.from],
      applicability: combineApplicability(x1051),
      status: combineStatus(x1051.map((x) => x.status), cited.length > 0),
      citedAt: cited,
      x1051,
    };
  };
  for (const c of catalog.editions.controls2022()) controls.push(row(c, '27002:2022'));
  // The TEL controls: by their 2024 number where known, else by their 2016 id, said so.
  for (const tel of catalog.allControls().filter((c) => c.kind === 'tel')) {
    const t24 = catalog.editions.tel2024Of(tel.id);
    if (t24) {
      controls.push(row(t24, '27011:2024'));
      continue;
    }
    const x = byId.get(tel.id);
    const x1051 = x ? [x] : [];
    controls.push({
      id: tel.id,
      edition: '27011:2024',
      title: tel.title,
      numberKnown: false,
      from: [tel.id],
      applicability: combineApplicability(x1051),
      status: combineStatus(x1051.map((r) => r.status), false),
      citedAt: [],
      x1051,
    });
  }
  const summary: Coverage2022['summary'] = { addressed: 0, partial: 0, missing: 0, cited: 0, 'not-applicable': 0, 'not-claimed': 0 };
  for (const c of controls) summary[c.status]++;
  return { edition: '27002:2022', controls, summary };
}
