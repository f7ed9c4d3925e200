/**
 * Shared types of the pure policy language service.
 *
 * The service never imports `vscode`, `vscode-languageserver` or `node:*`; positions and ranges
 * are plain LSP-shaped objects (UTF-16 code units, 0-based lines), so the server can pass them
 * through unchanged and the CLI can print them.
 */
import type { Catalog, Item, ItemLevel } from '../../../catalog/src/types';
import type { NonUtf8Encoding } from './encoding';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A document as the service sees it: text plus identity. */
export interface PolicyDocument {
  uri: string;
  version: number;
  getText(): string;
  /**
   * Set when the text was decoded from a file that is not UTF-8 (Shift_JIS, EUC-JP, UTF-16):
   * the document then gets one `file-encoding` information finding.
   */
  readonly encoding?: NonUtf8Encoding;
  /**
   * Optional: a number the host changes whenever the text changes and never gives two different
   * texts of the same uri. Caches then compare stamps instead of texts, so they need not keep the
   * text: the server's closed files are read again from disk when their text is needed.
   */
  readonly stamp?: number;
}

/** Cancellation, shaped like LSP's token so the server can pass its own. */
export interface CancellationToken {
  readonly isCancellationRequested: boolean;
}

export const noCancellation: CancellationToken = { isCancellationRequested: false };

export type Lang = 'ja' | 'en';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** Codes of the diagnostic rules (stable; documented in docs/rules/<code>.md). */
export type RuleCode =
  | 'missing-item'
  | 'unfilled-stub'
  | 'unknown-control'
  | 'suspicious-id'
  | 'uncovered-control'
  | 'unclaimed-topic'
  | 'invalid-front-matter'
  | 'invalid-config'
  | 'invalid-directive'
  | 'document-too-large'
  | 'ambiguous-edition'
  | 'document-too-complex'
  | 'file-encoding'
  | 'weak-wording'
  | 'placeholder'
  | 'document-metadata'
  | 'review-overdue'
  | 'superseded-reference'
  | 'weak-evidence';

/**
 * A citation written in another edition's numbering (ISO/IEC 27002:2022 `A.8.15`, ISO/IEC
 * 27011:2024 `5.42 TEL`). The citation's `control` is then one of the X.1051:2016 controls the
 * cited id maps from (one citation per mapped control), or undefined when it maps from none.
 */
export interface Via {
  /** The id in its own numbering: "8.15", "5.42 TEL". */
  id: string;
  edition: '27002:2022' | '27011:2024';
  /** False when the edition has no such id (an unknown-control finding). */
  known: boolean;
}

/** A citation of a control or item found in prose, a heading or front matter. */
export interface Citation {
  /** Text as written ("ＴＥＬ．１８．１．６", "TEL.18.1.6(e)"). */
  raw: string;
  range: Range;
  /** Canonical control id, or undefined when the id is not in the catalogue. */
  control?: string;
  /** Canonical item id when an item is cited. */
  item?: string;
  /** What the author wrote after normalisation, for unknown ids and did-you-mean. */
  normalized: string;
  where: 'heading' | 'prose' | 'front-matter';
  /** Set when the id was written in another edition's numbering (`A.8.15` → 12.4.1 via 8.15). */
  via?: Via;
  /** Invisible or look-alike characters the id was written with (`U+200B`), read through. */
  suspicious?: string[];
  /** A heading's leading section number read as a citation because the heading matches the title. */
  numbered?: boolean;
}

/** How an item of a claimed control stands in the claimed section. */
export interface ItemStatus {
  item: Item;
  /** Kept for compatibility: `status === 'addressed'`. */
  addressed: boolean;
  /**
   * `addressed`: evidence in the claimed section (or a citation of the item in the document);
   * `weak`: only near-evidence (`near`); `missing`: nothing. Only `missing` is a missing-item
   * finding; `weak` is a `weak-evidence` hint.
   */
  status: 'addressed' | 'weak' | 'missing';
  /**
   * The nearest text found when the item is not addressed: `partial` (part of a compound term),
   * `context` (the term without its context word), `elsewhere` (evidence outside the claimed
   * section, under `heading`), `nearest` (a missing item's closest words, not enough to be weak).
   */
  near?: { range: Range; term: string; reason: 'partial' | 'context' | 'elsewhere' | 'nearest'; heading?: string };
  /**
   * Marked not applicable, with its reason: by an `x1051-not-applicable` directive (the range is
   * the directive's), or by `.x1051.yaml` (`source: 'config'`: its `notApplicable`, its profile, or
   * an excluded control; the range is the claim's, and `configId` the id the config lists).
   */
  notApplicable?: { reason: string; range: Range; source?: 'config'; configId?: string };
  /** Where the evidence is (first match), when addressed. */
  evidence?: { range: Range; term: string };
}

/** A claim: a heading (or front matter) that takes responsibility for a control. */
export interface Claim {
  control: string;
  how: 'heading' | 'front-matter';
  /** The claiming heading's (or front-matter line's) range. */
  range: Range;
  /** The claimed section: from the heading to the next heading of same or higher level. */
  section: Range;
  items: ItemStatus[];
  /** The claiming heading's plain text (heading claims only), for tables and outlines. */
  heading?: string;
  /** Set when the claim came through another edition's id (`### A.8.32 …` claims 12.1.2 via 8.32). */
  via?: Via;
}

/** A place related to a finding, in the same document (LSP `relatedInformation`). */
export interface RelatedInformation {
  range: Range;
  message: string;
}

export interface Finding {
  code: RuleCode;
  severity: Severity;
  message: string;
  range: Range;
  control?: string;
  item?: string;
  /** Details kept with the finding: e.g. one entry per item of a folded missing-item finding. */
  related?: RelatedInformation[];
  /** Extra data for code actions (e.g. did-you-mean candidates). */
  data?: Record<string, unknown>;
}

/** A policy's metadata as written in its front matter (see metadata.ts), for coverage and exports. */
export interface PolicyMetadata {
  owner?: string;
  approvedBy?: string;
  /** Dates as `YYYY-MM-DD`. */
  approved?: string;
  version?: string;
  /** When the next review is due: `next-review`, or the last review plus the interval. */
  nextReview?: string;
}

/** Result of analysing one document (parsed once per version and cached). */
export interface DocumentAnalysis {
  uri: string;
  version: number;
  lang: Lang;
  citations: Citation[];
  claims: Claim[];
  findings: Finding[];
  /** Owner, approval, version and next review from the front matter, when it has any. */
  metadata?: PolicyMetadata;
  /** The numbering ambiguous ids were read in, and how it was decided (see `editionCitations`). */
  edition?: { edition?: '2013' | '2022'; how: 'front-matter' | 'config' | 'inferred' | 'undecided' };
}

/** Options the server / CLI converts from settings and `.x1051.yaml` at the boundary. */
export interface ServiceOptions {
  /** Language of messages and hovers: a fixed language, or follow the document. */
  language: 'auto' | Lang;
  /** Fallback when `language` is auto and the document's language cannot be told (UI locale). */
  fallbackLanguage: Lang;
  /**
   * Documents larger than this many bytes (UTF-8) are not parsed or checked; they get one
   * `document-too-large` finding instead (`x1051.maxDocumentSize`, `maxDocumentSize:` in
   * `.x1051.yaml`). Defaults to `DEFAULT_MAX_DOCUMENT_SIZE`.
   */
  maxDocumentSize?: number;
  /**
   * Today's date (`YYYY-MM-DD`) for the date rules (`review-overdue`, `document-metadata`);
   * the machine's UTC date when unset. Injected by tests and by `x1051 check --today`.
   */
  today?: string;
}

export type { Catalog, Item, ItemLevel };
