/**
 * Inline directives in HTML comments (markdownlint style):
 *
 * - `<!-- x1051-disable-next-line [rule …] -->` silences the next line;
 * - `<!-- x1051-disable-line [rule …] -->` silences the comment's own line;
 * - `<!-- x1051-disable [rule …] -->` … `<!-- x1051-enable [rule …] -->` silences a stretch;
 * - `<!-- x1051-not-applicable TEL.18.1.6(i): reason -->` marks an item (with a control id every
 *   item of it, with `TEL.18.1.6[2]` every item of that list) not applicable, in the claim whose section holds the comment, or in the
 *   whole document when the comment is outside every claim of that control. The reason is required.
 *
 * No rule list means every rule. Rules are named by code (`missing-item`), separated by spaces or
 * commas. A directive inside a code block is code, not a directive.
 */
import type { CatalogIndex } from '../../../catalog/src/query';
import { findIdCandidates } from '../../../catalog/src/normalize';
import type { ParsedMarkdown } from './markdown';
import type { Finding, Lang, Range, RuleCode } from './types';

export const RULE_CODES: readonly RuleCode[] = [
  'missing-item', 'unfilled-stub', 'unknown-control', 'uncovered-control', 'unclaimed-topic',
  'invalid-front-matter', 'invalid-config', 'invalid-directive', 'document-too-large', 'document-too-complex', 'file-encoding',
];

/** A line-scope directive. `rules` undefined means all rules. */
export interface SuppressionDirective {
  kind: 'disable' | 'enable' | 'disable-next-line' | 'disable-line';
  rules?: RuleCode[];
  /** For disable/enable: the line from which it applies; for the line forms: the silenced line. */
  line: number;
  range: Range;
}

/** A not-applicable declaration. */
export interface NotApplicableDirective {
  kind: 'not-applicable';
  control: string;
  /** The item id; undefined when the whole control (or list) is declared not applicable. */
  item?: string;
  /** A whole list (`TEL.18.1.6[2]: reason`). */
  list?: number;
  reason: string;
  /** Offset of the comment, to find the claim that contains it. */
  offset: number;
  range: Range;
}

export type Directive = SuppressionDirective | NotApplicableDirective;

const NAMES = ['disable-next-line', 'disable-line', 'disable', 'enable', 'not-applicable'] as const;

/** Finds and validates every directive of a parsed document. */
export function parseDirectives(parsed: ParsedMarkdown, catalog: CatalogIndex, lang: Lang): { directives: Directive[]; findings: Finding[] } {
  const directives: Directive[] = [];
  const findings: Finding[] = [];
  const ja = lang === 'ja';
  for (const c of parsed.comments) {
    const body = c.body.trim();
    if (!/^x1051-/i.test(body)) continue;
    // A quick-fix stub's marker is not a directive (stubs.ts reads it; rule unfilled-stub).
    if (/^x1051-stub\s/i.test(body)) continue;
    const range = parsed.lines.range(c.start, c.end);
    const m = /^x1051-([a-z-]+)(?:\s+([\s\S]*))?$/i.exec(body);
    const name = NAMES.find((n) => n === m?.[1]?.toLowerCase());
    if (!m || !name) {
      findings.push({
        code: 'invalid-directive', severity: 'warning', range,
        message: ja
          ? `不明なディレクティブです: ${body.split(/\s/)[0]}（使えるもの: ${NAMES.map((n) => 'x1051-' + n).join(', ')}）`
          : `Unknown directive ${body.split(/\s/)[0]} (known: ${NAMES.map((n) => 'x1051-' + n).join(', ')}).`,
      });
      continue;
    }
    const args = (m[2] ?? '').trim();
    if (name === 'not-applicable') {
      const d = parseNotApplicable(args, catalog);
      if (typeof d === 'string') {
        findings.push({ code: 'invalid-directive', severity: 'warning', range, message: ja ? NA_MESSAGES_JA[d] : NA_MESSAGES_EN[d] });
        continue;
      }
      directives.push({ kind: 'not-applicable', ...d, offset: c.start, range });
      continue;
    }
    const names = args === '' ? [] : args.split(/[\s,]+/).filter(Boolean);
    const rules: RuleCode[] = [];
    for (const n of names) {
      const code = RULE_CODES.find((r) => r === n.toLowerCase());
      if (code) rules.push(code);
      else
        findings.push({
          code: 'invalid-directive', severity: 'warning', range,
          message: ja ? `不明なルールです: ${n}` : `Unknown rule "${n}" in ${'x1051-' + name} (known: ${RULE_CODES.join(', ')}).`,
        });
    }
    // A list that named only unknown rules silences nothing (rather than everything).
    if (names.length > 0 && rules.length === 0) continue;
    const startLine = range.start.line;
    const endLine = range.end.line;
    const line = name === 'disable-next-line' ? endLine + 1 : name === 'disable-line' ? startLine : startLine;
    directives.push({ kind: name, rules: names.length === 0 ? undefined : rules, line, range });
  }
  return { directives, findings };
}

type NaProblem = 'no-id' | 'unknown' | 'no-reason';
const NA_MESSAGES_EN: Record<NaProblem, string> = {
  'no-id': 'x1051-not-applicable needs an item or control id, then a reason: <!-- x1051-not-applicable TEL.18.1.6(i): reason -->',
  unknown: 'x1051-not-applicable names an id that is not in the catalogue.',
  'no-reason': 'x1051-not-applicable needs a reason after the id: <!-- x1051-not-applicable TEL.18.1.6(i): reason -->',
};
const NA_MESSAGES_JA: Record<NaProblem, string> = {
  'no-id': 'x1051-not-applicable には項目（または管理策）の ID と理由が必要です: <!-- x1051-not-applicable TEL.18.1.6(i): 理由 -->',
  unknown: 'x1051-not-applicable の ID がカタログにありません。',
  'no-reason': 'x1051-not-applicable には ID の後に理由が必要です: <!-- x1051-not-applicable TEL.18.1.6(i): 理由 -->',
};

function parseNotApplicable(args: string, catalog: CatalogIndex): { control: string; item?: string; list?: number; reason: string } | NaProblem {
  const cand = findIdCandidates(args)[0];
  if (!cand || args.slice(0, cand.contextStart).trim() !== '') return 'no-id';
  let control = cand.control;
  if (!catalog.control(control) && catalog.control(`TEL.${control}`) && cand.prefix !== 'iso27001-annex') control = `TEL.${control}`;
  if (!catalog.control(control)) return 'unknown';
  let item: string | undefined;
  if (cand.itemLabels.length > 0) {
    item = catalog.resolveItem(control, cand.itemLabels, cand.list)?.id;
    if (!item) return 'unknown';
  }
  let rest = args.slice(cand.end);
  // `TEL.18.1.6[2]: reason` names a whole list of the control.
  let list: number | undefined;
  const listMark = item ? null : /^\[([1-9])\]/.exec(rest);
  if (listMark) {
    list = Number(listMark[1]);
    if (!catalog.control(control)!.lists.some((l) => l.list === list)) return 'unknown';
    rest = rest.slice(listMark[0].length);
  }
  const reason = rest.replace(/^\s*[:：]\s*/, '').trim();
  if (reason === '') return 'no-reason';
  return list !== undefined ? { control, list, reason } : { control, item, reason };
}

/** Whether `finding` is silenced by a suppression directive. */
export function isSuppressed(directives: readonly Directive[], finding: Pick<Finding, 'code' | 'range'>): boolean {
  const line = finding.range.start.line;
  let all = false;
  const except = new Set<RuleCode>();
  const some = new Set<RuleCode>();
  for (const d of directives) {
    if (d.kind === 'not-applicable') continue;
    if (d.kind === 'disable-next-line' || d.kind === 'disable-line') {
      if (d.line === line && (!d.rules || d.rules.includes(finding.code))) return true;
      continue;
    }
    if (d.line > line) continue;
    if (d.kind === 'disable') {
      if (!d.rules) {
        all = true;
        except.clear();
        some.clear();
      } else for (const r of d.rules) (all ? except.delete(r) : some.add(r));
    } else if (!d.rules) {
      all = false;
      except.clear();
      some.clear();
    } else for (const r of d.rules) (all ? except.add(r) : some.delete(r));
  }
  return (all && !except.has(finding.code)) || some.has(finding.code);
}
