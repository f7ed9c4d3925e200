/**
 * Renders catalogue entries as Markdown: hovers, definition documents and `x1051 show` all use
 * these, so an entry reads the same everywhere.
 *
 * Pure: no Node built-ins. ISO/IEC 27002 controls applied as-is get their id, title and the
 * reference only (the ISO prose is not ours to ship).
 */
import type { Abbreviation, AnnexBEntry, Block, Clause, Control, Definition, Item, ItemLevel, ListInfo, Objective, Text } from './types';
import type { CatalogEntryRef, CatalogIndex } from './query';
import type { EditionControl } from './types';
import { formatIdRuns } from './editions';
import { itemLabel } from './labels';

export type Lang = 'ja' | 'en';

/** Fixed words of the rendering, in both languages. */
const WORDS = {
  objective: { ja: '目的', en: 'Objective' },
  control: { ja: '管理策', en: 'Control' },
  guidance: { ja: '実施の手引き', en: 'Implementation guidance' },
  telecomGuidance: { ja: '電気通信事業者向けの実施の手引き', en: 'Telecommunications-specific implementation guidance' },
  relatedInfo: { ja: '関連情報', en: 'Other information' },
  telecomRelatedInfo: { ja: '電気通信事業者向けの関連情報', en: 'Telecommunications-specific other information' },
  isoReference: { ja: 'ISO/IEC 27002 の参照', en: 'ISO/IEC 27002 reference' },
  items: { ja: '項目', en: 'Items' },
  list: { ja: 'リスト', en: 'list' },
  terms: { ja: '根拠となる語', en: 'Evidence terms' },
  subItems: { ja: '下位項目', en: 'Sub-items' },
  note: { ja: '注', en: 'Note' },
  definition: { ja: '定義', en: 'Definition' },
  abbreviation: { ja: '略語', en: 'Abbreviation' },
  annexA: { ja: '附属書A', en: 'Annex A' },
  annexB: { ja: '附属書B（参考）', en: 'Annex B (informative)' },
  clause: { ja: '箇条', en: 'Clause' },
  controls: { ja: '管理策', en: 'Controls' },
  translation: {
    ja: '',
    en: '_English text: the x1051 project’s own translation, not an official text._',
  },
};

const LEVELS: Record<ItemLevel, Text> = {
  required: { ja: '必須', en: 'required' },
  recommended: { ja: '推奨', en: 'recommended' },
  informative: { ja: '参考', en: 'informative' },
};

/** Escapes characters Markdown would take for formatting or HTML. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`).replace(/^([#+-]|\d+\.)(\s)/, '\\$1$2');
}

/** The printed name of an id: "附属書A TEL.18.1.6" is just "TEL.18.1.6"; ISO ids say which standard. */
function isoName(id: string): string {
  return `ISO/IEC 27002:2013 ${id}`;
}

function asIsLine(id: string, lang: Lang): string {
  return lang === 'ja'
    ? `X.1051 は ${isoName(id)} をそのまま適用する（電気通信事業者向けの追加の手引きはない）。`
    : `X.1051 applies ${isoName(id)} as-is (no telecommunications-specific guidance is added).`;
}

function levelText(level: ItemLevel, lang: Lang): string {
  return LEVELS[level][lang];
}

function withTranslationNote(parts: string[], lang: Lang): string {
  if (lang === 'en') parts.push(WORDS.translation.en);
  return parts.filter((p) => p !== '').join('\n\n') + '\n';
}

/** Markdown lines of one item and its sub-items as a nested list. */
function itemLines(index: CatalogIndex, item: Item, lang: Lang, depth: number): string[] {
  const label = item.parent ? item.label.split(' ').pop() ?? item.label : item.label;
  // Multi-line item texts (Annex B paragraphs) continue the list item, indented under it.
  const text = item.text[lang]
    .split('\n')
    .map(escapeMarkdown)
    .join(`\n${'  '.repeat(depth + 1)}`);
  const lines = [`${'  '.repeat(depth)}- **${escapeMarkdown(label)}** ${text} \`${item.id}\``];
  for (const child of index.childrenOf(item.id)) lines.push(...itemLines(index, child, lang, depth + 1));
  return lines;
}

/** A list rendered in place: a line naming its level, then the items. */
function listMarkdown(index: CatalogIndex, owner: { lists: ListInfo[]; items: Item[] }, n: number, lang: Lang): string {
  const info = owner.lists.find((l) => l.list === n);
  if (!info) return '';
  const top = owner.items.filter((i) => i.list === n && !i.parent);
  const name = info.name ? (lang === 'ja' ? `「${info.name.ja}」` : ` “${info.name.en}”`) : '';
  const head = lang === 'ja' ? `_（${WORDS.list.ja} ${n}${name}：${levelText(info.level, lang)}）_` : `_(${WORDS.list.en} ${n}${name}: ${levelText(info.level, lang)})_`;
  return [head, ...top.flatMap((i) => itemLines(index, i, lang, 0))].join('\n');
}

/** Renders blocks (paragraphs, notes, lists in place); synthesised lists follow the section. */
function blocksMarkdown(index: CatalogIndex, owner: { lists: ListInfo[]; items: Item[] }, blocks: Block[], lang: Lang): string[] {
  const out: string[] = [];
  for (const b of blocks) {
    if ('p' in b) out.push(escapeMarkdown(b.p[lang]));
    else if ('note' in b) out.push(noteLine(b.note, lang));
    else out.push(listMarkdown(index, owner, b.list, lang));
  }
  return out;
}

/** Lists that no block places (synthesised ones): shown after the guidance so items are visible. */
function unplacedLists(index: CatalogIndex, owner: { lists: ListInfo[]; items: Item[] }, placed: Set<number>, lang: Lang): string[] {
  return owner.lists.filter((l) => !placed.has(l.list)).map((l) => listMarkdown(index, owner, l.list, lang));
}

function placedIn(blocks: (Block[] | undefined)[]): Set<number> {
  const s = new Set<number>();
  for (const arr of blocks) for (const b of arr ?? []) if ('list' in b) s.add(b.list);
  return s;
}

/**
 * A note line. The Japanese notes of the standard usually carry their own "注：" (kept verbatim);
 * the word is added only when the text does not start with it.
 */
function noteLine(text: Text, lang: Lang, number?: number): string {
  const own = lang === 'ja' ? /^注/u.test(text.ja) : /^note\b/i.test(text.en);
  if (own) return escapeMarkdown(text[lang]);
  const word = `${WORDS.note[lang]}${number !== undefined ? ` ${number}` : ''}`;
  return `${word}${lang === 'ja' ? '：' : ': '}${escapeMarkdown(text[lang])}`;
}

function heading(level: number, text: string): string {
  return `${'#'.repeat(level)} ${text}`;
}

/**
 * The other edition's number(s) of an X.1051:2016 control, one line: "ISO/IEC 27002:2022: 8.15
 * Logging" for an ISO control, "ISO/IEC 27011:2024: 5.42 TEL …" or "2024 number not known" for a
 * TEL control. Empty when the catalogue has no editions.
 */
export function counterpartLine(index: CatalogIndex, id: string, lang: Lang): string {
  const ed = index.editions;
  if (!index.catalog.editions) return '';
  if (id.startsWith('TEL.')) {
    const t = ed.tel2024Of(id);
    const label = '**ISO/IEC 27011:2024**';
    if (t) return `${label}${lang === 'ja' ? '：' : ': '}${escapeMarkdown(t.id)} ${escapeMarkdown(t.title[lang])}`;
    return lang === 'ja' ? `${label}：2024 年版の番号は不明（公開情報で確認できない）` : `${label}: 2024 number not known (no public source states it)`;
  }
  const next = ed.successors2022(id);
  if (next.length === 0) return '';
  const list = next.map((c) => `${c.id} ${escapeMarkdown(c.title[lang])}`).join(lang === 'ja' ? '、' : '; ');
  return `**ISO/IEC 27002:2022**${lang === 'ja' ? '：' : ': '}${list}`;
}

const THEME: Record<EditionControl['theme'], { ja: string; en: string }> = {
  organizational: { ja: '組織的管理策', en: 'Organizational controls' },
  people: { ja: '人的管理策', en: 'People controls' },
  physical: { ja: '物理的管理策', en: 'Physical controls' },
  technological: { ja: '技術的管理策', en: 'Technological controls' },
};

/**
 * A control of another edition (ISO/IEC 27002:2022 or an ISO/IEC 27011:2024 TEL control): its
 * title and theme, the X.1051:2016 controls it maps from, then (unless `brief`) the full guidance
 * of each of those. No ISO/IEC 27002:2022 text: titles and numbers only.
 */
export function renderEditionControlMarkdown(index: CatalogIndex, c: EditionControl, lang: Lang, brief = false): string {
  const tel = / TEL$/.test(c.id);
  const std = tel ? 'ISO/IEC 27011:2024' : 'ISO/IEC 27002:2022';
  const parts: string[] = [heading(2, `${escapeMarkdown(c.id)} ${escapeMarkdown(c.title[lang])} (${std})`)];
  parts.push(`_${THEME[c.theme][lang]}_${c.jaTitle === 'ours' && lang === 'ja' ? '（日本語の表題は x1051 の訳）' : ''}`);
  if (c.from.length === 0) {
    parts.push(
      lang === 'ja'
        ? '2022 年版で新設された管理策で、X.1051:2016（ISO/IEC 27002:2013）に対応する管理策はない。x1051 が確認できる電気通信事業者向けの項目はない。'
        : 'New in 2022: no X.1051:2016 (ISO/IEC 27002:2013) control corresponds, so x1051 has no telecommunications items to check for it.',
    );
  } else {
    const lines = c.from.map((f) => {
      const x = index.control(f);
      return `- ${f} ${x ? escapeMarkdown(x.title[lang]) : ''}`.trimEnd();
    });
    parts.push(
      (lang === 'ja' ? `**X.1051:2016 / ISO/IEC 27002:2013 の対応**：${formatIdRuns(c.from)}` : `**Maps from X.1051:2016 / ISO/IEC 27002:2013**: ${formatIdRuns(c.from)}`) +
        '\n\n' +
        lines.join('\n'),
    );
  }
  if (c.source) parts.push(`${lang === 'ja' ? '出典' : 'Source'}: ${c.source}${c.basis ? ` — ${escapeMarkdown(c.basis)}` : ''}`);
  let out = parts.join('\n\n') + '\n';
  if (!brief) {
    for (const f of c.from) {
      const md = renderControlMarkdown(index, f, lang);
      if (md) out += '\n' + md.replace(/^## /, '### ');
    }
  }
  return out;
}

/**
 * Full guidance of a control as Markdown: title, objective, control, ISO reference, telecom
 * guidance with lists in place and item labels, related information. For an `iso-as-is` control:
 * id, title and "applies ISO/IEC 27002 X as-is". Undefined when the id is unknown.
 */
export function renderControlMarkdown(index: CatalogIndex, id: string, lang: Lang): string | undefined {
  const c = index.control(id);
  return c ? controlMarkdown(index, c, lang) : undefined;
}

function controlMarkdown(index: CatalogIndex, c: Control, lang: Lang): string {
  const parts: string[] = [heading(2, `${c.id} ${escapeMarkdown(c.title[lang])}`)];
  const objective = index.objective(c.objective);
  if (objective) {
    const where = c.kind === 'tel' ? `${WORDS.annexA[lang]} ` : '';
    parts.push(`_${where}${objective.id} ${escapeMarkdown(objective.title[lang])}_`);
    if (objective.objective) parts.push(`**${WORDS.objective[lang]}**${lang === 'ja' ? '：' : ': '}${escapeMarkdown(objective.objective[lang])}`);
  }
  parts.push(counterpartLine(index, c.id, lang));
  if (c.kind === 'iso-as-is') {
    parts.push(c.applies ? escapeMarkdown(c.applies[lang]) : asIsLine(c.id, lang));
    return withTranslationNote(parts, lang);
  }
  if (c.control) parts.push(heading(3, WORDS.control[lang]), escapeMarkdown(c.control[lang]));
  if (c.applies) parts.push(escapeMarkdown(c.applies[lang]));
  if (c.kind === 'iso-telecom') parts.push(`${WORDS.isoReference[lang]}${lang === 'ja' ? '：' : ': '}${isoName(c.id)}`);
  const sections: [keyof typeof WORDS, Block[] | undefined][] = [
    ['guidance', c.guidance],
    ['telecomGuidance', c.telecomGuidance],
    ['relatedInfo', c.relatedInfo],
    ['telecomRelatedInfo', c.telecomRelatedInfo],
  ];
  const placed = placedIn(sections.map(([, b]) => b));
  for (const [name, blocks] of sections) {
    if (!blocks || blocks.length === 0) continue;
    parts.push(heading(3, WORDS[name][lang]), ...blocksMarkdown(index, c, blocks, lang));
    // Synthesised lists belong to the telecom guidance (or the guidance of a TEL control).
    const home = c.kind === 'tel' ? 'guidance' : 'telecomGuidance';
    if (name === home) parts.push(...unplacedLists(index, c, placed, lang));
  }
  const hasHome = c.kind === 'tel' ? c.guidance?.length : c.telecomGuidance?.length;
  if (!hasHome) {
    const rest = unplacedLists(index, c, placed, lang);
    if (rest.length > 0) parts.push(heading(3, WORDS.items[lang]), ...rest);
  }
  return withTranslationNote(parts, lang);
}

/** One item: its control, list and level, the text, sub-items and evidence terms. */
export function renderItemMarkdown(index: CatalogIndex, id: string, lang: Lang): string | undefined {
  const item = index.item(id);
  if (!item) return undefined;
  const owner = index.control(item.control) ?? index.annexB(item.control);
  const ownerTitle = owner ? ` ${escapeMarkdown(owner.title[lang])}` : '';
  const parts = [
    // The human label (the form of every message), then the stable id for configs and directives.
    heading(2, `${escapeMarkdown(itemLabel(item, lang))} ${escapeMarkdown(item.subject[lang])}`),
    `_${item.control}${ownerTitle} — ${WORDS.list[lang]} ${item.list}${item.listName ? ` (${escapeMarkdown(item.listName[lang])})` : ''}, ${levelText(item.level, lang)} · \`${item.id}\`_`,
    `**${escapeMarkdown(item.label)}** ${escapeMarkdown(item.text[lang])}`,
  ];
  const children = index.childrenOf(item.id);
  if (children.length > 0) {
    parts.push(`**${WORDS.subItems[lang]}**`, children.flatMap((ch) => itemLines(index, ch, lang, 0)).join('\n'));
  }
  parts.push(`**${WORDS.terms[lang]}**${lang === 'ja' ? '：' : ': '}${item.terms[lang].map((t) => `\`${t}\``).join(', ')}`);
  return withTranslationNote(parts, lang);
}

/** An Annex B entry with its paragraphs and lists. */
export function renderAnnexBMarkdown(index: CatalogIndex, id: string, lang: Lang): string | undefined {
  const b = index.annexB(id);
  if (!b) return undefined;
  return annexBMarkdown(index, b, lang);
}

function annexBMarkdown(index: CatalogIndex, b: AnnexBEntry, lang: Lang): string {
  const parts = [heading(2, `${b.id} ${escapeMarkdown(b.title[lang])}`), `_${WORDS.annexB[lang]}_`];
  if (b.body) parts.push(...blocksMarkdown(index, b, b.body, lang));
  parts.push(...unplacedLists(index, b, placedIn([b.body]), lang));
  return withTranslationNote(parts, lang);
}

/** A definition of clause 3 with its notes. */
export function renderDefinitionMarkdown(index: CatalogIndex, id: string, lang: Lang): string | undefined {
  const d = index.definition(id);
  return d ? definitionMarkdown(index, d, lang) : undefined;
}

function definitionMarkdown(index: CatalogIndex, d: Definition, lang: Lang): string {
  const other: Lang = lang === 'ja' ? 'en' : 'ja';
  // A defined term may also be a control's title (通信の秘密保持 is 3.1.4 and TEL.18.1.6).
  const same = index.allControls().filter((c) => c.title.ja === d.term.ja || c.title.en.toLowerCase() === d.term.en.toLowerCase());
  const seeAlso = same.length > 0 ? `${lang === 'ja' ? '関連する管理策' : 'See also'}: ${same.map((c) => `${c.id} ${escapeMarkdown(c.title[lang])}`).join(', ')}` : '';
  const parts = [
    heading(2, `${d.id} ${escapeMarkdown(d.term[lang])} (${escapeMarkdown(d.term[other])})`),
    `_${WORDS.definition[lang]}_`,
    escapeMarkdown(d.text[lang]),
    ...d.notes.map((n, i) => noteLine(n, lang, d.notes.length > 1 ? i + 1 : undefined)),
    seeAlso,
  ];
  return withTranslationNote(parts, lang);
}

/** An abbreviation of clause 4: expansion and gloss. */
export function renderAbbreviationMarkdown(index: CatalogIndex, abbr: string, lang: Lang): string | undefined {
  const a = index.abbreviation(abbr);
  return a ? abbreviationMarkdown(a, lang) : undefined;
}

function abbreviationMarkdown(a: Abbreviation, lang: Lang): string {
  const parts = [heading(2, `${escapeMarkdown(a.abbr)} — ${escapeMarkdown(a.expansion)}`), `_${WORDS.abbreviation[lang]}_`, escapeMarkdown(a.text[lang])];
  return withTranslationNote(parts, lang);
}

function objectiveMarkdown(index: CatalogIndex, o: Objective, lang: Lang): string {
  const parts = [heading(2, `${o.id} ${escapeMarkdown(o.title[lang])}`)];
  if (o.objective) parts.push(`**${WORDS.objective[lang]}**${lang === 'ja' ? '：' : ': '}${escapeMarkdown(o.objective[lang])}`);
  if (o.applies) parts.push(escapeMarkdown(o.applies[lang]));
  for (const n of o.notes ?? []) parts.push(noteLine(n, lang));
  parts.push(`**${WORDS.controls[lang]}**`, o.controls.map((id) => `- ${id} ${escapeMarkdown(index.control(id)?.title[lang] ?? '')}`).join('\n'));
  return withTranslationNote(parts, lang);
}

function clauseMarkdown(index: CatalogIndex, c: Clause, lang: Lang): string {
  const parts = [heading(2, `${c.annex ? `${WORDS.annexA[lang]} ` : `${WORDS.clause[lang]} `}${c.id} ${escapeMarkdown(c.title[lang])}`)];
  if (c.applies) parts.push(escapeMarkdown(c.applies[lang]));
  for (const n of c.notes ?? []) parts.push(noteLine(n, lang));
  parts.push(c.objectives.map((id) => `- ${id} ${escapeMarkdown(index.objective(id)?.title[lang] ?? '')}`).join('\n'));
  return withTranslationNote(parts, lang);
}

/** Renders whatever a `CatalogIndex.lookup` returned. */
export function renderEntryMarkdown(index: CatalogIndex, ref: CatalogEntryRef, lang: Lang): string {
  switch (ref.kind) {
    case 'control':
      return controlMarkdown(index, ref.control, lang);
    case 'item':
      return renderItemMarkdown(index, ref.item.id, lang) ?? '';
    case 'objective':
      return objectiveMarkdown(index, ref.objective, lang);
    case 'clause':
      return clauseMarkdown(index, ref.clause, lang);
    case 'annex-b':
      return annexBMarkdown(index, ref.entry, lang);
    case 'definition':
      return definitionMarkdown(index, ref.definition, lang);
    case 'abbreviation':
      return abbreviationMarkdown(ref.abbreviation, lang);
  }
}

/** Resolves free-form text (`CatalogIndex.lookup`) and renders it; undefined when nothing matches. */
export function renderMarkdown(index: CatalogIndex, text: string, lang: Lang): string | undefined {
  const ref = index.lookup(text);
  return ref ? renderEntryMarkdown(index, ref, lang) : undefined;
}
