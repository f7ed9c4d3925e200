/**
 * Migration between numberings: for each citation of a document, its counterpart in the other
 * numbering, what a one-to-many mapping leaves for the author to decide, and the texts that
 * rewrite the citation (`A.8.15`) or add the other number beside it (`12.4.1 (2022: 8.15)`).
 * Used by `x1051 migrate` and by the "rewrite / add beside" code actions.
 *
 * Claims are never lost: a rewrite into 2022 cites a control that maps from the original one (so
 * the original is still claimed, through `via`), and a rewrite into 2013 cites every control the
 * 2022 id maps from. Citations with no counterpart (a control new in 2022, a TEL control whose
 * 2024 number is not known, an item reference) get no rewrite, only a note.
 */
import type { CatalogIndex } from '../../../catalog/src/query';
import type { Text } from '../../../catalog/src/types';
import { formatIdRuns } from '../../../catalog/src/editions';
import { LineIndex } from './text';
import type { Citation, DocumentAnalysis, Range } from './types';

/** Target numbering. */
export type MigrationTarget = '2022' | '2013';

/** One citation and its counterpart. */
export interface MigrationEntry {
  range: Range;
  /** The citation as written in the source. */
  written: string;
  where: Citation['where'];
  /** The cited id in its own numbering. */
  id: string;
  edition: '2013' | '27002:2022' | '27011:2024';
  /** Counterparts in the target numbering. */
  counterparts: Array<{ id: string; title: Text }>;
  /** What the author must decide or know (one-to-many, merged, new, unknown 2024 number). */
  note?: Text;
  /** Text replacing the citation in the target numbering, when there is one. */
  rewrite?: string;
  /** Text replacing the citation that keeps it and adds the target number(s) beside it. */
  beside?: string;
}

/** The id to write for a 2022 control: `A.8.15`, or `27002:2022 5.1` when `A.5.1` would be ambiguous. */
export function written2022(catalog: CatalogIndex, id: string): string {
  return catalog.objective(id) ? `27002:2022 ${id}` : `A.${id}`;
}

/** Every citation of the analysis with its counterpart in `to`, in document order. */
export function migrationEntries(analysis: DocumentAnalysis, catalog: CatalogIndex, text: string, to: MigrationTarget): MigrationEntry[] {
  const lines = new LineIndex(text);
  const source = (r: Range) => text.slice(lines.offsetAt(r.start), lines.offsetAt(r.end));
  const closesAfter = (r: Range) => /^[)）\]]/.test(text.slice(lines.offsetAt(r.end), lines.offsetAt(r.end) + 1));
  const besideText = (r: Range, extra: string) => (closesAfter(r) ? `${source(r)} / ${extra}` : `${source(r)} (${extra})`);
  const ed = catalog.editions;
  const out: MigrationEntry[] = [];
  const seen = new Set<string>();
  for (const c of analysis.citations) {
    const key = `${c.range.start.line}:${c.range.start.character}`;
    if (c.via) {
      if (to !== '2013' || seen.has(key)) continue;
      seen.add(key);
      const e = c.via.edition === '27002:2022' ? ed.control2022(c.via.id) : ed.controlTel2024(c.via.id);
      if (!e) continue; // unknown ids are unknown-control findings, not migrations
      const entry: MigrationEntry = { range: c.range, written: source(c.range), where: c.where, id: e.id, edition: c.via.edition, counterparts: e.from.map((f) => ({ id: f, title: catalog.control(f)?.title ?? { ja: f, en: f } })) };
      if (e.from.length === 0) {
        entry.note = { ja: `${e.id} は 2022 年版で新設され、2013 年版に対応する管理策はありません。2022 年版の番号のまま引用してください。`, en: `${e.id} is new in 2022: no 2013 control corresponds; keep the 2022 id.` };
      } else {
        const list = e.from.join(', ');
        if (c.where !== 'front-matter') {
          // `A.12.4.1` (ISO/IEC 27001:2013 Annex A) rather than a bare number, which cites only in brackets.
          entry.rewrite = e.from.map((f) => (f.startsWith('TEL.') ? f : `A.${f}`)).join(', ');
          entry.beside = besideText(c.range, `2013: ${list}`);
        }
        if (e.from.length > 1) {
          entry.note = {
            ja: `${e.id} は ${formatIdRuns(e.from)} をまとめた管理策です。書き換えるとすべてを引用します（主張は失われません）。この節が実施しないものは消してください。`,
            en: `${e.id} merges ${formatIdRuns(e.from)}: the rewrite cites all of them (no claim is lost); remove those this section does not implement.`,
          };
        }
      }
      out.push(entry);
      continue;
    }
    if (!c.control || to !== '2022' || seen.has(key)) continue;
    seen.add(key);
    const entry: MigrationEntry = { range: c.range, written: source(c.range), where: c.where, id: c.item ?? c.control, edition: '2013', counterparts: [] };
    if (c.control.startsWith('TEL.')) {
      const t = ed.tel2024Of(c.control);
      if (!t) {
        entry.note = { ja: `${c.control} の ISO/IEC 27011:2024 の番号は不明です（公開情報なし）。X.1051:2016 の番号のまま引用してください。`, en: `The ISO/IEC 27011:2024 number of ${c.control} is not known (no public source); keep the X.1051:2016 id.` };
      } else {
        entry.counterparts = [{ id: t.id, title: t.title }];
        if (!c.item && c.where !== 'front-matter') {
          entry.rewrite = t.id;
          entry.beside = besideText(c.range, `2024: ${t.id}`);
        }
      }
    } else {
      const next = ed.successors2022(c.control);
      entry.counterparts = next.map((n) => ({ id: n.id, title: n.title }));
      if (next.length > 0 && !c.item && c.where !== 'front-matter') {
        entry.rewrite = next.map((n) => written2022(catalog, n.id)).join(', ');
        entry.beside = besideText(c.range, `2022: ${next.map((n) => n.id).join(', ')}`);
      }
      if (next.length > 1) {
        entry.note = {
          ja: `${c.control} は 2022 年版の ${next.map((n) => n.id).join(' と ')} に分かれました。この節が実施する方を残してください。`,
          en: `${c.control} was split into ${next.map((n) => n.id).join(' and ')} in 2022: keep the one(s) this section implements.`,
        };
      } else if (next.length === 1 && next[0].from.length > 1) {
        const others = next[0].from.filter((f) => f !== c.control);
        entry.note = {
          ja: `${next[0].id} は ${others.join('、')} も含みます。同じ文書で引用していれば 1 つにまとめられます。`,
          en: `${next[0].id} also covers ${others.join(', ')}: where the document cites those too, one 2022 citation replaces them.`,
        };
      }
    }
    if (c.item) {
      const n = entry.note;
      entry.note = {
        ja: `${n ? n.ja + ' ' : ''}項目の参照（${c.item}）には 2022 年版の書き方がないため、書き換えません。`,
        en: `${n ? n.en + ' ' : ''}An item reference (${c.item}) has no 2022 form, so it is not rewritten.`,
      };
    }
    out.push(entry);
  }
  return out;
}
