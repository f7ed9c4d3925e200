/**
 * Finding and normalising control and item ids in prose.
 *
 * Pure: no Node built-ins, no vscode. Every scan here is linear in the length of the text: the
 * text is walked once, and each look-behind or look-ahead is bounded by a small constant, so no
 * input can trigger catastrophic backtracking (the patterns are fuzzed).
 *
 * Offsets are UTF-16 code-unit indices into the text as given. Width folding (full-width ASCII to
 * ASCII) maps one code unit to one code unit, so offsets in the folded copy equal offsets in the
 * original text.
 */

/** What stood before an id and told what it is. */
export type IdPrefix = 'tel' | 'standard' | 'iso27001-annex' | 'none';

/** A substring of prose that looks like a control or item id. */
export interface IdCandidate {
  /** Start of the id itself (including `TEL` or `A.`), UTF-16 index into the text. */
  start: number;
  /** End of the id including any item suffix (exclusive). */
  end: number;
  /** `text.slice(start, end)`. */
  raw: string;
  /** Canonical id: "TEL.18.1.6", "12.4.1", "TEL.18.1.6(e)", "TEL.13.1.4(e)(4)", "TEL.18.1.6[2](c)". */
  normalized: string;
  /** Canonical control part of `normalized` ("TEL.18.1.6", "12.4.1"). */
  control: string;
  /** Item labels written after the control, without parentheses: ["e"], ["e", "4"]. */
  itemLabels: string[];
  /** List number when written explicitly in the stable-id form `TEL.18.1.6[2](c)`. */
  list?: number;
  /** What stood before the number. */
  prefix: IdPrefix;
  /** The standard named before the id, when one was: "27002", "27011", "X.1051". */
  standard?: string;
  /**
   * Start of the whole citation including a standard's name or "附属書A" written before the id
   * (equals `start` when nothing was written before it). Useful for replacing the citation.
   */
  contextStart: number;
  /** True when the id (with its context) is enclosed in `[…]`, `(…)` or `（…）` on its line. */
  bracketed: boolean;
  /**
   * Invisible or look-alike characters the citation was written with (`U+200B`, `U+00A0`,
   * `U+3002`, a Cyrillic `Т`), read through but worth telling the author about.
   */
  suspicious?: string[];
  /** True when the citation alone fills its brackets: `[19.1.1]`, `（ISO/IEC 27002 12.4.1）`. */
  enclosed?: boolean;
}

/** The part of a catalogue index that `normalizeId` needs (implemented by `CatalogIndex`). */
export interface IdResolver {
  /** The control with this canonical id, or undefined. */
  control(id: string): unknown;
  /** The item of `control` that the labels (and optional explicit list) name, or undefined. */
  resolveItem(control: string, labels: string[], list?: number): { id: string } | undefined;
}

/**
 * First components of a bare number read as an id: clauses 1-4 are scope, references, definitions
 * and abbreviations, and the controls end at 18 (19 is kept, to report `[19.1.1]` as a mistyped
 * id rather than pass it); larger numbers are versions ("node 20.9.5"). With `TEL` or `A.` before
 * it any number is an id, known or not.
 */
const ISO_FIRST = { min: 5, max: 19 };

/** How far back a standard's name is looked for (characters). */
const LOOKBACK = 32;
/** How far brackets around an id are looked for on each side (characters). */
const BRACKET_REACH = 80;

/**
 * Folds full-width ASCII (U+FF01–U+FF5E) to ASCII and the ideographic space to a space, one code
 * unit for one code unit, so indices into the result are indices into the input.
 */
export function foldWidth(text: string): string {
  // One pass of the regular expression engine: far cheaper than building the string code unit by
  // code unit, and the text itself when nothing is folded.
  return WIDE.test(text) ? text.replace(WIDE_G, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0))) : text;
}
const WIDE = /[\uff01-\uff5e\u3000]/;
const WIDE_G = /[\uff01-\uff5e\u3000]/g;

/**
 * Builds a stable item id from its parts (the project convention): list 1 is `<control>(a)`,
 * list n > 1 is `<control>[n](a)`, sub-items append `(<label>)`.
 */
export function formatItemId(control: string, list: number, labels: string[]): string {
  return control + (list > 1 ? `[${list}]` : '') + labels.map((l) => `(${l})`).join('');
}

/** A printed label ("a)", "4)", "1.") without its punctuation ("a", "4", "1"). */
export function bareLabel(label: string): string {
  return label.replace(/[).．）]\s*$/u, '').replace(/^[(（]/u, '').trim();
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isAsciiLetter = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const isWordChar = (c: string | undefined): boolean => isDigit(c) || isAsciiLetter(c) || c === '_';
const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t';

/** One or two digits without a leading zero. */
function smallNumber(part: string): boolean {
  return /^[1-9][0-9]?$/.test(part);
}

/**
 * Returns every substring of `text` that looks like a control id (three numeric components,
 * optionally prefixed by TEL or A.) with an optional item suffix, in order of appearance.
 * Bare numbers are returned with prefix 'none'; callers decide whether to trust them (for example
 * only when `bracketed`).
 */
export function findIdCandidates(text: string): IdCandidate[] {
  // Invisible characters inside an id (a zero-width space pasted from a PDF, a soft hyphen, a
  // bidi mark) are dropped before scanning, and the candidates mapped back to the text's offsets.
  const stripped = stripInvisible(text);
  if (!stripped) return markSuspicious(text, scanIds(text));
  const { clean, map } = stripped;
  const at = (i: number) => (i < map.length ? map[i] : text.length);
  const cands = scanIds(clean).map((c) => {
    const start = at(c.start);
    const end = c.end > c.start ? at(c.end - 1) + 1 : start;
    return { ...c, start, end, contextStart: at(c.contextStart), raw: text.slice(start, end) };
  });
  return markSuspicious(text, cands);
}

/**
 * Characters that are invisible or look like another: format characters (zero-width space and
 * joiners, word joiner, soft hyphen, byte-order mark, bidi marks and embeddings). They are
 * removed from ids.
 */
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/u;
const INVISIBLE_G = new RegExp(INVISIBLE.source, 'gu');

/**
 * Look-alike characters folded one for one by `foldLookalikes` (besides full-width forms, which
 * Japanese text uses as a matter of course and are not suspicious): spaces other than the ASCII
 * space, ideographic and half-width full stops, and Cyrillic or Greek letters shaped like the
 * Latin letters of `TEL` and `A`.
 */
const LOOKALIKES: Readonly<Record<string, string>> = {
  '\u00a0': ' ', '\u2007': ' ', '\u202f': ' ', '\u2000': ' ', '\u2001': ' ', '\u2002': ' ', '\u2003': ' ',
  '\u2004': ' ', '\u2005': ' ', '\u2006': ' ', '\u2008': ' ', '\u2009': ' ', '\u200a': ' ',
  '\u3002': '.', '\uff61': '.',
  '\u0422': 'T', '\u0415': 'E', '\u0410': 'A', '\u03a4': 'T', '\u0395': 'E', '\u0391': 'A',
  '\u0442': 't', '\u0435': 'e', '\u0430': 'a',
};

const LOOKALIKE = new RegExp(`[${Object.keys(LOOKALIKES).join('')}]`, 'u');
const LOOKALIKE_G = new RegExp(LOOKALIKE.source, 'gu');

/** The text without invisible characters, and for each of its indices the index in `text`; undefined when there are none. */
function stripInvisible(text: string): { clean: string; map: number[] } | undefined {
  if (!INVISIBLE.test(text)) return undefined;
  let clean = '';
  const map: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (INVISIBLE.test(text[i])) continue;
    clean += text[i];
    map.push(i);
  }
  return { clean, map };
}

/**
 * `foldWidth`, and look-alike spaces, full stops and letters folded to ASCII, one code unit for
 * one code unit.
 */
export function foldLookalikes(text: string): string {
  const f = foldWidth(text);
  return LOOKALIKE.test(f) ? f.replace(LOOKALIKE_G, (c) => LOOKALIKES[c]) : f;
}

/** The invisible and look-alike characters inside each candidate's citation, as `U+XXXX`. */
function markSuspicious(text: string, cands: IdCandidate[]): IdCandidate[] {
  for (const c of cands) {
    const found: string[] = [];
    for (const ch of text.slice(c.contextStart, c.end)) {
      if ((INVISIBLE.test(ch) || LOOKALIKES[ch] !== undefined) && !found.includes(ch)) found.push(ch);
    }
    if (found.length > 0) c.suspicious = found.map((ch) => 'U+' + ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0'));
  }
  return cands;
}

/** Removes invisible characters and folds look-alikes (not full-width forms) in an id as written. */
export function cleanIdText(raw: string): string {
  // An id written in full-width forms keeps them: its ideographic full stops become full-width ones.
  const wide = /[\uff01-\uff5e]/u.test(raw);
  let out = '';
  for (const ch of raw.replace(INVISIBLE_G, '')) out += wide && (ch === '\u3002' || ch === '\uff61') ? '\uff0e' : LOOKALIKES[ch] ?? ch;
  return out;
}

function scanIds(text: string): IdCandidate[] {
  const folded = foldLookalikes(text);
  const out: IdCandidate[] = [];
  const n = folded.length;
  let i = 0;
  while (i < n) {
    if (!isDigit(folded[i])) {
      i++;
      continue;
    }
    // A maximal run of digits and dots starting here; every character is visited once.
    let k = i;
    while (k < n && (isDigit(folded[k]) || folded[k] === '.')) k++;
    const cand = candidateAt(text, folded, i, k);
    if (cand) out.push(cand);
    i = k;
  }
  return out;
}

/** Examines the digit-and-dot run `[runStart, runEnd)` and returns a candidate if it is an id. */
function candidateAt(text: string, f: string, runStart: number, runEnd: number): IdCandidate | undefined {
  // A sentence-ending dot ("see 8.2.1.") is not part of the id.
  let coreEnd = runEnd;
  while (coreEnd > runStart && f[coreEnd - 1] === '.') coreEnd--;
  const parts = f.slice(runStart, coreEnd).split('.');
  if (parts.length !== 3 || !parts.every(smallNumber)) return undefined;
  // A letter, digit or underscore right after means a longer token ("8.2.1a", "8.2.1_x").
  if (isWordChar(f[coreEnd])) return undefined;

  const prefix = prefixBefore(f, runStart);
  if (!prefix) return undefined;
  const first = Number(parts[0]);
  // An explicit TEL or A. makes the run an id whatever its numbers (an unknown one is reported);
  // a bare number must look like a control number, not a date, a version or a clause 1-4 number.
  if (prefix.kind === 'none' && (first < ISO_FIRST.min || first > ISO_FIRST.max)) return undefined;

  const numbers = parts.join('.');
  const control = prefix.kind === 'tel' ? `TEL.${numbers}` : numbers;
  const suffix = itemSuffix(f, coreEnd);
  const end = suffix ? suffix.end : coreEnd;
  const labels = suffix ? suffix.labels : [];
  const list = suffix?.list;
  const normalized = labels.length > 0 || list !== undefined ? formatItemId(control, list ?? 1, labels) : control;

  // The standard's name may stand before TEL as well ("X.1051 TEL.18.1.6", "附属書A TEL.18.1.6").
  const std = prefix.kind === 'iso27001-annex' ? undefined : standardBefore(f, prefix.start);
  const contextStart = std ? std.start : prefix.start;
  const kind: IdPrefix = prefix.kind === 'none' && std?.name ? 'standard' : prefix.kind;

  const cand: IdCandidate = {
    start: prefix.start,
    end,
    raw: text.slice(prefix.start, end),
    normalized,
    control,
    itemLabels: labels,
    prefix: kind,
    contextStart,
    bracketed: isBracketed(f, contextStart, end),
    enclosed: isEnclosed(f, contextStart, end),
  };
  if (list !== undefined) cand.list = list;
  if (std?.name) cand.standard = std.name;
  return cand;
}

/**
 * Decides what stands right before a run of digits: TEL (in any of its spellings), ISO/IEC 27001
 * Annex A's `A.`, nothing, or something that makes the run part of a longer token (undefined).
 */
function prefixBefore(f: string, runStart: number): { kind: 'tel' | 'iso27001-annex' | 'none'; start: number } | undefined {
  // TEL spellings: "TEL.18", "TEL 18", "TEL18", "TEL. 18" (at most two spaces in between).
  let j = runStart;
  let spaces = 0;
  while (spaces < 2 && isSpace(f[j - 1])) {
    j--;
    spaces++;
  }
  if (f[j - 1] === '.') j--;
  if (j >= 3 && f.slice(j - 3, j).toUpperCase() === 'TEL' && !isWordChar(f[j - 4])) {
    return { kind: 'tel', start: j - 3 };
  }
  // ISO/IEC 27001 Annex A: "A.12.4.1" (no space, capital A standing alone).
  if (f[runStart - 1] === '.' && f[runStart - 2] === 'A' && !isWordChar(f[runStart - 3])) {
    return { kind: 'iso27001-annex', start: runStart - 2 };
  }
  const before = f[runStart - 1];
  // "v8.2.1", "x8.2.1": part of a longer word.
  if (isWordChar(before)) return undefined;
  // "word.8.2.1" or "1.8.2.1" cannot happen for digits (the run would include them), but a dot
  // glued to a word before it is a longer token too.
  if (before === '.' && isWordChar(f[runStart - 2])) return undefined;
  return { kind: 'none', start: runStart };
}

/**
 * Looks for a standard's name (ISO/IEC 27002, 27011, X.1051, JT-X1051) or "附属書A" / "Annex A"
 * just before `at`, with connecting words ("の", "箇条", "clause") allowed in between.
 */
function standardBefore(f: string, at: number): { name?: string; start: number } | undefined {
  const from = Math.max(0, at - LOOKBACK);
  let s = f.slice(from, at);
  // Strip connectors from the end; each pass removes at least one character, so this is bounded.
  for (;;) {
    const t = s.replace(/(?:[ \t]|の|箇条|§|[Cc]lause|[Ss]ection)$/u, '');
    if (t === s) break;
    s = t;
  }
  let m = /(?:附属書|Annex)[ \t]?A$/u.exec(s);
  if (m) {
    const start = from + m.index;
    // "X.1051 附属書A TEL.18.1.6": the standard's name may precede the annex.
    const outer = standardBefore(f, start);
    return { name: outer?.name, start: outer ? outer.start : start };
  }
  m = /(?:(?:ISO\/IEC|ISO)[ \t]?)?(27002|27011)(?::20[0-9][0-9])?$/u.exec(s);
  if (m && !isDigit(f[from + m.index - 1])) return { name: m[1], start: from + m.index };
  m = /(?:(?:ITU-T|JT-?)[ \t]?)?X\.?1051$/iu.exec(s);
  if (m && !isWordChar(f[from + m.index - 1])) return { name: 'X.1051', start: from + m.index };
  return undefined;
}

/**
 * Parses an item suffix at `at`: an optional explicit list `[n]`, then up to two labels written as
 * `(e)`, ` e)` or chained `e) 4)` / `(e)(4)`. Labels are one lower-case letter or a small number.
 */
function itemSuffix(f: string, at: number): { end: number; labels: string[]; list?: number } | undefined {
  let p = at;
  let list: number | undefined;
  const mList = /^\[([1-9])\]/u.exec(f.slice(p, p + 3));
  if (mList) {
    list = Number(mList[1]);
    p += 3;
  }
  const labels: string[] = [];
  let end = p;
  while (labels.length < 2) {
    let q = end;
    let spaces = 0;
    while (spaces < 2 && isSpace(f[q])) {
      q++;
      spaces++;
    }
    const window = f.slice(q, q + 4);
    // "(e)" / "(4)" / "(12)".
    let m = /^\(([a-z]|[1-9][0-9]?)\)/u.exec(window);
    if (!m) {
      // Bare "e)" needs a space before the first label ("TEL.18.1.6 a)"), so that a stray ")"
      // right after an id is not taken for a label; chained labels may follow directly.
      const bare = /^([a-z]|[1-9][0-9]?)\)/u.exec(window);
      if (bare && (spaces > 0 || labels.length > 0) && !isWordChar(f[q - 1])) m = bare;
    }
    if (!m) break;
    labels.push(m[1]);
    end = q + m[0].length;
  }
  if (labels.length === 0 && list === undefined) return undefined;
  // A bare "[2]" without a label is not an item reference (it may be a Markdown footnote).
  if (labels.length === 0) return undefined;
  return { end, labels, list };
}

/** True when `[start, end)` is all that stands between a pair of brackets (spaces aside). */
function isEnclosed(f: string, start: number, end: number): boolean {
  let a = start - 1;
  while (a >= 0 && isSpace(f[a])) a--;
  let b = end;
  while (b < f.length && isSpace(f[b])) b++;
  const open = f[a];
  const close = f[b];
  return (open === '[' && close === ']') || (open === '(' && close === ')');
}

/** True when `[start, end)` is enclosed by brackets on its own line. */
function isBracketed(f: string, start: number, end: number): boolean {
  let depth = 0;
  let open = false;
  for (let j = start - 1; j >= 0 && j >= start - BRACKET_REACH; j--) {
    const c = f[j];
    if (c === '\n' || c === '\r') break;
    if (c === ')' || c === ']') depth++;
    else if (c === '(' || c === '[') {
      if (depth === 0) {
        open = true;
        break;
      }
      depth--;
    }
  }
  if (!open) return false;
  depth = 0;
  for (let j = end; j < f.length && j < end + BRACKET_REACH; j++) {
    const c = f[j];
    if (c === '\n' || c === '\r') break;
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') {
      if (depth === 0) return true;
      depth--;
    }
  }
  return false;
}

/**
 * Normalises one id written in any accepted form ("TEL 18.1.6", "ＴＥＬ．１８．１．６",
 * "TEL.13.1.4 e) 4)", "ISO/IEC 27002 12.4.1", "A.12.4.1", "TEL.18.1.6[2](c)") to canonical ids.
 *
 * Without a catalogue, the item id is built from the labels as written (list 1 unless an explicit
 * `[n]` is given). With a catalogue, the item labels are resolved to the stable item id (list 1
 * first, then the first list that has the label), and undefined is returned for a control or item
 * that is not in the catalogue. An id written with the X.1051 name before a bare number
 * ("JT-X1051 18.1.6") resolves to the TEL control when no ISO control has that number.
 */
export function normalizeId(raw: string, catalog?: IdResolver): { control: string; item?: string } | undefined {
  const text = raw.trim();
  const cands = findIdCandidates(text);
  if (cands.length !== 1) return undefined;
  const c = cands[0];
  // The whole input must be the citation (trailing sentence punctuation aside).
  if (c.contextStart !== 0 || !/^[\s.。)）\]]*$/u.test(text.slice(c.end))) return undefined;
  if (!catalog) {
    return c.itemLabels.length > 0 ? { control: c.control, item: c.normalized } : { control: c.control };
  }
  let control = c.control;
  if (catalog.control(control) === undefined) {
    const tel = `TEL.${control}`;
    if (c.prefix === 'standard' && c.standard !== '27002' && catalog.control(tel) !== undefined) control = tel;
    else return undefined;
  }
  if (c.itemLabels.length === 0) return { control };
  const item = catalog.resolveItem(control, c.itemLabels, c.list);
  return item ? { control, item: item.id } : undefined;
}
