/**
 * Types of the X.1051 control catalogue.
 *
 * Two shapes live here:
 * - the *source* shape (`Source*`), which is what contributors write in `catalog/data/*.yaml`;
 * - the *compiled* shape (`Catalog` and friends), which `catalog/src/compile.ts` produces and
 *   everything else (language service, server, CLI) reads.
 *
 * Japanese text is the standard's (TTC JT-X1051), kept verbatim apart from recorded errata.
 * English text is the project's own translation.
 */
import type { Thesaurus } from './thesaurus';

/** A text in both languages. `ja` is the standard's wording; `en` is our translation. */
export interface Text {
  ja: string;
  en: string;
}

/** Normative weight of a list of items, chosen per list with a recorded rationale. */
export type ItemLevel = 'required' | 'recommended' | 'informative';

/**
 * What kind of control an entry is:
 * - `tel`: an Annex A telecom control (TEL.x.y.z), full text is the standard's;
 * - `iso-telecom`: an ISO/IEC 27002:2013 control for which X.1051 adds telecom guidance;
 * - `iso-as-is`: an ISO/IEC 27002:2013 control X.1051 applies without change (ID and title only).
 */
export type ControlKind = 'tel' | 'iso-telecom' | 'iso-as-is';

/** Where an entry stands in the standard. */
export interface SourceRef {
  /** Main-body clause number ("12.4.1") or Annex A/B identifier ("TEL.18.1.6", "B.1.1"). */
  clause: string;
  /** `A` or `B` for annex entries; absent in the main body. */
  annex?: 'A' | 'B';
  /** 1-based line in `catalog/source/jt-x1051.txt` where the entry's heading is. */
  line?: number;
}

// ---------------------------------------------------------------------------------------------
// Source shape (catalog/data/*.yaml)
// ---------------------------------------------------------------------------------------------

/** One item as written in the source: a lettered (a), b)…) or numbered (1), 2)…) list entry. */
export interface SourceItem {
  /** The label as printed in the standard: "a)", "b)", "1)". Synthesised items use "1.", "2.". */
  label: string;
  /** Item text (ja verbatim, en our translation). */
  ja: string;
  en: string;
  /** A short name of what the item asks for, used in messages ("通信の日時" / "date and time"). */
  subject: Text;
  /** Evidence terms: words and paraphrases authors use when they address the item. */
  terms: { ja: string[]; en: string[] };
  /**
   * Context words (optional; overrides the list's): when given, a term counts only when it
   * contains one of these words or one stands near it in its sentence (or in the lead-in of its
   * list), so that a generic term ("日時", "origin") counts only when it is about the item's
   * subject (a communication), not in another sense (a meeting, a requirement).
   */
  context?: { ja: string[]; en: string[] };
  /** A numbered sub-list under this item (e.g. TEL.13.1.4 e) 1)–8)). */
  items?: SourceItem[];
  /** Level of the sub-list when it differs from the parent list. */
  level?: ItemLevel;
}

/** One list of items inside a control's guidance. */
export interface SourceList {
  /** Order of the list inside the control, from 1. */
  list: number;
  level: ItemLevel;
  /**
   * What the list is, in a word or two ("guideline" / 「指針」), for item labels when a control has
   * several lists: "TEL.18.1.6 guideline g)". Required when the entry has more than one list.
   */
  name?: Text;
  /** One line saying why this level was chosen. */
  rationale: string;
  /**
   * True when the standard has no printed list here and the items were synthesised, one per
   * distinct requirement of a paragraph (labels "1.", "2.", …).
   */
  synthesised?: boolean;
  /** Context words for every item of the list (see `SourceItem.context`). */
  context?: { ja: string[]; en: string[] };
  items: SourceItem[];
}

/**
 * A block of a guidance section: a paragraph, or a reference to a list (rendered in place).
 * A paragraph's `ja` is verbatim text of the standard, with lines re-joined.
 */
export type Block = { p: Text } | { list: number } | { note: Text };

export interface SourceClause {
  kind: 'clause';
  id: string; // "12", "TEL.18"
  title: Text;
  /** Statement of how ISO/IEC 27002 applies, when the clause is applied wholesale. */
  applies?: Text;
  /** Notes printed under the clause heading ("注：…"). */
  notes?: Text[];
  source: SourceRef;
}

export interface SourceObjective {
  kind: 'objective';
  id: string; // "12.4", "TEL.18.1"
  title: Text;
  /** "目的：…" when printed. */
  objective?: Text;
  /** "ISO/IEC 27002 9.2の管理目的及び内容を適用する。" when the objective is applied as-is. */
  applies?: Text;
  notes?: Text[];
  source: SourceRef;
}

export interface SourceControl {
  kind: 'control';
  id: string; // "12.4.1", "TEL.18.1.6"
  controlKind: ControlKind;
  title: Text;
  /** Control statement (管理策). */
  control?: Text;
  /** Statement of how ISO/IEC 27002 applies: to the whole control, or to its guidance. */
  applies?: Text;
  /** Implementation guidance (実施の手引き) of a TEL control, or the ISO reference line. */
  guidance?: Block[];
  /** 電気通信事業者向けの実施の手引き. */
  telecomGuidance?: Block[];
  /** 関連情報 (TEL) or the ISO reference line. */
  relatedInfo?: Block[];
  /** 電気通信事業者向けの関連情報. */
  telecomRelatedInfo?: Block[];
  lists?: SourceList[];
  source: SourceRef;
}

/** Annex B (informative) entries: B.1, B.1.1, … with their lettered paragraphs. */
export interface SourceAnnexB {
  kind: 'annex-b';
  id: string; // "B.1", "B.1.1"
  title: Text;
  body?: Block[];
  lists?: SourceList[];
  source: SourceRef;
}

export interface SourceDefinition {
  kind: 'definition';
  id: string; // "3.1.4"
  term: Text;
  text: Text;
  notes?: Text[];
  source: SourceRef;
}

export interface SourceAbbreviation {
  kind: 'abbreviation';
  abbr: string; // "DoS"
  expansion: string; // "Denial of Service" as printed
  /** Japanese gloss when the standard gives one; our explanation otherwise. */
  text: Text;
  source: SourceRef;
}

/**
 * The index of ISO/IEC 27002:2013: every clause, objective and control with its title only
 * (no ISO prose), in `catalog/data/iso27002.yaml`. Controls that X.1051 does not list with telecom
 * guidance are compiled as `iso-as-is`.
 */
export interface SourceIsoIndex {
  kind: 'iso-index';
  clauses: {
    id: string; // "9"
    title: Text;
    objectives: {
      id: string; // "9.2"
      title: Text;
      controls: { id: string; title: Text }[];
    }[];
  }[];
}

/** The editions other than X.1051:2016 whose ids x1051 understands. */
export type EditionName = '27002:2022' | '27011:2024';

/** Theme (clause) of an ISO/IEC 27002:2022 control. */
export type Theme = 'organizational' | 'people' | 'physical' | 'technological';

/**
 * One control of another edition (ISO/IEC 27002:2022, or a TEL control of ISO/IEC 27011:2024):
 * its id, title and theme, and the X.1051:2016 / ISO/IEC 27002:2013 controls it corresponds to.
 * Titles and numbers only, never the other edition's guidance text.
 */
export interface EditionControl {
  /** "8.15"; TEL controls of 27011:2024 as printed: "5.42 TEL". */
  id: string;
  theme: Theme;
  title: Text;
  /** `jis`: the Japanese title is JIS Q 27002:2023's; `ours`: our own translation. */
  jaTitle: 'jis' | 'ours';
  /** X.1051:2016 control ids it corresponds to ("12.4.1", "TEL.18.1.6"); empty for new controls. */
  from: string[];
  /** Public source stating this entry (27011:2024 TEL entries). */
  source?: string;
  /** How `from` was decided, when it is our reading rather than a published table. */
  basis?: string;
}

/** The source shape of an edition (`kind: edition` in `catalog/data/iso27002-2022.yaml`). */
export interface SourceEdition {
  kind: 'edition';
  edition: EditionName;
  standard: string;
  /** How many TEL controls the edition has, when a source states it (27011:2024). */
  telControls?: number;
  controls: EditionControl[];
}

/** An edition as compiled into `catalog.editions`. */
export interface Edition {
  standard: string;
  telControls?: number;
  controls: EditionControl[];
}

export type SourceEntry =
  | SourceEdition
  | SourceClause
  | SourceObjective
  | SourceControl
  | SourceAnnexB
  | SourceDefinition
  | SourceAbbreviation
  | SourceIsoIndex;

/** A file in catalog/data. */
export interface SourceFile {
  entries: SourceEntry[];
  /** Corrections of extraction typos made in this file's Japanese text. */
  errata?: Erratum[];
}

/** A correction of an evident typo of the PDF extraction, recorded rather than applied silently. */
export interface Erratum {
  /** Entry the correction belongs to. */
  id: string;
  /** Text as found in the extraction. */
  found: string;
  /** Text as corrected in the catalogue. */
  corrected: string;
  /** Why this is an extraction error and not the standard's wording. */
  reason: string;
}

// ---------------------------------------------------------------------------------------------
// Compiled shape (dist/catalog.json, the `Catalog` object given to the service)
// ---------------------------------------------------------------------------------------------

/** A checkable item, flattened, with a stable id. */
export interface Item {
  /**
   * Stable id: `<control>(<label>)` for list 1, `<control>[<n>](<label>)` for list n > 1,
   * sub-items append `(<label>)`: "TEL.18.1.6(a)", "TEL.13.1.4(e)(4)", "TEL.9.5.1(1)".
   */
  id: string;
  control: string;
  list: number;
  /** Label as printed ("a)", "4)") or as synthesised ("1."). For sub-items the full "e) 4)". */
  label: string;
  /** The name of the item's list when its control has several lists ("guideline" / 「指針」). */
  listName?: Text;
  level: ItemLevel;
  text: Text;
  subject: Text;
  terms: { ja: string[]; en: string[] };
  /** Context words the terms need (the item's own, else its parent's, else its list's). */
  context?: { ja: string[]; en: string[] };
  /** Id of the parent item for sub-items. */
  parent?: string;
  source: SourceRef & { list: number };
}

export interface ListInfo {
  list: number;
  level: ItemLevel;
  /** See `SourceList.name`. */
  name?: Text;
  rationale: string;
  synthesised: boolean;
}

export interface Control {
  id: string;
  kind: ControlKind;
  clause: string;
  objective: string;
  title: Text;
  control?: Text;
  applies?: Text;
  guidance?: Block[];
  telecomGuidance?: Block[];
  relatedInfo?: Block[];
  telecomRelatedInfo?: Block[];
  lists: ListInfo[];
  items: Item[];
  source: SourceRef;
}

export interface Objective {
  id: string;
  clause: string;
  title: Text;
  objective?: Text;
  applies?: Text;
  notes?: Text[];
  /** True when X.1051 applies the ISO/IEC 27002 objective as-is. */
  asIs: boolean;
  controls: string[];
  source: SourceRef;
}

export interface Clause {
  id: string;
  title: Text;
  applies?: Text;
  notes?: Text[];
  annex?: 'A';
  objectives: string[];
  source: SourceRef;
}

export interface AnnexBEntry {
  id: string;
  title: Text;
  body?: Block[];
  lists: ListInfo[];
  items: Item[];
  source: SourceRef;
}

export interface Definition {
  id: string;
  term: Text;
  text: Text;
  notes: Text[];
  source: SourceRef;
}

export interface Abbreviation {
  abbr: string;
  expansion: string;
  text: Text;
  source: SourceRef;
}

export interface Catalog {
  meta: {
    standard: string;
    edition: string;
    translation: string;
    errata: Erratum[];
  };
  clauses: Clause[];
  objectives: Objective[];
  controls: Control[];
  annexB: AnnexBEntry[];
  definitions: Definition[];
  abbreviations: Abbreviation[];
  /**
   * Other editions' ids mapped onto this catalogue: `"27002:2022"` (the 93 controls) and
   * `"27011:2024"` (the TEL controls whose 2024 number a public source states).
   */
  editions?: Partial<Record<EditionName, Edition>>;
  /** The domain thesaurus (concepts referenced by item terms as `{id}`, English families). */
  thesaurus?: Thesaurus;
}
