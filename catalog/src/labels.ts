/**
 * The one human form of an item's name, used in every message, menu, export and hover: the
 * control id, the list's name in words for the later lists of a control that has several, and the
 * printed label —
 * "TEL.18.1.6 e)", "TEL.18.1.6 guideline g)" / 「TEL.18.1.6 指針 g)」, "TEL.13.1.4 consideration
 * e) 4)", "9.1.1 1.". `parseItemLabel` reads that form back (in either language), so `x1051 show`
 * accepts whatever any output prints.
 */
import { bareLabel, foldWidth, normalizeId } from './normalize';
import type { Item } from './types';

type Lang = 'ja' | 'en';

/**
 * The human label of an item in the language. The first list's items read as they are cited
 * ("TEL.18.1.6 e)", which resolves to the first list); the items of a control's later lists name
 * their list ("TEL.18.1.6 guideline g)"), since their labels may repeat the first list's.
 */
export function itemLabel(item: Pick<Item, 'control' | 'label' | 'listName' | 'list'>, lang: Lang): string {
  return item.listName && item.list > 1 ? `${item.control} ${item.listName[lang]} ${item.label}` : `${item.control} ${item.label}`;
}

/** What `parseItemLabel` needs of the catalogue. */
export interface LabelResolver {
  control(id: string): { lists: Array<{ list: number; name?: { ja: string; en: string } }> } | undefined;
  resolveItem(control: string, labels: string[], list?: number): Item | undefined;
}

const LABELLED = /^((?:TEL\s*[.．]?\s*)?[0-9]{1,2}(?:\s*[.．。]\s*[0-9]{1,2}){2})\s*(.*?)\s*((?:[a-z]|[0-9]{1,2})\s*[).）](?:\s*[0-9]{1,2}\s*[)）])?)$/iu;

/**
 * The item a human label names ("TEL.18.1.6 guideline g)", 「TEL.18.1.6 指針 g)」, "TEL.18.1.6 e)",
 * "TEL.13.1.4 consideration e) 4)"), or undefined. A list name must be one of the control's (in
 * either language, case and width ignored); without one, the label is resolved as a citation is
 * (list 1 first, then the first list that has the label).
 */
export function parseItemLabel(text: string, catalog: LabelResolver): Item | undefined {
  const m = LABELLED.exec(foldWidth(text.trim()).replace(/\s+/g, ' '));
  if (!m) return undefined;
  const id = normalizeId(m[1].replace(/。/g, '.'));
  if (!id || id.item) return undefined;
  const control = catalog.control(id.control) ? id.control : catalog.control(`TEL.${id.control}`) ? `TEL.${id.control}` : undefined;
  if (!control) return undefined;
  const labels = m[3].split(/[)）]/).map((l) => bareLabel(l.trim()).toLowerCase()).filter((l) => l !== '');
  const name = m[2].trim().toLowerCase();
  if (name === '') return catalog.resolveItem(control, labels);
  const list = catalog.control(control)!.lists.find((l) => l.name && (l.name.en.toLowerCase() === name || foldWidth(l.name.ja) === name));
  return list ? catalog.resolveItem(control, labels, list.list) : undefined;
}
