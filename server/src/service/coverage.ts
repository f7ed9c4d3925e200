/**
 * The Statement of Applicability view: for every catalogue control, its applicability from the
 * config, where documents claim it, and per item whether it is addressed, missing or not
 * applicable. Built from the cached per-document analyses, so recomputing after one document
 * changes re-analyses only that document.
 *
 * Semantics:
 * - A control's status is the union over the policy set: an item is addressed when any claiming
 *   document addresses it.
 * - Each claim also has its own result, `missing`: the items of the claim that its document
 *   leaves unaddressed (no claim of the control in that document addresses or excuses them), so a
 *   complete policy cannot hide another policy's gaps.
 * - A claimed control without checkable items (the controls X.1051 applies as-is) is `cited`:
 *   claimed, not checked. It never counts as addressed.
 */
import { todayUtc } from './metadata';
import type { CatalogIndex } from '../../../catalog/src/query';
import type { Control, Text } from '../../../catalog/src/types';
import { configNotApplicable, type ResolvedConfig } from './config';
import { applySeverity } from './features/diagnostics';
import { itemLabel } from './rules';
import type { Claim, DocumentAnalysis, Finding, ItemLevel, ItemStatus, PolicyMetadata, Range } from './types';

/** A location in a document. */
export interface Location {
  uri: string;
  range: Range;
}

export type ItemCoverageStatus = 'addressed' | 'missing' | 'not-applicable' | 'not-claimed';
/**
 * `cited`: claimed, but the control has no checkable items (X.1051 applies ISO/IEC 27002 as-is),
 * so x1051 cannot tell whether it is addressed.
 */
export type ControlCoverageStatus = 'addressed' | 'partial' | 'missing' | 'cited' | 'not-applicable' | 'not-claimed';

/** A claim of a control, with its own result. */
export interface ClaimCoverage extends Location {
  how: 'heading' | 'front-matter';
  heading?: string;
  /**
   * Ids of the claim's items its document leaves unaddressed (not addressed nor marked not
   * applicable by any claim of the control in the same document). Empty when the claim is
   * complete, and for controls without checkable items.
   */
  missing: string[];
}

export interface ItemCoverage {
  id: string;
  /**
   * The human label in the coverage's language: "TEL.18.1.6 e)", "TEL.18.1.6 guideline g)" /
   * "TEL.18.1.6 指針 g)" (the list named in words where the control has several lists).
   */
  label: string;
  /** The human label in both languages. */
  labelText: Text;
  list: number;
  level: ItemLevel;
  subject: Text;
  status: ItemCoverageStatus;
  /** Every place the item is addressed (first evidence of each claim). */
  evidence: Array<Location & { term: string }>;
  /**
   * Why the item does not apply and where that was decided: an `x1051-not-applicable` directive
   * in a policy, or `.x1051.yaml` (`notApplicable` or its profile; `text` then holds the
   * justification in both languages and `profile` the profile's name).
   */
  notApplicable?: Location & { reason: string; text?: Text; profile?: string };
}

export interface ControlCoverage {
  id: string;
  title: Text;
  kind: Control['kind'];
  applicability: 'applicable' | 'excluded' | 'undecided';
  justification?: string;
  /** The justification in both languages, when a profile excludes the control. */
  justificationText?: Text;
  /** The applicability profile that excludes the control, when one does. */
  profile?: string;
  /** Where the config decides it (for navigation). */
  decidedAt?: Location;
  status: ControlCoverageStatus;
  claims: ClaimCoverage[];
  items: ItemCoverage[];
}

/** A document of the policy set with its metadata (owner, version, next review), for the SoA. */
export interface DocumentCoverage extends PolicyMetadata {
  uri: string;
  /** True when the next review date lies before today (the config's `today`, else the UTC date). */
  reviewOverdue?: boolean;
}

export interface Coverage {
  controls: ControlCoverage[];
  /** Every document analysed that claims a control or carries metadata, in uri order. */
  documents?: DocumentCoverage[];
  /** Findings on the config file (uncovered-control), with the config's uri. */
  findings: Array<Finding & { uri: string }>;
  summary: Record<ControlCoverageStatus, number> & { applicable: number; excluded: number; undecided: number };
}

/*
 * What coverage makes of one document that depends on nothing else (its claims' results, its
 * document entry, its evidence locations) is kept with the document's analysis, weakly: an
 * analysis is never changed once made, so coverage computed again after an edit of one document
 * builds only the per-control lists and reuses every other document's entries. Made afresh each
 * time, they were about 2.3 MiB per computation over 1,000 policies, kept until the next one: the
 * server's old generation grew by that much at every edit (issue #13, memory).
 */
const claimsCache = new WeakMap<DocumentAnalysis, Map<Claim, ClaimCoverage>>();
const documentCache = new WeakMap<DocumentAnalysis, { today: string; entry: DocumentCoverage }>();
const evidenceCache = new WeakMap<NonNullable<ItemStatus['evidence']>, Location & { term: string }>();

/** The results of `a`'s claims (see `claimResults`), made once per analysis. */
function claimResultsOf(a: DocumentAnalysis): Map<Claim, ClaimCoverage> {
  let results = claimsCache.get(a);
  if (!results) {
    results = claimResults(a.uri, a.claims);
    claimsCache.set(a, results);
  }
  return results;
}

/** `a`'s entry in the document list, or undefined when it has neither metadata nor claims. */
function documentOf(a: DocumentAnalysis, today: string): DocumentCoverage | undefined {
  if (!a.metadata && a.claims.length === 0) return undefined;
  const hit = documentCache.get(a);
  if (hit && hit.today === today) return hit.entry;
  const d: DocumentCoverage = { uri: a.uri, ...a.metadata };
  if (a.metadata?.nextReview) d.reviewOverdue = a.metadata.nextReview < today;
  documentCache.set(a, { today, entry: d });
  return d;
}

/** The evidence location of an item status of the document `uri`. */
function evidenceAt(uri: string, evidence: NonNullable<ItemStatus['evidence']>): Location & { term: string } {
  const hit = evidenceCache.get(evidence);
  if (hit && hit.uri === uri && hit.range === evidence.range && hit.term === evidence.term) return hit;
  const e = { uri, range: evidence.range, term: evidence.term };
  evidenceCache.set(evidence, e);
  return e;
}

/** Computes coverage from analyses (one per document) and the workspace config. */
export function computeCoverage(catalog: CatalogIndex, analyses: Iterable<DocumentAnalysis>, config: ResolvedConfig): Coverage {
  const byControl = new Map<string, Array<{ uri: string; claim: Claim; result: ClaimCoverage }>>();
  const documents: DocumentCoverage[] = [];
  const today = config.today ?? todayUtc();
  for (const a of analyses) {
    const d = documentOf(a, today);
    if (d) documents.push(d);
    if (a.claims.length === 0) continue;
    const results = claimResultsOf(a);
    for (const claim of a.claims) {
      const list = byControl.get(claim.control) ?? [];
      list.push({ uri: a.uri, claim, result: results.get(claim)! });
      byControl.set(claim.control, list);
    }
  }
  const controls: ControlCoverage[] = [];
  const findings: Array<Finding & { uri: string }> = [];
  const summary: Coverage['summary'] = { addressed: 0, partial: 0, missing: 0, cited: 0, 'not-applicable': 0, 'not-claimed': 0, applicable: 0, excluded: 0, undecided: 0 };
  const lang = config.language === 'auto' ? config.fallbackLanguage : config.language;
  for (const control of catalog.allControls()) {
    const decision = config.applicability[control.id];
    const claims = byControl.get(control.id) ?? [];
    // The claims' statuses per item id, in claim order (one map per control rather than one per
    // claim: made again at every computation, those were most of its garbage).
    const byItem = new Map<string, Array<{ uri: string; st: ItemStatus; ci: number }>>();
    claims.forEach(({ uri, claim }, ci) => {
      for (const st of claim.items) {
        const list = byItem.get(st.item.id);
        if (!list) byItem.set(st.item.id, [{ uri, st, ci }]);
        // A claim names an item once; were it twice, its last status counts.
        else if (list[list.length - 1].ci === ci) list[list.length - 1] = { uri, st, ci };
        else list.push({ uri, st, ci });
      }
    });
    const items: ItemCoverage[] = control.items.map((item) => {
      const evidence: ItemCoverage['evidence'] = [];
      let notApplicable: ItemCoverage['notApplicable'];
      let claimed = false;
      for (const { uri, st } of byItem.get(item.id) ?? []) {
        claimed = true;
        if (st.evidence) evidence.push(evidenceAt(uri, st.evidence));
        if (st.notApplicable && st.notApplicable.source !== 'config' && !notApplicable) notApplicable = { uri, range: st.notApplicable.range, reason: st.notApplicable.reason };
      }
      // Decided in the config (notApplicable, the profile): whether claimed or not, it is in the SoA.
      const fromConfig = notApplicable ? undefined : configNotApplicable(config, item);
      if (fromConfig && config.uri) {
        const where = config.ranges.notApplicable[fromConfig.id] ?? config.ranges.file ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
        notApplicable = { uri: config.uri, range: where, reason: fromConfig.entry.reason[lang], text: fromConfig.entry.reason };
        if (fromConfig.entry.from !== 'config') notApplicable.profile = fromConfig.entry.from;
      }
      const status: ItemCoverageStatus = evidence.length > 0 ? 'addressed' : notApplicable ? 'not-applicable' : claimed ? 'missing' : 'not-claimed';
      const labelText = { ja: itemLabel(item, 'ja'), en: itemLabel(item, 'en') };
      const ic: ItemCoverage = { id: item.id, label: labelText[lang], labelText, list: item.list, level: item.level, subject: item.subject, status, evidence };
      if (notApplicable) ic.notApplicable = notApplicable;
      return ic;
    });
    let status: ControlCoverageStatus;
    if (decision?.status === 'excluded') status = 'not-applicable';
    else if (claims.length === 0) status = 'not-claimed';
    else if (control.items.length === 0) status = 'cited';
    else {
      const relevant = items.filter((i) => i.status !== 'not-applicable');
      const addressed = relevant.filter((i) => i.status === 'addressed').length;
      if (items.length > 0 && relevant.length === 0) status = 'not-applicable';
      else if (addressed === relevant.length) status = 'addressed';
      else status = addressed > 0 ? 'partial' : 'missing';
    }
    const cc: ControlCoverage = {
      id: control.id,
      title: control.title,
      kind: control.kind,
      applicability: decision ? decision.status : 'undecided',
      status,
      claims: claims.map((c) => c.result),
      items,
    };
    if (decision?.status === 'excluded') {
      cc.justification = decision.text?.[lang] ?? decision.justification;
      if (decision.text) cc.justificationText = decision.text;
      if (decision.profile) cc.profile = decision.profile;
    }
    const at = config.ranges.applicability[control.id];
    if (at && config.uri) cc.decidedAt = { uri: config.uri, range: at };
    controls.push(cc);
    summary[status]++;
    summary[cc.applicability]++;

    if (decision?.status === 'applicable' && claims.length === 0 && config.uri) {
      const finding = applySeverity(
        {
          code: 'uncovered-control',
          severity: 'warning',
          message:
            config.language === 'ja'
              ? `${control.id} ${control.title.ja} は適用としていますが、どの文書も引用していません`
              : `${control.id} ${control.title.en} is declared applicable but no document claims it`,
          range: at ?? config.ranges.file ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          control: control.id,
        },
        config,
        catalog,
      );
      if (finding) findings.push({ ...finding, uri: config.uri });
    }
  }
  documents.sort((x, y) => (x.uri < y.uri ? -1 : x.uri > y.uri ? 1 : 0));
  return { controls, documents, findings, summary };
}

/**
 * Each claim of one document (`uri`) with the items the document leaves missing. Within one
 * document the claims of a control share their evidence (a policy may spread a control over
 * several sections, as the missing-item rule allows); across documents they do not.
 */
function claimResults(uri: string, claims: Claim[]): Map<Claim, ClaimCoverage> {
  const doneFor = new Map<string, Set<string>>();
  for (const claim of claims) {
    const done = doneFor.get(claim.control) ?? new Set<string>();
    for (const st of claim.items) if (st.addressed || st.notApplicable) done.add(st.item.id);
    doneFor.set(claim.control, done);
  }
  const results = new Map<Claim, ClaimCoverage>();
  for (const claim of claims) {
    const done = doneFor.get(claim.control)!;
    const out: ClaimCoverage = { uri, range: claim.range, how: claim.how, missing: claim.items.filter((st) => !done.has(st.item.id)).map((st) => st.item.id) };
    if (claim.heading !== undefined) out.heading = claim.heading;
    results.set(claim, out);
  }
  return results;
}

/** How many documents claim the control, and how many of them leave items missing. */
export function claimingDocuments(control: Pick<ControlCoverage, 'claims'>): { documents: number; withGaps: number } {
  const docs = new Map<string, boolean>();
  for (const c of control.claims) docs.set(c.uri, (docs.get(c.uri) ?? false) || c.missing.length > 0);
  return { documents: docs.size, withGaps: [...docs.values()].filter(Boolean).length };
}
