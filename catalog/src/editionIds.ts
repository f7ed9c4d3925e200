/**
 * Finding ISO/IEC 27002:2022 and ISO/IEC 27011:2024 ids (two numeric components) in prose:
 * `A.8.15`, `27002:2022 8.15`, `ISO/IEC 27001:2022 A.8.15`, `2022: 8.15`, `8.15 TEL`,
 * `5.42 TEL`, and bare bracketed `[8.15]`.
 *
 * Pure and linear like `normalize.ts` (every look-behind and look-ahead bounded). Kept apart from
 * the three-component scanner there: two-component numbers are common in prose (versions, section
 * numbers), so each form here needs a marker — `A.`, a standard's name with its year, `TEL` after
 * the number, or brackets — and the caller decides, with the document's edition, whether a bare
 * or an ambiguous form counts.
 */
import { foldWidth } from './normalize';

/** How a two-component id was written. */
export type EditionIdForm =
  /** `A.8.15` (ISO/IEC 27001 Annex A), without a year. */
  | 'annex'
  /** The year 2022 stated: `27002:2022 8.15`, `ISO/IEC 27001:2022 A.8.15`, `2022: 8.15`. */
  | 'year-2022'
  /** `8.15 TEL`, `5.42 TEL`: ISO/IEC 27011:2024 numbering. */
  | 'tel'
  /** A bare bracketed number: `[8.15]`, `（8.15）`. */
  | 'bare';

/** A two-component id found in prose. */
export interface EditionIdCandidate {
  /** Start of the id (including `A.`), UTF-16 index into the text. */
  start: number;
  /** End of the id (including ` TEL`), exclusive. */
  end: number;
  /** Start of the citation including a standard's name written before it. */
  contextStart: number;
  /** `text.slice(contextStart, end)`. */
  raw: string;
  /** The number: "8.15". */
  number: string;
  form: EditionIdForm;
  /** True when enclosed in brackets on its line. */
  bracketed: boolean;
}

const LOOKBACK = 40;
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isWordChar = (c: string | undefined): boolean =>
  c !== undefined && (isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_');

/** Returns every two-component id of themes 5–8 written in one of the accepted forms. */
export function findEditionIdCandidates(text: string): EditionIdCandidate[] {
  const f = foldWidth(text);
  const out: EditionIdCandidate[] = [];
  const n = f.length;
  let i = 0;
  while (i < n) {
    if (!isDigit(f[i])) {
      i++;
      continue;
    }
    let k = i;
    while (k < n && (isDigit(f[k]) || f[k] === '.')) k++;
    const cand = candidateAt(text, f, i, k);
    if (cand) out.push(cand);
    i = k;
  }
  return out;
}

function candidateAt(text: string, f: string, runStart: number, runEnd: number): EditionIdCandidate | undefined {
  let coreEnd = runEnd;
  while (coreEnd > runStart && f[coreEnd - 1] === '.') coreEnd--;
  const parts = f.slice(runStart, coreEnd).split('.');
  if (parts.length !== 2 || !parts.every((p) => /^[1-9][0-9]?$/.test(p))) return undefined;
  const first = Number(parts[0]);
  if (first < 5 || first > 8) return undefined;
  // "8.15a", "8.15_x": a longer token. A trailing sentence dot is fine ("see A.8.15.").
  if (isWordChar(f[coreEnd])) return undefined;
  const number = parts.join('.');

  let start = runStart;
  let annex = false;
  if (f[runStart - 1] === '.' && f[runStart - 2] === 'A' && !isWordChar(f[runStart - 3])) {
    annex = true;
    start = runStart - 2;
  } else {
    const before = f[runStart - 1];
    if (isWordChar(before) || before === '.' || before === ':' && isDigit(f[runStart - 2])) return undefined;
  }
  // "8.15 TEL", "8.15TEL" (27011:2024 numbering).
  let end = coreEnd;
  let tel = false;
  const m = /^[ \t]?TEL(?![A-Za-z0-9_])/.exec(f.slice(coreEnd, coreEnd + 5));
  if (m && !annex) {
    tel = true;
    end = coreEnd + m[0].length;
  }
  const year = yearBefore(f, start);
  const contextStart = year ? year.start : start;
  let form: EditionIdForm;
  if (year?.year === '2013') return undefined; // explicitly the old numbering: an objective, not ours
  if (tel) form = 'tel';
  else if (year) form = 'year-2022';
  else if (annex) form = 'annex';
  else form = 'bare';
  const bracketed = isBracketed(f, contextStart, end);
  if (form === 'bare' && !bracketed) return undefined;
  return { start, end, contextStart, raw: text.slice(contextStart, end), number, form, bracketed };
}

/**
 * A standard's name with a year, or a bare year with a colon, just before `at`:
 * "ISO/IEC 27002:2022 ", "27001:2022 Annex A ", "JIS Q 27001:2023 附属書A の", "2022: ".
 */
function yearBefore(f: string, at: number): { year: '2022' | '2013'; start: number } | undefined {
  const from = Math.max(0, at - LOOKBACK);
  let s = f.slice(from, at);
  for (;;) {
    const t = s.replace(/(?:[ \t]|の|管理策|箇条|§|[Cc]ontrol|[Cc]lause|(?:附属書|Annex)[ \t]?A)$/u, '');
    if (t === s) break;
    s = t;
  }
  let m = /(?:(?:ISO\/IEC|ISO|JIS[ \t]?Q)[ \t]?)?2700[12][ \t]?[:：][ \t]?(20(?:13|14|22|23))$/u.exec(s);
  if (m && !isDigit(f[from + m.index - 1])) {
    const y = m[1];
    return { year: y === '2013' || y === '2014' ? '2013' : '2022', start: from + m.index };
  }
  // "2022: 8.15" / "2022：8.15" (the form `x1051 migrate` writes beside a 2013 id).
  m = /(20(?:13|22))[ \t]?[:：][ \t]?$/u.exec(f.slice(Math.max(0, at - 8), at));
  if (m) {
    const start = Math.max(0, at - 8) + m.index;
    if (!isWordChar(f[start - 1]) && f[start - 1] !== ':' && f[start - 1] !== '：') {
      return { year: m[1] as '2022' | '2013', start };
    }
  }
  return undefined;
}

/** True when `[start, end)` is enclosed by brackets on its own line (bounded reach). */
function isBracketed(f: string, start: number, end: number): boolean {
  const REACH = 80;
  let depth = 0;
  let open = false;
  for (let j = start - 1; j >= 0 && j >= start - REACH; j--) {
    const c = f[j];
    if (c === '\n' || c === '\r') break;
    if (c === ')' || c === ']' || c === '）') depth++;
    else if (c === '(' || c === '[' || c === '（') {
      if (depth === 0) {
        open = true;
        break;
      }
      depth--;
    }
  }
  if (!open) return false;
  depth = 0;
  for (let j = end; j < f.length && j < end + REACH; j++) {
    const c = f[j];
    if (c === '\n' || c === '\r') break;
    if (c === '(' || c === '[' || c === '（') depth++;
    else if (c === ')' || c === ']' || c === '）') {
      if (depth === 0) return true;
      depth--;
    }
  }
  return false;
}
