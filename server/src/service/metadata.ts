/**
 * A policy's document metadata, read from its YAML front matter: who owns it, who approved it and
 * when, its version, and when it is next reviewed (`next-review`, or `reviewed` plus
 * `review-interval`). Japanese keys are aliases of the English ones (所管, 承認者, 承認日, 版,
 * 次回見直し, 最終見直し, 見直し間隔).
 *
 * Pure: the text of the front matter in, values with their ranges out. Dates are calendar dates
 * (`2025-04-01`, `2025/4/1`, `2025年4月1日`); an interval is a number of years, months, weeks or
 * days (`1y`, `12 months`, `P1Y`, `1年`, `6か月`, `annual`). Unparsable values are kept with
 * `valid: false` so the rules can say which value is wrong.
 */
import { parseDocument, isMap, isScalar, type Node as YamlNode } from 'yaml';
import type { ParsedMarkdown } from './markdown';
import { MAX_YAML_DEPTH, yamlNestingDepth } from './yamlGuard';
import type { PolicyMetadata, Range } from './types';

/** The metadata keys, by their canonical (English) name. */
export type MetadataKey = 'owner' | 'approved-by' | 'approved' | 'version' | 'next-review' | 'reviewed' | 'review-interval';

/**
 * Every spelling accepted for each key. Keys are compared after lower-casing and turning `_` and
 * spaces into `-`, so `Approved_By` and `approved by` are `approved-by`.
 */
export const METADATA_ALIASES: Readonly<Record<MetadataKey, readonly string[]>> = {
  owner: ['owner', 'policy-owner', 'document-owner', '所管', '所管部署', '所管部門', '管理責任者', '文書責任者'],
  'approved-by': ['approved-by', 'approver', '承認者'],
  approved: ['approved', 'approved-on', 'approval-date', 'date-approved', '承認日'],
  version: ['version', 'revision', '版', '版数', 'バージョン'],
  'next-review': ['next-review', 'review-by', 'review-due', 'next-review-date', '次回見直し', '次回見直し日', '次回レビュー'],
  reviewed: ['reviewed', 'last-reviewed', 'reviewed-on', '最終見直し', '最終見直し日', '見直し日'],
  'review-interval': ['review-interval', 'review-cycle', '見直し間隔', '見直し周期'],
};

const KEY_OF = new Map<string, MetadataKey>();
for (const [key, aliases] of Object.entries(METADATA_ALIASES) as Array<[MetadataKey, readonly string[]]>) {
  for (const a of aliases) KEY_OF.set(a, key);
}

/** A calendar date as `YYYY-MM-DD`, comparable as a string. */
export type IsoDate = string;

/** One metadata value as written. */
export interface MetadataValue {
  /** The key as the author wrote it (`承認日`). */
  key: string;
  /** The value as text (`''` when empty). */
  text: string;
  /** Where the value stands (the key's range when the value is empty). */
  range: Range;
  /** Dates: the date read; intervals: the interval read. */
  date?: IsoDate;
  interval?: Interval;
  /** False when a date or an interval could not be read. */
  valid: boolean;
}

/** A review interval. */
export interface Interval {
  unit: 'year' | 'month' | 'week' | 'day';
  count: number;
}

/** The metadata of one document. */
export interface DocumentMetadata {
  values: Partial<Record<MetadataKey, MetadataValue>>;
  /** The front matter's range (for findings about keys that are missing). */
  range: Range;
}

const DATE_KEYS = new Set<MetadataKey>(['approved', 'next-review', 'reviewed']);

/** Metadata read per parse (the rules and coverage ask for the same document's metadata). */
const cache = new WeakMap<ParsedMarkdown, DocumentMetadata | null>();

/**
 * Reads the metadata of a parsed document; undefined when it has no front matter or the front
 * matter is not a YAML mapping (`invalid-front-matter` reports broken YAML).
 */
export function readMetadata(parsed: ParsedMarkdown): DocumentMetadata | undefined {
  const hit = cache.get(parsed);
  if (hit !== undefined) return hit ?? undefined;
  const result = read(parsed);
  cache.set(parsed, result ?? null);
  return result;
}

function read(parsed: ParsedMarkdown): DocumentMetadata | undefined {
  const fm = parsed.frontMatter;
  if (!fm) return undefined;
  if (yamlNestingDepth(fm.value) > MAX_YAML_DEPTH) return undefined;
  let doc;
  try {
    doc = parseDocument(fm.value, { prettyErrors: false });
  } catch {
    return undefined;
  }
  if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  const base = fm.valueStart;
  const lines = parsed.lines;
  const out: DocumentMetadata = { values: {}, range: lines.range(fm.start, fm.end) };
  for (const pair of doc.contents.items) {
    const keyNode = pair.key as YamlNode | null;
    if (!keyNode || !isScalar(keyNode)) continue;
    const written = String(keyNode.value);
    const key = KEY_OF.get(written.trim().toLowerCase().replace(/[_\s]+/g, '-'));
    if (!key || out.values[key]) continue;
    const valueNode = pair.value as YamlNode | null;
    const span = (valueNode?.range ?? keyNode.range) as [number, number, number] | undefined;
    const range = span ? lines.range(base + span[0], base + Math.max(span[1], span[0] + 1)) : out.range;
    const raw = valueNode && isScalar(valueNode) ? valueNode.value : valueNode ? undefined : '';
    const text = raw === null || raw === undefined ? '' : raw instanceof Date ? raw.toISOString().slice(0, 10) : String(raw).trim();
    const value: MetadataValue = { key: written, text, range, valid: raw !== undefined };
    if (DATE_KEYS.has(key) && text !== '') {
      value.date = parseDate(text);
      value.valid = value.date !== undefined;
    } else if (key === 'review-interval' && text !== '') {
      value.interval = parseInterval(text);
      value.valid = value.interval !== undefined;
    }
    out.values[key] = value;
  }
  return out;
}

/** Reads a calendar date (`2025-04-01`, `2025/4/1`, `2025.4.1`, `2025年4月1日`); undefined if invalid. */
export function parseDate(text: string): IsoDate | undefined {
  const s = text.normalize('NFKC').trim();
  const m = /^(\d{4})(?:[-/.](\d{1,2})[-/.](\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日)$/.exec(s);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2] ?? m[4]);
  const d = Number(m[3] ?? m[5]);
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}

const UNIT_WORDS: ReadonlyArray<[RegExp, Interval['unit']]> = [
  [/^(?:y|yr|yrs|year|years|年|年間|年毎|年ごと)$/, 'year'],
  [/^(?:m|mo|mos|month|months|か月|ヶ月|ケ月|カ月|箇月|ヵ月|月)$/, 'month'],
  [/^(?:w|wk|wks|week|weeks|週|週間)$/, 'week'],
  [/^(?:d|day|days|日|日間)$/, 'day'],
];

const NAMED_INTERVALS: Readonly<Record<string, Interval>> = {
  annual: { unit: 'year', count: 1 },
  annually: { unit: 'year', count: 1 },
  yearly: { unit: 'year', count: 1 },
  'every year': { unit: 'year', count: 1 },
  biannual: { unit: 'year', count: 2 },
  biennial: { unit: 'year', count: 2 },
  'semi-annual': { unit: 'month', count: 6 },
  'semi-annually': { unit: 'month', count: 6 },
  quarterly: { unit: 'month', count: 3 },
  monthly: { unit: 'month', count: 1 },
  毎年: { unit: 'year', count: 1 },
  年次: { unit: 'year', count: 1 },
  年1回: { unit: 'year', count: 1 },
  半期: { unit: 'month', count: 6 },
  四半期: { unit: 'month', count: 3 },
  毎月: { unit: 'month', count: 1 },
};

/** Reads a review interval; undefined when it cannot be read or is not positive. */
export function parseInterval(text: string): Interval | undefined {
  const s = text.normalize('NFKC').trim().toLowerCase();
  if (NAMED_INTERVALS[s]) return NAMED_INTERVALS[s];
  const iso = /^p(\d+)([ymwd])$/.exec(s);
  if (iso) {
    const count = Number(iso[1]);
    const unit = ({ y: 'year', m: 'month', w: 'week', d: 'day' } as const)[iso[2] as 'y' | 'm' | 'w' | 'd'];
    return count > 0 ? { unit, count } : undefined;
  }
  const m = /^(?:every\s+)?(\d+)\s*([^\d\s].*?)(?:ごと|毎|に1回|に一回)?$/.exec(s);
  if (!m) return undefined;
  const count = Number(m[1]);
  if (!(count > 0) || count > 1000) return undefined;
  for (const [re, unit] of UNIT_WORDS) if (re.test(m[2].trim())) return { unit, count };
  return undefined;
}

/** The date `interval` after `date`, clamped to the end of shorter months (31 Jan + 1 month → 28/29 Feb). */
export function addInterval(date: IsoDate, interval: Interval): IsoDate {
  const [y, m, d] = date.split('-').map(Number);
  if (interval.unit === 'day' || interval.unit === 'week') {
    const t = Date.UTC(y, m - 1, d) + interval.count * (interval.unit === 'week' ? 7 : 1) * 86_400_000;
    return new Date(t).toISOString().slice(0, 10);
  }
  const months = interval.unit === 'year' ? interval.count * 12 : interval.count;
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}

/**
 * When the document is next due for review: `next-review` when given, else `reviewed` (or, when
 * never reviewed, `approved`) plus `review-interval`. Undefined when it cannot be told.
 */
export function reviewDue(meta: DocumentMetadata): { date: IsoDate; from: MetadataKey } | undefined {
  const next = meta.values['next-review'];
  if (next?.date) return { date: next.date, from: 'next-review' };
  const interval = meta.values['review-interval']?.interval;
  const base = meta.values.reviewed?.date ? meta.values.reviewed : meta.values.approved?.date ? meta.values.approved : undefined;
  if (interval && base?.date) return { date: addInterval(base.date, interval), from: base === meta.values.reviewed ? 'reviewed' : 'approved' };
  return undefined;
}

/** Today's date in UTC, as `YYYY-MM-DD` (the default when no date is injected). */
export function todayUtc(): IsoDate {
  return new Date().toISOString().slice(0, 10);
}

/** The metadata worth showing beside a document in coverage and exports; undefined when it has none. */
export function summarizeMetadata(parsed: ParsedMarkdown): PolicyMetadata | undefined {
  const meta = readMetadata(parsed);
  if (!meta || Object.keys(meta.values).length === 0) return undefined;
  const v = meta.values;
  const out: PolicyMetadata = {};
  if (v.owner?.text) out.owner = v.owner.text;
  if (v['approved-by']?.text) out.approvedBy = v['approved-by'].text;
  if (v.approved?.date) out.approved = v.approved.date;
  if (v.version?.text) out.version = v.version.text;
  const due = reviewDue(meta);
  if (due) out.nextReview = due.date;
  return out;
}
