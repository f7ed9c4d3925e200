/**
 * Policy hygiene as data: the hedged wording that makes a requirement optional, template
 * remnants that mean a policy was never finished, and withdrawn editions of the standards a
 * policy names. The rules (`weak-wording`, `placeholder`, `superseded-reference`) scan prose with
 * these tables; `.x1051.yaml` can extend or trim the weak-wording list.
 */

/** A hedged phrase and, where there is one, the mandatory form a quick fix offers. */
export interface WeakPhrase {
  /** The phrase as it is matched (case-insensitive for English; whole words for English). */
  phrase: string;
  lang: 'ja' | 'en';
  /** The mandatory wording that replaces exactly the phrase; absent when a rewrite needs a person. */
  replacement?: string;
}

/** The built-in weak-wording list. Longer phrases win over the shorter ones they contain. */
export const WEAK_PHRASES: readonly WeakPhrase[] = [
  { lang: 'en', phrase: 'should consider', replacement: 'must' },
  { lang: 'en', phrase: 'should', replacement: 'must' },
  { lang: 'en', phrase: 'may', replacement: 'must' },
  { lang: 'en', phrase: 'where possible' },
  { lang: 'en', phrase: 'wherever possible' },
  { lang: 'en', phrase: 'if possible' },
  { lang: 'en', phrase: 'as far as possible' },
  { lang: 'en', phrase: 'to the extent possible' },
  { lang: 'en', phrase: 'where practicable' },
  { lang: 'en', phrase: 'as far as practicable' },
  { lang: 'en', phrase: 'where feasible' },
  { lang: 'en', phrase: 'when feasible' },
  { lang: 'en', phrase: 'if feasible' },
  { lang: 'en', phrase: 'where appropriate' },
  { lang: 'en', phrase: 'as appropriate' },
  { lang: 'en', phrase: 'endeavour to', replacement: 'must' },
  { lang: 'en', phrase: 'endeavor to', replacement: 'must' },
  { lang: 'en', phrase: 'strive to', replacement: 'must' },
  { lang: 'en', phrase: 'try to', replacement: 'must' },
  { lang: 'en', phrase: 'attempt to', replacement: 'must' },
  { lang: 'en', phrase: 'is encouraged to', replacement: 'must' },
  { lang: 'en', phrase: 'are encouraged to', replacement: 'must' },
  { lang: 'en', phrase: 'it is recommended that' },
  { lang: 'en', phrase: 'ideally' },
  { lang: 'en', phrase: 'best effort' },
  { lang: 'en', phrase: 'best efforts' },
  { lang: 'ja', phrase: 'することが望ましい', replacement: 'する' },
  { lang: 'ja', phrase: 'ことが望ましい', replacement: 'こと' },
  { lang: 'ja', phrase: '望ましい' },
  { lang: 'ja', phrase: 'するよう努める', replacement: 'する' },
  { lang: 'ja', phrase: 'するように努める', replacement: 'する' },
  { lang: 'ja', phrase: 'するよう努めること', replacement: 'すること' },
  { lang: 'ja', phrase: 'するように努めること', replacement: 'すること' },
  { lang: 'ja', phrase: '努める' },
  { lang: 'ja', phrase: '努めること' },
  { lang: 'ja', phrase: '努力する' },
  { lang: 'ja', phrase: '可能な限り' },
  { lang: 'ja', phrase: 'できる限り' },
  { lang: 'ja', phrase: '出来る限り' },
  { lang: 'ja', phrase: 'なるべく' },
  { lang: 'ja', phrase: '極力' },
  { lang: 'ja', phrase: '必要に応じて' },
  { lang: 'ja', phrase: '適宜' },
  { lang: 'ja', phrase: 'してもよい', replacement: 'する' },
  { lang: 'ja', phrase: '推奨する' },
  { lang: 'ja', phrase: '推奨される' },
];

/** Verbs after "may" that state a consequence or a possibility, not an optional duty. */
const MAY_CONSEQUENCE = /^\s+(?:also\s+)?(?:lead|leads|result|cause|affect|occur|arise|include|contain|vary|differ|happen|be\s+subject|constitute|expose)\b/i;

/** One hedged phrase found in a text. */
export interface WeakHit {
  start: number;
  end: number;
  entry: WeakPhrase;
}

/** A compiled weak-wording list (build once per configuration). */
export class WeakWordingMatcher {
  private readonly en: RegExp | undefined;
  private readonly ja: RegExp | undefined;
  private readonly byPhrase = new Map<string, WeakPhrase>();

  constructor(phrases: readonly WeakPhrase[]) {
    const sorted = [...phrases].sort((a, b) => b.phrase.length - a.phrase.length);
    for (const p of sorted) this.byPhrase.set(p.phrase.toLowerCase(), p);
    const en = sorted.filter((p) => p.lang === 'en').map((p) => escape(p.phrase).replace(/ /g, '\\s+'));
    const ja = sorted.filter((p) => p.lang === 'ja').map((p) => escape(p.phrase));
    // English phrases are whole words; Japanese has no word boundaries to respect.
    this.en = en.length > 0 ? new RegExp(`(?<![A-Za-z0-9'-])(?:${en.join('|')})(?![A-Za-z0-9-])`, 'gi') : undefined;
    this.ja = ja.length > 0 ? new RegExp(ja.join('|'), 'g') : undefined;
  }

  /** The hedged phrases of `text`, in order, never overlapping. */
  scan(text: string): WeakHit[] {
    const hits: WeakHit[] = [];
    for (const re of [this.en, this.ja]) {
      if (!re) continue;
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        const entry = this.byPhrase.get(m[0].replace(/\s+/g, ' ').toLowerCase());
        if (!entry) continue;
        // "May" as the month ("May 2025", "1 May") is not a modal verb.
        if (entry.phrase === 'may' && m[0] === 'May' && (/^\s*\d/.test(text.slice(m.index + 3)) || /\d\s*$/.test(text.slice(0, m.index)))) continue;
        // "may lead to", "may result in": a consequence, not an optional requirement.
        if (entry.phrase === 'may' && MAY_CONSEQUENCE.test(text.slice(m.index + 3, m.index + 40))) continue;
        hits.push({ start: m.index, end: m.index + m[0].length, entry });
      }
    }
    return hits.sort((a, b) => a.start - b.start);
  }
}

/**
 * The weak-wording list a configuration asks for: the built-in one less `remove`, plus `add`
 * (phrases without a replacement).
 */
export function weakPhrases(add?: { ja: string[]; en: string[] }, remove?: string[]): WeakPhrase[] {
  const dropped = new Set((remove ?? []).map((r) => r.trim().toLowerCase()));
  const out = WEAK_PHRASES.filter((p) => !dropped.has(p.phrase.toLowerCase()));
  for (const lang of ['ja', 'en'] as const) {
    for (const phrase of add?.[lang] ?? []) {
      const p = phrase.trim();
      if (p && !out.some((o) => o.phrase.toLowerCase() === p.toLowerCase())) out.push({ lang, phrase: p });
    }
  }
  return out;
}

/** Kinds of template remnants. */
export type PlaceholderKind = 'bracketed' | 'marker' | 'circles' | 'template' | 'lorem';

/** Words that make a bracketed or angle-bracketed phrase a fill-in-the-blank. */
const FILL_IN_EN = /\b(?:company|organi[sz]ation|org|name|date|owner|department|dept|title|address|e-?mail|phone|insert|your|client|customer|product|service|version|person|role|team|url|number|amount|city|country|entity|vendor|supplier|signature|placeholder)\b/i;
const FILL_IN_JA = /(?:組織名|会社名|社名|企業名|部署名|部門名|担当者|責任者名|氏名|名称|日付|年月日|住所|連絡先|電話番号|サービス名|製品名|事業者名|〇〇|○○)/;

/** A template remnant found in a text. */
export interface PlaceholderHit {
  start: number;
  end: number;
  kind: PlaceholderKind;
}

/**
 * Template remnants in `text`: `[Company Name]`, `<組織名>`, `【会社名】`, `○○`, `TBD`, `TODO`,
 * `XXX`, `{{ … }}`, `{% … %}`, lorem ipsum. Links (`[text](url)`, `[text][ref]`), task-list
 * boxes and control ids in brackets are not placeholders.
 */
/** A character or word every form `findPlaceholders` looks for contains. */
const MAY_HOLD_PLACEHOLDER = /[{$[<＜【〔○〇◯●×＿]|__|TB[DAC]|TODO|FIXME|XX|lorem/i;

export function findPlaceholders(text: string): PlaceholderHit[] {
  // Every placeholder form has one of these: most text is passed over at once.
  if (!MAY_HOLD_PLACEHOLDER.test(text)) return [];
  const hits: PlaceholderHit[] = [];
  const add = (start: number, end: number, kind: PlaceholderKind) => {
    if (!hits.some((h) => start < h.end && h.start < end)) hits.push({ start, end, kind });
  };
  for (const m of text.matchAll(/\{\{[^{}\n]{0,200}\}\}|\{%[^%\n]{0,200}%\}|\$\{[A-Za-z_][\w.]{0,60}\}/g)) add(m.index!, m.index! + m[0].length, 'template');
  for (const m of text.matchAll(/(?<![!\]\w])\[([^\]\[\n]{1,80})\](?![(\[:])/g)) {
    if (FILL_IN_EN.test(m[1]) || FILL_IN_JA.test(m[1])) add(m.index!, m.index! + m[0].length, 'bracketed');
  }
  for (const m of text.matchAll(/[<＜【〔]([^<>＜＞【】〔〕\n]{1,40})[>＞】〕]/g)) {
    if (/^\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?$/.test(m[1]) && !FILL_IN_EN.test(m[1])) continue; // an HTML tag
    if (FILL_IN_EN.test(m[1]) || FILL_IN_JA.test(m[1])) add(m.index!, m.index! + m[0].length, 'bracketed');
  }
  for (const m of text.matchAll(/[○〇◯●×＿]{2,}|_{3,}/g)) add(m.index!, m.index! + m[0].length, 'circles');
  for (const m of text.matchAll(/(?<![A-Za-z0-9_])(?:TBD|TBA|TBC|TODO|FIXME|XXX+)(?![A-Za-z0-9_])/g)) add(m.index!, m.index! + m[0].length, 'marker');
  for (const m of text.matchAll(/\blorem\s+ipsum\b/gi)) add(m.index!, m.index! + m[0].length, 'lorem');
  return hits.sort((a, b) => a.start - b.start);
}

/** A withdrawn edition of a standard a policy may still name, and the edition that replaced it. */
export interface SupersededEdition {
  /** Matches the edition as written (spaces and ISO/IEC spelling vary). */
  pattern: RegExp;
  /** How the withdrawn edition is named in messages. */
  name: string;
  current: string;
  /**
   * `2022`: superseded only for documents read in ISO/IEC 27002:2022 numbering (X.1051:2016 is
   * itself built on 27002:2013, so naming it is right for a 2013-numbered policy).
   */
  when?: '2022';
}

const ISO = String.raw`(?:ISO\s*/?\s*IEC|ISO|IEC)\s*`;
const JIS = String.raw`JIS\s*Q\s*`;
const YEAR = (y: number) => String.raw`\s*[:：]\s*${y}(?!\d)`;

/** The editions `superseded-reference` knows. */
export const SUPERSEDED: readonly SupersededEdition[] = [
  { pattern: new RegExp(`${ISO}27001${YEAR(2013)}`, 'gi'), name: 'ISO/IEC 27001:2013', current: 'ISO/IEC 27001:2022' },
  { pattern: new RegExp(`${ISO}27001${YEAR(2005)}`, 'gi'), name: 'ISO/IEC 27001:2005', current: 'ISO/IEC 27001:2022' },
  { pattern: new RegExp(`${ISO}27002${YEAR(2005)}`, 'gi'), name: 'ISO/IEC 27002:2005', current: 'ISO/IEC 27002:2022' },
  { pattern: new RegExp(`${ISO}17799(?:${YEAR(2005)}|${YEAR(2000)})?`, 'gi'), name: 'ISO/IEC 17799', current: 'ISO/IEC 27002:2022' },
  { pattern: new RegExp(`${ISO}27002${YEAR(2013)}`, 'gi'), name: 'ISO/IEC 27002:2013', current: 'ISO/IEC 27002:2022', when: '2022' },
  { pattern: new RegExp(`${JIS}27001${YEAR(2014)}`, 'gi'), name: 'JIS Q 27001:2014', current: 'JIS Q 27001:2023' },
  { pattern: new RegExp(`${JIS}27001${YEAR(2006)}`, 'gi'), name: 'JIS Q 27001:2006', current: 'JIS Q 27001:2023' },
  { pattern: new RegExp(`${JIS}27002${YEAR(2006)}`, 'gi'), name: 'JIS Q 27002:2006', current: 'JIS Q 27002:2024' },
  { pattern: new RegExp(`${JIS}27002${YEAR(2014)}`, 'gi'), name: 'JIS Q 27002:2014', current: 'JIS Q 27002:2024', when: '2022' },
];

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
