/**
 * Text the Insert Control… command puts into a policy: a section skeleton or the control's text.
 * Pure (no `vscode` import) so the output is testable directly.
 */
import type { Block, Control, Item } from '../../catalog/src/types';
import { type Lang, pick } from './catalog';

const words = {
  ja: {
    control: '管理策',
    address: 'この節で次の各項目への対応を記述する:',
    list: (n: number) => `項目リスト ${n}`,
    source: '出典: JT-X1051',
    asIs: 'ISO/IEC 27002 の管理策をそのまま適用する。',
  },
  en: {
    control: 'Control',
    address: 'Describe in this section how each of these items is addressed:',
    list: (n: number) => `list ${n}`,
    source: 'Source: ITU-T X.1051 (our translation of JT-X1051)',
    asIs: 'ISO/IEC 27002 control applied as is.',
  },
} as const;

/** Top-level items of a control (sub-items are covered by their parent's line). */
function topItems(control: Control): Item[] {
  return control.items.filter((i) => !i.parent);
}

/**
 * A section skeleton: a heading that claims the control, then an HTML comment listing the items
 * the section must address. The list is a comment so the skeleton itself never counts as
 * evidence: the checker keeps reporting each item until the author writes it in the section.
 * Item ids are left out of the comment so they are not read as citations either.
 */
export function sectionSkeleton(control: Control, lang: Lang, headingLevel = 2): string {
  const w = words[lang];
  const title = pick(control.title, lang);
  const lines = [`${'#'.repeat(Math.min(Math.max(headingLevel, 1), 6))} ${control.id} ${title}`, ''];
  const items = topItems(control);
  if (items.length > 0) {
    lines.push('<!--', w.address);
    const multiList = control.lists.length > 1;
    for (const item of items) {
      const prefix = multiList ? `(${w.list(item.list)}) ` : '';
      lines.push(`  ${prefix}${item.label} ${pick(item.subject, lang)}`.replace(/-->/g, '- ->'));
    }
    lines.push('-->', '');
  }
  lines.push('');
  return lines.join('\n');
}

/** The control as a Markdown block quote: id and title, control statement and its items. */
export function controlText(control: Control, lang: Lang): string {
  const w = words[lang];
  const out: string[] = [`**${control.id} ${pick(control.title, lang)}**`, ''];
  const statement = pick(control.control, lang);
  if (statement) out.push(`${w.control}: ${statement}`, '');
  else if (control.kind === 'iso-as-is') out.push(w.asIs, '');
  const guidance = [...(control.telecomGuidance ?? []), ...(control.guidance ?? [])];
  const printed = new Set<number>();
  for (const block of guidance) {
    const rendered = renderBlock(block, control, lang, printed);
    if (rendered) out.push(rendered, '');
  }
  // Lists the guidance blocks did not place still belong to the control.
  for (const list of control.lists) {
    if (printed.has(list.list)) continue;
    out.push(renderList(control, list.list, lang), '');
  }
  out.push(w.source);
  return out.map((line) => (line ? `> ${line.replace(/\n/g, '\n> ')}` : '>')).join('\n') + '\n\n';
}

function renderBlock(block: Block, control: Control, lang: Lang, printed: Set<number>): string {
  if ('p' in block) return pick(block.p, lang);
  if ('note' in block) return pick(block.note, lang);
  printed.add(block.list);
  return renderList(control, block.list, lang);
}

function renderList(control: Control, list: number, lang: Lang): string {
  return control.items
    .filter((i) => i.list === list)
    .map((i) => `${i.parent ? '    ' : ''}${i.parent ? i.label.split(' ').pop() : i.label} ${pick(i.text, lang)}`)
    .join('\n');
}
