/**
 * Wording shared by several rules: how an item and a control are named in messages.
 */
import type { Control, Item } from '../../../../catalog/src/types';
import type { Lang } from '../types';

/**
 * An item as authors read it: `TEL.18.1.6 e)` for list 1, `TEL.18.1.6[2] a)` for later lists
 * (the list number disambiguates repeated labels), synthesised items as `12.4.1 1.`.
 */
export function itemLabel(item: Item): string {
  return `${item.control}${item.list > 1 ? `[${item.list}]` : ''} ${item.label}`;
}

/** The control's id and title in the language: "TEL.18.1.6 通信の秘密保持". */
export function controlName(control: Control | undefined, id: string, lang: Lang): string {
  return control ? `${id} ${control.title[lang]}` : id;
}
